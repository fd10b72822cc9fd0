package io.modelgate.bench;

import io.modelgate.rollout.Counts;
import io.modelgate.rollout.JudgeOutcome;
import io.modelgate.rollout.SequentialJudge;
import org.apache.commons.math3.distribution.NormalDistribution;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Simulates canaries to measure the statistics of the canary judges, not their speed: how often an A/A
 * canary (both versions equally good) is rolled back when the judge is consulted at every interval,
 * for the sequential judge and for a fixed-horizon z-test that is peeked at; and, for canaries that
 * really are worse, how many requests the sequential judge needs before it rolls back, against the
 * sample size of a fixed-horizon test with 90% power. Seeded: the same seed gives the same figures.
 */
public final class CanaryStatsBenchmark {
    /** A/A: error rate of both versions. */
    static final double AA_RATE = 0.01;
    /** A/A: requests per target per interval. */
    static final int AA_REQUESTS = 1000;
    /** A/A: intervals, the judge consulted after each. */
    static final int AA_INTERVALS = 30;
    /** Effects: the stable version's error rate. */
    static final double STABLE_RATE = 0.01;
    /** Effects: the canary's error rates. */
    static final double[] CANARY_RATES = {0.015, 0.02, 0.03, 0.05};
    /** Effects: requests per target per interval (small, so that the interval does not round the stopping time up much). */
    static final int EFFECT_REQUESTS = 100;
    /** Effects: intervals; the horizon is 30,000 requests per target, as in the A/A part. */
    static final int EFFECT_INTERVALS = 300;
    /** Mixing scales tried at 1% to 2%. */
    static final double[] TAUS = {0.005, 0.01, 0.02};
    static final double ALPHA = 0.05;
    static final double POWER = 0.90;

    private CanaryStatsBenchmark() {
    }

    public static CanaryStatsBenchmarkResult run(int runs, long seed, Consumer<String> progress) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, found " + runs);
        }
        Instant start = Instant.now();
        NormalDistribution normal = new NormalDistribution(null, 0, 1);
        double zAlpha = normal.inverseCumulativeProbability(1 - ALPHA);
        double zBeta = normal.inverseCumulativeProbability(POWER);
        SequentialJudge judge = new SequentialJudge();
        SplittableRandom root = new SplittableRandom(seed);

        progress.accept(String.format(java.util.Locale.ROOT, "A/A: %,d canaries, %.0f%% errors, %,d requests a target an interval, %d intervals",
                runs, AA_RATE * 100, AA_REQUESTS, AA_INTERVALS));
        CanaryStatsBenchmarkResult.AaRow aa = aa(judge, zAlpha, runs, root.split());

        List<CanaryStatsBenchmarkResult.EffectRow> effects = new ArrayList<>();
        for (double rate : CANARY_RATES) {
            progress.accept(String.format(java.util.Locale.ROOT, "effect: %.1f%% -> %.1f%%, %,d canaries", STABLE_RATE * 100,
                    rate * 100, runs));
            effects.add(effect(judge, rate, fixedHorizonN(STABLE_RATE, rate, zAlpha, zBeta), runs, root.split()));
        }
        List<CanaryStatsBenchmarkResult.TauRow> taus = new ArrayList<>();
        for (double tau : TAUS) {
            progress.accept(String.format(java.util.Locale.ROOT, "tau %.3f: A/A and 1%% -> 2%%, %,d canaries each", tau, runs));
            SequentialJudge tuned = new SequentialJudge(ALPHA, tau, SequentialJudge.DEFAULT_MARGIN);
            taus.add(new CanaryStatsBenchmarkResult.TauRow(tau, aa(tuned, zAlpha, runs, root.split()),
                    effect(tuned, 0.02, fixedHorizonN(STABLE_RATE, 0.02, zAlpha, zBeta), runs, root.split())));
        }
        // Wald's lower bound on the average sample size under the alternative, E[N] * KL >= information
        // needed, over the fixed n = (z_{1-a} + z_{1-b})^2 / (2 KL): for a test that only stops to reject
        // (power one) and for the best test with power 1 - b (Wald's SPRT, which also stops to accept).
        double fixedInformation = Math.pow(zAlpha + zBeta, 2) / 2;
        double beta = 1 - POWER;
        double floor = Math.log(1 / ALPHA) / fixedInformation;
        double bestFloor = (POWER * Math.log(POWER / ALPHA) + beta * Math.log(beta / (1 - ALPHA))) / fixedInformation;
        return new CanaryStatsBenchmarkResult(runs, seed, judge, aa, effects, taus,
                fixedHorizonN(STABLE_RATE, CANARY_RATES[0], zAlpha, zBeta), floor, bestFloor,
                Duration.between(start, Instant.now()).toMillis() / 1000.0, Instant.now());
    }

    /**
     * Per-group sample size of a one-sided two-proportion z-test at {@link #ALPHA} with the given power:
     * {@code n = (z_{1-a} sqrt(2 pbar (1 - pbar)) + z_{1-b} sqrt(p1 (1 - p1) + p2 (1 - p2)))^2 / (p2 - p1)^2}.
     */
    static double fixedHorizonN(double p1, double p2, double zAlpha, double zBeta) {
        double pbar = (p1 + p2) / 2;
        double root = zAlpha * Math.sqrt(2 * pbar * (1 - pbar)) + zBeta * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        return root * root / ((p2 - p1) * (p2 - p1));
    }

    private static CanaryStatsBenchmarkResult.AaRow aa(SequentialJudge judge, double zAlpha, int runs,
                                                       SplittableRandom random) {
        int everFail = 0;
        int failFirst = 0;
        int success = 0;
        int peekFail = 0;
        int finalFail = 0;
        for (int run = 0; run < runs; run++) {
            Counts stable = Counts.ZERO;
            Counts canary = Counts.ZERO;
            boolean failed = false;
            boolean succeeded = false;
            boolean zFailed = false;
            for (int look = 0; look < AA_INTERVALS; look++) {
                stable = stable.plus(new Counts(AA_REQUESTS, binomial(random, AA_REQUESTS, AA_RATE)));
                canary = canary.plus(new Counts(AA_REQUESTS, binomial(random, AA_REQUESTS, AA_RATE)));
                JudgeOutcome outcome = judge.decide(stable, canary).outcome();
                if (outcome == JudgeOutcome.FAIL && !failed) {
                    failed = true;
                    everFail++;
                    if (!succeeded) {
                        failFirst++;
                    }
                }
                if (outcome == JudgeOutcome.SUCCESS && !succeeded && !failed) {
                    succeeded = true;
                    success++;
                }
                boolean z = zTestFails(stable, canary, zAlpha);
                if (z && !zFailed) {
                    zFailed = true;
                    peekFail++;
                }
                if (z && look == AA_INTERVALS - 1) {
                    finalFail++;
                }
            }
        }
        return new CanaryStatsBenchmarkResult.AaRow((double) failFirst / runs, (double) everFail / runs,
                (double) success / runs, (double) peekFail / runs, (double) finalFail / runs);
    }

    private static CanaryStatsBenchmarkResult.EffectRow effect(SequentialJudge judge, double canaryRate,
                                                               double fixedN, int runs, SplittableRandom random) {
        int rolledBack = 0;
        int promoted = 0;
        long requestsAtRollback = 0;
        for (int run = 0; run < runs; run++) {
            Counts stable = Counts.ZERO;
            Counts canary = Counts.ZERO;
            for (int look = 0; look < EFFECT_INTERVALS; look++) {
                stable = stable.plus(new Counts(EFFECT_REQUESTS, binomial(random, EFFECT_REQUESTS, STABLE_RATE)));
                canary = canary.plus(new Counts(EFFECT_REQUESTS, binomial(random, EFFECT_REQUESTS, canaryRate)));
                JudgeOutcome outcome = judge.decide(stable, canary).outcome();
                if (outcome == JudgeOutcome.FAIL) {
                    rolledBack++;
                    requestsAtRollback += canary.requests();
                    break;
                }
                if (outcome == JudgeOutcome.SUCCESS) {
                    promoted++;
                    break;
                }
            }
        }
        double mean = rolledBack == 0 ? Double.NaN : (double) requestsAtRollback / rolledBack;
        return new CanaryStatsBenchmarkResult.EffectRow(STABLE_RATE, canaryRate, (double) rolledBack / runs,
                (double) promoted / runs, mean, fixedN);
    }

    /** One-sided pooled two-proportion z-test for a higher canary error rate. */
    static boolean zTestFails(Counts stable, Counts canary, double zAlpha) {
        double ns = stable.requests();
        double nc = canary.requests();
        double pooled = (stable.errors() + canary.errors()) / (ns + nc);
        double variance = pooled * (1 - pooled) * (1 / ns + 1 / nc);
        return variance > 0 && (canary.errorRate() - stable.errorRate()) / Math.sqrt(variance) >= zAlpha;
    }

    /** Binomial draw by inverting the distribution function (n p is small here, so few steps). */
    static long binomial(SplittableRandom random, int n, double p) {
        double u = random.nextDouble();
        double pmf = Math.pow(1 - p, n);
        double cdf = pmf;
        int k = 0;
        double odds = p / (1 - p);
        while (u > cdf && k < n) {
            pmf *= (double) (n - k) / (k + 1) * odds;
            k++;
            cdf += pmf;
        }
        return k;
    }
}
