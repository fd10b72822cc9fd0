package io.modelgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.numbers.gamma.Erfc;
import org.junit.jupiter.api.Test;

class UncertaintyPairedTest {
    /** The candidate's predictions and a baseline's on the same rows: its scores moved by noise of the given size. */
    private static Predictions[] pair(Predictions candidate, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] s = candidate.scores().clone();
        for (int i = 0; i < s.length; i++) {
            if (candidate.task() == Task.CLASSIFICATION) {
                // moved on the logit scale, so that no probability is pushed to 0 or 1
                double q = Math.min(0.999, Math.max(0.001, s[i]));
                double x = Math.log(q / (1 - q)) + 4 * noise * UncertaintyTestData.gaussian(random);
                s[i] = Math.round(1000 / (1 + Math.exp(-x))) / 1000.0;
            } else {
                s[i] += noise * UncertaintyTestData.gaussian(random);
            }
        }
        return new Predictions[] {candidate, new Predictions(candidate.task(), candidate.labels(), s, List.of())};
    }

    private static Estimate get(Uncertainties u, String scope, Metric m) {
        return u.get(scope, m.id()).orElseThrow();
    }

    @Test
    void rejectsPredictionsThatAreNotForTheSameRows() {
        Predictions a = UncertaintyTestData.classification(1, 50, 0.3, 1, 2);
        Predictions shorter = UncertaintyTestData.classification(1, 49, 0.3, 1, 2);
        assertThatThrownBy(() -> Uncertainty.pairedDifference(a, shorter, 0.5, 0.95, 1)).isInstanceOf(MetricsException.class)
                .hasMessageContaining("50 rows").hasMessageContaining("49");
        double[] labels = a.labels().clone();
        labels[7] = 1 - labels[7];
        Predictions relabelled = new Predictions(Task.CLASSIFICATION, labels, a.scores(), List.of());
        assertThatThrownBy(() -> Uncertainty.pairedDifference(a, relabelled, 0.5, 0.95, 1)).isInstanceOf(MetricsException.class)
                .hasMessageContaining("row 8").hasMessageContaining("same order");
        Predictions regression = new Predictions(Task.REGRESSION, a.labels(), a.scores(), List.of());
        assertThatThrownBy(() -> Uncertainty.pairedDifference(a, regression, 0.5, 0.95, 1)).isInstanceOf(MetricsException.class)
                .hasMessageContaining("different tasks");
        assertThatThrownBy(() -> Uncertainty.pairedDifference(a, a, 0.5, 1.5, 1)).isInstanceOf(MetricsException.class);
    }

    @Test
    void valuesAreTheDifferencesOfTheCalculatorsValuesInEveryScope() {
        for (Predictions c : List.of(UncertaintyTestData.classification(2, 3000, 0.3, 1, 2, 5, 3),
                UncertaintyTestData.classification(3, 30_000, 0.3, 1, 3, 4), UncertaintyTestData.regression(4, 3000, 1, 5),
                UncertaintyTestData.regression(5, 30_000, 1, 3))) {
            Predictions baseline = pair(c, 0.2, 9)[1];
            Predictions slicedBaseline = new Predictions(c.task(), c.labels(), baseline.scores(), c.slices());
            MetricSet a = MetricsCalculator.compute(c, 0.5);
            MetricSet b = MetricsCalculator.compute(slicedBaseline, 0.5);
            Uncertainties u = Uncertainty.pairedDifference(c, baseline, 0.5, 0.95, 1);
            List<String> scopes = new ArrayList<>(List.of(Slices.OVERALL));
            scopes.addAll(a.slices().keySet());
            assertThat(u.scopes().keySet()).containsExactlyElementsOf(scopes);
            u.scopes().forEach((scope, estimates) -> estimates.forEach((id, e) -> {
                double expected = a.value(scope, id).orElseThrow() - b.value(scope, id).orElseThrow();
                assertThat(e.value()).as("%s %s", scope, id).isEqualTo(Double.valueOf(expected));
            }));
        }
    }

    @Test
    void aModelComparedWithItselfDiffersByZeroWithoutSpread() {
        for (Predictions p : List.of(UncertaintyTestData.classification(6, 3000, 0.3, 1, 2, 4),
                UncertaintyTestData.classification(7, 30_000, 0.3, 1, 3), UncertaintyTestData.regression(8, 3000, 1, 4),
                UncertaintyTestData.regression(9, 30_000, 1))) {
            Uncertainties u = Uncertainty.pairedDifference(p, p, 0.5, 0.95, 1);
            u.scopes().forEach((scope, estimates) -> estimates.forEach((id, e) -> {
                if (e.n() < 2 || Double.isNaN(e.value())) {
                    return;
                }
                assertThat(e.value()).as("%s %s", scope, id).isZero();
                assertThat(e.se()).as("%s %s (%s)", scope, id, e.method()).isZero();
                assertThat(e.ciLow()).as("%s %s", scope, id).isZero();
                assertThat(e.ciHigh()).as("%s %s", scope, id).isZero();
            }));
        }
    }

    @Test
    void methodsAreAsDocumented() {
        Predictions[] small = pair(UncertaintyTestData.classification(10, 2000, 0.3, 1, 2), 0.1, 1);
        Predictions[] big = pair(UncertaintyTestData.classification(11, 25_000, 0.3, 1, 2), 0.1, 1);
        Uncertainties s = Uncertainty.pairedDifference(small[0], small[1], 0.5, 0.95, 1);
        Uncertainties b = Uncertainty.pairedDifference(big[0], big[1], 0.5, 0.95, 1);
        assertThat(get(s, Slices.OVERALL, Metric.ROC_AUC).method()).isEqualTo("paired-delong");
        assertThat(get(b, Slices.OVERALL, Metric.ROC_AUC).method()).isEqualTo("paired-delong");
        assertThat(get(s, Slices.OVERALL, Metric.ACCURACY).method()).isEqualTo("mcnemar");
        for (Metric m : List.of(Metric.PRECISION, Metric.RECALL, Metric.F1, Metric.AVERAGE_PRECISION, Metric.LOG_LOSS,
                Metric.BRIER_SCORE)) {
            assertThat(get(s, Slices.OVERALL, m).method()).as(m.id()).isEqualTo("paired-bootstrap");
            assertThat(get(b, Slices.OVERALL, m).method()).as(m.id()).isEqualTo("paired-delta");
        }
    }

    // ------------------------------------------------------------------ variances

    /**
     * Paired DeLong by the definitions: the AUCs' covariance is
     * {@code cov(V10_A, V10_B) / P + cov(V01_A, V01_B) / N} with sample covariances of the two
     * models' structural components, and {@code var(A - B) = var A + var B - 2 cov(A, B)}.
     */
    @Test
    void pairedDeLongVarianceIsTheVarianceOfTheDifferenceFromTheComponents() {
        SplittableRandom random = new SplittableRandom(1988);
        for (int trial = 0; trial < 100; trial++) {
            int n = 6 + random.nextInt(100);
            Predictions[] p = pair(UncertaintyTestData.classification(random.nextLong(), n, 0.2 + 0.6 * random.nextDouble(),
                    random.nextDouble() * 2, 1), random.nextDouble() * 0.3, random.nextLong());
            double[][] a = UncertaintyTestData.components(p[0].labels(), p[0].scores());
            double[][] b = UncertaintyTestData.components(p[1].labels(), p[1].scores());
            if (a[0].length < 2 || a[1].length < 2) {
                continue;
            }
            double covariance = covariance(a[0], b[0]) / a[0].length + covariance(a[1], b[1]) / a[1].length;
            double varA = covariance(a[0], a[0]) / a[0].length + covariance(a[1], a[1]) / a[1].length;
            double varB = covariance(b[0], b[0]) / b[0].length + covariance(b[1], b[1]) / b[1].length;
            double expected = varA + varB - 2 * covariance;
            Estimate e = get(Uncertainty.pairedDifference(p[0], p[1], 0.5, 0.95, 1), Slices.OVERALL, Metric.ROC_AUC);
            assertThat(e.value()).isCloseTo(UncertaintyTestData.mean(a[0]) - UncertaintyTestData.mean(b[0]), within(1e-12));
            assertThat(e.se() * e.se()).as("trial %d", trial).isCloseTo(expected, within(1e-13 + 1e-9 * expected));
        }
    }

    private static double covariance(double[] x, double[] y) {
        double mx = UncertaintyTestData.mean(x);
        double my = UncertaintyTestData.mean(y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (x[i] - mx) * (y[i] - my);
        }
        return s / (x.length - 1);
    }

    @Test
    void pairedDeltaVariancesAreTheSquaredDifferencesOfInfluences() {
        SplittableRandom random = new SplittableRandom(4);
        for (int trial = 0; trial < 10; trial++) {
            int n = 40 + random.nextInt(120);
            Predictions[] p = pair(UncertaintyTestData.classification(random.nextLong(), n, 0.4, 1.0, 1), 0.2, random.nextLong());
            double[] y = p[0].labels();
            double[] sa = p[0].scores();
            double[] sb = p[1].scores();
            Estimate[][] e = paired(p[0], p[1], 0);
            double apVariance = UncertaintyTestData.deltaVariance(n, w -> UncertaintyTestData.weightedAveragePrecision(y, sa, w)
                    - UncertaintyTestData.weightedAveragePrecision(y, sb, w), 1e-5);
            assertThat(sq(e[Metric.AVERAGE_PRECISION.ordinal()][0].se())).as("trial %d", trial)
                    .isCloseTo(apVariance, within(1e-6 * apVariance + 1e-14));
            for (Metric m : List.of(Metric.PRECISION, Metric.RECALL, Metric.F1)) {
                double v = UncertaintyTestData.deltaVariance(n, w -> counted(m, y, sa, w) - counted(m, y, sb, w), 1e-5);
                assertThat(sq(e[m.ordinal()][0].se())).as("trial %d %s", trial, m.id()).isCloseTo(v, within(1e-6 * v + 1e-14));
            }
        }
        Predictions[] r = pair(UncertaintyTestData.regression(12, 300, 1.0), 0.5, 3);
        double[] y = r[0].labels();
        double[] fa = r[0].scores();
        double[] fb = r[1].scores();
        Estimate[][] e = paired(r[0], r[1], 0);
        double v = UncertaintyTestData.deltaVariance(y.length, w -> r2(y, fa, w) - r2(y, fb, w), 1e-4);
        assertThat(sq(e[Metric.R2.ordinal()][0].se())).isCloseTo(v, within(1e-6 * v));
        assertThat(e[Metric.R2.ordinal()][0].method()).isEqualTo("paired-delta");
    }

    private static double sq(double x) {
        return x * x;
    }

    private static Estimate[][] paired(Predictions a, Predictions b, int bootstrapMaxRows) {
        ScopeLayout layout = new ScopeLayout(a.slices());
        MetricSet va = MetricsCalculator.compute(a, 0.5);
        MetricSet vb = MetricsCalculator.compute(b, 0.5);
        double[][] values = new double[1][Metric.values().length];
        for (Metric m : Metric.values()) {
            if (m.appliesTo(a.task())) {
                values[0][m.ordinal()] = va.overall().get(m.id()) - vb.overall().get(m.id());
            }
        }
        return new PairedEstimates(a, b, layout, 0.5, new EstimateOptions(0.95, 1, bootstrapMaxRows, 400), values).run();
    }

    private static double counted(Metric m, double[] y, double[] s, double[] w) {
        double tp = 0;
        double pp = 0;
        double pos = 0;
        for (int i = 0; i < y.length; i++) {
            boolean predicted = s[i] >= 0.5;
            tp += predicted && y[i] == 1 ? w[i] : 0;
            pp += predicted ? w[i] : 0;
            pos += y[i] == 1 ? w[i] : 0;
        }
        return switch (m) {
            case PRECISION -> tp / pp;
            case RECALL -> tp / pos;
            default -> 2 * tp / (pp + pos);
        };
    }

    private static double r2(double[] y, double[] f, double[] w) {
        double sw = 0;
        double swy = 0;
        for (int i = 0; i < y.length; i++) {
            sw += w[i];
            swy += w[i] * y[i];
        }
        double mean = swy / sw;
        double sse = 0;
        double sst = 0;
        for (int i = 0; i < y.length; i++) {
            sse += w[i] * (y[i] - f[i]) * (y[i] - f[i]);
            sst += w[i] * (y[i] - mean) * (y[i] - mean);
        }
        return 1 - sse / sst;
    }

    @Test
    void pairedBootstrapAgreesWithThePairedDeltaMethod() {
        // as for one model: 400 replicates put the bootstrap's se within about 3.5% of its limit
        Predictions[] p = pair(UncertaintyTestData.classification(13, 4000, 0.3, 1.0, 2), 0.15, 5);
        Estimate[][] delta = paired(p[0], p[1], 0);
        Estimate[][] boot = paired(p[0], p[1], 1_000_000);
        for (Metric m : List.of(Metric.PRECISION, Metric.RECALL, Metric.F1, Metric.AVERAGE_PRECISION, Metric.LOG_LOSS,
                Metric.BRIER_SCORE)) {
            Estimate d = delta[m.ordinal()][0];
            Estimate b = boot[m.ordinal()][0];
            assertThat(b.method()).isEqualTo("paired-bootstrap");
            assertThat(b.se()).as(m.id()).isCloseTo(d.se(), within(0.15 * d.se()));
        }
        Predictions[] r = pair(UncertaintyTestData.regression(14, 4000, 1.0), 0.4, 6);
        Estimate[][] rd = paired(r[0], r[1], 0);
        Estimate[][] rb = paired(r[0], r[1], 1_000_000);
        for (Metric m : List.of(Metric.RMSE, Metric.MAE, Metric.R2)) {
            assertThat(rb[m.ordinal()][0].se()).as(m.id()).isCloseTo(rd[m.ordinal()][0].se(), within(0.15 * rd[m.ordinal()][0].se()));
        }
    }

    @Test
    void pairingMakesTheDifferenceOfCorrelatedModelsFarSharper() {
        Predictions[] c = pair(UncertaintyTestData.classification(15, 5000, 0.3, 1.0, 3), 0.03, 7);
        Predictions[] r = pair(UncertaintyTestData.regression(16, 5000, 1.0), 0.1, 8);
        for (Predictions[] p : List.of(c, r)) {
            Uncertainties paired = Uncertainty.pairedDifference(p[0], p[1], 0.5, 0.95, 1);
            Uncertainties a = Uncertainty.estimate(p[0], 0.5, 0.95, 1);
            Uncertainties b = Uncertainty.estimate(p[1], 0.5, 0.95, 2);
            paired.scopes().get(Slices.OVERALL).forEach((id, e) -> {
                double separate = Math.hypot(a.get(Slices.OVERALL, id).orElseThrow().se(), b.get(Slices.OVERALL, id).orElseThrow().se());
                assertThat(e.se()).as("%s: paired %s, separate %s", id, e.se(), separate).isLessThan(0.3 * separate);
            });
        }
    }

    // ------------------------------------------------------------------ coverage

    private static double phi(double x) {
        return 0.5 * Erfc.value(-x / Math.sqrt(2));
    }

    /**
     * Two correlated binormal models (features {@code d_A y + e_A} and {@code d_B y + e_B}, the
     * noises correlated 0.7) on the same rows: the true AUC difference is
     * {@code Phi(d_A / sqrt 2) - Phi(d_B / sqrt 2)}, and at threshold 0.5 on the feature the true
     * accuracy of each is {@code pi Phi(d - 0.5) + (1 - pi) Phi(0.5)}. As in
     * {@link UncertaintyCoverageTest}: 3,000 datasets, so a 95% method falls below 94% with
     * probability about 0.6%.
     */
    @Test
    void pairedIntervalsCoverTheTrueDifference() {
        double pi = 0.4;
        double da = 1.2;
        double db = 0.9;
        double rho = 0.7;
        int n = 300;
        int datasets = 3000;
        double aucDifference = phi(da / Math.sqrt(2)) - phi(db / Math.sqrt(2));
        double accuracyDifference = pi * (phi(da - 0.5) - phi(db - 0.5));
        SplittableRandom random = new SplittableRandom(31);
        int[] covered = new int[2];
        int[] defined = new int[2];
        for (int k = 0; k < datasets; k++) {
            double[] y = new double[n];
            double[] sa = new double[n];
            double[] sb = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextDouble() < pi ? 1 : 0;
                double shared = UncertaintyTestData.gaussian(random);
                sa[i] = da * y[i] + shared;
                sb[i] = db * y[i] + rho * shared + Math.sqrt(1 - rho * rho) * UncertaintyTestData.gaussian(random);
            }
            // paired DeLong and McNemar do not depend on the bootstrap, which is switched off to save time
            Estimate[][] paired = paired(new Predictions(Task.CLASSIFICATION, y, sa, List.of()),
                    new Predictions(Task.CLASSIFICATION, y, sb, List.of()), 0);
            double[] truth = {aucDifference, accuracyDifference};
            Estimate[] e = {paired[Metric.ROC_AUC.ordinal()][0], paired[Metric.ACCURACY.ordinal()][0]};
            for (int j = 0; j < 2; j++) {
                if (!Double.isNaN(e[j].se())) {
                    defined[j]++;
                    covered[j] += e[j].ciLow() <= truth[j] && truth[j] <= e[j].ciHigh() ? 1 : 0;
                }
            }
        }
        String summary = String.format(java.util.Locale.ROOT, "paired-delong %.4f, mcnemar %.4f",
                (double) covered[0] / defined[0], (double) covered[1] / defined[1]);
        assertThat(defined[0]).isEqualTo(datasets);
        assertThat((double) covered[0] / defined[0]).as(summary).isBetween(0.94, 0.99);
        assertThat((double) covered[1] / defined[1]).as(summary).isBetween(0.94, 0.99);
    }
}
