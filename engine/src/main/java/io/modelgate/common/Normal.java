package io.modelgate.common;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.InverseErfc;

/** The standard normal distribution, accurate in both tails (through erfc, not 1 - erf). */
public final class Normal {
    private static final double SQRT2 = Math.sqrt(2);

    private Normal() {
    }

    /** {@code Phi(x)}, the probability that a standard normal variable is at most {@code x}. */
    public static double cdf(double x) {
        return 0.5 * Erfc.value(-x / SQRT2);
    }

    /** {@code Phi^-1(p)}. */
    public static double quantile(double p) {
        return -SQRT2 * InverseErfc.value(2 * p);
    }

    /** The two-sided critical value for a confidence: 1.959963984540054 for 0.95. */
    public static double z(double confidence) {
        return quantile(1 - (1 - confidence) / 2);
    }
}
