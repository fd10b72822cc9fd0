package io.modelgate.rollout;

import java.util.Map;

/**
 * What a judge sees at one analysis: the two targets side by side.
 *
 * @param stable          cumulative counts of the stable version
 * @param canary          cumulative counts of the canary
 * @param stableLatencyMs latencies (milliseconds) of the stable version's requests in the last interval
 * @param canaryLatencyMs latencies of the canary's requests in the last interval
 * @param metrics         further named metrics (from Prometheus queries or the router), stable and
 *                        canary values; NaN where a query returned nothing
 */
public record Observations(Counts stable, Counts canary, double[] stableLatencyMs, double[] canaryLatencyMs,
                           Map<String, Pair> metrics) {
    public Observations {
        stableLatencyMs = stableLatencyMs.clone();
        canaryLatencyMs = canaryLatencyMs.clone();
        metrics = Map.copyOf(metrics);
    }

    /** One metric for both targets. */
    public record Pair(double stable, double canary) {
    }
}
