package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SequentialJudgeTest {
    private final SequentialJudge judge = new SequentialJudge();

    private static Observations counts(long stableErrors, long stableRequests, long canaryErrors, long canaryRequests) {
        return new Observations(new Counts(stableRequests, stableErrors), new Counts(canaryRequests, canaryErrors),
                new double[0], new double[0], Map.of());
    }

    @Test
    void rollsBackAClearRegressionWithTheHandComputedRatio() {
        // v pooled = 3.92e-5, tau2 = 1e-4: harm ratio 41.32 >= 1/0.05 (see MsprtTest)
        Judgement j = judge.judge(counts(10, 1000, 30, 1000));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.statistic()).isEqualTo("likelihood ratio");
        assertThat(j.value()).isCloseTo(41.32193423584281, within(1e-7));
        assertThat(j.reason()).contains("canary error rate 3.00% (30/1000)", "stable 1.00% (10/1000)", ">= 20.00");
    }

    @Test
    void keepsCollectingWhenTheRatesAreEqual() {
        Judgement j = judge.judge(counts(10, 1000, 10, 1000));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.value()).isLessThan(1);
        assertThat(j.reason()).contains("keep collecting");
    }

    @Test
    void keepsCollectingOnASmallIncreaseWithLittleData() {
        assertThat(judge.judge(counts(1, 100, 3, 100)).outcome()).isEqualTo(JudgeOutcome.PASS);
    }

    @Test
    void declaresSuccessWhenTheCanaryIsClearlyNotWorseThanTheMargin() {
        // d = -0.0005, margin 0.005: margin - d = 0.0055, v ~ 1.98e-6 (sd 0.0014), about 3.9 standard errors
        Judgement j = judge.judge(counts(100, 10_000, 95, 10_000));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.SUCCESS);
        assertThat(j.value()).isGreaterThanOrEqualTo(20);
        assertThat(j.reason()).contains("not worse than stable + 0.500%");
    }

    @Test
    void declaresSuccessForTwoErrorFreeTargetsOnlyWithEnoughRequests() {
        assertThat(judge.judge(counts(0, 50, 0, 50)).outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(judge.judge(counts(0, 5000, 0, 5000)).outcome()).isEqualTo(JudgeOutcome.SUCCESS);
    }

    @Test
    void neverDeclaresSuccessForACanaryWorseByTheMargin() {
        assertThat(judge.judge(counts(100, 100_000, 600, 100_000)).outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(new SequentialJudge(0.05, 0.01, 0.02).judge(counts(100, 10_000, 160, 10_000)).outcome())
                .isEqualTo(JudgeOutcome.FAIL);
    }

    @Test
    void isInconclusiveWithoutRequestsOnEitherSide() {
        Judgement noCanary = judge.judge(counts(10, 1000, 0, 0));
        assertThat(noCanary.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(noCanary.value()).isNaN();
        assertThat(noCanary.reason()).contains("1000 stable and 0 canary requests");
        assertThat(judge.judge(counts(0, 0, 5, 100)).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
    }

    @Test
    void neverRollsBackWhenNobodyErrs() {
        assertThat(judge.judge(counts(0, 1000, 0, 1000)).outcome()).isNotEqualTo(JudgeOutcome.FAIL);
    }

    @Test
    void rejectsAnAlphaOutsideZeroToOne() {
        assertThatThrownBy(() -> new SequentialJudge(1.5, 0.01, 0.005)).isInstanceOf(RolloutException.class)
                .hasMessageContaining("alpha");
        assertThatThrownBy(() -> new SequentialJudge(0.05, 0, 0.005)).isInstanceOf(RolloutException.class)
                .hasMessageContaining("tau");
    }

    /**
     * 500 seeded A/A canaries (1% errors on both sides, 1,000 requests a target an interval), each
     * checked at all 20 intervals: the share ever rolled back stays within alpha (5%) plus sampling noise.
     * The 2,000-run figure is in the canary-stats benchmark.
     */
    @Test
    void keepsFalseRollbacksOfAaCanariesAtAlphaDespiteCheckingEveryInterval() {
        SplittableRandom random = new SplittableRandom(20_240_501L);
        int rollbacks = 0;
        for (int run = 0; run < 500; run++) {
            Counts stable = Counts.ZERO;
            Counts canary = Counts.ZERO;
            for (int look = 0; look < 20; look++) {
                stable = stable.plus(new Counts(1000, binomial(random, 1000, 0.01)));
                canary = canary.plus(new Counts(1000, binomial(random, 1000, 0.01)));
                if (judge.decide(stable, canary).outcome() == JudgeOutcome.FAIL) {
                    rollbacks++;
                    break;
                }
            }
        }
        assertThat(rollbacks / 500.0).isLessThanOrEqualTo(0.06);
    }

    @Test
    void rollsBackMostCanariesThatDoubleTheErrorRate() {
        SplittableRandom random = new SplittableRandom(7L);
        int rollbacks = 0;
        for (int run = 0; run < 200; run++) {
            Counts stable = Counts.ZERO;
            Counts canary = Counts.ZERO;
            for (int look = 0; look < 20; look++) {
                stable = stable.plus(new Counts(1000, binomial(random, 1000, 0.01)));
                canary = canary.plus(new Counts(1000, binomial(random, 1000, 0.02)));
                if (judge.decide(stable, canary).outcome() == JudgeOutcome.FAIL) {
                    rollbacks++;
                    break;
                }
            }
        }
        assertThat(rollbacks / 200.0).isGreaterThanOrEqualTo(0.95);
    }

    /** Binomial draw by inverting the distribution function. */
    private static long binomial(SplittableRandom random, int n, double p) {
        double u = random.nextDouble();
        double pmf = Math.pow(1 - p, n);
        double cdf = pmf;
        int k = 0;
        while (u > cdf && k < n) {
            pmf *= (double) (n - k) / (k + 1) * p / (1 - p);
            k++;
            cdf += pmf;
        }
        return k;
    }
}
