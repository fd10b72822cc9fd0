package io.modelgate.metrics;

import static io.modelgate.metrics.UncertaintyTestData.classification;
import static io.modelgate.metrics.UncertaintyTestData.regression;
import static io.modelgate.metrics.UncertaintyTestData.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UncertaintyTest {
    private static final double Z95 = 1.959963984540054;

    private static Estimate estimate(Uncertainties u, String scope, Metric metric) {
        return u.get(scope, metric.id()).orElseThrow(() -> new AssertionError("no " + metric.id() + " in " + scope));
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    private static double expit(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    // ------------------------------------------------------------------ DeLong

    @Test
    void rocAucVarianceIsDeLongsFromTheStructuralComponentsWithTiesAsOneHalf() {
        SplittableRandom random = new SplittableRandom(1988);
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            int n = 4 + random.nextInt(80);
            double prevalence = 0.1 + 0.8 * random.nextDouble();
            // one decimal: many ties, within and across the classes
            Predictions p = classification(random.nextLong(), n, prevalence, 1.5 * random.nextDouble(), 1);
            double[] reference = UncertaintyTestData.delong(p.labels(), p.scores());
            Estimate auc = estimate(Uncertainty.estimate(p, 0.5, 0.95, 1), Slices.OVERALL, Metric.ROC_AUC);
            long positives = Arrays.stream(p.labels()).filter(v -> v == 1).count();
            long negatives = n - positives;
            assertThat(auc.method()).isEqualTo("delong");
            assertThat(auc.n()).isEqualTo(n);
            if (positives == 0 || negatives == 0) {
                assertThat(auc.value()).isNaN();
                assertThat(auc.se()).isNaN();
                continue;
            }
            assertThat(auc.value()).as("trial %d", trial).isCloseTo(reference[0], within(1e-12));
            if (positives < 2 || negatives < 2) {
                assertThat(auc.se()).as("trial %d: a sample variance of one component", trial).isNaN();
                continue;
            }
            assertThat(auc.se() * auc.se()).as("trial %d", trial).isCloseTo(reference[1], within(1e-12 + 1e-10 * reference[1]));
            if (auc.value() > 0 && auc.value() < 1) {
                double half = Z95 * auc.se() / (auc.value() * (1 - auc.value()));
                assertThat(auc.ciLow()).isCloseTo(expit(logit(auc.value()) - half), within(1e-12));
                assertThat(auc.ciHigh()).isCloseTo(expit(logit(auc.value()) + half), within(1e-12));
            }
            checked++;
        }
        assertThat(checked).as("trials with a defined variance").isGreaterThan(250);
    }

    @Test
    void rocAucVarianceOfEachSliceIsDeLongsOnTheSlicesRows() {
        Predictions p = classification(7, 3000, 0.3, 1.0, 2, 6, 3);
        Uncertainties u = Uncertainty.estimate(p, 0.5, 0.95, 1);
        for (String scope : u.scopes().keySet()) {
            Predictions rows = scope(p, scope);
            Estimate auc = estimate(u, scope, Metric.ROC_AUC);
            if (rows.size() == 0) {
                continue; // the undefined cases have their own test
            }
            double[] reference = UncertaintyTestData.delong(rows.labels(), rows.scores());
            assertThat(auc.value()).as(scope).isCloseTo(reference[0], within(1e-12));
            assertThat(auc.se() * auc.se()).as(scope).isCloseTo(reference[1], within(1e-10 * reference[1]));
        }
    }

    // ------------------------------------------------------------------ Wilson and quantiles

    /** 263 rows, all positive, 81 of them scored above the threshold: accuracy and recall 81/263, precision 81/81. */
    private static Predictions eightyOneOf263() {
        double[] y = new double[263];
        double[] s = new double[263];
        Arrays.fill(y, 1);
        for (int i = 0; i < 263; i++) {
            s[i] = i < 81 ? 0.9 : 0.1;
        }
        return new Predictions(Task.CLASSIFICATION, y, s, List.of());
    }

    /** Wilson (1927): {@code (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)}. */
    private static double[] wilson(long k, long n, double z) {
        double p = (double) k / n;
        double center = p + z * z / (2.0 * n);
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n));
        double denominator = 1 + z * z / n;
        return new double[] {(center - half) / denominator, (center + half) / denominator};
    }

    @Test
    void accuracyPrecisionAndRecallHaveWilsonIntervals() {
        Uncertainties u = Uncertainty.estimate(eightyOneOf263(), 0.5, 0.95, 1);
        Estimate accuracy = estimate(u, Slices.OVERALL, Metric.ACCURACY);
        double[] expected = wilson(81, 263, Z95);
        assertThat(accuracy.method()).isEqualTo("wilson");
        assertThat(accuracy.value()).isEqualTo(81.0 / 263);
        assertThat(accuracy.n()).isEqualTo(263);
        assertThat(accuracy.ciLow()).isCloseTo(expected[0], within(1e-14));
        assertThat(accuracy.ciHigh()).isCloseTo(expected[1], within(1e-14));
        // SciPy 1.17.1, computed once: stats.binomtest(81, 263).proportion_ci(0.95, method='wilson')
        assertThat(accuracy.ciLow()).isCloseTo(0.2552885198782742, within(1e-14));
        assertThat(accuracy.ciHigh()).isCloseTo(0.36620957698280004, within(1e-14));
        assertThat(accuracy.se()).isCloseTo(Math.sqrt(81.0 / 263 * (182.0 / 263) / 263), within(1e-15));
        assertThat(estimate(u, Slices.OVERALL, Metric.RECALL)).isEqualTo(accuracy);

        // precision: 81 of 81, the interval's upper end at 1 and its lower end n / (n + z^2)
        Estimate precision = estimate(u, Slices.OVERALL, Metric.PRECISION);
        assertThat(precision.n()).isEqualTo(81);
        assertThat(precision.value()).isEqualTo(1.0);
        assertThat(precision.se()).isZero();
        assertThat(precision.ciHigh()).isEqualTo(1.0);
        assertThat(precision.ciLow()).isCloseTo(81 / (81 + Z95 * Z95), within(1e-14));

        Estimate at99 = estimate(Uncertainty.estimate(eightyOneOf263(), 0.5, 0.99, 1), Slices.OVERALL, Metric.ACCURACY);
        // SciPy 1.17.1: stats.binomtest(81, 263).proportion_ci(0.99, method='wilson')
        assertThat(at99.ciLow()).isCloseTo(0.24013690268760768, within(1e-13));
        assertThat(at99.ciHigh()).isCloseTo(0.3852825023182298, within(1e-13));
    }

    @Test
    void normalAndStudentQuantilesMatchTables() {
        // SciPy 1.17.1, computed once: stats.norm.ppf(p) and stats.t.ppf(1 - (1 - confidence) / 2, df)
        assertThat(io.modelgate.common.Normal.z(0.95)).isCloseTo(1.959963984540054, within(1e-15));
        assertThat(io.modelgate.common.Normal.z(0.99)).isCloseTo(2.5758293035489004, within(1e-15));
        assertThat(io.modelgate.common.Normal.z(0.8)).isCloseTo(1.2815515655446004, within(1e-15));
        assertThat(io.modelgate.common.Normal.quantile(1e-10)).isCloseTo(-6.361340902404056, within(1e-13));
        assertThat(io.modelgate.common.Normal.quantile(0.3)).isCloseTo(-0.5244005127080409, within(1e-15));
        assertThat(io.modelgate.common.Normal.quantile(0.5)).isCloseTo(0.0, within(1e-16));
        double[][] table = {
            // confidence, degrees of freedom, two-sided critical value
            {0.95, 1, 12.706204736174694},
            {0.95, 2, 4.302652729749462},
            {0.95, 3, 3.1824463052837078},
            {0.95, 5, 2.5705818356363146},
            {0.95, 10, 2.228138851986274},
            {0.95, 30, 2.0422724563012378},
            {0.95, 100, 1.9839715185235518},
            {0.95, 1000, 1.9623390808264083},
            {0.95, 200000, 1.959975845966768},
            {0.99, 10, 3.16927267261695},
            {0.9, 4, 2.1318467863266495},
            {0.999, 7, 5.407882520861828},
        };
        for (double[] row : table) {
            assertThat(Intervals.t(row[0], row[1])).as("t(%s, %s)", row[0], row[1])
                    .isCloseTo(row[2], within(1e-12 * row[2]));
        }
        assertThat(Intervals.t(0.95, 0)).isNaN();
    }

    // ------------------------------------------------------------------ point values

    /** Every scope and metric of the calculator (except example_count) is estimated, with the very same value. */
    private static void assertValuesAreTheCalculators(Predictions p, double threshold) {
        MetricSet metrics = MetricsCalculator.compute(p, threshold);
        Uncertainties u = Uncertainty.estimate(p, threshold, 0.95, 42);
        List<String> scopes = new ArrayList<>();
        scopes.add(Slices.OVERALL);
        scopes.addAll(metrics.slices().keySet());
        assertThat(u.scopes().keySet()).containsExactlyElementsOf(scopes);
        for (String scope : scopes) {
            Map<String, Double> values = metrics.scope(scope).orElseThrow();
            List<String> ids = values.keySet().stream().filter(id -> !id.equals(Metric.EXAMPLE_COUNT.id())).toList();
            assertThat(u.scopes().get(scope).keySet()).as(scope).containsExactlyElementsOf(ids);
            long count = values.get(Metric.EXAMPLE_COUNT.id()).longValue();
            for (String id : ids) {
                Estimate e = u.get(scope, id).orElseThrow();
                // bit for bit: a gate that compares the value with a threshold must see what the report shows
                assertThat(e.value()).as("%s %s", scope, id).isEqualTo(values.get(id));
                if (!id.equals(Metric.PRECISION.id()) && !id.equals(Metric.RECALL.id())) {
                    assertThat(e.n()).as("%s %s", scope, id).isEqualTo(count);
                }
            }
        }
    }

    @Test
    void valuesAreTheCalculatorsInEveryScopeForClassification() {
        assertValuesAreTheCalculators(classification(1, 3000, 0.3, 1.0, 2, 6, 3), 0.5);
        assertValuesAreTheCalculators(classification(2, 500, 0.05, 2.0, 3, 4), 0.3);
        // above the bootstrap's limit: overall and the biggest slices by the delta method
        assertValuesAreTheCalculators(classification(3, 60_000, 0.4, 0.7, 4, 8, 2), 0.5);
        assertValuesAreTheCalculators(classification(4, 30_000, 0.5, 1.0, 6), 0.5);
    }

    @Test
    void valuesAreTheCalculatorsInEveryScopeForRegression() {
        assertValuesAreTheCalculators(regression(1, 3000, 1.5, 6, 3), 0.5);
        assertValuesAreTheCalculators(regression(2, 60_000, 0.5, 8, 2), 0.5);
        assertValuesAreTheCalculators(regression(3, 30_000, 2.0), 0.5);
        // poor models: R^2 near 0 or below, where every bit of SSE / SST shows
        assertValuesAreTheCalculators(regression(4, 3000, 30.0, 6, 3), 0.5);
        assertValuesAreTheCalculators(regression(5, 30_000, 300.0, 6, 3), 0.5);
    }

    @Test
    void valuesAreTheCalculatorsOnManySmallRandomDatasets() {
        SplittableRandom random = new SplittableRandom(8);
        for (int trial = 0; trial < 150; trial++) {
            int n = 1 + random.nextInt(400);
            assertValuesAreTheCalculators(classification(random.nextLong(), n, random.nextDouble(), 2 * random.nextDouble(),
                    1 + random.nextInt(4), 1 + random.nextInt(5)), random.nextDouble());
            assertValuesAreTheCalculators(regression(random.nextLong(), n, 100 * random.nextDouble(), 1 + random.nextInt(5)), 0.5);
        }
    }

    @Test
    void valuesAreTheCalculatorsWhenTheRowsSpanSeveralBlocksAndThreads() {
        // beyond ScopeLayout.BLOCK rows and the calculator's rows per thread: partial sums are combined
        assertValuesAreTheCalculators(classification(5, 2_300_000, 0.3, 1.0, 3, 4), 0.5);
        assertValuesAreTheCalculators(classification(6, 2_300_000, 0.3, 1.0, 3), 0.5);
        assertValuesAreTheCalculators(regression(7, 2_300_000, 1.0, 4), 0.5);
        assertValuesAreTheCalculators(regression(8, 2_300_000, 1.0), 0.5);
    }

    // ------------------------------------------------------------------ standard errors of means and ratios

    @Test
    void logLossAndBrierScoreHaveTIntervalsOfTheirPerRowTerms() {
        Predictions p = classification(11, 700, 0.3, 1.0, 3);
        Uncertainties u = Uncertainty.estimate(p, 0.5, 0.95, 1);
        int n = p.size();
        double[] ll = new double[n];
        double[] br = new double[n];
        for (int i = 0; i < n; i++) {
            double q = Math.min(1 - ClassificationCounts.EPS, Math.max(ClassificationCounts.EPS, p.scores()[i]));
            ll[i] = p.labels()[i] == 1 ? -Math.log(q) : -Math.log(1 - q);
            br[i] = (p.labels()[i] - p.scores()[i]) * (p.labels()[i] - p.scores()[i]);
        }
        double t = Intervals.t(0.95, n - 1);
        for (Object[] c : new Object[][] {{Metric.LOG_LOSS, ll}, {Metric.BRIER_SCORE, br}}) {
            double[] terms = (double[]) c[1];
            Estimate e = estimate(u, Slices.OVERALL, (Metric) c[0]);
            double mean = UncertaintyTestData.mean(terms);
            double se = Math.sqrt(UncertaintyTestData.sampleVariance(terms, mean) / n);
            assertThat(e.value()).isCloseTo(mean, within(1e-13));
            assertThat(e.se()).isCloseTo(se, within(1e-13));
            assertThat(e.ciLow()).isCloseTo(mean - t * se, within(1e-13));
            assertThat(e.ciHigh()).isCloseTo(mean + t * se, within(1e-13));
            assertThat(e.method()).isEqualTo("delta");
        }
    }

    /** The estimates of {@link ClassificationEstimates} with the bootstrap switched off: the delta method everywhere. */
    private static Estimate[][] classificationByDelta(Predictions p, double threshold) {
        return new ClassificationEstimates(p, new ScopeLayout(p.slices()), threshold, new EstimateOptions(0.95, 1, 0, 0)).run();
    }

    @Test
    void f1AndAveragePrecisionDeltaVariancesAreTheSquaredInfluences() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 30 + random.nextInt(150);
            Predictions p = classification(random.nextLong(), n, 0.2 + 0.6 * random.nextDouble(), random.nextDouble() * 2, 1);
            double[] y = p.labels();
            double[] s = p.scores();
            Estimate[][] e = classificationByDelta(p, 0.5);
            Estimate ap = e[Metric.AVERAGE_PRECISION.ordinal()][0];
            Estimate f1 = e[Metric.F1.ordinal()][0];
            double apVariance = UncertaintyTestData.deltaVariance(n, w -> UncertaintyTestData.weightedAveragePrecision(y, s, w), 1e-5);
            double f1Variance = UncertaintyTestData.deltaVariance(n, w -> {
                double tp = 0;
                double errors = 0;
                for (int i = 0; i < n; i++) {
                    boolean predicted = s[i] >= 0.5;
                    tp += predicted && y[i] == 1 ? w[i] : 0;
                    errors += predicted != (y[i] == 1) ? w[i] : 0;
                }
                return 2 * tp / (2 * tp + errors);
            }, 1e-5);
            assertThat(ap.method()).isEqualTo("delta");
            assertThat(ap.value()).isCloseTo(UncertaintyTestData.weightedAveragePrecision(y, s, ones(n)), within(1e-12));
            assertThat(ap.se() * ap.se()).as("trial %d", trial).isCloseTo(apVariance, within(1e-7 * apVariance + 1e-14));
            assertThat(f1.method()).isEqualTo("delta");
            assertThat(f1.se() * f1.se()).as("trial %d", trial).isCloseTo(f1Variance, within(1e-7 * f1Variance + 1e-14));
        }
    }

    @Test
    void bootstrapStandardErrorsAgreeWithTheDeltaMethods() {
        // two ways to the same first-order variance: with 400 replicates the bootstrap's se is
        // within about 3.5% (1 / sqrt(2 * 400)) of its limit, so 15% is more than four of those
        Predictions p = classification(21, 4000, 0.3, 1.0, 2, 3);
        Uncertainties u = Uncertainty.estimate(p, 0.5, 0.95, 99);
        Estimate[][] delta = classificationByDelta(p, 0.5);
        // (average precision's interval is the delta method's at every size; f1's is bootstrapped here)
        assertThat(estimate(u, Slices.OVERALL, Metric.AVERAGE_PRECISION).method()).isEqualTo("delta");
        for (Metric m : List.of(Metric.F1)) {
            Estimate boot = estimate(u, Slices.OVERALL, m);
            Estimate d = delta[m.ordinal()][0];
            assertThat(boot.method()).isEqualTo("bootstrap");
            assertThat(boot.value()).isEqualTo(d.value());
            assertThat(boot.se()).as(m.id()).isCloseTo(d.se(), within(0.15 * d.se()));
            assertThat(boot.ciLow()).as(m.id()).isCloseTo(d.ciLow(), within(0.5 * d.se()));
            assertThat(boot.ciHigh()).as(m.id()).isCloseTo(d.ciHigh(), within(0.5 * d.se()));
        }
        Predictions r = regression(22, 4000, 2.0);
        Estimate boot = estimate(Uncertainty.estimate(r, 0.5, 0.95, 99), Slices.OVERALL, Metric.R2);
        Estimate d = regressionByDelta(r)[Metric.R2.ordinal()][0];
        assertThat(boot.method()).isEqualTo("bootstrap");
        assertThat(d.method()).isEqualTo("delta");
        assertThat(boot.se()).isCloseTo(d.se(), within(0.15 * d.se()));
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return w;
    }

    // ------------------------------------------------------------------ regression

    private static Estimate[][] regressionByDelta(Predictions p) {
        return new RegressionEstimates(p, new ScopeLayout(p.slices()), new EstimateOptions(0.95, 1, 0, 0)).run();
    }

    @Test
    void regressionMetricsHaveDeltaMethodStandardErrors() {
        Predictions p = regression(31, 900, 1.3);
        double[] y = p.labels();
        double[] s = p.scores();
        int n = p.size();
        double[] abs = new double[n];
        double[] sq = new double[n];
        for (int i = 0; i < n; i++) {
            abs[i] = Math.abs(y[i] - s[i]);
            sq[i] = (y[i] - s[i]) * (y[i] - s[i]);
        }
        Estimate[][] e = regressionByDelta(p);
        double t = Intervals.t(0.95, n - 1);

        Estimate mae = e[Metric.MAE.ordinal()][0];
        double maeValue = UncertaintyTestData.mean(abs);
        double maeSe = Math.sqrt(UncertaintyTestData.sampleVariance(abs, maeValue) / n);
        assertThat(mae.se()).isCloseTo(maeSe, within(1e-12));
        assertThat(mae.ciLow()).isCloseTo(maeValue - t * maeSe, within(1e-12));

        // RMSE = sqrt(MSE): se(MSE) / (2 RMSE)
        Estimate rmse = e[Metric.RMSE.ordinal()][0];
        double mse = UncertaintyTestData.mean(sq);
        double rmseSe = Math.sqrt(UncertaintyTestData.sampleVariance(sq, mse) / n) / (2 * Math.sqrt(mse));
        assertThat(rmse.value()).isCloseTo(Math.sqrt(mse), within(1e-13));
        assertThat(rmse.se()).isCloseTo(rmseSe, within(1e-12));
        assertThat(rmse.ciHigh()).isCloseTo(Math.sqrt(mse) + t * rmseSe, within(1e-12));

        Estimate r2 = e[Metric.R2.ordinal()][0];
        double variance = UncertaintyTestData.deltaVariance(n, w -> {
            double sw = 0;
            double swy = 0;
            for (int i = 0; i < n; i++) {
                sw += w[i];
                swy += w[i] * y[i];
            }
            double mean = swy / sw;
            double sse = 0;
            double sst = 0;
            for (int i = 0; i < n; i++) {
                sse += w[i] * sq[i];
                sst += w[i] * (y[i] - mean) * (y[i] - mean);
            }
            return 1 - sse / sst;
        }, 1e-4);
        assertThat(r2.method()).isEqualTo("delta");
        assertThat(r2.se() * r2.se()).isCloseTo(variance, within(1e-6 * variance));
        assertThat(r2.ciLow()).isCloseTo(r2.value() - Z95 * r2.se(), within(1e-12));
    }

    @Test
    void regressionOfAPerfectModelHasZeroWidthErrorIntervals() {
        double[] y = {1, 2, 3, 4, 5};
        Uncertainties u = Uncertainty.estimate(new Predictions(Task.REGRESSION, y, y.clone(), List.of()), 0.5, 0.95, 1);
        for (Metric m : List.of(Metric.RMSE, Metric.MAE)) {
            Estimate e = estimate(u, Slices.OVERALL, m);
            assertThat(e).isEqualTo(new Estimate(0, 5, 0, 0, 0, "delta"));
        }
    }

    // ------------------------------------------------------------------ undefined cases

    @Test
    void oneClassScopesHaveNoRocAucOrAveragePrecisionInterval() {
        double[] y = {1, 1, 1, 0, 0, 0, 1, 0};
        double[] s = {0.9, 0.8, 0.2, 0.3, 0.1, 0.4, 0.6, 0.7};
        int[] codes = {0, 0, 0, 1, 1, 1, 2, 2}; // a: positives only, b: negatives only, c: one of each, d: empty
        Predictions p = new Predictions(Task.CLASSIFICATION, y, s,
                List.of(new Predictions.SliceColumn("s", List.of("a", "b", "c", "d"), codes)));
        Uncertainties u = Uncertainty.estimate(p, 0.5, 0.95, 1);
        for (String scope : List.of("s=a", "s=b")) {
            for (Metric m : List.of(Metric.ROC_AUC, Metric.AVERAGE_PRECISION)) {
                Estimate e = estimate(u, scope, m);
                assertThat(e.value()).as("%s %s", scope, m).isNaN();
                assertThat(e.se()).as("%s %s", scope, m).isNaN();
                assertThat(e.ciLow()).isNaN();
                assertThat(e.ciHigh()).isNaN();
                assertThat(e.n()).isEqualTo(3);
            }
        }
        // one positive and one negative: the AUC is defined, its variance (a sample variance of one value) is not
        Estimate c = estimate(u, "s=c", Metric.ROC_AUC);
        assertThat(c.value()).isEqualTo(0.0);
        assertThat(c.se()).isNaN();
        // only negatives: recall rests on no positive row
        Estimate recall = estimate(u, "s=b", Metric.RECALL);
        assertThat(recall.value()).isNaN(); // undefined is not zero
        assertThat(recall.n()).isZero();
        assertThat(recall.se()).isNaN();
        // no positives and nothing predicted positive: f1 is undefined and has no interval
        assertThat(estimate(u, "s=b", Metric.F1).value()).isNaN();
        assertThat(estimate(u, "s=b", Metric.F1).se()).isNaN();
    }

    @Test
    void precisionWithNothingPredictedPositiveIsUndefined() {
        Predictions p = classification(3, 200, 0.4, 1.0, 2);
        Uncertainties u = Uncertainty.estimate(p, 1.5, 0.95, 1);
        Estimate precision = estimate(u, Slices.OVERALL, Metric.PRECISION);
        assertThat(precision.value()).isNaN(); // as the calculator: undefined, scikit-learn's zero_division=np.nan
        assertThat(precision.n()).isZero();
        assertThat(precision.se()).isNaN();
        assertThat(precision.ciLow()).isNaN();
        assertThat(precision.ciHigh()).isNaN();
        // recall is then 0 of the positives: defined, with a Wilson interval from 0
        Estimate recall = estimate(u, Slices.OVERALL, Metric.RECALL);
        assertThat(recall.value()).isZero();
        assertThat(recall.ciLow()).isZero();
        assertThat(recall.ciHigh()).isPositive();
    }

    @Test
    void emptySlicesHaveNaNEverywhereAndCountZero() {
        for (Predictions p : List.of(classification(3, 300, 0.4, 1.0, 2, 3), regression(3, 300, 1.0, 3))) {
            Uncertainties u = Uncertainty.estimate(p, 0.5, 0.95, 1);
            Map<String, Estimate> empty = u.scopes().get("g0=v2");
            assertThat(empty).isNotEmpty();
            empty.forEach((id, e) -> {
                assertThat(e.n()).as(id).isZero();
                assertThat(e.se()).as(id).isNaN();
                assertThat(e.ciLow()).as(id).isNaN();
                assertThat(e.ciHigh()).as(id).isNaN();
            });
        }
        Uncertainties none = Uncertainty.estimate(new Predictions(Task.CLASSIFICATION, new double[0], new double[0], List.of()),
                0.5, 0.95, 1);
        assertThat(none.scopes().get(Slices.OVERALL).values()).allSatisfy(e -> assertThat(e.se()).isNaN());
    }

    @Test
    void singleRowScopesHaveNoStandardError() {
        Uncertainties u = Uncertainty.estimate(new Predictions(Task.REGRESSION, new double[] {1}, new double[] {2}, List.of()),
                0.5, 0.95, 1);
        assertThat(u.scopes().get(Slices.OVERALL).values()).allSatisfy(e -> assertThat(e.se()).isNaN());
        assertThat(estimate(u, Slices.OVERALL, Metric.MAE).value()).isEqualTo(1.0);
    }

    @Test
    void rejectsAConfidenceOutsideTheOpenUnitIntervalAndANaNThreshold() {
        Predictions p = classification(3, 10, 0.4, 1.0, 2);
        for (double c : new double[] {0, 1, -0.5, 95, Double.NaN}) {
            assertThatThrownBy(() -> Uncertainty.estimate(p, 0.5, c, 1)).isInstanceOf(MetricsException.class)
                    .hasMessageContaining("confidence");
        }
        assertThatThrownBy(() -> Uncertainty.estimate(p, Double.NaN, 0.95, 1)).isInstanceOf(MetricsException.class)
                .hasMessageContaining("threshold");
    }

    // ------------------------------------------------------------------ shape of every interval

    @Test
    void everyDefinedIntervalHoldsItsValueAndWidensWithConfidence() {
        for (Predictions p : List.of(classification(41, 5000, 0.3, 1.0, 2, 5), regression(41, 5000, 1.0, 5),
                classification(42, 40_000, 0.3, 1.0, 3), regression(42, 40_000, 1.0))) {
            Uncertainties at90 = Uncertainty.estimate(p, 0.5, 0.90, 3);
            Uncertainties at99 = Uncertainty.estimate(p, 0.5, 0.99, 3);
            at90.scopes().forEach((scope, estimates) -> estimates.forEach((id, e) -> {
                if (Double.isNaN(e.se())) {
                    return;
                }
                assertThat(e.se()).as("%s %s", scope, id).isNotNegative();
                assertThat(e.ciLow()).as("%s %s", scope, id).isLessThanOrEqualTo(e.value());
                assertThat(e.ciHigh()).as("%s %s", scope, id).isGreaterThanOrEqualTo(e.value());
                Estimate wide = at99.get(scope, id).orElseThrow();
                assertThat(wide.ciLow()).as("%s %s", scope, id).isLessThanOrEqualTo(e.ciLow());
                assertThat(wide.ciHigh()).as("%s %s", scope, id).isGreaterThanOrEqualTo(e.ciHigh());
            }));
        }
    }

    // ------------------------------------------------------------------ determinism

    @Test
    void theSameSeedGivesTheSameEstimatesAndAnotherMovesOnlyTheBootstrap() {
        Predictions p = classification(51, 6000, 0.3, 1.0, 2, 5, 3);
        Uncertainties a = Uncertainty.estimate(p, 0.5, 0.95, 2024);
        Uncertainties b = Uncertainty.estimate(p, 0.5, 0.95, 2024);
        Uncertainties c = Uncertainty.estimate(p, 0.5, 0.95, 2025);
        assertThat(a).isEqualTo(b);
        assertThat(estimate(c, Slices.OVERALL, Metric.F1)).isNotEqualTo(estimate(a, Slices.OVERALL, Metric.F1));
        a.scopes().forEach((scope, estimates) -> estimates.forEach((id, e) -> {
            Estimate other = c.get(scope, id).orElseThrow();
            assertThat(other.value()).isEqualTo(Double.valueOf(e.value())); // boxed: NaN equals NaN
            if (!e.method().equals("bootstrap")) {
                assertThat(other).as("%s %s", scope, id).isEqualTo(e);
            }
        }));
        Predictions r = regression(52, 6000, 1.0, 5);
        assertThat(Uncertainty.estimate(r, 0.5, 0.95, 7)).isEqualTo(Uncertainty.estimate(r, 0.5, 0.95, 7));
    }

    @Test
    void estimatesDoNotDependOnTheNumberOfThreads() throws Exception {
        // Parallel's thread count is fixed per JVM (by the processors it sees), so other counts run in child JVMs
        String here = UncertaintyFingerprint.fingerprint();
        for (int processors : new int[] {1, 3}) {
            String child = UncertaintyFingerprint.inChildJvm(processors);
            assertThat(child).as("the child's thread count").startsWith(processors + " ");
            assertThat(UncertaintyFingerprint.digest(child)).as("%d threads", processors)
                    .isEqualTo(UncertaintyFingerprint.digest(here));
        }
    }
}
