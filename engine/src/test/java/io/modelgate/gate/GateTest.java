package io.modelgate.gate;

import io.modelgate.metrics.MetricSet;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GateTest {
    private static final GateInputs INPUTS = new GateInputs("policy.yaml", "candidate.json", "");
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static Verdict judge(String policy, MetricSet candidate) {
        return Gate.evaluate(PolicyReader.parse("policy.yaml", policy), candidate, INPUTS, NOW);
    }

    private static Verdict judge(String policy, MetricSet candidate, MetricSet baseline) {
        return Gate.evaluate(PolicyReader.parse("policy.yaml", policy), candidate, baseline, INPUTS, NOW);
    }

    private static MetricSet sliced(Map<String, Double> overall, Map<String, Map<String, Double>> slices) {
        return new MetricSet(overall, slices);
    }

    @Test
    void passesWhenEveryThresholdIsMet() {
        Verdict v = judge("metrics: {roc_auc: {threshold: 0.8}, log_loss: {threshold: 0.5}}",
                MetricSet.of(Map.of("roc_auc", 0.85, "log_loss", 0.4)));
        assertThat(v.status()).isEqualTo(Status.PASS);
        assertThat(v.results()).extracting(RuleResult::outcome).containsOnly(Outcome.PASS);
        assertThat(v.summary()).startsWith("PASS: 2 of 2 checks passed");
    }

    @Test
    void valueExactlyAtTheThresholdPasses() {
        assertThat(judge("metrics: {roc_auc: {threshold: 0.8}}", MetricSet.of(Map.of("roc_auc", 0.8))).status())
                .isEqualTo(Status.PASS);
    }

    @Test
    void failsBelowThresholdWithASentenceNamingMetricValueAndBound() {
        Verdict v = judge("metrics: {roc_auc: {threshold: 0.8}}", MetricSet.of(Map.of("roc_auc", 0.75)));
        assertThat(v.status()).isEqualTo(Status.FAIL);
        RuleResult r = v.results().get(0);
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.value()).isEqualTo(0.75);
        assertThat(r.message()).isEqualTo("roc_auc is 0.75, below the minimum 0.8 by 0.05 (greater is better); "
                + "no interval was given, so the point value decides");
        assertThat(v.failsBuild(false)).isTrue();
    }

    @Test
    void lowerIsBetterMetricFailsAboveItsThreshold() {
        Verdict v = judge("metrics: {log_loss: {threshold: 0.5}}", MetricSet.of(Map.of("log_loss", 0.61)));
        assertThat(v.status()).isEqualTo(Status.FAIL);
        assertThat(v.results().get(0).message()).contains("above the maximum 0.5").contains("lower is better");
    }

    @Test
    void missingMetricFailsClosed() {
        Verdict v = judge("metrics: {roc_auc: {threshold: 0.8}}", MetricSet.of(Map.of("accuracy", 0.9)));
        assertThat(v.status()).isEqualTo(Status.FAIL);
        assertThat(v.results().get(0).message()).contains("roc_auc is missing from the candidate's metrics");
    }

    @Test
    void nanAndInfiniteValuesFailEvenAgainstAnyBound() {
        assertThat(judge("metrics: {roc_auc: {threshold: -1}}", MetricSet.of(Map.of("roc_auc", Double.NaN))).status())
                .isEqualTo(Status.FAIL);
        Verdict inf = judge("metrics: {roc_auc: {threshold: 0.5}}",
                MetricSet.of(Map.of("roc_auc", Double.POSITIVE_INFINITY)));
        assertThat(inf.status()).isEqualTo(Status.FAIL);
        assertThat(inf.results().get(0).message()).contains("Infinity").contains("non-finite");
    }

    @Test
    void warnSeverityMakesAWarnVerdictThatFailsOnlyWithFailOnWarn() {
        Verdict v = judge("metrics: {accuracy: {threshold: 0.9, severity: warn}, roc_auc: {threshold: 0.5}}",
                MetricSet.of(Map.of("accuracy", 0.85, "roc_auc", 0.9)));
        assertThat(v.status()).isEqualTo(Status.WARN);
        assertThat(v.results().get(0).outcome()).isEqualTo(Outcome.WARN);
        assertThat(v.failsBuild(false)).isFalse();
        assertThat(v.failsBuild(true)).isTrue();
    }

    @Test
    void negativeAbsoluteChangeToleratesASmallRegression() {
        String policy = "metrics: {roc_auc: {min_absolute_change: -0.01}}";
        MetricSet base = MetricSet.of(Map.of("roc_auc", 0.90));
        assertThat(judge(policy, MetricSet.of(Map.of("roc_auc", 0.895)), base).status()).isEqualTo(Status.PASS);
        Verdict worse = judge(policy, MetricSet.of(Map.of("roc_auc", 0.88)), base);
        assertThat(worse.status()).isEqualTo(Status.FAIL);
        RuleResult r = worse.results().get(0);
        assertThat(r.baseline()).isEqualTo(0.90);
        assertThat(r.change()).isCloseTo(-0.02, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.message()).contains("against the baseline's 0.9").contains("-0.02")
                .contains("may get worse by at most 0.01");
    }

    @Test
    void changeForALowerIsBetterMetricCountsADecreaseAsImprovement() {
        String policy = "metrics: {log_loss: {min_relative_change: 0.05}}";
        MetricSet base = MetricSet.of(Map.of("log_loss", 0.40));
        Verdict better = judge(policy, MetricSet.of(Map.of("log_loss", 0.36)), base);
        assertThat(better.status()).isEqualTo(Status.PASS);
        assertThat(better.results().get(0).change()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(judge(policy, MetricSet.of(Map.of("log_loss", 0.39)), base).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void relativeChangeAgainstAZeroBaselineFailsInsteadOfPassing() {
        Verdict v = judge("metrics: {roc_auc: {min_relative_change: -0.5}}", MetricSet.of(Map.of("roc_auc", 0.9)),
                MetricSet.of(Map.of("roc_auc", 0.0)));
        assertThat(v.status()).isEqualTo(Status.FAIL);
        assertThat(v.results().get(0).message()).contains("baseline's roc_auc is 0");
    }

    @Test
    void nanBaselineOrMissingBaselineMetricFailsTheChangeCheck() {
        String policy = "metrics: {roc_auc: {min_absolute_change: 0}}";
        MetricSet cand = MetricSet.of(Map.of("roc_auc", 0.9));
        assertThat(judge(policy, cand, MetricSet.of(Map.of("roc_auc", Double.NaN))).status()).isEqualTo(Status.FAIL);
        Verdict missing = judge(policy, cand, MetricSet.of(Map.of("accuracy", 0.9)));
        assertThat(missing.status()).isEqualTo(Status.FAIL);
        assertThat(missing.results().get(0).message()).contains("missing from the baseline");
    }

    @Test
    void changeChecksAreSkippedWithoutBaselineUnlessThePolicyRequiresOne() {
        MetricSet cand = MetricSet.of(Map.of("roc_auc", 0.9));
        Verdict skipped = judge("metrics: {roc_auc: {threshold: 0.8, min_absolute_change: 0}}", cand);
        assertThat(skipped.status()).isEqualTo(Status.PASS);
        assertThat(skipped.results()).extracting(RuleResult::outcome).containsExactly(Outcome.PASS, Outcome.SKIPPED);
        assertThat(skipped.results().get(1).message()).contains("no baseline given");
        Verdict required = judge("require_baseline: true\nmetrics: {roc_auc: {min_absolute_change: 0}}", cand);
        assertThat(required.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void everySliceWildcardChecksEachSliceAndNamesTheFailingOne() {
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        slices.put("region=eu", Map.of("roc_auc", 0.85, "example_count", 500.0));
        slices.put("region=us", Map.of("roc_auc", 0.65, "example_count", 800.0));
        slices.put("plan=pro", Map.of("roc_auc", 0.9, "example_count", 300.0));
        MetricSet cand = sliced(Map.of("roc_auc", 0.8), slices);
        Verdict v = judge("metrics: {roc_auc: {threshold: 0.7, slices: {'*': {threshold: 0.7}}}}", cand);
        assertThat(v.results()).hasSize(4);
        assertThat(v.results()).extracting(RuleResult::slice)
                .containsExactly("overall", "region=eu", "region=us", "plan=pro");
        assertThat(v.status()).isEqualTo(Status.FAIL);
        assertThat(v.results().get(2).message()).startsWith("roc_auc in slice region=us is 0.65");
        Verdict column = judge("metrics: {roc_auc: {slices: {'region=*': {threshold: 0.6}}}}", cand);
        assertThat(column.results()).extracting(RuleResult::slice).containsExactly("region=eu", "region=us");
        assertThat(column.status()).isEqualTo(Status.PASS);
    }

    @Test
    void sliceRulesInheritTheMetricsSeverityUnlessTheySetTheirOwn() {
        MetricSet cand = sliced(Map.of("accuracy", 0.9), Map.of("region=eu", Map.of("accuracy", 0.6)));
        assertThat(judge("metrics: {accuracy: {severity: warn, slices: {'region=eu': {threshold: 0.7}}}}", cand)
                .status()).isEqualTo(Status.WARN);
        assertThat(judge("metrics: {accuracy: {severity: warn, slices: {'region=eu': {threshold: 0.7, severity: fail}}}}",
                cand).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aNamedSliceThatIsAbsentOrAWildcardThatMatchesNothingFails() {
        MetricSet cand = sliced(Map.of("roc_auc", 0.8), Map.of("region=eu", Map.of("roc_auc", 0.9)));
        Verdict absent = judge("metrics: {roc_auc: {slices: {'region=apac': {threshold: 0.7}}}}", cand);
        assertThat(absent.status()).isEqualTo(Status.FAIL);
        assertThat(absent.results().get(0).message()).contains("no slice of the candidate matches 'region=apac'")
                .contains("region=eu");
        Verdict none = judge("metrics: {roc_auc: {slices: {'*': {threshold: 0.7}}}}", MetricSet.of(Map.of("roc_auc", 0.8)));
        assertThat(none.status()).isEqualTo(Status.FAIL);
        assertThat(none.results().get(0).message()).contains("the candidate has no slices");
    }

    @Test
    void slicesSmallerThanTheMinimumSizeAreSkippedAndSaySo() {
        MetricSet cand = sliced(Map.of("roc_auc", 0.8), Map.of(
                "region=mea", Map.of("roc_auc", 0.5, "example_count", 40.0),
                "region=eu", Map.of("roc_auc", 0.9, "example_count", 4000.0)));
        Verdict v = judge("min_slice_size: 100\nmetrics: {roc_auc: {slices: {'*': {threshold: 0.7}}}}", cand);
        assertThat(v.status()).isEqualTo(Status.PASS);
        RuleResult mea = v.results().stream().filter(r -> r.slice().equals("region=mea")).findFirst().orElseThrow();
        assertThat(mea.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(mea.message()).contains("40 examples, fewer than the minimum 100");
        Verdict judged = judge("metrics: {roc_auc: {slices: {'*': {threshold: 0.7, min_size: 10}}}}", cand);
        assertThat(judged.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void resultsFollowPolicyOrderAndSummaryNamesTheFirstFailure() {
        Verdict v = judge("""
                metrics:
                  accuracy: {threshold: 0.9, severity: warn}
                  roc_auc: {threshold: 0.8}
                  log_loss: {threshold: 0.3}
                """, MetricSet.of(Map.of("accuracy", 0.8, "roc_auc", 0.7, "log_loss", 0.2)));
        assertThat(v.results()).extracting(RuleResult::metric).containsExactly("accuracy", "roc_auc", "log_loss");
        assertThat(v.summary()).isEqualTo("FAIL: 1 of 3 checks passed, 1 failed, 1 warned — first: "
                + "roc_auc is 0.7, below the minimum 0.8 by 0.1 (greater is better); "
                + "no interval was given, so the point value decides");
        assertThat(v.count(Outcome.WARN)).isEqualTo(1);
        assertThat(List.of(v.results().get(0).name())).containsExactly("accuracy[overall] threshold");
    }
}
