package io.modelgate.metrics;

/** Computes metrics from predictions, overall and per slice. */
public final class MetricsCalculator {
    private MetricsCalculator() {
    }

    public static MetricSet compute(Predictions predictions, double decisionThreshold) {
        throw new UnsupportedOperationException("being written");
    }
}
