package io.modelgate.bench;

import io.modelgate.rollout.Counts;
import io.modelgate.rollout.JudgeOutcome;
import io.modelgate.rollout.RelativeRiskJudge;
import io.modelgate.rollout.SequentialJudge;
import org.apache.commons.numbers.gamma.InverseErf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Simulates canaries to measure the statistics of the canary judges, not their speed: how often an A/A
 * canary (both versions equally good) is rolled back when the judge is consulted at every interval,
 * for the sequential judge and for a fixed-horizon z-test that is peeked at; and, for canaries that
 * really are worse, how many requests the sequential judge needs before it rolls back, against the
 * sample size of a fixed-horizon test with 90% power and against the oracle: Wald's SPRT designed for
 * the true effect, the fastest any test with that alpha and power can be on average. Seeded: the same
 * seed gives the same figures.
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
    static final double ALPHA = 0.05;
    static final double POWER = 0.90;
    /** Stepped A/A: the canary's share of traffic in each step, as a plan's steps would set it. */
    static final double[] STEP_SHARES = {0.10, 0.25, 0.50};
    /** Stepped A/A: requests (both targets) per interval, and intervals per step. */
    static final int STEP_REQUESTS = 2000;
    static final int STEP_INTERVALS = 10;

    private CanaryStatsBenchmark() {
    }

    /** One simulated canary's judge, fed what each target served in the latest interval. */
    private interface Tracker {
        JudgeOutcome add(Counts stableIncrement, Counts canaryIncrement);
    }

    /** A judge under test: a name and a fresh tracker per canary. */
    private record Contender(String name, java.util.function.Supplier<Tracker> start) {
    }

    static Contender relativeRisk(String name, RelativeRiskJudge judge) {
        return new Contender(name, () -> new Tracker() {
            private RelativeRiskJudge.Evidence evidence = judge.start();

            @Override
            public JudgeOutcome add(Counts stableIncrement, Counts canaryIncrement) {
                evidence = evidence.plus(stableIncrement, canaryIncrement);
                return judge.decide(evidence, evidence.stable(), evidence.canary()).outcome();
            }
        });
    }

    static Contender msprt(String name, SequentialJudge judge) {
        return new Contender(name, () -> new Tracker() {
            private Counts stable = Counts.ZERO;
            private Counts canary = Counts.ZERO;

            @Override
            public JudgeOutcome add(Counts stableIncrement, Counts canaryIncrement) {
                stable = stable.plus(stableIncrement);
                canary = canary.plus(canaryIncrement);
                return judge.decide(stable, canary).outcome();
            }
        });
    }

    /**
     * Wald's SPRT of "relative risk {@code ratio}" against "equal risk" on the same exposure-conditioned
     * likelihood, boundaries {@code (1-b)/a} (FAIL) and {@code b/(1-a)} (stop and accept: SUCCESS), with
     * a = {@link #ALPHA} and b = 1 - {@link #POWER}. It knows the true effect, which no real judge does.
     */
    static Contender oracle(double ratio) {
        double beta = 1 - POWER;
        double upper = Math.log((1 - beta) / ALPHA);
        double lower = Math.log(beta / (1 - ALPHA));
        return new Contender("oracle SPRT", () -> new Tracker() {
            private double log;

            @Override
            public JudgeOutcome add(Counts stableIncrement, Counts canaryIncrement) {
                log += RelativeRiskJudge.logLikelihoodRatio(ratio, stableIncrement, canaryIncrement);
                return log >= upper ? JudgeOutcome.FAIL : log <= lower ? JudgeOutcome.SUCCESS : JudgeOutcome.PASS;
            }
        });
    }

    /** The standard normal quantile, sqrt(2) erf^-1(2p - 1), as commons-math3's NormalDistribution computed it. */
    static double normalQuantile(double p) {
        return Math.sqrt(2) * InverseErf.value(2 * p - 1);
    }

    public static CanaryStatsBenchmarkResult run(int runs, long seed, Consumer<String> progress) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, found " + runs);
        }
        Instant start = Instant.now();
        double zAlpha = normalQuantile(1 - ALPHA);
        double zBeta = normalQuantile(POWER);
        RelativeRiskJudge judge = new RelativeRiskJudge();
        Contender main = relativeRisk("relative-risk (default)", judge);
        SplittableRandom root = new SplittableRandom(seed);

        progress.accept(String.format(Locale.ROOT, "A/A: %,d canaries, %.0f%% errors, %,d requests a target an interval, %d intervals",
                runs, AA_RATE * 100, AA_REQUESTS, AA_INTERVALS));
        CanaryStatsBenchmarkResult.AaRow aa = aa(main, zAlpha, runs, root.split());

        progress.accept(String.format(Locale.ROOT, "stepped A/A: %,d canaries, weights 10/25/50%%, drifting error rate", runs));
        double steppedMain = steppedAa(main, runs, root.split());
        double steppedMsprt = steppedAa(msprt("msprt", new SequentialJudge()), runs, root.split());

        List<CanaryStatsBenchmarkResult.EffectRow> effects = new ArrayList<>();
        List<CanaryStatsBenchmarkResult.EffectRow> oracles = new ArrayList<>();
        for (double rate : CANARY_RATES) {
            progress.accept(String.format(Locale.ROOT, "effect: %.1f%% -> %.1f%%, %,d canaries (judge and oracle SPRT)",
                    STABLE_RATE * 100, rate * 100, runs));
            double fixedN = fixedHorizonN(STABLE_RATE, rate, zAlpha, zBeta);
            effects.add(effect(main, rate, fixedN, runs, root.split()));
            oracles.add(effect(oracle(rate / STABLE_RATE), rate, fixedN, runs, root.split()));
        }
        List<Contender> others = List.of(
                relativeRisk("relative-risk, spread 0 (SPRT for x2)", new RelativeRiskJudge(ALPHA, 2, 0, 1.5)),
                relativeRisk("relative-risk, spread 0.5", new RelativeRiskJudge(ALPHA, 2, 0.5, 1.5)),
                relativeRisk("relative-risk, detect_ratio 1.5", new RelativeRiskJudge(ALPHA, 1.5, 0.2, 1.5)),
                msprt("msprt, tau 0.01 (earlier default)", new SequentialJudge()));
        List<CanaryStatsBenchmarkResult.VariantRow> variants = new ArrayList<>();
        double fixedDoubling = fixedHorizonN(STABLE_RATE, 0.02, zAlpha, zBeta);
        variants.add(new CanaryStatsBenchmarkResult.VariantRow(main.name(), aa, effects.get(1)));
        for (Contender c : others) {
            progress.accept(String.format(Locale.ROOT, "%s: A/A and 1%% -> 2%%, %,d canaries each", c.name(), runs));
            variants.add(new CanaryStatsBenchmarkResult.VariantRow(c.name(), aa(c, zAlpha, runs, root.split()),
                    effect(c, 0.02, fixedDoubling, runs, root.split())));
        }
        // Wald's lower bound on the average sample size under the alternative, E[N] * KL >= information
        // needed, over the fixed n = (z_{1-a} + z_{1-b})^2 / (2 KL): for a test that only stops to reject
        // (power one) and for the best test with power 1 - b (Wald's SPRT, which also stops to accept).
        double fixedInformation = Math.pow(zAlpha + zBeta, 2) / 2;
        double beta = 1 - POWER;
        double floor = Math.log(1 / ALPHA) / fixedInformation;
        double bestFloor = (POWER * Math.log(POWER / ALPHA) + beta * Math.log(beta / (1 - ALPHA))) / fixedInformation;
        // whole rollouts cost more than a judge's arithmetic: half the runs (at least 100) a cell
        PlanSimulation.Table plan = PlanSimulation.defaultPlan(Math.max(100, runs / 2), seed, progress);
        return new CanaryStatsBenchmarkResult(runs, seed, judge, aa, steppedMain, steppedMsprt, effects, oracles, variants,
                fixedHorizonN(STABLE_RATE, CANARY_RATES[0], zAlpha, zBeta), floor, bestFloor, plan,
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

    private static CanaryStatsBenchmarkResult.AaRow aa(Contender judge, double zAlpha, int runs, SplittableRandom random) {
        int everFail = 0;
        int failFirst = 0;
        int success = 0;
        int peekFail = 0;
        int finalFail = 0;
        for (int run = 0; run < runs; run++) {
            Tracker tracker = judge.start().get();
            Counts stable = Counts.ZERO;
            Counts canary = Counts.ZERO;
            boolean failed = false;
            boolean succeeded = false;
            boolean zFailed = false;
            for (int look = 0; look < AA_INTERVALS; look++) {
                Counts ds = new Counts(AA_REQUESTS, binomial(random, AA_REQUESTS, AA_RATE));
                Counts dc = new Counts(AA_REQUESTS, binomial(random, AA_REQUESTS, AA_RATE));
                stable = stable.plus(ds);
                canary = canary.plus(dc);
                JudgeOutcome outcome = tracker.add(ds, dc);
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

    /**
     * A/A canaries through the steps of {@link #STEP_SHARES}, with an error rate that drifts between
     * intervals (0.5% to 1.5%, the same for both versions, as load and time of day would move it): the
     * share rolled back (before a SUCCESS).
     */
    private static double steppedAa(Contender judge, int runs, SplittableRandom random) {
        int rolledBack = 0;
        for (int run = 0; run < runs; run++) {
            Tracker tracker = judge.start().get();
            runs:
            for (double share : STEP_SHARES) {
                for (int look = 0; look < STEP_INTERVALS; look++) {
                    double rate = 0.005 + 0.01 * random.nextDouble();
                    int nc = (int) Math.round(STEP_REQUESTS * share);
                    int ns = STEP_REQUESTS - nc;
                    JudgeOutcome outcome = tracker.add(new Counts(ns, binomial(random, ns, rate)),
                            new Counts(nc, binomial(random, nc, rate)));
                    if (outcome == JudgeOutcome.FAIL) {
                        rolledBack++;
                    }
                    if (outcome == JudgeOutcome.FAIL || outcome == JudgeOutcome.SUCCESS) {
                        break runs;
                    }
                }
            }
        }
        return (double) rolledBack / runs;
    }

    private static CanaryStatsBenchmarkResult.EffectRow effect(Contender judge, double canaryRate, double fixedN, int runs,
                                                               SplittableRandom random) {
        int rolledBack = 0;
        int promoted = 0;
        long requestsAtRollback = 0;
        long requestsAtStop = 0;
        for (int run = 0; run < runs; run++) {
            Tracker tracker = judge.start().get();
            long requests = 0;
            for (int look = 0; look < EFFECT_INTERVALS; look++) {
                Counts ds = new Counts(EFFECT_REQUESTS, binomial(random, EFFECT_REQUESTS, STABLE_RATE));
                Counts dc = new Counts(EFFECT_REQUESTS, binomial(random, EFFECT_REQUESTS, canaryRate));
                requests += EFFECT_REQUESTS;
                JudgeOutcome outcome = tracker.add(ds, dc);
                if (outcome == JudgeOutcome.FAIL) {
                    rolledBack++;
                    requestsAtRollback += requests;
                    break;
                }
                if (outcome == JudgeOutcome.SUCCESS) {
                    promoted++;
                    break;
                }
            }
            requestsAtStop += requests;
        }
        double mean = rolledBack == 0 ? Double.NaN : (double) requestsAtRollback / rolledBack;
        return new CanaryStatsBenchmarkResult.EffectRow(STABLE_RATE, canaryRate, (double) rolledBack / runs,
                (double) promoted / runs, mean, (double) requestsAtStop / runs, fixedN);
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
