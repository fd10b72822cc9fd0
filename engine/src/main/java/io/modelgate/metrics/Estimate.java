package io.modelgate.metrics;

import java.util.Objects;

/**
 * A metric's value on some rows with its sampling uncertainty: how much the value would move if
 * the rows were drawn again from the same population.
 *
 * <p>{@code ciLow} and {@code ciHigh} bound the interval at the confidence it was computed for;
 * {@code se} is the standard error, the figure to combine estimates with (a change between two
 * independent samples has {@code sqrt(se1^2 + se2^2)}). {@code se} and the interval are NaN when
 * undefined (ROC AUC of rows with one class; precision when nothing is predicted positive), and so
 * is {@code value} exactly where {@link MetricsCalculator} gives NaN. See {@code docs/statistics.md}.
 *
 * @param value  the metric on the rows (for a paired difference: candidate minus baseline)
 * @param n      how many observations the estimate rests on: the rows in the scope, except
 *               precision (rows predicted positive) and recall (positive rows)
 * @param se     the standard error of {@code value}
 * @param ciLow  lower end of the interval
 * @param ciHigh upper end of the interval
 * @param method how it was computed: {@code delong}, {@code wilson}, {@code delta}, {@code bootstrap},
 *               {@code logit}, {@code paired-delong}, {@code mcnemar}, {@code paired-delta} or
 *               {@code paired-bootstrap}
 * @param df     the degrees of freedom of {@code se} as an estimate: a test reads its statistic
 *               against Student's t with these, not the normal, because with a few dozen rows the
 *               standard error is itself uncertain, and a family of thousands of slice checks tests
 *               far in the tail where that matters. {@code n - 1} unless the method knows better
 *               (DeLong: Welch-Satterthwaite over its two components); 0 in a record that predates it
 */
public record Estimate(double value, long n, double se, double ciLow, double ciHigh, String method, double df) {
    public Estimate {
        Objects.requireNonNull(method, "method");
    }

    public Estimate(double value, long n, double se, double ciLow, double ciHigh, String method) {
        this(value, n, se, ciLow, ciHigh, method, n > 1 ? n - 1 : Double.NaN);
    }

    /** This estimate with other degrees of freedom. */
    public Estimate withDf(double degrees) {
        return new Estimate(value, n, se, ciLow, ciHigh, method, degrees);
    }

    /**
     * Welch-Satterthwaite's degrees of freedom of a sum of variances {@code a + b} estimated with
     * {@code dfA} and {@code dfB} degrees of freedom.
     */
    public static double welch(double a, double dfA, double b, double dfB) {
        double d = a * a / dfA + b * b / dfB;
        return d > 0 ? (a + b) * (a + b) / d : Math.min(dfA, dfB);
    }
}
