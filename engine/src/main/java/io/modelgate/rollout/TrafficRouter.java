package io.modelgate.rollout;

/**
 * Splits live traffic between the stable version and the canary.
 *
 * <p>Implementations: {@link EmbeddedRouter} (an in-process HTTP splitter for demos and tests) and,
 * at scale, an existing proxy such as HAProxy through its runtime API.
 */
public interface TrafficRouter extends AutoCloseable {

    /**
     * Sends {@code stablePercent} of new requests to the stable version and {@code canaryPercent} to
     * the canary, atomically and effective for every request routed after this call returns.
     *
     * @throws RolloutException BAD_INPUT when the weights are not 0..100 or do not add up to 100;
     *                          EXTERNAL (one-line message) when the router cannot be reached
     */
    void setWeights(int stablePercent, int canaryPercent);

    /** Same as {@link #setWeights(int, int)}. */
    default void setWeights(Weights weights) {
        setWeights(weights.stable(), weights.canary());
    }

    /**
     * The weights in effect now.
     *
     * @throws RolloutException EXTERNAL when the router cannot be reached
     */
    Weights weights();

    /** One line for logs and reports, e.g. {@code embedded router on 127.0.0.1:8080}. */
    String describe();

    /** Releases connections, servers and threads; never throws a checked exception. */
    @Override
    void close();
}
