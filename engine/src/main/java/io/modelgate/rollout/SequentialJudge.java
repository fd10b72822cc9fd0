package io.modelgate.rollout;

import java.util.Locale;

/**
 * An anytime-valid sequential test of the canary's error rate against the stable version's, safe to
 * consult at every analysis interval: two one-sided mSPRTs ({@link Msprt}) on the cumulative counts.
 *
 * <ul>
 *   <li><b>Harm</b> (FAIL, roll back): H0 "the canary's error rate is not higher", {@code d <= 0}, with
 *       {@code d = p_canary - p_stable}. Statistic: the half-normal mixture likelihood ratio
 *       {@link Msprt#harmLikelihoodRatio} with the pooled variance
 *       {@code v = p(1-p)(1/n_stable + 1/n_canary)}, {@code p} the pooled error rate (the estimate
 *       under H0). FAIL when it reaches {@code 1/alpha} (and then {@code d > 0}). The chance that an A/A
 *       canary is ever rolled back, however many intervals it runs, is at most alpha (up to the normal
 *       approximation of the counts).</li>
 *   <li><b>Not worse</b> (SUCCESS, finish early): H0 "the canary's error rate is at least the stable
 *       one's plus the margin", {@code d >= margin}. Statistic: the mirror image, the harm ratio of
 *       {@code margin - d}, with the unpooled variance
 *       {@code p_s(1-p_s)/n_s + p_c(1-p_c)/n_c} computed from rates smoothed as
 *       {@code (errors + 1/2) / (requests + 1)}, so that two error-free targets still get a positive
 *       variance. SUCCESS when it reaches {@code 1/alpha} (and then {@code d < margin}): with
 *       probability at least {@code 1 - alpha} a canary whose error rate exceeds the stable one's by
 *       the margin or more is never declared a success.</li>
 *   <li>Otherwise PASS (go on collecting); INCONCLUSIVE while either target has no requests.</li>
 * </ul>
 * Harm is checked first, so a canary is never both.
 *
 * <p>The mixing scale {@code tau} is the size of difference the test is tuned to find fastest
 * (Optimizely's advice: the minimum detectable effect). The default, 0.01 (one percentage point), suits
 * error rates around 1%, where doubling the error rate is the regression that matters; see
 * docs/performance.md, "Canary statistics", for what it gives.
 *
 * @param alpha  chance of a false rollback of an A/A canary, and of a false success, at most; in (0, 1)
 * @param tau    scale of the mixing distribution, in error-rate units (0.01 = one percentage point)
 * @param margin tolerated increase of the error rate for an early SUCCESS, in error-rate units (0.005 =
 *               half a percentage point); 0 or more
 */
public record SequentialJudge(double alpha, double tau, double margin) implements Judge {
    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_TAU = 0.01;
    public static final double DEFAULT_MARGIN = 0.005;

    public SequentialJudge {
        if (!(alpha > 0 && alpha < 1)) {
            throw new RolloutException("sequential judge: alpha must be between 0 and 1, found " + alpha);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new RolloutException("sequential judge: tau must be positive, found " + tau);
        }
        if (!(margin >= 0) || Double.isInfinite(margin)) {
            throw new RolloutException("sequential judge: margin must be 0 or more, found " + margin);
        }
    }

    /** alpha 0.05, tau 0.01, margin 0.005. */
    public SequentialJudge() {
        this(DEFAULT_ALPHA, DEFAULT_TAU, DEFAULT_MARGIN);
    }

    /**
     * The test's call on cumulative counts, without building a sentence (the benchmark calls this
     * millions of times).
     *
     * @param outcome     the call
     * @param difference  {@code p_canary - p_stable}; NaN when either has no requests
     * @param harmRatio   the harm likelihood ratio; NaN when not computed
     * @param successRatio the not-worse likelihood ratio; NaN when not computed
     */
    public record Decision(JudgeOutcome outcome, double difference, double harmRatio, double successRatio) {
    }

    public Decision decide(Counts stable, Counts canary) {
        if (stable.requests() == 0 || canary.requests() == 0) {
            return new Decision(JudgeOutcome.INCONCLUSIVE, Double.NaN, Double.NaN, Double.NaN);
        }
        double ns = stable.requests();
        double nc = canary.requests();
        double d = canary.errorRate() - stable.errorRate();
        double tau2 = tau * tau;
        double threshold = -Math.log(alpha);

        double pooled = (stable.errors() + canary.errors()) / (ns + nc);
        double pooledVariance = pooled * (1 - pooled) * (1 / ns + 1 / nc);
        // No errors anywhere (or only errors): no evidence of harm at all; the ratio's limit is 0.
        double logHarm = pooledVariance > 0 ? Msprt.logHarmLikelihoodRatio(d, pooledVariance, tau2)
                : Double.NEGATIVE_INFINITY;
        if (logHarm >= threshold && d > 0) {
            return new Decision(JudgeOutcome.FAIL, d, Math.exp(logHarm), Double.NaN);
        }
        double ps = (stable.errors() + 0.5) / (ns + 1);
        double pc = (canary.errors() + 0.5) / (nc + 1);
        double smoothedVariance = ps * (1 - ps) / ns + pc * (1 - pc) / nc;
        double logSuccess = Msprt.logHarmLikelihoodRatio(margin - d, smoothedVariance, tau2);
        JudgeOutcome outcome = logSuccess >= threshold && d < margin ? JudgeOutcome.SUCCESS : JudgeOutcome.PASS;
        return new Decision(outcome, d, Math.exp(logHarm), Math.exp(logSuccess));
    }

    @Override
    public Judgement judge(Observations observations) {
        Counts stable = observations.stable();
        Counts canary = observations.canary();
        Decision decision = decide(stable, canary);
        double bound = 1 / alpha;
        String rates = String.format(Locale.ROOT, "canary error rate %s (%d/%d) vs stable %s (%d/%d)",
                percent(canary.errorRate()), canary.errors(), canary.requests(), percent(stable.errorRate()),
                stable.errors(), stable.requests());
        return switch (decision.outcome()) {
            case INCONCLUSIVE -> new Judgement("sequential", JudgeOutcome.INCONCLUSIVE, "likelihood ratio", Double.NaN,
                    String.format(Locale.ROOT, "no error rate to compare yet: %d stable and %d canary requests",
                            stable.requests(), canary.requests()));
            case FAIL -> new Judgement("sequential", JudgeOutcome.FAIL, "likelihood ratio", decision.harmRatio(),
                    String.format(Locale.ROOT, "%s: the canary is worse; harm likelihood ratio %s >= %s (alpha %s, "
                            + "anytime-valid mSPRT)", rates, number(decision.harmRatio()), number(bound), number(alpha)));
            case SUCCESS -> new Judgement("sequential", JudgeOutcome.SUCCESS, "likelihood ratio",
                    decision.successRatio(), String.format(Locale.ROOT,
                            "%s: the canary is not worse than stable + %s; likelihood ratio %s >= %s (alpha %s, "
                                    + "anytime-valid mSPRT)", rates, percent(margin), number(decision.successRatio()),
                            number(bound), number(alpha)));
            case PASS -> new Judgement("sequential", JudgeOutcome.PASS, "likelihood ratio", decision.harmRatio(),
                    String.format(Locale.ROOT, "%s: no evidence yet; harm likelihood ratio %s and not-worse "
                                    + "(margin %s) ratio %s, both below %s (alpha %s); keep collecting", rates,
                            number(decision.harmRatio()), percent(margin), number(decision.successRatio()),
                            number(bound), number(alpha)));
        };
    }

    private static String percent(double rate) {
        return String.format(Locale.ROOT, "%.3g%%", rate * 100);
    }

    private static String number(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
