package io.modelgate.rollout;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The shadow mode's prediction comparison: its false alarm rate under repeated looks, and what it catches. */
class PredictionJudgeTest {
    private static final PredictionJudge JUDGE = new PredictionJudge(0.025, 0.1, 100);

    private static Observations look(double[] stable, double[] canary, int earlierLooks) {
        List<Observations.Look> earlier = new ArrayList<>();
        for (int i = 0; i < earlierLooks; i++) {
            earlier.add(new Observations.Look(new Counts(0, 0), new Counts(0, 0)));
        }
        return new Observations(new Counts(0, 0), new Counts(0, 0), new double[0], new double[0], Map.of(), earlier, 0,
                List.of(), new Observations.Predictions(stable, canary, 0));
    }

    private static double[] draw(SplittableRandom r, int n, DoubleUnaryOperator model) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = model.applyAsDouble(r.nextDouble());
        }
        return x;
    }

    /**
     * A rollout of 20 looks whose predictions grow by 100 per look, as a shadow step's do: how often is a canary
     * whose model scores as the stable one does failed at some look?
     */
    private static double failedShare(DoubleUnaryOperator canaryModel, int runs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int failed = 0;
        for (int run = 0; run < runs; run++) {
            double[] stable = draw(r, 2_000, x -> x);
            double[] canary = draw(r, 2_000, canaryModel);
            for (int k = 1; k <= 20; k++) {
                int n = 100 * k;
                Judgement j = JUDGE.judge(look(java.util.Arrays.copyOf(stable, n), java.util.Arrays.copyOf(canary, n), k - 1));
                if (j.outcome() == JudgeOutcome.FAIL) {
                    failed++;
                    break;
                }
            }
        }
        return (double) failed / runs;
    }

    @Test
    void aCanaryThatPredictsAsTheStableVersionDoesIsFailedAtMostAlphaOfTheTimeOverTwentyLooks() {
        // 400 A/A rollouts of 20 looks each: the bound is 2.5%; the PSI bound makes it far rarer in practice
        double share = failedShare(x -> x, 400, 1);
        System.out.printf("A/A shadow rollouts failed by the prediction judge: %.2f%% of 400%n", share * 100);
        assertThat(share).isLessThanOrEqualTo(0.025);
    }

    @Test
    void aCanaryWhosePredictionsMovedIsFailedAlmostAlways() {
        // the canary's score is the stable one's squared: PSI about 0.3 over the stable deciles
        assertThat(failedShare(x -> x * x, 100, 2)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void aSmallShiftOnManyPredictionsIsSignificantButWithinMaxPsiSoItPasses() {
        SplittableRandom r = new SplittableRandom(3);
        Judgement j = JUDGE.judge(look(draw(r, 2_000, x -> x), draw(r, 2_000, x -> Math.min(1, x * 1.05)), 5));
        assertThat(j.outcome()).as(j.reason()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.value()).isLessThan(0.1);
    }

    @Test
    void belowTheMinimumOnEitherSideItWaitsAndSaysHowManyItHas() {
        SplittableRandom r = new SplittableRandom(4);
        Judgement j = JUDGE.judge(look(draw(r, 500, x -> x), draw(r, 99, x -> x * x), 0));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(j.reason()).isEqualTo("500 stable and 99 canary predictions, 100 of each needed");
        assertThat(j.comparison()).isNull();
    }

    @Test
    void theComparisonHasTheStableDecilesAsBinsAndSharesThatAddUpToOne() {
        SplittableRandom r = new SplittableRandom(5);
        Judgement j = JUDGE.judge(look(draw(r, 1_000, x -> x), draw(r, 1_000, x -> x * x), 3));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(j.reason()).startsWith("the canary's predictions differ from the stable version's on the same requests: PSI ");
        Judgement.Comparison c = j.comparison();
        assertThat(c.bins()).hasSize(10);
        assertThat(c.bins().get(0)).startsWith("< ");
        assertThat(c.bins().get(9)).startsWith(">= ");
        assertThat(c.stable().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-9));
        assertThat(c.canary().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-9));
        assertThat(c.stable()).allSatisfy(share -> assertThat(share).isCloseTo(0.1, within(0.01)));
        // squared scores crowd the low bins
        assertThat(c.canary().get(0)).isGreaterThan(0.25);
    }

    @Test
    void tiedPredictionsMergeTheirBins() {
        double[] stable = new double[300];
        double[] canary = new double[300];
        for (int i = 0; i < 300; i++) {
            stable[i] = i % 3;
            canary[i] = i % 3;
        }
        Judgement j = JUDGE.judge(look(stable, canary, 0));
        assertThat(j.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(j.comparison().bins()).containsExactly("< 1", "1 to 2", ">= 2");
        assertThat(j.value()).isZero();
    }
}
