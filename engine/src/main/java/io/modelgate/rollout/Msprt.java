package io.modelgate.rollout;


/**
 * The mixture sequential probability ratio test (mSPRT) for a difference of two proportions, in the
 * normal approximation of Johari, Koomen, Pekelis and Walsh, "Always Valid Inference: Continuous
 * Monitoring of A/B Tests" (Operations Research, 2022), section 4.
 *
 * <p>With the observed difference {@code d = p_canary - p_stable}, its variance {@code v} and a normal
 * mixing distribution {@code N(0, tau2)} over the true difference, the mixture likelihood ratio of
 * "difference theta" against "no difference" is
 * <pre>
 *   L = sqrt(v / (v + tau2)) * exp(tau2 * d^2 / (2 v (v + tau2)))
 * </pre>
 * Under "no difference" it is a nonnegative martingale with mean 1, so by Ville's inequality the chance
 * that it <em>ever</em> reaches {@code 1/alpha}, however often it is looked at, is at most alpha.
 *
 * <p>Pure functions; no state.
 */
public final class Msprt {
    private Msprt() {
    }

    /**
     * The two-sided mixture likelihood ratio above; {@code +Infinity} when it overflows, NaN for a
     * variance that is not positive or any NaN input.
     *
     * @param d    observed difference
     * @param v    variance of the observed difference
     * @param tau2 variance of the normal mixing distribution (the size of differences expected)
     */
    public static double likelihoodRatio(double d, double v, double tau2) {
        return Math.exp(logLikelihoodRatio(d, v, tau2));
    }

    /** The natural logarithm of {@link #likelihoodRatio}. */
    public static double logLikelihoodRatio(double d, double v, double tau2) {
        if (!(v > 0) || !(tau2 > 0) || Double.isNaN(d)) {
            return Double.NaN;
        }
        return 0.5 * Math.log(v / (v + tau2)) + tau2 * d * d / (2 * v * (v + tau2));
    }

    /**
     * The one-sided ("harm") mixture likelihood ratio: the same normal mixture restricted to positive
     * differences (a half-normal mixing distribution with scale {@code sqrt(tau2)}), which works out to
     * <pre>
     *   L+ = 2 * Phi(d * tau / sqrt(v (v + tau2))) * L
     * </pre>
     * Every component is a likelihood ratio of a positive difference against zero, so {@code L+} is a
     * nonnegative supermartingale under any difference {@code <= 0}: the chance that it ever reaches
     * {@code 1/alpha} is at most alpha for the composite null "the canary is not worse". It is about
     * twice {@code L} when {@code d} is clearly positive and tends to 0 when {@code d} is negative.
     */
    public static double harmLikelihoodRatio(double d, double v, double tau2) {
        return Math.exp(logHarmLikelihoodRatio(d, v, tau2));
    }

    /** The natural logarithm of {@link #harmLikelihoodRatio}. */
    public static double logHarmLikelihoodRatio(double d, double v, double tau2) {
        double log = logLikelihoodRatio(d, v, tau2);
        if (Double.isNaN(log)) {
            return Double.NaN;
        }
        double z = d * Math.sqrt(tau2) / Math.sqrt(v * (v + tau2));
        return log + Math.log(2 * io.modelgate.common.Normal.cdf(z));
    }
}
