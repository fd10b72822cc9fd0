package io.modelgate.drift;

import java.util.Map;

/**
 * How drift is judged; the defaults are Evidently's.
 *
 * @param source             where it came from ({@code defaults} or a file), for messages
 * @param driftShare         the data set has drifted when this share of its columns has (0.5)
 * @param smallReference     up to this many reference values a column gets a test (KS, chi-square),
 *                           above it a distance (Wasserstein, Jensen-Shannon) (1,000)
 * @param method             the method for every column unless the column says otherwise (AUTO)
 * @param psiWarn            PSI at or above this, and below {@code psiFail}: WARN (0.1)
 * @param psiFail            PSI at or above this: drift (0.25)
 * @param predictionColumn   the model's score column, reported as prediction drift ({@code score})
 * @param labelColumn        the label column; when both windows have it and the score, the gate's
 *                           metrics are computed on each ({@code label})
 * @param predictionDriftFails whether prediction drift alone fails the check (false: it warns)
 * @param classification     labels are 0/1 (true) or a regression target
 * @param columns            per-column settings, by column name
 */
public record DriftPolicy(String source, double driftShare, int smallReference, Method method, double psiWarn,
                          double psiFail, String predictionColumn, String labelColumn, boolean predictionDriftFails,
                          boolean classification, Map<String, ColumnPolicy> columns) {
    public DriftPolicy {
        columns = Map.copyOf(columns);
    }

    public static DriftPolicy defaults() {
        return new DriftPolicy("defaults", 0.5, 1000, Method.AUTO, 0.1, 0.25, "score", "label", false, true, Map.of());
    }

    public ColumnPolicy column(String name) {
        return columns.getOrDefault(name, ColumnPolicy.DEFAULT);
    }
}
