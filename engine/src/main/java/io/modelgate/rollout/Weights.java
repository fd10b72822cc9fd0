package io.modelgate.rollout;

/**
 * How live traffic is split between the stable version and the canary, in percent.
 *
 * @param stable percent of new requests sent to the stable version, 0..100
 * @param canary percent sent to the canary, 0..100; {@code stable + canary == 100}
 */
public record Weights(int stable, int canary) {
    public Weights {
        if (stable < 0 || canary < 0 || stable + canary != 100) {
            throw new RolloutException("weights must be between 0 and 100 and add up to 100, got stable "
                    + stable + " / canary " + canary);
        }
    }

    /** All traffic on the stable version. */
    public static final Weights ALL_STABLE = new Weights(100, 0);

    /** {@code canaryPercent} on the canary, the rest on the stable version. */
    public static Weights canary(int canaryPercent) {
        return new Weights(100 - canaryPercent, canaryPercent);
    }

    @Override
    public String toString() {
        return stable + "/" + canary;
    }
}
