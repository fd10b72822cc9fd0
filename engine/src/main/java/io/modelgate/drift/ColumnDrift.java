package io.modelgate.drift;

import java.util.List;

/**
 * The drift of one column: which method judged it, on what, and why.
 *
 * @param column           the column's name
 * @param role             feature, the model's prediction, or the label
 * @param type             numeric or categorical, as compared
 * @param method           the method used (never AUTO)
 * @param statistic        the method's statistic: D for KS, chi-square for chi-square, else the distance or PSI
 * @param pValue           the p-value of KS and chi-square; NaN for distances
 * @param threshold        the threshold the score was compared with (for PSI the fail band's edge)
 * @param referenceSize    values compared from the reference (missing values left out)
 * @param currentSize      values compared from the current window
 * @param referenceMissing missing values in the reference
 * @param currentMissing   missing values in the current window
 * @param outcome          NO_DRIFT, WARN, DRIFT or NOT_ENOUGH_DATA
 * @param message          one sentence naming method, statistic, threshold and sample sizes
 * @param histogram        both windows' shares per bin, for the report's chart
 */
public record ColumnDrift(String column, Role role, ColumnType type, Method method, double statistic, double pValue,
                          double threshold, long referenceSize, long currentSize, long referenceMissing,
                          long currentMissing, Outcome outcome, String message, Histogram histogram) {

    /** What the column is to the model. */
    public enum Role {
        FEATURE, PREDICTION, LABEL;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the column came out. */
    public enum Outcome {
        NO_DRIFT, WARN, DRIFT, NOT_ENOUGH_DATA
    }

    /**
     * Shares per bin of both windows.
     *
     * @param labels    each bin, for people: {@code [0.5, 1)} or a category
     * @param reference the reference's share per bin
     * @param current   the current window's share per bin
     */
    public record Histogram(List<String> labels, double[] reference, double[] current) {
        public Histogram {
            labels = List.copyOf(labels);
        }

        public static Histogram empty() {
            return new Histogram(List.of(), new double[0], new double[0]);
        }
    }

    /** The number compared with the threshold: the p-value for tests, the statistic for distances and PSI. */
    public double score() {
        return method.isPValue() ? pValue : statistic;
    }

    public boolean drifted() {
        return outcome == Outcome.DRIFT;
    }
}
