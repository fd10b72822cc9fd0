package io.modelgate.rollout;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A uniform sample of at most {@code capacity} latencies of one interval (reservoir sampling,
 * algorithm R): every latency recorded in the interval has the same chance to be kept, so memory
 * stays bounded under any load. Not thread-safe; the router guards it.
 */
final class EmbeddedLatencyReservoir {
    private final double[] samples;
    private final SplittableRandom random;
    private long seen;

    EmbeddedLatencyReservoir(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.samples = new double[capacity];
        this.random = new SplittableRandom(seed);
    }

    void record(double latencyMs) {
        if (seen < samples.length) {
            samples[(int) seen] = latencyMs;
        } else {
            long slot = random.nextLong(seen + 1);
            if (slot < samples.length) {
                samples[(int) slot] = latencyMs;
            }
        }
        seen++;
    }

    /** Latencies recorded in this interval (the sample when there were more than the capacity). */
    double[] snapshot() {
        return Arrays.copyOf(samples, (int) Math.min(seen, samples.length));
    }

    /** How many latencies were recorded in this interval, sampled or not. */
    long seen() {
        return seen;
    }

    void clear() {
        seen = 0;
    }
}
