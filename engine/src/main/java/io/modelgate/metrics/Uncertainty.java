package io.modelgate.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sampling uncertainty of the metrics {@link MetricsCalculator} computes, per scope. See
 * {@code docs/statistics.md}. Paired differences ({@code pairedDifference}) are not written yet.
 */
public final class Uncertainty {
    private Uncertainty() {
    }

    /**
     * An {@link Estimate} for every metric of the task in every scope ({@code example_count} has
     * none: it is not estimated, and every estimate carries its {@code n}).
     */
    public static Uncertainties estimate(Predictions p, double threshold, double confidence, long seed) {
        if (Double.isNaN(threshold)) {
            throw new MetricsException("decision threshold is not a number; set it with --threshold");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new MetricsException("confidence must be between 0 and 1 (exclusive), got " + confidence);
        }
        ScopeLayout layout = new ScopeLayout(p.slices());
        Estimate[][] e = p.task() == Task.CLASSIFICATION
                ? new ClassificationEstimates(p, layout, threshold, confidence, seed,
                        PoissonBootstrap.MAX_ROWS, PoissonBootstrap.REPLICATES).run()
                : new RegressionEstimates(p, layout, confidence, seed,
                        PoissonBootstrap.MAX_ROWS, PoissonBootstrap.REPLICATES).run();
        List<Metric> metrics = java.util.Arrays.stream(Metric.values())
                .filter(m -> m.appliesTo(p.task()) && m != Metric.EXAMPLE_COUNT).toList();
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

    /** TEMPORARY until the paired estimators are merged from stats-tests. */
    public static Uncertainties pairedDifference(Predictions candidate, Predictions baseline, double threshold,
                                                 double confidence, long seed) {
        throw new UnsupportedOperationException("paired estimates are not merged yet");
    }
}
