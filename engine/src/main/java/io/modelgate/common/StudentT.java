package io.modelgate.common;

import org.apache.commons.numbers.gamma.RegularizedBeta;

/** Student's t distribution: the tail of a statistic whose standard error was itself estimated. */
public final class StudentT {
    private StudentT() {
    }

    /**
     * {@code P(T <= t)} with {@code df} degrees of freedom; the normal's where {@code df} is infinite,
     * NaN or below 1 (no estimate of it: the statistic is read as normal, as before degrees of freedom
     * were known).
     */
    public static double cdf(double t, double df) {
        if (!(df >= 1) || Double.isInfinite(df) || Double.isInfinite(t)) {
            return Normal.cdf(t);
        }
        double tail = 0.5 * RegularizedBeta.value(df / (df + t * t), df / 2, 0.5);
        return t < 0 ? tail : 1 - tail;
    }
}
