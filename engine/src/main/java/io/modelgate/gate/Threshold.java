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
    /**
     * Where the policy gives no minimum: slices smaller than this are skipped, with a line, where the
     * metrics say how many examples a slice has. Below about 30 rows the normal approximations the
     * intervals rest on are poor, and a slice that small says little about a model anyway.
     */
    public static final long DEFAULT_MIN_SLICE_SIZE = -1;
    /** The size {@link #DEFAULT_MIN_SLICE_SIZE} stands for. */
    public static final long DEFAULT_MIN_SLICE_ROWS = 30;
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
        return (1 - confidence) / 2;
    }
}
