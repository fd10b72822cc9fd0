package io.modelgate.gate;

import io.modelgate.common.Normal;
import io.modelgate.common.StudentT;
import io.modelgate.metrics.Estimate;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.Uncertainties;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Significance-aware checks: decisions from standard errors, paired changes, and the slice family's correction. */
class GateSignificanceTest {
    private static final GateInputs INPUTS = new GateInputs("policy.yaml", "candidate.csv", "baseline.csv");
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    private static Estimate est(double value, long n, double se) {
        double z = Normal.z(0.95);
        return new Estimate(value, n, se, value - z * se, value + z * se, "delong");
    }

    /** Metrics with one metric per scope, each with its estimate and example count. */
    private static MetricSet metrics(String metric, Map<String, double[]> scopes) {
        Map<String, Double> overall = new LinkedHashMap<>();
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        Map<String, Map<String, Estimate>> intervals = new LinkedHashMap<>();
        scopes.forEach((scope, v) -> {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(metric, v[0]);
            m.put("example_count", v[1]);
            if (scope.equals("overall")) {
                overall.putAll(m);
            } else {
                slices.put(scope, m);
            }
            if (v.length > 2) {
                intervals.put(scope, Map.of(metric, est(v[0], (long) v[1], v[2])));
            }
        });
        return new MetricSet(overall, slices, intervals);
    }

    private static Verdict judge(String policy, MetricSet candidate, MetricSet baseline) {
        return Gate.evaluate(PolicyReader.parse("policy.yaml", policy), candidate, baseline, INPUTS, NOW);
    }

    @Test
    void aValueShortOfItsBoundFailsOnlyWhenTheShortfallIsSignificant() {
        String policy = "metrics: {roc_auc: {threshold: 0.8}}";
        RuleResult noise = judge(policy, metrics("roc_auc", Map.of("overall", new double[]{0.795, 3000, 0.006})),
                MetricSet.empty()).results().get(0);
        assertThat(noise.outcome()).isEqualTo(Outcome.PASS);
        assertThat(noise.evidence().pValue()).isCloseTo(StudentT.cdf(-0.005 / 0.006, 2999), within(1e-12));
        assertThat(noise.message()).contains("below the minimum 0.8 by 0.005, but not significantly")
                .contains("n=3000").contains("95% CI");

        RuleResult real = judge(policy, metrics("roc_auc", Map.of("overall", new double[]{0.78, 3000, 0.006})),
                MetricSet.empty()).results().get(0);
        assertThat(real.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(real.evidence().pValue()).isLessThan(0.025);
        assertThat(real.message()).contains("the bound is missed with 95% confidence");

        RuleResult point = judge("metrics: {roc_auc: {threshold: 0.8, mode: point}}",
                metrics("roc_auc", Map.of("overall", new double[]{0.795, 3000, 0.006})), MetricSet.empty()).results().get(0);
        assertThat(point.outcome()).as("mode: point keeps the point decision").isEqualTo(Outcome.FAIL);
        assertThat(point.evidence().tested()).isFalse();
    }

    @Test
    void lowerIsBetterMetricsTestTheOtherSide() {
        String policy = "metrics: {log_loss: {threshold: 0.5}}";
        assertThat(judge(policy, metrics("log_loss", Map.of("overall", new double[]{0.51, 1000, 0.01})), MetricSet.empty())
                .status()).isEqualTo(Status.PASS);
        assertThat(judge(policy, metrics("log_loss", Map.of("overall", new double[]{0.53, 1000, 0.01})), MetricSet.empty())
                .status()).isEqualTo(Status.FAIL);
    }

    @Test
    void anUnpairedChangeCombinesBothStandardErrors() {
        String policy = "metrics: {roc_auc: {min_absolute_change: -0.005}}";
        MetricSet base = metrics("roc_auc", Map.of("overall", new double[]{0.85, 3000, 0.006}));
        RuleResult r = judge(policy, metrics("roc_auc", Map.of("overall", new double[]{0.835, 3000, 0.006})), base)
                .results().get(0);
        double se = Math.sqrt(2) * 0.006;
        // Welch-Satterthwaite: two equal variances with 2,999 degrees of freedom each give 5,998
        assertThat(r.evidence().pValue()).isCloseTo(StudentT.cdf((-0.015 + 0.005) / se, 5998), within(1e-12));
        assertThat(r.outcome()).as("p = %s", r.evidence().pValue()).isEqualTo(Outcome.PASS);
        assertThat(r.evidence().changeMethod()).isEqualTo("unpaired");
        assertThat(r.evidence().changeLow()).isCloseTo(-0.015 - Normal.z(0.95) * se, within(1e-12));
        assertThat(r.evidence().baselineN()).isEqualTo(3000);
        assertThat(r.message()).contains("an improvement of -0.015").contains("unpaired").contains("(n=3000)");

        RuleResult big = judge(policy, metrics("roc_auc", Map.of("overall", new double[]{0.82, 3000, 0.006})), base)
                .results().get(0);
        assertThat(big.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void aPairedEstimateReplacesTheUnpairedStandardError() {
        String policy = "metrics: {roc_auc: {min_absolute_change: -0.005}}";
        MetricSet cand = metrics("roc_auc", Map.of("overall", new double[]{0.835, 3000, 0.006}));
        MetricSet base = metrics("roc_auc", Map.of("overall", new double[]{0.85, 3000, 0.006}));
        Uncertainties paired = new Uncertainties(Map.of("overall",
                Map.of("roc_auc", new Estimate(-0.015, 3000, 0.002, -0.019, -0.011, "paired-delong"))));
        RuleResult r = Gate.evaluate(PolicyReader.parse("policy.yaml", policy), cand, base, paired, INPUTS, NOW)
                .results().get(0);
        assertThat(r.outcome()).as("the same rows: the change is far beyond noise").isEqualTo(Outcome.FAIL);
        assertThat(r.evidence().changeMethod()).isEqualTo("paired-delong");
        assertThat(r.evidence().pValue()).isCloseTo(StudentT.cdf(-0.010 / 0.002, 2999), within(1e-12));
    }

    @Test
    void fewRowsMakeTheTestMoreCautiousThanTheNormal() {
        // the same value and standard error, but a standard error estimated from 9 rows rather than 3,000
        Estimate few = new Estimate(0.7736, 10, 0.012, 0.75, 0.797, "wilson");
        Estimate many = new Estimate(0.7736, 3000, 0.012, 0.75, 0.797, "wilson");
        String policy = "metrics: {accuracy: {threshold: 0.8}}";
        RuleResult r10 = judge(policy, new MetricSet(Map.of("accuracy", 0.7736), Map.of(),
                Map.of("overall", Map.of("accuracy", few))), MetricSet.empty()).results().get(0);
        RuleResult r3000 = judge(policy, new MetricSet(Map.of("accuracy", 0.7736), Map.of(),
                Map.of("overall", Map.of("accuracy", many))), MetricSet.empty()).results().get(0);
        assertThat(r3000.outcome()).isEqualTo(Outcome.FAIL); // 2.2 standard errors short: p = 0.014 as a normal
        assertThat(r10.outcome()).isEqualTo(Outcome.PASS); // Student's t with 9 df: p = 0.028
        assertThat(r10.evidence().pValue()).isGreaterThan(r3000.evidence().pValue());
        assertThat(StudentT.cdf(-2.5, 1e9)).isCloseTo(Normal.cdf(-2.5), within(1e-9));
        assertThat(StudentT.cdf(-2.262157, 9)).as("t(0.975, 9) = 2.262157").isCloseTo(0.025, within(1e-6));
        assertThat(StudentT.cdf(2.262157, 9)).isCloseTo(0.975, within(1e-6));
    }

    @Test
    void withoutIntervalsThePointValueDecidesAndTheMessageSaysSo() {
        MetricSet noIntervals = MetricSet.of(Map.of("roc_auc", 0.795));
        RuleResult r = judge("metrics: {roc_auc: {threshold: 0.8}}", noIntervals, MetricSet.empty()).results().get(0);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).endsWith("no interval was given, so the point value decides");
    }

    /** Twenty slices, each 2.2 standard errors short: alone each fails, as a family of twenty none does. */
    @Test
    void holmKeepsTheFamilyOfSliceChecksAtTheLevel() {
        Map<String, double[]> scopes = new LinkedHashMap<>();
        scopes.put("overall", new double[]{0.9, 20000, 0.002});
        for (int i = 0; i < 20; i++) {
            scopes.put("region=r" + i, new double[]{0.8 - 2.2 * 0.01, 1000, 0.01});
        }
        scopes.put("region=bad", new double[]{0.7, 1000, 0.01});
        String yaml = "metrics: {roc_auc: {threshold: 0.8, slices: {'region=*': {threshold: 0.8}}}}";
        Verdict holm = judge(yaml, metrics("roc_auc", scopes), MetricSet.empty());
        List<RuleResult> slices = holm.results().stream().filter(r -> !r.slice().equals("overall")).toList();
        assertThat(slices).hasSize(21);
        assertThat(slices.stream().filter(r -> r.outcome() == Outcome.FAIL).map(RuleResult::slice))
                .containsExactly("region=bad");
        RuleResult r0 = slices.get(0);
        assertThat(r0.evidence().pValue()).isLessThan(0.025);
        assertThat(r0.message()).contains("not significant once 21 slice checks are counted").contains("Holm over 21");
        assertThat(slices.get(20).evidence().level()).isCloseTo(0.025 / 21, within(1e-15));

        Verdict none = judge("slice_correction: none\n" + yaml, metrics("roc_auc", scopes), MetricSet.empty());
        assertThat(none.results().stream().filter(r -> r.outcome() == Outcome.FAIL)).hasSize(21);
    }

    @Test
    void benjaminiHochbergFailsEveryCheckUpToTheLastBelowItsLevel() {
        Map<String, double[]> scopes = new LinkedHashMap<>();
        scopes.put("overall", new double[]{0.9, 20000, 0.002});
        // p-values of 0.001, 0.01, 0.02 and 0.4 over four checks: BH at 0.025 fails the first two
        // (0.01 <= 2/4 * 0.025), Holm only the first (0.01 > 0.025 / 3).
        double[] p = {0.001, 0.01, 0.02, 0.4};
        for (int i = 0; i < p.length; i++) {
            double z = Normal.quantile(p[i]);
            scopes.put("s=" + i, new double[]{0.8 + z * 0.01, 1000, 0.01});
        }
        String yaml = "metrics: {roc_auc: {slices: {'s=*': {threshold: 0.8}}}}";
        Verdict bh = judge("slice_correction: bh\n" + yaml, metrics("roc_auc", scopes), MetricSet.empty());
        assertThat(bh.results()).extracting(RuleResult::outcome)
                .containsExactly(Outcome.FAIL, Outcome.FAIL, Outcome.PASS, Outcome.PASS);
        Verdict holm = judge(yaml, metrics("roc_auc", scopes), MetricSet.empty());
        assertThat(holm.results()).extracting(RuleResult::outcome)
                .containsExactly(Outcome.FAIL, Outcome.PASS, Outcome.PASS, Outcome.PASS);
    }

    @Test
    void anUndefinedValueOfASliceIsSkippedWithTheReasonButFailsOverall() {
        Map<String, Map<String, Double>> slices = Map.of("s=a", Map.of("precision", Double.NaN, "example_count", 500.0));
        Map<String, Map<String, Estimate>> intervals = Map.of(
                "overall", Map.of("precision", new Estimate(Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, "wilson")),
                "s=a", Map.of("precision", new Estimate(Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, "wilson")));
        MetricSet m = new MetricSet(Map.of("precision", Double.NaN, "example_count", 500.0), slices, intervals);
        Verdict v = judge("metrics: {precision: {threshold: 0.5, slices: {'s=*': {threshold: 0.5}}}}", m, MetricSet.empty());
        assertThat(v.results().get(0).outcome()).isEqualTo(Outcome.FAIL);
        RuleResult slice = v.results().get(1);
        assertThat(slice.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(slice.message()).isEqualTo(
                "skipped precision in slice s=a: it is undefined on this slice's 0 examples (nothing is predicted positive)");
    }

    @Test
    void smallSlicesAreSkippedByDefaultNamingTheBaselineValue() {
        MetricSet cand = metrics("roc_auc", Map.of("overall", new double[]{0.9, 5000, 0.004},
                "region=tiny", new double[]{0.5, 12, 0.15}));
        MetricSet base = metrics("roc_auc", Map.of("overall", new double[]{0.9, 5000, 0.004},
                "region=tiny", new double[]{0.75, 15, 0.12}));
        RuleResult r = judge("metrics: {roc_auc: {slices: {'region=*': {threshold: 0.8}}}}", cand, base).results().get(0);
        assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(r.message()).isEqualTo("skipped roc_auc in slice region=tiny: the slice has 12 examples, fewer than "
                + "the minimum 100; the baseline's value there is 0.75");
        assertThat(r.baseline()).isEqualTo(0.75);
    }

    @Test
    void anExplicitMinimumSliceSizeNeedsExampleCounts() {
        MetricSet noCounts = new MetricSet(Map.of("roc_auc", 0.9), Map.of("region=eu", Map.of("roc_auc", 0.85)));
        assertThatThrownBy(() -> judge("min_slice_size: 100\nmetrics: {roc_auc: {slices: {'region=*': {threshold: 0.8}}}}",
                noCounts, MetricSet.empty()))
                .isInstanceOf(GateException.class)
                .hasMessageContaining("min_slice_size 100 is set for roc_auc, but the candidate's metrics give no "
                        + "example_count for slice region=eu");
        assertThat(judge("metrics: {roc_auc: {slices: {'region=*': {threshold: 0.8}}}}", noCounts, MetricSet.empty())
                .status()).as("the default minimum needs no counts").isEqualTo(Status.PASS);
    }
}
