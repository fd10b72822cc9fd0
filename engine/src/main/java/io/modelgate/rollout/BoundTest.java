package io.modelgate.rollout;

import org.apache.commons.numbers.gamma.RegularizedBeta;

/**
 * A rate against a fixed bound at every look, with a false alarm rate that holds under repeated
 * looks: look {@code k} may spend {@code alpha * 6 / (pi^2 k^2)} of it (the shares sum to
 * {@code alpha}), and at a look the bound is broken when the binomial tail of what was seen is within
 * that share. Used by {@link ThresholdJudge} for a plan's guards.
 */
final class BoundTest {
    private static final double SIX_OVER_PI_SQUARED = 6 / (Math.PI * Math.PI);

    private BoundTest() {
    }

    /** Look {@code k}'s (1-based) share of {@code alpha}. */
    static double share(double alpha, int look) {
        return alpha * SIX_OVER_PI_SQUARED / ((double) look * look);
    }

    /** {@code P(Bin(n, q) >= x)}: how often {@code x} or more of {@code n} would pass a bound that lets {@code q} pass. */
    static double upperTail(long x, long n, double q) {
        if (x <= 0) {
            return 1;
        }
        if (x > n || q <= 0) {
            return 0;
        }
        if (q >= 1) {
            return 1;
        }
        // P(X >= x) = I_q(x, n - x + 1)
        return RegularizedBeta.value(q, (double) x, (double) (n - x + 1));
    }
}
