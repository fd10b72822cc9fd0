package io.modelgate.metrics;

import io.modelgate.common.Normal;
import org.apache.commons.numbers.gamma.LogBeta;
import org.apache.commons.numbers.gamma.RegularizedBeta;

import java.util.Arrays;

/**
 * Quantiles and the interval constructions {@link Uncertainty} uses; each builds an {@link Estimate}.
 * See {@code docs/statistics.md} for the formulas.
 */
final class Intervals {
    private Intervals() {
    }

    /**
     * The two-sided Student t critical value for a confidence with {@code df} degrees of freedom;
     * NaN when {@code df < 1}. Beyond 100,000 degrees of freedom the Cornish-Fisher expansion alone
     * (its error is below 1e-15 there); otherwise refined by Newton steps on the exact distribution
     * function, from the regularized incomplete beta function.
     */
    static double t(double confidence, double df) {
        if (!(df >= 1)) {
            return Double.NaN;
        }
        double p = 1 - (1 - confidence) / 2;
        if (df == 1) {
            return Math.tan(Math.PI * (p - 0.5));
        }
        if (df == 2) {
            return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        }
        double x = Normal.quantile(p);
        // Abramowitz and Stegun 26.7.5
        double x2 = x * x;
        double g1 = (x2 + 1) * x / 4;
        double g2 = ((5 * x2 + 16) * x2 + 3) * x / 96;
        double g3 = (((3 * x2 + 19) * x2 + 17) * x2 - 15) * x / 384;
        double g4 = ((((79 * x2 + 776) * x2 + 1482) * x2 - 1920) * x2 - 945) * x / 92160;
        double t = x + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
        if (df > 100_000) {
            return t;
        }
        double tail = 1 - p;
        double logNorm = 0.5 * Math.log(df) + LogBeta.value(df / 2, 0.5);
        for (int k = 0; k < 8; k++) {
            double upper = 0.5 * RegularizedBeta.value(df / (df + t * t), df / 2, 0.5);
            double density = Math.exp(-(df + 1) / 2 * Math.log1p(t * t / df) - logNorm);
            double step = (upper - tail) / density;
            t += step;
            if (Math.abs(step) < 1e-14 * t) {
                break;
            }
        }
        return t;
    }

    /**
     * Wilson's score interval for {@code k} successes in {@code n} trials, with {@code se = sqrt(p(1-p)/n)};
     * NaN se and interval when {@code n == 0}. {@code value} is what the estimate reports (the calculator's value).
     */
    static Estimate wilson(double value, long k, long n, double z) {
        if (n == 0) {
            return undefined(value, 0, "wilson");
        }
        double p = (double) k / n;
        double z2n = z * z / n;
        double denominator = 1 + z2n;
        double center = (p + z2n / 2) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2n / (4.0 * n)) / denominator;
        return new Estimate(value, n, Math.sqrt(p * (1 - p) / n), Math.max(0, center - half), Math.min(1, center + half), "wilson");
    }

    /** {@code value +- q * se}, clipped to {@code [low, high]}; NaN interval when se is NaN. */
    static Estimate symmetric(double value, long n, double se, double q, double low, double high, String method) {
        if (Double.isNaN(se) || Double.isNaN(value)) {
            return undefined(value, n, method);
        }
        return new Estimate(value, n, se, clip(value - q * se, low, high), clip(value + q * se, low, high), method);
    }

    /**
     * An interval for a value in [0, 1] built on the logit scale, {@code logit(v) +- z * se / (v (1 - v))},
     * and mapped back: it stays inside (0, 1) and is asymmetric near the ends. A value of exactly
     * 0 or 1 with {@code se == 0} (perfect separation) gives the point interval.
     */
    static Estimate logit(double value, long n, double se, double z, String method) {
        if (Double.isNaN(se) || Double.isNaN(value)) {
            return undefined(value, n, method);
        }
        if (value <= 0 || value >= 1) {
            return symmetric(value, n, se, z, 0, 1, method);
        }
        double center = Math.log(value / (1 - value));
        double half = z * se / (value * (1 - value));
        return new Estimate(value, n, se, 1 / (1 + Math.exp(-(center - half))), 1 / (1 + Math.exp(-(center + half))), method);
    }

    /**
     * A percentile bootstrap estimate from the replicates {@code reps[0, count)} (NaN ones, where
     * the metric was undefined in a replicate, are dropped): se is their standard deviation, the
     * interval their {@code (1 - confidence) / 2} and {@code (1 + confidence) / 2} quantiles
     * (linear interpolation between order statistics). Undefined when fewer than half the replicates
     * are finite. Sorts {@code reps}.
     */
    static Estimate percentile(double value, long n, double[] reps, int count, double confidence, String method) {
        int m = 0;
        for (int r = 0; r < count; r++) {
            if (!Double.isNaN(reps[r])) {
                reps[m++] = reps[r];
            }
        }
        if (Double.isNaN(value) || m < 2 || 2 * m < count) {
            return undefined(value, n, method);
        }
        Arrays.sort(reps, 0, m);
        double mean = 0;
        for (int r = 0; r < m; r++) {
            mean += reps[r];
        }
        mean /= m;
        double ss = 0;
        for (int r = 0; r < m; r++) {
            double d = reps[r] - mean;
            ss += d * d;
        }
        double alpha = (1 - confidence) / 2;
        return new Estimate(value, n, Math.sqrt(ss / (m - 1)), quantile(reps, m, alpha), quantile(reps, m, 1 - alpha), method);
    }

    /** The {@code q} quantile of the sorted {@code a[0, m)}, interpolating linearly (R's type 7). */
    static double quantile(double[] a, int m, double q) {
        double h = (m - 1) * q;
        int lo = (int) Math.floor(h);
        if (lo >= m - 1) {
            return a[m - 1];
        }
        return a[lo] + (h - lo) * (a[lo + 1] - a[lo]);
    }

    static Estimate undefined(double value, long n, String method) {
        return new Estimate(value, n, Double.NaN, Double.NaN, Double.NaN, method);
    }

    private static double clip(double x, double low, double high) {
        return x < low ? low : (x > high ? high : x);
    }
}
