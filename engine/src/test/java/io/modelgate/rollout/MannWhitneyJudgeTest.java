package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MannWhitneyJudgeTest {
    private static final double[] SLOW_CANARY = {112.5, 130.1, 98.7, 140.2, 125.3, 133.8, 119.4, 150.6, 128.9, 137.7,
            121.2, 144.4};
    private static final double[] STABLE = {101.3, 97.2, 110.8, 95.5, 105.1, 99.9, 118.3, 103.6, 92.4, 107.7};

    private static Observations latencies(double[] stable, double[] canary) {
        return new Observations(new Counts(stable.length, 0), new Counts(canary.length, 0), stable, canary, Map.of());
    }

    @Test
    void matchesScipysAsymptoticPValue() {
        // scipy 1.10.1: mannwhitneyu(SLOW_CANARY, STABLE, use_continuity=False, alternative='two-sided',
        // method='asymptotic') -> statistic 112.0, pvalue 0.0006063042114599626 (no ties, so no tie correction).
        // By hand: U = 112 of 120 pairs, mean 60, sd sqrt(12 * 10 * 23 / 12) = 15.1658, z = 3.4287, 2 * (1 - Phi(z)).
        Judgement j = new MannWhitneyJudge(0.98, 10).judge(latencies(STABLE, SLOW_CANARY));
        assertThat(j.value()).isCloseTo(0.0006063042114599626, within(1e-12));
        assertThat(MannWhitneyJudge.canaryU(SLOW_CANARY, STABLE)).isEqualTo(112.0);
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.reason()).contains("canary median latency 129.5 ms vs stable 102.4 ms", "slower (High)",
                "p 0.0006063 < 0.01216", "(look 1's share of 0.02000)");
    }

    @Test
    void laterLooksTestAtSmallerSharesOfAlphaSoRepeatedLooksKeepIt() {
        // the same samples at the 10th look: 0.02 * 6 / (pi^2 * 100) = 0.0001216, and p 0.0006 is no longer enough
        List<Observations.Look> nine = java.util.Collections.nCopies(9, new Observations.Look(Counts.ZERO, Counts.ZERO));
        Judgement j = new MannWhitneyJudge(0.98, 10).judge(latencies(STABLE, SLOW_CANARY).withEarlier(nine));
        assertThat(j.outcome()).as(j.reason()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.reason()).contains(">= 0.0001216", "(look 10's share of 0.02000)");
    }

    @Test
    void passesAFasterCanaryEvenWhenTheDifferenceIsSignificant() {
        Judgement j = new MannWhitneyJudge(0.98, 10).judge(latencies(SLOW_CANARY, STABLE));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.value()).isCloseTo(0.0006063042114599626, within(1e-12));
        assertThat(j.reason()).contains("faster (Low)");
    }

    @Test
    void passesEqualDistributions() {
        SplittableRandom random = new SplittableRandom(3);
        double[] stable = random.doubles(200, 80, 120).toArray();
        double[] canary = random.doubles(200, 80, 120).toArray();
        Judgement j = new MannWhitneyJudge().judge(latencies(stable, canary));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.value()).isGreaterThan(0.02);
        assertThat(j.reason()).contains("no significant difference (Pass)");
    }

    @Test
    void passesIdenticalSamples() {
        double[] same = new double[30];
        java.util.Arrays.fill(same, 100);
        Judgement j = new MannWhitneyJudge().judge(latencies(same, same.clone()));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
    }

    @Test
    void failsAClearlySlowerCanaryAtTheDefaultConfidence() {
        SplittableRandom random = new SplittableRandom(4);
        double[] stable = random.doubles(100, 80, 120).toArray();
        double[] canary = random.doubles(100, 110, 150).toArray();
        assertThat(new MannWhitneyJudge().judge(latencies(stable, canary)).outcome()).isEqualTo(JudgeOutcome.FAIL);
    }

    @Test
    void isInconclusiveWithTooFewSamplesOnEitherSide() {
        Judgement j = new MannWhitneyJudge().judge(latencies(STABLE, SLOW_CANARY));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(j.value()).isNaN();
        assertThat(j.reason()).isEqualTo("only 12 canary and 10 stable latency samples, at least 20 a side needed");
        assertThat(new MannWhitneyJudge().judge(latencies(new double[0], new double[0])).outcome())
                .isEqualTo(JudgeOutcome.INCONCLUSIVE);
    }

    @Test
    void dropsNaNSamplesBeforeCounting() {
        double[] withNaN = {Double.NaN, 101.3, Double.NaN, 97.2, Double.POSITIVE_INFINITY};
        Judgement j = new MannWhitneyJudge(0.98, 3).judge(latencies(withNaN, new double[]{Double.NaN, 1, 2}));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(j.reason()).startsWith("only 2 canary and 2 stable");
    }

    @Test
    void rejectsAConfidenceOutsideZeroToOne() {
        assertThatThrownBy(() -> new MannWhitneyJudge(98, 20)).isInstanceOf(RolloutException.class)
                .hasMessageContaining("confidence must be between 0 and 1, found 98");
    }
}
