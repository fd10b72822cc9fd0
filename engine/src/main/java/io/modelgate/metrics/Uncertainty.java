package io.modelgate.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sampling uncertainty of the metrics {@link MetricsCalculator} computes, per scope. See
 * {@code docs/statistics.md}.
 */
// Estimates are tables indexed [metric ordinal][scope], as MetricsCalculator's values (dense, one pass);
// the tables never leave the metrics package, so reordering Metric cannot misread them.
@SuppressWarnings("EnumOrdinal")
public final class Uncertainty {
    private Uncertainty() {
    }

    /**
     * An {@link Estimate} for every metric of the task in every scope ({@code example_count} has
     * none: it is not estimated, and every estimate carries its {@code n}).
     */
    public static Uncertainties estimate(Predictions p, double threshold, double confidence, long seed) {
        checkArguments(threshold, confidence);
        ScopeLayout layout = new ScopeLayout(p.slices());
        Estimate[][] e = p.task() == Task.CLASSIFICATION
                ? new ClassificationEstimates(p, layout, threshold, EstimateOptions.defaults(confidence, seed)).run()
                : new RegressionEstimates(p, layout, EstimateOptions.defaults(confidence, seed)).run();
        return shape(p.task(), layout, e);
    }

    /**
     * Candidate minus baseline for every metric in every scope, on the same rows: row {@code i} of
     * both is the same example, with the same label; the scopes are the candidate's slices. Because
     * both models are judged on the same examples, the differences' standard errors are those of
     * per-row differences (ROC AUC: paired DeLong; accuracy: the discordant pairs, as McNemar's test;
     * the rest: the same bootstrap weights for both models, or above 20,000
     * rows the delta method on the difference of the two models' influences), typically far smaller
     * than two separate estimates combined.
     *
     * @throws MetricsException when the two are not predictions for the same rows
     */
    public static Uncertainties pairedDifference(Predictions candidate, Predictions baseline, double threshold,
                                                 double confidence, long seed) {
        checkArguments(threshold, confidence);
        if (candidate.task() != baseline.task()) {
            throw new MetricsException("candidate and baseline predictions are for different tasks ("
                    + candidate.task().name().toLowerCase(java.util.Locale.ROOT) + " and "
                    + baseline.task().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (candidate.size() != baseline.size()) {
            throw new MetricsException("a paired comparison needs predictions for the same rows, but the candidate has "
                    + candidate.size() + " rows and the baseline " + baseline.size());
        }
        double[] a = candidate.labels();
        double[] b = baseline.labels();
        for (int i = 0; i < a.length; i++) {
            if (Double.compare(a[i], b[i]) != 0) {
                throw new MetricsException("a paired comparison needs predictions for the same rows in the same order, "
                        + "but the label of row " + (i + 1) + " differs (candidate " + a[i] + ", baseline " + b[i] + ")");
            }
        }
        ScopeLayout layout = new ScopeLayout(candidate.slices());
        Predictions sliced = new Predictions(baseline.task(), baseline.labels(), baseline.scores(), candidate.slices());
        MetricSet valuesA = MetricsCalculator.compute(candidate, threshold);
        MetricSet valuesB = MetricsCalculator.compute(sliced, threshold);
        double[][] values = new double[layout.count][Metric.values().length];
        for (int s = 0; s < layout.count; s++) {
            Map<String, Double> va = valuesA.scope(layout.name(s)).orElseThrow();
            Map<String, Double> vb = valuesB.scope(layout.name(s)).orElseThrow();
            for (Metric m : Metric.values()) {
                if (va.containsKey(m.id())) {
                    values[s][m.ordinal()] = va.get(m.id()) - vb.get(m.id());
                }
            }
        }
        Estimate[][] e = new PairedEstimates(candidate, sliced, layout, threshold,
                EstimateOptions.defaults(confidence, seed), values).run();
        return shape(candidate.task(), layout, e);
    }

    private static void checkArguments(double threshold, double confidence) {
        if (Double.isNaN(threshold)) {
            throw new MetricsException("decision threshold is not a number; set it with --threshold");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new MetricsException("confidence must be between 0 and 1 (exclusive), got " + confidence);
        }
    }

    private static Uncertainties shape(Task task, ScopeLayout layout, Estimate[][] e) {
        List<Metric> metrics = java.util.Arrays.stream(Metric.values())
                .filter(m -> m.appliesTo(task) && m != Metric.EXAMPLE_COUNT).toList();
        Map<String, Map<String, Estimate>> scopes = new LinkedHashMap<>();
        for (int s = 0; s < layout.count; s++) {
            Map<String, Estimate> m = new LinkedHashMap<>();
            for (Metric metric : metrics) {
                m.put(metric.id(), e[metric.ordinal()][s]);
            }
            scopes.put(layout.name(s), m);
        }
        return new Uncertainties(scopes);
    }
}
