package io.modelgate.gate;

/**
 * One check from a policy: a metric, in all examples or in some slices, against one bound.
 *
 * @param metric          canonical metric name
 * @param slices          {@code overall}, a slice key ({@code region=eu}), {@code region=*} (every value
 *                        of a column) or {@code *} (every slice)
 * @param kind            what is compared
 * @param bound           the bound; checks pass when the value (or change) is at least the bound, or at
 *                        most the bound for a VALUE check on a metric where lower is better
 * @param greaterIsBetter the metric's direction
 * @param severity        what a failure does to the verdict
 * @param minSliceSize    slices with fewer examples are skipped; 0 checks every slice;
 *                        {@link #DEFAULT_MIN_SLICE_SIZE} where the policy does not say
 * @param mode            whether the check reads the value with its sampling error or as a point
 * @param confidence      with {@link CheckMode#SIGNIFICANCE}, how sure the gate must be that the bound is
 *                        missed before it fails the check (0.95: a one-sided test at 2.5%)
 */
public record Threshold(String metric, String slices, CheckKind kind, double bound, boolean greaterIsBetter,
                        Severity severity, long minSliceSize, CheckMode mode, double confidence) {
    /** Where the policy gives no minimum: {@link #DEFAULT_MIN_SLICE_ROWS}, where the metrics say a slice's size. */
    public static final long DEFAULT_MIN_SLICE_SIZE = -1;
    /**
     * Slices smaller than this are skipped, with a line. A family of thousands of slice checks tests
     * far in the tail (Holm's smallest level is 2.5e-6 for 10,000 slices), where the standard errors
     * of a few dozen rows are not to be trusted: measured with no change, 10,000 slices of 40 rows
     * failed some check in 13-16% of runs, of 100 rows in 4.4% (SliceFamilySimulationTest).
     */
    public static final long DEFAULT_MIN_SLICE_ROWS = 100;
    /** The confidence where a policy gives none. */
    public static final double DEFAULT_CONFIDENCE = 0.95;

    public Threshold {
        if (mode == CheckMode.SIGNIFICANCE && !(confidence > 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be above 0.5 and below 1, got " + confidence);
        }
    }

    /** A point-mode check, as policies were read before significance existed. */
    public Threshold(String metric, String slices, CheckKind kind, double bound, boolean greaterIsBetter,
                     Severity severity, long minSliceSize) {
        this(metric, slices, kind, bound, greaterIsBetter, severity, minSliceSize, CheckMode.POINT, Double.NaN);
    }

    /** How the bound reads in a report: {@code >= 0.85}, {@code <= 0.4}, {@code change >= -0.01}. */
    public String describe() {
        String b = io.modelgate.common.Numbers.format(bound);
        return switch (kind) {
            case VALUE -> (greaterIsBetter ? ">= " : "<= ") + b;
            case ABSOLUTE_CHANGE -> "improvement >= " + b;
            case RELATIVE_CHANGE -> "relative improvement >= " + b;
        };
    }

    /** The one-sided level of a significance check: half of what the two-sided interval leaves out. */
    public double level() {
        return Math.rint((1 - confidence) / 2 * 1e12) / 1e12; // 0.025, not 0.025000000000000022
    }
}
