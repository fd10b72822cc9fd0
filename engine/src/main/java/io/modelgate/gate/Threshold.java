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
 * @param minSliceSize    slices with fewer examples are skipped; 0 checks every slice
 */
public record Threshold(String metric, String slices, CheckKind kind, double bound, boolean greaterIsBetter,
                        Severity severity, long minSliceSize) {

    /** How the bound reads in a report: {@code >= 0.85}, {@code <= 0.4}, {@code change >= -0.01}. */
    public String describe() {
        String b = io.modelgate.common.Numbers.format(bound);
        return switch (kind) {
            case VALUE -> (greaterIsBetter ? ">= " : "<= ") + b;
            case ABSOLUTE_CHANGE -> "improvement >= " + b;
            case RELATIVE_CHANGE -> "relative improvement >= " + b;
        };
    }
}
