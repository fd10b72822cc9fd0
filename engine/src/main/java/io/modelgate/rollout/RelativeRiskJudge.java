package io.modelgate.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The default sequential judge: an anytime-valid test of the canary's error rate <em>relative</em> to
 * the stable version's, conditioned on exposure, in the style of Lindon and Malek, "Rapid Regression
 * Detection in Software Deployments through Sequential Testing" (KDD 2022). Safe to consult at every
 * analysis interval, with any traffic weights, changed at any step.
 *
 * <p><b>The statistic.</b> Split the traffic into increments between looks (analyses, step starts).
 * In an increment the stable version served {@code n_s} requests and the canary {@code n_c}; of the
 * {@code x = x_s + x_c} errors, {@code x_c} were the canary's. Given {@code x}, each error is the
 * canary's with probability {@code theta(r) = r n_c / (r n_c + n_s)}, where {@code r = p_c / p_s} is the
 * relative risk (the canary's error rate over the stable one's). The baseline error rate cancels, so it
 * may drift between increments and need not be known; the exposure share {@code n_c / (n_c + n_s)} is
 * whatever the weights were. The likelihood ratio of risk {@code r} against equal risk in one increment
 * is ({@link #logLikelihoodRatio})
 * <pre>
 *   ln LR(r) = x_c ln r - x ln(1 + (r - 1) n_c / (n_c + n_s))
 * </pre>
 * and over a canary the product over increments.
 *
 * <ul>
 *   <li><b>Harm</b> (FAIL, roll back): H0 "the canary is not worse", {@code r <= 1}. Statistic: a
 *       mixture of {@code LR(r)} over {@code r > 1}, weights from a normal prior on {@code ln r}
 *       centred on {@code ln detectRatio} with standard deviation {@code spread} (33 grid points within
 *       4 standard deviations, those with {@code r <= 1} dropped; {@code spread} 0 is the single point
 *       {@code detectRatio}: Wald's SPRT for that ratio). FAIL when it reaches {@code 1/alpha}. Every
 *       component is a nonnegative supermartingale under any {@code r <= 1} (the conditional count is
 *       an exponential family in {@code ln r}; with per-request errors it is hypergeometric or smaller
 *       in convex order, Hoeffding 1963), so by Ville's inequality the chance that an A/A canary, or a
 *       better one, is <em>ever</em> rolled back, however many intervals it runs and however the weights
 *       change, is at most alpha. No normal approximation.</li>
 *   <li><b>Not worse</b> (SUCCESS, finish early): H0 "the canary errs at least {@code toleratedRatio}
 *       times as often", {@code r >= toleratedRatio}. Statistic: the mirror image,
 *       {@code LR(1) / LR(toleratedRatio)}, a supermartingale under any {@code r >= toleratedRatio}.
 *       SUCCESS when it reaches {@code 1/alpha}: with probability at least {@code 1 - alpha} a canary
 *       that errs {@code toleratedRatio} times as often or more is never finished early (exact for
 *       Poisson error counts; with per-request errors the conditional odds ratio exceeds the risk ratio,
 *       which only makes SUCCESS harder).</li>
 *   <li>Otherwise PASS (go on collecting; also while nobody has erred: a ratio of rates needs errors);
 *       INCONCLUSIVE while either target has no requests.</li>
 * </ul>
 * Harm is checked first, so a canary is never both. Increments in which one target served nothing
 * (a 0% or 100% step) carry no evidence: every error's side is known in advance. An increment in which
 * a counter went down (a metrics source restarted) is skipped, and counting goes on from there.
 *
 * <p>Why a mixture and not the single point: the single point {@code r = 2} is the fastest power-one
 * test at exactly {@code r = 2}, but slow for other ratios; the narrow mixture costs a few percent at
 * {@code r = 2} and gains at 1.5 and 3. docs/performance.md, "Canary statistics", has the figures.
 *
 * @param alpha          chance of a false rollback of a canary that is not worse, and of a false early
 *                       success, at most; in (0, 1)
 * @param detectRatio    the relative risk the test is tuned to roll back fastest (2 = twice the stable
 *                       error rate); above 1
 * @param spread         standard deviation of the prior on the natural log of the ratio; 0 for the
 *                       single point; 0 to 2
 * @param toleratedRatio relative risk ruled out before an early SUCCESS; above 1
 */
public record RelativeRiskJudge(double alpha, double detectRatio, double spread, double toleratedRatio) implements Judge {
    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_DETECT_RATIO = 2.0;
    public static final double DEFAULT_SPREAD = 0.2;
    public static final double DEFAULT_TOLERATED_RATIO = 1.5;
    /** Largest spread and detect ratio accepted; beyond them the prior is mostly wasted on absurd ratios. */
    public static final double MAX_SPREAD = 2.0;
    public static final double MAX_RATIO = 1000.0;
    /** Grid points of the prior; odd, so that {@code detectRatio} itself is one. */
    static final int GRID = 33;
    /** The grid covers this many standard deviations either side of {@code ln detectRatio}. */
    static final double GRID_SDS = 4.0;

    public RelativeRiskJudge {
        if (!(alpha > 0 && alpha < 1)) {
            throw new RolloutException("sequential judge: alpha must be between 0 and 1, found " + alpha);
        }
        if (!(detectRatio > 1 && detectRatio <= MAX_RATIO)) {
            throw new RolloutException("sequential judge: detect_ratio must be above 1 and at most " + (int) MAX_RATIO
                    + ", found " + detectRatio);
        }
        if (!(spread >= 0 && spread <= MAX_SPREAD)) {
            throw new RolloutException("sequential judge: spread must be from 0 to " + MAX_SPREAD + ", found " + spread);
        }
        if (!(toleratedRatio > 1 && toleratedRatio <= MAX_RATIO)) {
            throw new RolloutException("sequential judge: tolerated_ratio must be above 1 and at most " + (int) MAX_RATIO
                    + ", found " + toleratedRatio);
        }
    }

    /** alpha 0.05, detect ratio 2, spread 0.2, tolerated ratio 1.5. */
    public RelativeRiskJudge() {
        this(DEFAULT_ALPHA, DEFAULT_DETECT_RATIO, DEFAULT_SPREAD, DEFAULT_TOLERATED_RATIO);
    }

    /**
     * The log likelihood ratio of relative risk {@code ratio} against equal risk in one increment:
     * {@code x_c ln r - x ln(1 + (r - 1) n_c / (n_c + n_s))}; 0 (no evidence) when either target served
     * nothing or nobody erred.
     */
    public static double logLikelihoodRatio(double ratio, Counts stableIncrement, Counts canaryIncrement) {
        long x = stableIncrement.errors() + canaryIncrement.errors();
        if (stableIncrement.requests() == 0 || canaryIncrement.requests() == 0 || x == 0) {
            return 0;
        }
        double share = (double) canaryIncrement.requests() / (canaryIncrement.requests() + stableIncrement.requests());
        return canaryIncrement.errors() * Math.log(ratio) - x * Math.log1p((ratio - 1) * share);
    }

    /**
     * The prior over the relative risk, on a grid: {@code ratios[k]} with weight {@code exp(logWeights[k])},
     * weights summing to 1.
     */
    public record Prior(double[] ratios, double[] logWeights) {
        public Prior {
            ratios = ratios.clone();
            logWeights = logWeights.clone();
        }

        @Override
        public double[] ratios() {
            return ratios.clone();
        }

        @Override
        public double[] logWeights() {
            return logWeights.clone();
        }
    }

    /** The harm prior of these settings (see the class comment). */
    public Prior prior() {
        if (spread == 0) {
            return new Prior(new double[] {detectRatio}, new double[] {0});
        }
        double centre = Math.log(detectRatio);
        List<double[]> points = new ArrayList<>();
        double step = 2 * GRID_SDS * spread / (GRID - 1);
        double total = 0;
        for (int k = 0; k < GRID; k++) {
            double logRatio = centre - GRID_SDS * spread + k * step;
            if (logRatio <= 0) {
                continue; // r <= 1 is the null: such a component would only dilute the evidence
            }
            double z = (logRatio - centre) / spread;
            double w = Math.exp(-0.5 * z * z);
            total += w;
            points.add(new double[] {Math.exp(logRatio), w});
        }
        double[] ratios = new double[points.size()];
        double[] logWeights = new double[points.size()];
        for (int k = 0; k < ratios.length; k++) {
            ratios[k] = points.get(k)[0];
            logWeights[k] = Math.log(points.get(k)[1] / total);
        }
        return new Prior(ratios, logWeights);
    }

    /** Evidence before any traffic. */
    public Evidence start() {
        Prior prior = prior();
        double[] ratios = prior.ratios;
        double[] logRatios = new double[ratios.length];
        for (int k = 0; k < ratios.length; k++) {
            logRatios[k] = Math.log(ratios[k]);
        }
        return new Evidence(new Mixture(ratios, logRatios, prior.logWeights, toleratedRatio, Math.log(toleratedRatio)),
                new double[ratios.length], 0, Counts.ZERO, Counts.ZERO);
    }

    /** The prior's grid with what every increment needs, computed once per canary. */
    record Mixture(double[] ratios, double[] logRatios, double[] logWeights, double tolerated,
                           double logTolerated) {
    }

    /**
     * What a canary's increments so far say: the log likelihood ratio of every grid ratio against equal
     * risk, and the not-worse log likelihood ratio. Immutable; {@link #plus} gives the next one.
     *
     * @param stable the stable version's counts that went into it (increments skipped after a counter
     *               went down are not in it)
     * @param canary the canary's
     */
    public record Evidence(Mixture mixture, double[] logRatios, double logSuccess, Counts stable, Counts canary) {
        // The arrays are never written after construction (plus() clones), so they are not copied here:
        // the benchmark builds millions of these.

        @Override
        public double[] logRatios() {
            return logRatios.clone();
        }

        /** Adds one increment: what each target served since the previous look. */
        public Evidence plus(Counts stableIncrement, Counts canaryIncrement) {
            long ns = stableIncrement.requests();
            long nc = canaryIncrement.requests();
            long x = stableIncrement.errors() + canaryIncrement.errors();
            Counts s = stable.plus(stableIncrement);
            Counts c = canary.plus(canaryIncrement);
            if (ns == 0 || nc == 0 || x == 0) {
                return new Evidence(mixture, logRatios, logSuccess, s, c);
            }
            double share = (double) nc / (nc + ns);
            long xc = canaryIncrement.errors();
            double[] next = logRatios.clone();
            for (int k = 0; k < next.length; k++) {
                next[k] += xc * mixture.logRatios[k] - x * Math.log1p((mixture.ratios[k] - 1) * share);
            }
            double success = logSuccess - xc * mixture.logTolerated + x * Math.log1p((mixture.tolerated - 1) * share);
            return new Evidence(mixture, next, success, s, c);
        }

        /** Log of the harm mixture likelihood ratio; 0 before any evidence. */
        public double logHarm() {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < logRatios.length; k++) {
                max = Math.max(max, logRatios[k] + mixture.logWeights[k]);
            }
            double sum = 0;
            for (int k = 0; k < logRatios.length; k++) {
                sum += Math.exp(logRatios[k] + mixture.logWeights[k] - max);
            }
            return max + Math.log(sum);
        }
    }

    /**
     * The call on the evidence, without building a sentence (the benchmark calls this millions of times).
     *
     * @param outcome      the call
     * @param harmRatio    the harm mixture likelihood ratio; NaN when INCONCLUSIVE
     * @param successRatio the not-worse likelihood ratio; NaN when INCONCLUSIVE
     */
    public record Decision(JudgeOutcome outcome, double harmRatio, double successRatio) {
    }

    /** FAIL, SUCCESS, PASS or INCONCLUSIVE on the evidence and the cumulative counts of both targets. */
    public Decision decide(Evidence evidence, Counts stable, Counts canary) {
        if (stable.requests() == 0 || canary.requests() == 0) {
            return new Decision(JudgeOutcome.INCONCLUSIVE, Double.NaN, Double.NaN);
        }
        double threshold = Math.log(1 / alpha);
        double logHarm = evidence.logHarm();
        double logSuccess = evidence.logSuccess();
        JudgeOutcome outcome = logHarm >= threshold ? JudgeOutcome.FAIL
                : logSuccess >= threshold ? JudgeOutcome.SUCCESS : JudgeOutcome.PASS;
        return new Decision(outcome, Math.exp(logHarm), Math.exp(logSuccess));
    }

    /** The evidence of a sequence of cumulative looks, oldest first, each increment one factor. */
    public Evidence evidence(List<Observations.Look> looks) {
        return evidence(new Observations.Look(Counts.ZERO, Counts.ZERO), looks);
    }

    /** The evidence of the increments after {@code from}. */
    private Evidence evidence(Observations.Look from, List<Observations.Look> looks) {
        Evidence e = start();
        Observations.Look previous = from;
        for (Observations.Look look : looks) {
            Counts ds = difference(look.stable(), previous.stable());
            Counts dc = difference(look.canary(), previous.canary());
            if (ds != null && dc != null) {
                e = e.plus(ds, dc);
            }
            // After a counter went down, count on from the new value (that increment is skipped, not guessed).
            previous = look;
        }
        return e;
    }

    /** now - before, or null when a count went down. */
    private static Counts difference(Counts now, Counts before) {
        long requests = now.requests() - before.requests();
        long errors = now.errors() - before.errors();
        return requests < 0 || errors < 0 || errors > requests ? null : new Counts(requests, errors);
    }

    @Override
    public Judgement judge(Observations observations) {
        Counts stable = observations.stable();
        Counts canary = observations.canary();
        List<Observations.Look> looks = new ArrayList<>(observations.earlier());
        looks.add(new Observations.Look(stable, canary));
        Evidence evidence = evidence(looks);
        Decision decision = decide(evidence, stable, canary);
        if (decision.outcome() == JudgeOutcome.SUCCESS && observations.stepStart() > 0) {
            // not worse at this step's weight: from the look that began the step, a supermartingale of its own
            int from = observations.stepStart();
            Evidence step = evidence(looks.get(from), looks.subList(from + 1, looks.size()));
            if (step.logSuccess() < Math.log(1 / alpha)) {
                decision = new Decision(JudgeOutcome.PASS, decision.harmRatio(), Math.exp(step.logSuccess()));
            } else {
                decision = new Decision(JudgeOutcome.SUCCESS, decision.harmRatio(), Math.exp(step.logSuccess()));
            }
        }
        double bound = 1 / alpha;
        String rates = String.format(Locale.ROOT, "canary error rate %s (%d/%d) vs stable %s (%d/%d)",
                percent(canary.errorRate()), canary.errors(), canary.requests(), percent(stable.errorRate()),
                stable.errors(), stable.requests());
        String test = String.format(Locale.ROOT, "alpha %s, anytime-valid relative-risk SPRT tuned for x%s", plain(alpha),
                plain(detectRatio));
        return switch (decision.outcome()) {
            case INCONCLUSIVE -> new Judgement("sequential", JudgeOutcome.INCONCLUSIVE, "likelihood ratio", Double.NaN,
                    String.format(Locale.ROOT, "no error rate to compare yet: %d stable and %d canary requests",
                            stable.requests(), canary.requests()));
            case FAIL -> new Judgement("sequential", JudgeOutcome.FAIL, "likelihood ratio", decision.harmRatio(),
                    String.format(Locale.ROOT, "%s: the canary is worse; harm likelihood ratio %s >= %s (%s)", rates,
                            number(decision.harmRatio()), number(bound), test));
            case SUCCESS -> new Judgement("sequential", JudgeOutcome.SUCCESS, "likelihood ratio", decision.successRatio(),
                    String.format(Locale.ROOT, "%s: the canary errs less than %s times as often as stable; likelihood "
                                    + "ratio %s >= %s (%s)", rates, plain(toleratedRatio), number(decision.successRatio()),
                            number(bound), test));
            case PASS -> new Judgement("sequential", JudgeOutcome.PASS, "likelihood ratio", decision.harmRatio(),
                    String.format(Locale.ROOT, "%s: no evidence yet%s; harm likelihood ratio %s and not-worse "
                                    + "(x%s) ratio %s, both below %s (%s); keep collecting", rates,
                            evidence.stable().errors() + evidence.canary().errors() == 0 ? " (no errors on either side)" : "",
                            number(decision.harmRatio()), plain(toleratedRatio), number(decision.successRatio()),
                            number(bound), test));
        };
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.3g%%", rate * 100);
    }

    /** A setting as the plan would spell it: 1.5, 0.05, 2. */
    private static String plain(double x) {
        return java.math.BigDecimal.valueOf(x).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private static String number(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
