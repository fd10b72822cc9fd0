package io.modelgate.rollout;

/**
 * Picks the target of each request by smooth weighted round robin (the algorithm of nginx).
 *
 * <p>Deterministic and exact: with 90/10 every run of 10 consecutive picks holds exactly 9 stable
 * and 1 canary, spread evenly (the canary is not picked in bursts), so small samples already match
 * the weights and tests need no tolerance for randomness. A target with weight 0 is never picked.
 * Changing the weights replaces the whole state under the same lock as {@link #pick()}, so every pick
 * after {@link #set(Weights)} returns follows the new weights. Thread-safe.
 */
final class EmbeddedSplitter {
    private Weights weights;
    private int currentStable;
    private int currentCanary;

    EmbeddedSplitter(Weights initial) {
        this.weights = initial;
    }

    synchronized void set(Weights next) {
        weights = next;
        currentStable = 0;
        currentCanary = 0;
    }

    synchronized Weights weights() {
        return weights;
    }

    synchronized EmbeddedTarget pick() {
        currentStable += weights.stable();
        currentCanary += weights.canary();
        // weights add up to 100; ties go to the stable version
        if (currentStable >= currentCanary) {
            currentStable -= 100;
            return EmbeddedTarget.STABLE;
        }
        currentCanary -= 100;
        return EmbeddedTarget.CANARY;
    }
}
