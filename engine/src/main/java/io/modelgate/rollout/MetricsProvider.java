package io.modelgate.rollout;

/**
 * Where a canary analysis reads what the stable version and the canary did.
 *
 * <p>Implementations: {@link EmbeddedRouter} (counters of the in-process splitter) and, at scale,
 * the Prometheus HTTP API.
 */
public interface MetricsProvider {

    /**
     * What happened so far: counts per target cumulative since start (or since {@link #reset()}),
     * the latencies of the requests answered since the previous call (that window is then cleared),
     * and further named metrics.
     *
     * @throws RolloutException EXTERNAL (one-line message) when the source cannot be reached
     */
    Observations observe();

    /**
     * Starts counting from zero: cumulative counts and the latency window are cleared.
     *
     * @throws RolloutException EXTERNAL when the source cannot be reached
     */
    void reset();
}
