package io.modelgate.bench;

import io.modelgate.rollout.RelativeRiskJudge;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What one run of the canary statistics benchmark found.
 *
 * @param runs          simulated canaries per row
 * @param seed          the seed
 * @param judge         the sequential judge's settings (the defaults)
 * @param aa            A/A canaries with that judge
 * @param steppedAa     A/A canaries through steps of 10, 25 and 50% canary traffic with a drifting error
 *                      rate: the share the judge rolled back
 * @param steppedAaMsprt the same with the earlier mSPRT
 * @param effects       canaries with a higher error rate, with that judge
 * @param oracles       the same effects (same order) with Wald's SPRT designed for the true effect
 * @param variants      other settings and the earlier mSPRT: A/A and 1% to 2% (the first is the default)
 * @param plannedN      per-group sample size of a fixed-horizon test planned for the smallest effect
 * @param floor         Wald's lower bound on the ratio of average to fixed-horizon requests, at the effect
 *                      the fixed test is planned for, for a test that stops only to reject:
 *                      {@code 2 ln(1/alpha) / (z_{1-a} + z_{1-b})^2}
 * @param bestFloor     the same for any sequential test with the same alpha and power (one that may also
 *                      stop to accept): {@code 2 ((1-b) ln((1-b)/a) + b ln(b/(1-a))) / (z_{1-a} + z_{1-b})^2}
 * @param defaultPlan   the default plan as a whole, every guard and judge, in simulated rollouts
 * @param seconds       wall time
 * @param finishedAt    when it ended
 */
public record CanaryStatsBenchmarkResult(int runs, long seed, RelativeRiskJudge judge, AaRow aa, double steppedAa,
                                         double steppedAaMsprt, List<EffectRow> effects,
                                         List<EffectRow> oracles, List<VariantRow> variants, double plannedN, double floor,
                                         double bestFloor, PlanSimulation.Table defaultPlan, double seconds,
                                         Instant finishedAt) {
    /** The sequential judge's false rollbacks of A/A canaries, at most. */
    public static final double TARGET_FALSE_ROLLBACK = 0.05;
    /** Average requests to roll back over the fixed-horizon sample size at 1% to 2%, at most. */
    public static final double TARGET_RATIO = 0.5;

    public CanaryStatsBenchmarkResult {
        effects = List.copyOf(effects);
        oracles = List.copyOf(oracles);
        variants = List.copyOf(variants);
    }

    /**
     * A/A canaries, the judge consulted at every interval.
     *
     * @param sequentialRollback    rolled back by the sequential judge before it declared success (the
     *                              rollout stops at either)
     * @param sequentialEverFail    the sequential judge said FAIL at some interval, success ignored (an
     *                              upper bound: as if the rollout never finished early)
     * @param sequentialSuccess     finished early with SUCCESS
     * @param peekingZRollback      rolled back by a one-sided fixed-horizon z-test at the same alpha,
     *                              consulted at every interval
     * @param finalZRollback        the same z-test consulted once, at the last interval (should be alpha)
     */
    public record AaRow(double sequentialRollback, double sequentialEverFail, double sequentialSuccess,
                        double peekingZRollback, double finalZRollback) {
    }

    /**
     * Canaries with a higher error rate, the judge consulted at every interval until FAIL or SUCCESS.
     *
     * @param stableRate        stable error rate
     * @param canaryRate        canary error rate
     * @param power             share rolled back within the horizon
     * @param wronglyPromoted   share that ended with SUCCESS instead (for the oracle SPRT: stopped and
     *                          accepted "no worse")
     * @param meanRequests      average canary requests (per target; stable served as many) at the
     *                          rollback, over the canaries rolled back
     * @param meanStop          average canary requests at the stop, whichever it was (the horizon for
     *                          those never stopped): Wald's E[N]
     * @param fixedN            per-group sample size of a one-sided fixed-horizon test at the same alpha with
     *                          90% power for this effect
     */
    public record EffectRow(double stableRate, double canaryRate, double power, double wronglyPromoted,
                            double meanRequests, double meanStop, double fixedN) {
        /** Average requests to roll back over the fixed-horizon sample size for this effect. */
        public double ratio() {
            return meanRequests / fixedN;
        }
    }

    /**
     * @param name   the judge and its settings
     * @param aa     A/A with it
     * @param effect 1% to 2% with it
     */
    public record VariantRow(String name, AaRow aa, EffectRow effect) {
    }

    /** The 1% to 2% row. */
    public EffectRow doubling() {
        return doubling(effects);
    }

    /** The oracle SPRT's 1% to 2% row. */
    public EffectRow oracleDoubling() {
        return doubling(oracles);
    }

    private static EffectRow doubling(List<EffectRow> rows) {
        return rows.stream().filter(e -> Math.abs(e.canaryRate() - 2 * e.stableRate()) < 1e-12).findFirst()
                .orElseThrow();
    }

    public boolean meetsFalseRollbackTarget() {
        return aa.sequentialRollback() <= TARGET_FALSE_ROLLBACK;
    }

    public boolean meetsRatioTarget() {
        return doubling().ratio() <= TARGET_RATIO;
    }

    public String describe() {
        StringBuilder s = new StringBuilder();
        double noise = 1.96 * Math.sqrt(0.05 * 0.95 / runs);
        s.append(String.format(Locale.ROOT, "canary statistics: %,d simulated canaries per row, seed %d; sequential judge "
                        + "relative-risk, alpha %.2f, detect_ratio %.2g, spread %.2g, tolerated_ratio %.2g%n", runs, seed,
                judge.alpha(), judge.detectRatio(), judge.spread(), judge.toleratedRatio()));
        s.append(String.format(Locale.ROOT, "A/A: both %.0f%% errors, %,d requests a target an interval, %d intervals, "
                        + "judged at every interval (+-%.1f points of sampling noise at 5%%)%n",
                CanaryStatsBenchmark.AA_RATE * 100, CanaryStatsBenchmark.AA_REQUESTS, CanaryStatsBenchmark.AA_INTERVALS,
                noise * 100));
        s.append(String.format(Locale.ROOT, "  sequential (relative-risk) false rollbacks   %5.1f%%  (target <= %.0f%%: %s)%n",
                aa.sequentialRollback() * 100, TARGET_FALSE_ROLLBACK * 100, meetsFalseRollbackTarget() ? "met" : "MISSED"));
        s.append(String.format(Locale.ROOT, "    FAIL at any interval, success ignored %5.1f%%; finished early with SUCCESS %5.1f%%%n",
                aa.sequentialEverFail() * 100, aa.sequentialSuccess() * 100));
        s.append(String.format(Locale.ROOT, "  stepped A/A (canary 10%%, 25%%, 50%% of 2,000 requests an interval, 10 intervals "
                + "each, both error rates drifting 0.5-1.5%%): relative-risk %.1f%%, mSPRT %.1f%%%n", steppedAa * 100,
                steppedAaMsprt * 100));
        s.append(String.format(Locale.ROOT, "  fixed-horizon z-test, peeked at every interval  %5.1f%%  (inflated: %s)%n",
                aa.peekingZRollback() * 100, aa.peekingZRollback() > 2 * judge.alpha() ? "shown" : "NOT SHOWN"));
        s.append(String.format(Locale.ROOT, "  fixed-horizon z-test, judged once at the end    %5.1f%%%n",
                aa.finalZRollback() * 100));
        s.append(String.format(Locale.ROOT, "Worse canaries: %,d requests a target an interval, up to %d intervals; requests "
                        + "are per target; fixed-horizon n: one-sided alpha %.2f, power 90%%, per group%n",
                CanaryStatsBenchmark.EFFECT_REQUESTS, CanaryStatsBenchmark.EFFECT_INTERVALS, judge.alpha()));
        s.append(String.format(Locale.ROOT, "  %-13s %7s %9s %14s %8s %6s %8s | %-30s%n", "", "", "", "", "", "", "vs n",
                "oracle SPRT for the true effect"));
        s.append(String.format(Locale.ROOT, "  %-13s %7s %9s %14s %8s %6s %8s | %6s %8s %6s %10s%n", "error rate", "power",
                "promoted", "mean requests", "fixed n", "ratio", "planned", "power", "mean", "ratio", "E[N] ratio"));
        for (int i = 0; i < effects.size(); i++) {
            EffectRow e = effects.get(i);
            EffectRow o = oracles.get(i);
            s.append(String.format(Locale.ROOT, "  %-13s %6.1f%% %8.1f%% %14.0f %8.0f %6.2f %8.2f | %5.1f%% %8.0f %6.2f %10.2f%n",
                    String.format(Locale.ROOT, "%.1f%% -> %.1f%%", e.stableRate() * 100, e.canaryRate() * 100),
                    e.power() * 100, e.wronglyPromoted() * 100, e.meanRequests(), e.fixedN(), e.ratio(),
                    e.meanRequests() / plannedN, o.power() * 100, o.meanRequests(), o.ratio(), o.meanStop() / o.fixedN()));
        }
        s.append(String.format(Locale.ROOT, "  (vs n planned: over the %,.0f requests a fixed-horizon test planned for the "
                + "smallest effect needs whatever the true effect; oracle SPRT: Wald's SPRT of the true ratio against "
                + "equal rates, alpha 0.05, beta 0.10, on the same exposure-conditioned likelihood; its mean and ratio are "
                + "to rollback, E[N] over every stop)%n", plannedN));
        s.append(String.format(Locale.ROOT, "  at 1%% -> 2%%: ratio %.2f (target <= %.2f: %s); the oracle SPRT %.2f%n",
                doubling().ratio(), TARGET_RATIO, meetsRatioTarget() ? "met" : "MISSED", oracleDoubling().ratio()));
        s.append(String.format(Locale.ROOT, "  Wald's bound at the effect a fixed test is planned for: ratio >= %.2f for a test "
                + "that stops only to reject, >= %.2f (E[N]) for any test with this alpha and power%n", floor, bestFloor));
        s.append("Settings and the earlier mSPRT (A/A false rollbacks; 1% -> 2%: power, mean requests to rollback, ratio)\n");
        for (VariantRow v : variants) {
            s.append(String.format(Locale.ROOT, "  %-40s A/A %5.1f%%   power %5.1f%%   mean %6.0f   ratio %.2f%n", v.name(),
                    v.aa().sequentialRollback() * 100, v.effect().power() * 100, v.effect().meanRequests(),
                    v.effect().ratio()));
        }
        s.append(defaultPlan.describe());
        s.append(String.format(Locale.ROOT, "%.1f s, %d cores, Java %s%n", seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version")));
        return s.toString();
    }
}
