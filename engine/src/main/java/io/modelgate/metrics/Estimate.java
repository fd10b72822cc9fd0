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
 */
public record Estimate(double value, long n, double se, double ciLow, double ciHigh, String method) {
    public Estimate {
        Objects.requireNonNull(method, "method");
    }
}
