package io.modelgate.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * The time a rollout runs on: the wall clock, or a simulation's, which moves on at once instead of
 * waiting, so that thousands of whole rollouts (every step, bake and analysis) can be run to measure
 * how often a plan is wrong ({@code bench canary-stats}).
 */
public interface RolloutClock {
    Instant now();

    /** Waits {@code d}; a simulated clock moves forward by it. */
    void sleep(Duration d) throws InterruptedException;

    /** The wall clock. */
    RolloutClock SYSTEM = new RolloutClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(Math.max(0, d.toMillis()));
        }
    };
}
