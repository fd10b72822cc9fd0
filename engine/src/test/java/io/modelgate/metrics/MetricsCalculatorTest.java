package io.modelgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsCalculatorTest {
    private static final double TOLERANCE = 1e-12;

    private static Predictions classification(double[] labels, double[] scores) {
        return new Predictions(Task.CLASSIFICATION, labels, scores, List.of());
    }

    private static double metric(MetricSet set, Metric metric) {
        return set.overall().get(metric.id());
    }

    // Expected numbers below were worked out by hand and checked once with scikit-learn 1.2.1.
    @Test
    void classificationMetricsMatchHandComputedSmallCase() {
        double[] y = {1, 0, 1, 1, 0, 0};
        double[] p = {0.9, 0.4, 0.6, 0.3, 0.2, 0.7};
        MetricSet m = MetricsCalculator.compute(classification(y, p), 0.5);

        // predictions at 0.5: 1 0 1 0 0 1 -> tp 2, fp 1, fn 1, tn 2
        assertThat(metric(m, Metric.ACCURACY)).isCloseTo(4.0 / 6, within(TOLERANCE));
        assertThat(metric(m, Metric.PRECISION)).isCloseTo(2.0 / 3, within(TOLERANCE));
        assertThat(metric(m, Metric.RECALL)).isCloseTo(2.0 / 3, within(TOLERANCE));
        assertThat(metric(m, Metric.F1)).isCloseTo(2.0 / 3, within(TOLERANCE));
        // 6 of 9 (positive, negative) pairs ordered correctly
        assertThat(metric(m, Metric.ROC_AUC)).isCloseTo(6.0 / 9, within(TOLERANCE));
        // 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5 = 34/45 (sklearn: 0.7555555555555555)
        assertThat(metric(m, Metric.AVERAGE_PRECISION)).isCloseTo(34.0 / 45, within(TOLERANCE));
        // -(ln .9 + 2 ln .6 + 2 ln .3 + ln .8) / 6 (sklearn: 0.6263501538593149)
        assertThat(metric(m, Metric.LOG_LOSS)).isCloseTo(0.6263501538593149, within(TOLERANCE));
        // (.01 + .16 + .16 + .49 + .04 + .49) / 6
        assertThat(metric(m, Metric.BRIER_SCORE)).isCloseTo(0.225, within(TOLERANCE));
        assertThat(metric(m, Metric.EXAMPLE_COUNT)).isEqualTo(6.0);
        assertThat(m.overall().keySet()).containsExactly("accuracy", "precision", "recall", "f1", "roc_auc",
                "average_precision", "log_loss", "brier_score", "example_count");
    }

    @Test
    void rankMetricsHandleTiesLikeScikitLearn() {
        double[] y = {1, 1, 0, 0, 1, 0, 1, 0};
        double[] p = {0.5, 0.5, 0.5, 0.2, 0.8, 0.8, 0.1, 0.1};
        MetricSet m = MetricsCalculator.compute(classification(y, p), 0.5);
        assertThat(metric(m, Metric.ROC_AUC)).isCloseTo(0.5625, within(TOLERANCE));
        assertThat(metric(m, Metric.AVERAGE_PRECISION)).isCloseTo(0.55, within(TOLERANCE));
    }

    @Test
    void logLossClipsCertainProbabilitiesLikeScikitLearn() {
        MetricSet right = MetricsCalculator.compute(classification(new double[] {1, 0}, new double[] {1, 0}), 0.5);
        MetricSet wrong = MetricsCalculator.compute(classification(new double[] {1, 0}, new double[] {0, 1}), 0.5);
        assertThat(metric(right, Metric.LOG_LOSS)).isCloseTo(2.2204460492503136e-16, within(1e-30));
        assertThat(metric(wrong, Metric.LOG_LOSS)).isCloseTo(36.04365338911715, within(1e-12));
    }

    @Test
    void rocAucMatchesBruteForceWithManyTies() {
        Random random = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + random.nextInt(60);
            double[] y = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextInt(3) == 0 ? 1 : 0;
                p[i] = Math.round(random.nextDouble() * 10) / 10.0;
            }
            double expected = bruteForceAuc(y, p);
            double actual = metric(MetricsCalculator.compute(classification(y, p), 0.5), Metric.ROC_AUC);
            if (Double.isNaN(expected)) {
                assertThat(actual).isNaN();
            } else {
                assertThat(actual).as("trial %d", trial).isCloseTo(expected, within(TOLERANCE));
            }
        }
    }

    @Test
    void averagePrecisionMatchesStraightforwardImplementation() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + random.nextInt(60);
            double[] y = new double[n];
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextInt(2);
                p[i] = Math.round(random.nextDouble() * 10) / 10.0;
            }
            double expected = straightforwardAveragePrecision(y, p);
            double actual = metric(MetricsCalculator.compute(classification(y, p), 0.5), Metric.AVERAGE_PRECISION);
            if (Double.isNaN(expected)) {
                assertThat(actual).isNaN();
            } else {
                assertThat(actual).as("trial %d", trial).isCloseTo(expected, within(TOLERANCE));
            }
        }
    }

    @Test
    void largeInputsUseTheSameDefinitionsAsSmallOnes() {
        // above the size where work is split over threads and keys are radix-sorted
        Random random = new Random(3);
        int n = 450_000;
        double[] y = new double[n];
        double[] p = new double[n];
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            codes[i] = random.nextInt(3);
            y[i] = random.nextInt(4) == 0 ? 1 : 0;
            p[i] = Math.min(1, Math.max(0, Math.round((0.3 * y[i] + random.nextDouble() * 0.7) * 1000) / 1000.0));
        }
        Predictions all = new Predictions(Task.CLASSIFICATION, y, p,
                List.of(new Predictions.SliceColumn("g", List.of("a", "b", "c"), codes)));
        MetricSet m = MetricsCalculator.compute(all, 0.5);
        assertThat(metric(m, Metric.ROC_AUC)).isCloseTo(countingAuc(y, p), within(1e-12));
        assertThat(metric(m, Metric.AVERAGE_PRECISION)).isCloseTo(straightforwardAveragePrecision(y, p), within(1e-9));
        for (int g = 0; g < 3; g++) {
            int group = g;
            int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> codes[i] == group).toArray();
            double[] gy = Arrays.stream(rows).mapToDouble(i -> y[i]).toArray();
            double[] gp = Arrays.stream(rows).mapToDouble(i -> p[i]).toArray();
            String key = Slices.key("g", List.of("a", "b", "c").get(g));
            assertThat(m.value(key, "roc_auc")).hasValueSatisfying(v -> assertThat(v).isCloseTo(countingAuc(gy, gp), within(1e-12)));
            assertThat(m.value(key, "example_count")).contains((double) rows.length);
        }
    }

    @Test
    void perSliceMetricsOnSmallCase() {
        double[] y = {1, 0, 1, 0, 1, 1};
        double[] p = {0.8, 0.3, 0.4, 0.6, 0.9, 0.7};
        int[] region = {0, 0, 0, 1, 1, 1}; // eu: rows 0-2, us: rows 3-5
        Predictions predictions = new Predictions(Task.CLASSIFICATION, y, p,
                List.of(new Predictions.SliceColumn("region", List.of("eu", "us"), region)));
        MetricSet m = MetricsCalculator.compute(predictions, 0.5);

        assertThat(m.slices().keySet()).containsExactly("region=eu", "region=us");
        Map<String, Double> eu = m.slices().get("region=eu");
        assertThat(eu.get("example_count")).isEqualTo(3.0);
        assertThat(eu.get("roc_auc")).isCloseTo(1.0, within(TOLERANCE)); // 0.8 and 0.4 both above 0.3
        assertThat(eu.get("accuracy")).isCloseTo(2.0 / 3, within(TOLERANCE)); // 0.4 predicted 0
        assertThat(eu.get("recall")).isCloseTo(0.5, within(TOLERANCE));
        Map<String, Double> us = m.slices().get("region=us");
        assertThat(us.get("roc_auc")).isCloseTo(1.0, within(TOLERANCE));
        assertThat(us.get("precision")).isCloseTo(2.0 / 3, within(TOLERANCE));
        // overall: 8 pairs; only (0.4 positive, 0.6 negative) misordered -> 7/8
        assertThat(metric(m, Metric.ROC_AUC)).isCloseTo(7.0 / 8, within(TOLERANCE));
    }

    @Test
    void undefinedValuesAreNaNNotZero() {
        double[] y = {1, 1, 0, 0};
        double[] p = {0.9, 0.2, 0.1, 0.3};
        int[] codes = {0, 0, 1, 1}; // slice "pos" has only positives, "neg" only negatives
        Predictions predictions = new Predictions(Task.CLASSIFICATION, y, p,
                List.of(new Predictions.SliceColumn("s", List.of("pos", "neg"), codes)));
        MetricSet m = MetricsCalculator.compute(predictions, 0.95);

        Map<String, Double> onlyPositives = m.slices().get("s=pos");
        assertThat(onlyPositives.get("roc_auc")).isNaN();
        assertThat(onlyPositives.get("average_precision")).isNaN();
        assertThat(onlyPositives.get("precision")).isNaN(); // nothing predicted positive
        assertThat(onlyPositives.get("recall")).isEqualTo(0.0); // two positives, both missed: defined, and zero
        assertThat(onlyPositives.get("f1")).isEqualTo(0.0);
        Map<String, Double> onlyNegatives = m.slices().get("s=neg");
        assertThat(onlyNegatives.get("roc_auc")).isNaN();
        assertThat(onlyNegatives.get("recall")).isNaN(); // no positives
        assertThat(onlyNegatives.get("precision")).isNaN(); // nothing predicted positive
        assertThat(onlyNegatives.get("f1")).isNaN(); // neither: 0 / 0
        assertThat(onlyNegatives.get("log_loss")).isFinite();
    }

    @Test
    void regressionMetricsMatchHandComputedSmallCase() {
        double[] y = {3, -0.5, 2, 7};
        double[] p = {2.5, 0.0, 2, 8};
        MetricSet m = MetricsCalculator.compute(new Predictions(Task.REGRESSION, y, p, List.of()), 0.5);
        // errors 0.5, 0.5, 0, 1
        assertThat(metric(m, Metric.MAE)).isCloseTo(0.5, within(TOLERANCE));
        assertThat(metric(m, Metric.RMSE)).isCloseTo(Math.sqrt(0.375), within(TOLERANCE));
        // mean y = 2.875; ss_tot = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875; 1 - 1.5/29.1875
        assertThat(metric(m, Metric.R2)).isCloseTo(1 - 1.5 / 29.1875, within(TOLERANCE));
        assertThat(metric(m, Metric.R2)).isCloseTo(0.9486081370449679, within(TOLERANCE));
        assertThat(m.overall().keySet()).containsExactly("rmse", "mae", "r2", "example_count");
    }

    @Test
    void r2IsNaNWhenLabelsAreConstant() {
        MetricSet m = MetricsCalculator.compute(
                new Predictions(Task.REGRESSION, new double[] {2, 2, 2}, new double[] {1, 2, 3}, List.of()), 0);
        assertThat(metric(m, Metric.R2)).isNaN();
        assertThat(metric(m, Metric.MAE)).isCloseTo(2.0 / 3, within(TOLERANCE));
    }

    @Test
    void regressionPerSlice() {
        double[] y = {1, 2, 3, 10, 20};
        double[] p = {1, 2, 4, 12, 20};
        int[] codes = {0, 0, 0, 1, 1};
        Predictions predictions = new Predictions(Task.REGRESSION, y, p,
                List.of(new Predictions.SliceColumn("k", List.of("small", "big"), codes)));
        MetricSet m = MetricsCalculator.compute(predictions, 0);
        assertThat(m.value("k=small", "mae")).contains(1.0 / 3);
        assertThat(m.value("k=big", "rmse").orElseThrow()).isCloseTo(Math.sqrt(2), within(TOLERANCE));
        // big: mean 15, ss_tot 50, ss_res 4
        assertThat(m.value("k=big", "r2").orElseThrow()).isCloseTo(1 - 4.0 / 50, within(TOLERANCE));
    }

    @Test
    void radixSortKeysOrderLikeDoubles() {
        Random random = new Random(11);
        double[] values = new double[5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (i % 5) {
                case 0 -> random.nextGaussian() * 1e6;
                case 1 -> -random.nextDouble();
                case 2 -> i % 2 == 0 ? 0.0 : -0.0;
                case 3 -> Math.round(random.nextDouble() * 10) / 10.0;
                default -> random.nextDouble() * 1e-300;
            };
        }
        long[] keys = Arrays.stream(values).mapToLong(RadixSort::key).toArray();
        RadixSort.sort(keys, 0, keys.length, new long[keys.length]);
        double[] expected = values.clone();
        Arrays.sort(expected);
        for (int i = 0; i < keys.length; i++) {
            assertThat(RadixSort.value(keys[i])).isEqualTo(expected[i] + 0.0);
        }
    }

    // ---------------------------------------------------------------- independent implementations

    private static double bruteForceAuc(double[] y, double[] p) {
        double sum = 0;
        long pairs = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    sum += p[i] > p[j] ? 1 : p[i] == p[j] ? 0.5 : 0;
                }
            }
        }
        return pairs == 0 ? Double.NaN : sum / pairs;
    }

    /** AUC by counting negatives below each positive with binary search; O(n log n), for big inputs. */
    private static double countingAuc(double[] y, double[] p) {
        double[] negatives = java.util.stream.IntStream.range(0, y.length).filter(i -> y[i] == 0).mapToDouble(i -> p[i]).sorted().toArray();
        double sum = 0;
        long positives = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1) {
                positives++;
                int below = lower(negatives, p[i]);
                int upTo = upper(negatives, p[i]);
                sum += below + 0.5 * (upTo - below);
            }
        }
        return sum / ((double) positives * negatives.length);
    }

    private static int lower(double[] a, double v) {
        int l = 0;
        int h = a.length;
        while (l < h) {
            int m = (l + h) >>> 1;
            if (a[m] < v) {
                l = m + 1;
            } else {
                h = m;
            }
        }
        return l;
    }

    private static int upper(double[] a, double v) {
        int l = 0;
        int h = a.length;
        while (l < h) {
            int m = (l + h) >>> 1;
            if (a[m] <= v) {
                l = m + 1;
            } else {
                h = m;
            }
        }
        return l;
    }

    /**
     * scikit-learn's definition spelled out: for each distinct score t from high to low, predict
     * positive when score >= t, and add (recall(t) - previous recall) * precision(t).
     */
    private static double straightforwardAveragePrecision(double[] y, double[] p) {
        double positives = Arrays.stream(y).sum();
        if (positives == 0 || positives == y.length) {
            return Double.NaN;
        }
        double[] thresholds = Arrays.stream(p).distinct().sorted().toArray();
        double ap = 0;
        double previousRecall = 0;
        for (int t = thresholds.length - 1; t >= 0; t--) {
            double tp = 0;
            double predicted = 0;
            for (int i = 0; i < y.length; i++) {
                if (p[i] >= thresholds[t]) {
                    predicted++;
                    tp += y[i];
                }
            }
            double recall = tp / positives;
            ap += (recall - previousRecall) * (tp / predicted);
            previousRecall = recall;
        }
        return ap;
    }
}
