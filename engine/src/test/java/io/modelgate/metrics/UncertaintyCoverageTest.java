package io.modelgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.numbers.gamma.Erfc;
import org.junit.jupiter.api.Test;

/**
 * Do the 95% intervals hold the population's value 95% of the time? Many datasets are drawn from
 * populations whose metrics are known in closed form (or by a one-dimensional integral), and the
 * share of intervals that contain the true value is counted per metric and method.
 *
 * <p>The tolerance: with {@value #DATASETS} independent datasets, the counted coverage of a method
 * whose true coverage is exactly 95% is Binomial({@value #DATASETS}, 0.95) / {@value #DATASETS},
 * with standard deviation {@code sqrt(0.95 * 0.05 / 3000) = 0.40} percentage points. Requiring at
 * least 94% sits 2.5 standard deviations below 95%: a well calibrated method fails with probability
 * about 0.6% (the seed is fixed, so a run either passes or not, for good), while a method that truly
 * covers 92.5% passes with probability below 1e-4. Intervals that always cover would pass too,
 * so coverage is also held below 99%.
 */
class UncertaintyCoverageTest {
    private static final int DATASETS = 3000;
    private static final double MINIMUM = 0.94;
    private static final double MAXIMUM = 0.99;

    /** The standard normal distribution function. */
    private static double phi(double x) {
        return 0.5 * Erfc.value(-x / Math.sqrt(2));
    }

    /** {@code 1 - phi(x)}, without the cancellation in the upper tail. */
    private static double upper(double x) {
        return 0.5 * Erfc.value(x / Math.sqrt(2));
    }

    private static double density(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    /** {@code integral of f(x) phi(x - mu) dx} by Simpson's rule on mu +- 12 (the tails beyond weigh below 1e-30). */
    private static double expectation(DoubleUnaryOperator f, double mu) {
        int steps = 20_000;
        double a = mu - 12;
        double h = 24.0 / steps;
        double sum = 0;
        for (int k = 0; k <= steps; k++) {
            double x = a + k * h;
            double w = k == 0 || k == steps ? 1 : (k % 2 == 1 ? 4 : 2);
            sum += w * f.applyAsDouble(x) * density(x - mu);
        }
        return sum * h / 3;
    }

    /** Counts, per metric and method, the intervals that hold the true value. */
    private static final class Tally {
        private final Map<String, int[]> counts = new LinkedHashMap<>();

        void add(String name, Estimate e, double truth) {
            int[] c = counts.computeIfAbsent(name + " (" + e.method() + ")", k -> new int[2]);
            if (!Double.isNaN(e.se())) {
                c[1]++;
                if (e.ciLow() <= truth && truth <= e.ciHigh()) {
                    c[0]++;
                }
            }
        }

        /** Asserts the coverage of the metrics whose names satisfy {@code which}; the message lists them all. */
        void assertCoverage(java.util.function.Predicate<String> which) {
            StringBuilder summary = new StringBuilder();
            counts.forEach((k, c) -> summary.append(String.format(java.util.Locale.ROOT, "%n  %-40s %.4f of %d", k,
                    (double) c[0] / c[1], c[1])));
            counts.forEach((k, c) -> {
                if (!which.test(k)) {
                    return;
                }
                assertThat(c[1]).as("%s: datasets with an interval%s", k, summary).isGreaterThan(DATASETS * 9 / 10);
                double coverage = (double) c[0] / c[1];
                assertThat(coverage).as("coverage of %s%s", k, summary).isBetween(MINIMUM, MAXIMUM);
            });
        }
    }

    /**
     * A calibrated binormal classifier: label 1 with probability {@code pi}, a feature x ~ N(d y, 1),
     * and the score the true posterior {@code expit(logit(pi) + d x - d^2 / 2)}. ROC AUC is
     * {@code Phi(d / sqrt(2))}; at threshold 0.5 the classifier predicts 1 when x >= c with
     * {@code c = (d^2 / 2 - logit(pi)) / d}, so TPR = 1 - Phi(c - d) and FPR = 1 - Phi(c).
     */
    @Test
    void classificationIntervalsCoverThePopulationsMetrics() {
        classificationTally().assertCoverage(name -> !name.startsWith(Metric.AVERAGE_PRECISION.id()));
    }

    /**
     * Average precision's interval is the delta method's on the logit scale at every size: on these
     * 300 rows with about 90 positives it covers 94.2%, where the bootstrap's se covered 93.8% and its
     * percentile interval 93.3% (sample AP is biased upwards by about a tenth of its se, and the
     * resamples' duplicated positives push it further).
     */
    @Test
    void averagePrecisionIntervalsCoverThePopulationsValue() {
        classificationTally().assertCoverage(name -> name.startsWith(Metric.AVERAGE_PRECISION.id()));
    }

    private static Tally classificationTally() {
        double pi = 0.3;
        double d = 1.2;
        int n = 300;
        double logitPi = Math.log(pi / (1 - pi));
        DoubleUnaryOperator score = x -> 1 / (1 + Math.exp(-(logitPi + d * x - d * d / 2)));
        double c = (d * d / 2 - logitPi) / d;
        double tpr = 1 - phi(c - d);
        double fpr = 1 - phi(c);
        Map<Metric, Double> truth = new LinkedHashMap<>();
        truth.put(Metric.ROC_AUC, phi(d / Math.sqrt(2)));
        truth.put(Metric.ACCURACY, pi * tpr + (1 - pi) * (1 - fpr));
        truth.put(Metric.PRECISION, pi * tpr / (pi * tpr + (1 - pi) * fpr));
        truth.put(Metric.RECALL, tpr);
        truth.put(Metric.F1, 2 * pi * tpr / (2 * pi * tpr + (1 - pi) * fpr + pi * (1 - tpr)));
        // AP: the mean over positives of the precision at the positive's own score
        truth.put(Metric.AVERAGE_PRECISION, expectation(x -> {
            double tp = pi * upper(x - d);
            return tp / (tp + (1 - pi) * upper(x));
        }, d));
        truth.put(Metric.LOG_LOSS, -pi * expectation(x -> Math.log(score.applyAsDouble(x)), d)
                - (1 - pi) * expectation(x -> Math.log(1 - score.applyAsDouble(x)), 0));
        truth.put(Metric.BRIER_SCORE, pi * expectation(x -> Math.pow(1 - score.applyAsDouble(x), 2), d)
                + (1 - pi) * expectation(x -> Math.pow(score.applyAsDouble(x), 2), 0));

        SplittableRandom random = new SplittableRandom(20240617);
        Tally tally = new Tally();
        for (int k = 0; k < DATASETS; k++) {
            double[] y = new double[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextDouble() < pi ? 1 : 0;
                s[i] = score.applyAsDouble(UncertaintyTestData.gaussian(random) + d * y[i]);
            }
            Predictions p = new Predictions(Task.CLASSIFICATION, y, s, List.of());
            Uncertainties u = Uncertainty.estimate(p, 0.5, 0.95, random.nextLong());
            truth.forEach((m, t) -> tally.add(m.id(), u.get(Slices.OVERALL, m.id()).orElseThrow(), t));
            // the delta methods that scopes above the bootstrap's limit get, here on small scopes
            Estimate[][] delta = new ClassificationEstimates(p, new ScopeLayout(List.of()), 0.5, new EstimateOptions(0.95, 1, 0, 0)).run();
            for (Metric m : List.of(Metric.F1, Metric.AVERAGE_PRECISION)) {
                tally.add(m.id(), delta[m.ordinal()][0], truth.get(m));
            }
        }
        return tally;
    }

    /**
     * A regression with a known error distribution: x ~ N(0, 1), label {@code 3 x + e} with
     * e ~ N(0, sigma^2), prediction {@code 3 x}. RMSE is sigma, MAE {@code sigma sqrt(2 / pi)},
     * R^2 {@code 1 - sigma^2 / (9 + sigma^2)}.
     */
    @Test
    void regressionIntervalsCoverThePopulationsMetrics() {
        double sigma = 1.5;
        int n = 300;
        Map<Metric, Double> truth = Map.of(Metric.RMSE, sigma, Metric.MAE, sigma * Math.sqrt(2 / Math.PI),
                Metric.R2, 1 - sigma * sigma / (9 + sigma * sigma));
        SplittableRandom random = new SplittableRandom(1805);
        Tally tally = new Tally();
        for (int k = 0; k < DATASETS; k++) {
            double[] y = new double[n];
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = 3 * UncertaintyTestData.gaussian(random);
                y[i] = s[i] + sigma * UncertaintyTestData.gaussian(random);
            }
            Predictions p = new Predictions(Task.REGRESSION, y, s, List.of());
            Uncertainties u = Uncertainty.estimate(p, 0.5, 0.95, random.nextLong());
            for (Metric m : List.of(Metric.RMSE, Metric.MAE, Metric.R2)) {
                tally.add(m.id(), u.get(Slices.OVERALL, m.id()).orElseThrow(), truth.get(m));
            }
            Estimate[][] delta = new RegressionEstimates(p, new ScopeLayout(List.of()), new EstimateOptions(0.95, 1, 0, 0)).run();
            tally.add(Metric.R2.id(), delta[Metric.R2.ordinal()][0], truth.get(Metric.R2));
        }
        tally.assertCoverage(name -> true);
    }
}
