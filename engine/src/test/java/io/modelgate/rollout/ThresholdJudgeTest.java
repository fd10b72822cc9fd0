package io.modelgate.rollout;

import io.modelgate.rollout.ThresholdJudge.Bound;
import io.modelgate.rollout.ThresholdJudge.MetricThreshold;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThresholdJudgeTest {
    /** 1..100 ms: the nearest-rank p99 is 99 ms, p50 50 ms. */
    private static final double[] ONE_TO_HUNDRED = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();

    private static Observations observations(Counts stable, Counts canary, Map<String, Observations.Pair> metrics) {
        return new Observations(stable, canary, ONE_TO_HUNDRED, ONE_TO_HUNDRED, metrics);
    }

    private static Observations errors(long stableErrors, long canaryErrors) {
        return observations(new Counts(1000, stableErrors), new Counts(1000, canaryErrors), Map.of());
    }

    private static ThresholdJudge judge(MetricThreshold... thresholds) {
        return new ThresholdJudge(List.of(thresholds), 100);
    }

    @Test
    void passesWhenEveryBoundIsMet() {
        Judgement j = judge(MetricThreshold.errorRateAtMost(0.01), MetricThreshold.latencyP99AtMost(500),
                MetricThreshold.successRateAtLeast(0.99)).judge(errors(10, 10));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.judge()).isEqualTo("threshold");
        assertThat(j.reason()).contains("error-rate: canary 0.01000 meets the bound (bound <= 0.01000, stable 0.01000)",
                "latency-p99: canary 99.00 meets the bound (bound <= 500.0");
    }

    @Test
    void failsAnAbsoluteBoundAndNamesMetricValuesAndBound() {
        Judgement j = judge(MetricThreshold.errorRateAtMost(0.01)).judge(errors(5, 21));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.statistic()).isEqualTo("error-rate");
        assertThat(j.value()).isEqualTo(0.021);
        assertThat(j.reason()).isEqualTo(
                "error-rate: canary 0.02100 violates the bound (bound <= 0.01000, stable 0.005000)");
    }

    @Test
    void failsARelativeBoundAgainstStable() {
        // 1.0% stable * (1 + 0.5) = 1.5%; canary 1.6%
        Judgement j = judge(MetricThreshold.errorRateRelative(0.5)).judge(errors(10, 16));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.reason()).isEqualTo(
                "error-rate: canary 0.01600 violates the bound (bound <= stable 0.01000 * (1 + 0.5000) = 0.01500)");
        assertThat(judge(MetricThreshold.errorRateRelative(0.5)).judge(errors(10, 15)).outcome())
                .isEqualTo(JudgeOutcome.PASS);
    }

    @Test
    void failsADifferenceBoundAgainstStable() {
        Judgement j = judge(MetricThreshold.errorRateDifference(0.005)).judge(errors(10, 16));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.reason()).contains("bound <= stable 0.01000 + 0.005000 = 0.01500");
    }

    @Test
    void judgesADifferenceBoundAgainstAnErrorFreeStable() {
        assertThat(judge(MetricThreshold.errorRateDifference(0.005)).judge(errors(0, 4)).outcome())
                .isEqualTo(JudgeOutcome.PASS);
        assertThat(judge(MetricThreshold.errorRateDifference(0.005)).judge(errors(0, 6)).outcome())
                .isEqualTo(JudgeOutcome.FAIL);
    }

    @Test
    void isInconclusiveForARelativeBoundAgainstAZeroStableValueInsteadOfPassing() {
        // kayenta#377: stable 0 errors, canary 50 errors; a ratio to zero must not let it through
        Judgement j = judge(MetricThreshold.errorRateRelative(0.1)).judge(errors(0, 50));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(j.reason()).isEqualTo(
                "error-rate: canary 0.05000 cannot be compared relative to a stable value of 0.000 (bound <= stable * (1 + 0.1000))");
    }

    @Test
    void passesARelativeBoundWhenNeitherVersionErred() {
        Judgement j = judge(MetricThreshold.errorRateRelative(0.1)).judge(errors(0, 0));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.reason()).isEqualTo("error-rate: canary 0 meets the bound (stable 0 too)");
    }

    @Test
    void isInconclusiveForARelativeBoundAgainstANaNStableValue() {
        Observations o = observations(Counts.ZERO, new Counts(1000, 3), Map.of());
        assertThat(judge(MetricThreshold.errorRateRelative(0.1)).judge(o).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(judge(MetricThreshold.errorRateDifference(0.1)).judge(o).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
    }

    @Test
    void isInconclusiveBelowTheMinimumRequestsEvenWhenABoundIsViolated() {
        Observations o = observations(new Counts(1000, 0), new Counts(12, 12), Map.of());
        Judgement j = judge(MetricThreshold.errorRateAtMost(0.01)).judge(o);
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(j.reason()).isEqualTo("only 12 canary requests, at least 100 needed");
    }

    @Test
    void isInconclusiveForAMissingOrNaNMetric() {
        MetricThreshold accuracy = new MetricThreshold("accuracy", Bound.ABSOLUTE, 0.9, false);
        Judgement missing = judge(accuracy).judge(errors(0, 0));
        assertThat(missing.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(missing.reason()).contains("accuracy: no value");
        Observations nan = observations(new Counts(1000, 0), new Counts(1000, 0),
                Map.of("accuracy", new Observations.Pair(0.95, Double.NaN)));
        assertThat(judge(accuracy).judge(nan).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
    }

    @Test
    void isInconclusiveForLatencyWithoutSamples() {
        Observations o = new Observations(new Counts(1000, 0), new Counts(1000, 0), new double[0],
                new double[]{Double.NaN}, Map.of());
        Judgement j = judge(MetricThreshold.latencyP99AtMost(500)).judge(o);
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(j.reason()).contains("latency-p99: the canary value is NaN");
    }

    @Test
    void failureWinsOverAnUnusableMetric() {
        Judgement j = judge(new MetricThreshold("accuracy", Bound.ABSOLUTE, 0.9, false),
                MetricThreshold.errorRateAtMost(0.01)).judge(errors(0, 50));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.statistic()).isEqualTo("error-rate");
        assertThat(j.reason()).contains("accuracy: no value", "error-rate: canary 0.05000 violates");
    }

    @Test
    void judgesCustomMetricsWhereHigherIsBetter() {
        Observations o = observations(new Counts(1000, 0), new Counts(1000, 0),
                Map.of("accuracy", new Observations.Pair(0.95, 0.90)));
        MetricThreshold tolerated = new MetricThreshold("accuracy", Bound.RELATIVE, 0.1, false);
        MetricThreshold strict = new MetricThreshold("accuracy", Bound.DIFFERENCE, 0.01, false);
        assertThat(judge(tolerated).judge(o).outcome()).isEqualTo(JudgeOutcome.PASS);
        Judgement j = judge(strict).judge(o);
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.reason()).isEqualTo(
                "accuracy: canary 0.9000 violates the bound (bound >= stable 0.9500 - 0.01000 = 0.9400)");
    }

    @Test
    void computesLatencyPercentilesFromTheSamples() {
        assertThat(ThresholdJudge.percentile(ONE_TO_HUNDRED, 99)).isEqualTo(99);
        assertThat(ThresholdJudge.percentile(ONE_TO_HUNDRED, 50)).isEqualTo(50);
        assertThat(ThresholdJudge.percentile(new double[]{300, 100, 200}, 99)).isEqualTo(300);
        Observations slow = new Observations(new Counts(1000, 0), new Counts(1000, 0), ONE_TO_HUNDRED,
                IntStream.rangeClosed(1, 100).mapToDouble(i -> i * 10.0).toArray(), Map.of());
        Judgement j = judge(new MetricThreshold("latency-p99", Bound.RELATIVE, 0.2, true)).judge(slow);
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.reason()).contains("latency-p99: canary 990.0 violates the bound (bound <= stable 99.00 * (1 + 0.2000) = 118.8)");
    }

    @Test
    void rejectsAnEmptyListAndNegativeTolerances() {
        assertThatThrownBy(() -> new ThresholdJudge(List.of(), 0)).isInstanceOf(RolloutException.class)
                .hasMessageContaining("at least one threshold");
        assertThatThrownBy(() -> new MetricThreshold("error-rate", Bound.RELATIVE, -0.1, true))
                .isInstanceOf(RolloutException.class).hasMessageContaining("0 or more");
    }

    @Test
    void asATestAGuardDoesNotFailOnOneSlowRequestOrANoisyRateButFailsOnARealBreach() {
        ThresholdJudge guard = new ThresholdJudge(List.of(MetricThreshold.latencyP99AtMost(500), MetricThreshold.errorRateAtMost(0.01)),
                0, 0.025);
        double[] oneSlow = IntStream.range(0, 20).mapToDouble(i -> i == 7 ? 681.8 : 40).toArray();
        Observations few = new Observations(new Counts(1000, 12), new Counts(20, 0), oneSlow, oneSlow, Map.of());
        Judgement j = guard.judge(few);
        // as points, p99 of 20 samples is their maximum (681.8 > 500) and 12/1000 > 1%: both would fail
        assertThat(j.outcome()).as(j.reason()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.reason()).contains("latency-p99: 1 of 20 canary requests of the last interval took over 500.0 ms (0.05000, "
                + "at most 0.01000 allowed): meets the bound (p = 0.1821 > 0.007599, look 1)");
        double[] manySlow = IntStream.range(0, 20).mapToDouble(i -> i < 5 ? 900 : 40).toArray();
        Judgement slow = guard.judge(new Observations(new Counts(1000, 5), new Counts(20, 0), manySlow, manySlow, Map.of()));
        assertThat(slow.outcome()).as(slow.reason()).isEqualTo(JudgeOutcome.FAIL);
        Judgement errors = guard.judge(new Observations(new Counts(1000, 5), new Counts(1000, 40), ONE_TO_HUNDRED, ONE_TO_HUNDRED,
                Map.of()));
        assertThat(errors.outcome()).as(errors.reason()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(errors.reason()).startsWith("error-rate: 40 of 1000 canary requests failed (0.04000, at most 0.01000 allowed): "
                + "violates the bound");
        Judgement noisy = guard.judge(new Observations(new Counts(1000, 5), new Counts(1000, 14), ONE_TO_HUNDRED, ONE_TO_HUNDRED,
                Map.of()));
        assertThat(noisy.outcome()).as("14/1000 is within chance of 1%: " + noisy.reason()).isEqualTo(JudgeOutcome.PASS);
    }

    @Test
    void theLooksSharesOfAlphaSumToAtMostAlphaAndTheTailIsTheBinomials() {
        double sum = 0;
        for (int k = 1; k <= 1_000_000; k++) {
            sum += BoundTest.share(0.05, k);
        }
        assertThat(sum).isLessThanOrEqualTo(0.05).isGreaterThan(0.0499);
        // P(Bin(20, 0.01) >= 2) = 1 - 0.99^20 - 20 * 0.01 * 0.99^19
        assertThat(BoundTest.upperTail(2, 20, 0.01)).isCloseTo(1 - Math.pow(0.99, 20) - 20 * 0.01 * Math.pow(0.99, 19),
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(BoundTest.upperTail(0, 20, 0.01)).isEqualTo(1);
        assertThat(BoundTest.upperTail(21, 20, 0.01)).isZero();
    }
}
