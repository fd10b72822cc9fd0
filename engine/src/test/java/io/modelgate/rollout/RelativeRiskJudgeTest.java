package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RelativeRiskJudgeTest {
    private final RelativeRiskJudge judge = new RelativeRiskJudge();
    /** The single point r = 2: its statistic is one likelihood ratio, easy to compute by hand. */
    private final RelativeRiskJudge point = new RelativeRiskJudge(0.05, 2, 0, 1.5);

    private static Counts c(long requests, long errors) {
        return new Counts(requests, errors);
    }

    private static Observations counts(long stableErrors, long stableRequests, long canaryErrors, long canaryRequests) {
        return new Observations(c(stableRequests, stableErrors), c(canaryRequests, canaryErrors), new double[0],
                new double[0], Map.of());
    }

    @Test
    void theLikelihoodRatioOfOneIncrementMatchesTheHandComputedValue() {
        // equal traffic, 10 stable and 30 canary errors, r = 2: 30 ln 2 - 40 ln 1.5
        assertThat(RelativeRiskJudge.logLikelihoodRatio(2, c(1000, 10), c(1000, 30)))
                .isCloseTo(4.575811092471781, within(1e-12));
        // canary 10% of the traffic, 9 stable and 3 canary errors, r = 2: 3 ln 2 - 12 ln 1.1
        assertThat(RelativeRiskJudge.logLikelihoodRatio(2, c(900, 9), c(100, 3)))
                .isCloseTo(0.9357193840279365, within(1e-12));
        // no evidence without errors or without one side's traffic
        assertThat(RelativeRiskJudge.logLikelihoodRatio(2, c(1000, 0), c(1000, 0))).isZero();
        assertThat(RelativeRiskJudge.logLikelihoodRatio(2, c(0, 0), c(1000, 30))).isZero();
    }

    @Test
    void rollsBackAClearRegressionWithTheHandComputedRatio() {
        Judgement j = point.judge(counts(10, 1000, 30, 1000));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.statistic()).isEqualTo("likelihood ratio");
        assertThat(j.value()).isCloseTo(Math.exp(4.575811092471781), within(1e-9));
        assertThat(j.reason()).contains("canary error rate 3.00% (30/1000)", "stable 1.00% (10/1000)", ">= 20.00");
        assertThat(judge.judge(counts(10, 1000, 30, 1000)).outcome()).isEqualTo(JudgeOutcome.FAIL);
    }

    @Test
    void theMixtureIsTheWeightedSumOfItsComponents() {
        RelativeRiskJudge.Prior prior = judge.prior();
        double[] ratios = prior.ratios();
        double[] logWeights = prior.logWeights();
        assertThat(Arrays.stream(logWeights).map(Math::exp).sum()).isCloseTo(1, within(1e-12));
        assertThat(Arrays.stream(ratios).min().orElseThrow()).isGreaterThan(1);
        assertThat(ratios).contains(new double[] {2.0}, within(1e-12));
        double expected = 0;
        for (int k = 0; k < ratios.length; k++) {
            expected += Math.exp(logWeights[k] + RelativeRiskJudge.logLikelihoodRatio(ratios[k], c(1000, 10), c(1000, 25)));
        }
        assertThat(judge.judge(counts(10, 1000, 25, 1000)).value()).isCloseTo(expected, within(1e-9));
        assertThat(point.prior().ratios()).containsExactly(2.0);
    }

    @Test
    void declaresSuccessWithTheHandComputedNotWorseRatio() {
        // 10 errors each side, equal traffic, tolerated ratio 1.5: ln LR(1)/LR(1.5) = -10 ln 1.5 + 20 ln 1.25 per look
        RelativeRiskJudge.Evidence e = point.start().plus(c(1000, 10), c(1000, 10));
        assertThat(e.logSuccess()).isCloseTo(0.4082199452025508, within(1e-12));
        // equal rates with plenty of errors: "at least 1.5 times worse" is ruled out
        Judgement j = judge.judge(counts(200, 20_000, 190, 20_000));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.SUCCESS);
        assertThat(j.value()).isGreaterThanOrEqualTo(20);
        assertThat(j.reason()).contains("errs less than 1.5 times as often");
    }

    @Test
    void neverDeclaresSuccessForACanaryWorseByTheToleratedRatio() {
        assertThat(judge.judge(counts(100, 10_000, 160, 10_000)).outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(judge.judge(counts(100, 10_000, 150, 10_000)).outcome()).isNotEqualTo(JudgeOutcome.SUCCESS);
    }

    @Test
    void isInconclusiveWithoutRequestsOnEitherSideNeverPass() {
        Judgement noCanary = judge.judge(counts(10, 1000, 0, 0));
        assertThat(noCanary.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(noCanary.value()).isNaN();
        assertThat(noCanary.reason()).contains("1000 stable and 0 canary requests");
        assertThat(judge.judge(counts(0, 0, 5, 100)).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(judge.judge(counts(0, 0, 0, 0)).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
    }

    @Test
    void aStableVersionWithoutErrorsDoesNotLetABadCanaryPass() {
        // kayenta#377: a zero baseline must not hide a regression; no rate is divided by here.
        assertThat(judge.judge(counts(0, 1000, 12, 1000)).outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(judge.judge(counts(0, 1000, 3, 1000)).outcome()).isEqualTo(JudgeOutcome.PASS);
    }

    @Test
    void nobodyErringIsNeitherARollbackNorASuccess() {
        Judgement j = judge.judge(counts(0, 100_000, 0, 100_000));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.value()).isEqualTo(1.0);
        assertThat(j.reason()).contains("no errors on either side");
    }

    @Test
    void splitsTheCountsAtEveryLookBecauseEachIncrementHasItsOwnWeights() {
        // Step 1: canary 10% (900/9 stable, 100/3 canary); step 2: canary 50% (1000/10 stable, 1000/25 canary).
        Observations.Look first = new Observations.Look(c(900, 9), c(100, 3));
        Observations o = new Observations(c(1900, 19), c(1100, 28), new double[0], new double[0], Map.of())
                .withEarlier(List.of(first));
        double hand = RelativeRiskJudge.logLikelihoodRatio(2, c(900, 9), c(100, 3))
                + RelativeRiskJudge.logLikelihoodRatio(2, c(1000, 10), c(1000, 25));
        assertThat(Math.log(point.judge(o).value())).isCloseTo(hand, within(1e-12));
        // Pooling the two steps as if the weights had been constant gives a different (wrong) number.
        double pooled = RelativeRiskJudge.logLikelihoodRatio(2, c(1900, 19), c(1100, 28));
        assertThat(pooled).isNotCloseTo(hand, within(0.1));
    }

    @Test
    void aCounterThatWentDownSkipsThatIncrementAndCountsOnFromThere() {
        Observations.Look before = new Observations.Look(c(5000, 50), c(5000, 50));
        // the canary's metrics source restarted: its counter went down to 1000/30
        Observations o = new Observations(c(6000, 60), c(1000, 30), new double[0], new double[0], Map.of())
                .withEarlier(List.of(before, new Observations.Look(c(5500, 55), c(500, 5))));
        double hand = RelativeRiskJudge.logLikelihoodRatio(2, c(5000, 50), c(5000, 50))
                + RelativeRiskJudge.logLikelihoodRatio(2, c(500, 5), c(500, 25));
        assertThat(Math.log(point.judge(o).value())).isCloseTo(hand, within(1e-12));
    }

    @Test
    void rejectsSettingsOutsideTheirRangeNamingThem() {
        assertThatThrownBy(() -> new RelativeRiskJudge(1.5, 2, 0.2, 1.5)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new RelativeRiskJudge(Double.NaN, 2, 0.2, 1.5)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new RelativeRiskJudge(0.05, 1, 0.2, 1.5)).hasMessageContaining("detect_ratio");
        assertThatThrownBy(() -> new RelativeRiskJudge(0.05, Double.NaN, 0.2, 1.5)).hasMessageContaining("detect_ratio");
        assertThatThrownBy(() -> new RelativeRiskJudge(0.05, 2, -0.1, 1.5)).hasMessageContaining("spread");
        assertThatThrownBy(() -> new RelativeRiskJudge(0.05, 2, Double.NaN, 1.5)).hasMessageContaining("spread");
        assertThatThrownBy(() -> new RelativeRiskJudge(0.05, 2, 0.2, 0.9)).isInstanceOf(RolloutException.class)
                .hasMessageContaining("tolerated_ratio");
    }

    /**
     * 4,000 seeded A/A canaries (1% errors on both sides, 1,000 requests a target an interval), each
     * checked at all 30 intervals, rolled back at most alpha. The same simulation catches an invalid test:
     * a fixed-horizon z-test consulted at every interval rolls back about a quarter of them, so this
     * check can fail. Sampling noise at 5% over 4,000 runs is +-0.7 points; the judge measures about 2%.
     */
    @Test
    void keepsFalseRollbacksOfAaCanariesAtAlphaDespiteCheckingEveryInterval() {
        SplittableRandom random = new SplittableRandom(20_240_501L);
        int runs = 4000;
        int rollbacks = 0;
        int peekingRollbacks = 0;
        for (int run = 0; run < runs; run++) {
            RelativeRiskJudge.Evidence e = judge.start();
            boolean judged = false;
            boolean peeked = false;
            for (int look = 0; look < 30; look++) {
                Counts ds = c(1000, binomial(random, 1000, 0.01));
                Counts dc = c(1000, binomial(random, 1000, 0.01));
                e = e.plus(ds, dc);
                JudgeOutcome outcome = judge.decide(e, e.stable(), e.canary()).outcome();
                if (!judged && outcome == JudgeOutcome.FAIL) {
                    rollbacks++;
                }
                judged |= outcome != JudgeOutcome.PASS;
                if (!peeked && zTestFails(e.stable(), e.canary())) {
                    peekingRollbacks++;
                    peeked = true;
                }
            }
        }
        assertThat(rollbacks / (double) runs).isLessThanOrEqualTo(0.05);
        assertThat(peekingRollbacks / (double) runs).isGreaterThan(0.15);
    }

    /**
     * Steps of 10, 25 and 50% canary traffic and an error rate drifting between 0.5% and 1.5% from one
     * interval to the next, the same for both versions: still at most alpha, because every increment is
     * conditioned on its own exposure and errors.
     */
    @Test
    void keepsFalseRollbacksAtAlphaWithChangingWeightsAndADriftingErrorRate() {
        assertThat(steppedRollbacks(1.0, 2000, 11L) / 2000.0).isLessThanOrEqualTo(0.05);
    }

    @Test
    void rollsBackACanaryThatDoublesTheErrorRateWithChangingWeights() {
        assertThat(steppedRollbacks(2.0, 500, 12L) / 500.0).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void rollsBackCanariesThatDoubleTheErrorRateAtEqualWeights() {
        SplittableRandom random = new SplittableRandom(7L);
        int rollbacks = 0;
        for (int run = 0; run < 500; run++) {
            RelativeRiskJudge.Evidence e = judge.start();
            for (int look = 0; look < 20; look++) {
                e = e.plus(c(1000, binomial(random, 1000, 0.01)), c(1000, binomial(random, 1000, 0.02)));
                JudgeOutcome outcome = judge.decide(e, e.stable(), e.canary()).outcome();
                if (outcome == JudgeOutcome.FAIL) {
                    rollbacks++;
                }
                if (outcome != JudgeOutcome.PASS) {
                    break;
                }
            }
        }
        assertThat(rollbacks / 500.0).isGreaterThanOrEqualTo(0.98);
    }

    /** Canaries through 10/25/50% steps of 10 intervals of 2,000 requests; the canary errs {@code ratio} times as often. */
    private int steppedRollbacks(double ratio, int runs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int rollbacks = 0;
        for (int run = 0; run < runs; run++) {
            RelativeRiskJudge.Evidence e = judge.start();
            canary:
            for (double share : new double[] {0.10, 0.25, 0.50}) {
                for (int look = 0; look < 10; look++) {
                    double rate = 0.005 + 0.01 * random.nextDouble();
                    int nc = (int) Math.round(2000 * share);
                    e = e.plus(c(2000 - nc, binomial(random, 2000 - nc, rate)), c(nc, binomial(random, nc, rate * ratio)));
                    JudgeOutcome outcome = judge.decide(e, e.stable(), e.canary()).outcome();
                    if (outcome == JudgeOutcome.FAIL) {
                        rollbacks++;
                    }
                    if (outcome != JudgeOutcome.PASS) {
                        break canary;
                    }
                }
            }
        }
        return rollbacks;
    }

    /** One-sided pooled two-proportion z-test at 5%, the fixed-horizon test a peeking user would run. */
    private static boolean zTestFails(Counts stable, Counts canary) {
        double ns = stable.requests();
        double nc = canary.requests();
        double pooled = (stable.errors() + canary.errors()) / (ns + nc);
        double variance = pooled * (1 - pooled) * (1 / ns + 1 / nc);
        return variance > 0 && (canary.errorRate() - stable.errorRate()) / Math.sqrt(variance) >= 1.6448536269514722;
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
