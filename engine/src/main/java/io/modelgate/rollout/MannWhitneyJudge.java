package io.modelgate.rollout;

import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;

import java.util.Arrays;
import java.util.Locale;

/**
 * Kayenta's way of judging one metric: a Mann-Whitney U test of the canary's latency samples against
 * the stable version's, at a confidence level (Kayenta's default 98%). Kayenta classifies each metric
 * as High, Low or Pass and scores a canary as the share of metrics that pass (pass at 95, marginal at
 * 75); with the single latency metric judged here the score is 100 or 0, so the judge reports the
 * p-value and the classification instead.
 *
 * <ul>
 *   <li>FAIL ("High"): the two-sided p-value of the Mann-Whitney U test ({@link #twoSidedP}: normal
 *       approximation, no continuity or tie correction, as commons-math3's {@code MannWhitneyUTest}
 *       computed it) is below {@code 1 - confidence} and the canary's latencies rank higher,
 *       {@code U_canary > n_canary * n_stable / 2}.</li>
 *   <li>PASS: otherwise, a significantly <em>lower</em> latency ("Low") included.</li>
 *   <li>INCONCLUSIVE: fewer than {@code minSamples} finite samples on either side (NaN and infinite
 *       samples are dropped first).</li>
 * </ul>
 *
 * <p>Kayenta judges once, at the end of an analysis window; a rollout consults the judge at every
 * interval, and a test at a fixed alpha consulted at every interval rolled back 14.8% of A/A canaries at
 * a nominal 2%. So look {@code k} (the rollout's {@code k}-th look) tests at its share of alpha,
 * {@code alpha * 6 / (pi^2 k^2)}, shares that sum to alpha over any number of looks: the chance that an
 * A/A canary is ever rolled back by this judge stays at most {@code 1 - confidence}.
 *
 * @param confidence confidence level, in (0, 1); 0.98 means alpha 0.02 over all looks
 * @param minSamples finite latency samples needed on each side, at least 1
 */
public record MannWhitneyJudge(double confidence, int minSamples) implements Judge {
    public static final double DEFAULT_CONFIDENCE = 0.98;
    public static final int DEFAULT_MIN_SAMPLES = 20;

    public MannWhitneyJudge {
        if (!(confidence > 0 && confidence < 1)) {
            throw new RolloutException("mann-whitney judge: confidence must be between 0 and 1, found " + confidence);
        }
        if (minSamples < 1) {
            throw new RolloutException("mann-whitney judge: minSamples must be at least 1, found " + minSamples);
        }
    }

    /** 98% confidence, 20 samples a side. */
    public MannWhitneyJudge() {
        this(DEFAULT_CONFIDENCE, DEFAULT_MIN_SAMPLES);
    }

    @Override
    public Judgement judge(Observations observations) {
        double[] stable = finite(observations.stableLatencyMs());
        double[] canary = finite(observations.canaryLatencyMs());
        if (stable.length < minSamples || canary.length < minSamples) {
            return new Judgement("mann-whitney", JudgeOutcome.INCONCLUSIVE, "p", Double.NaN, String.format(Locale.ROOT,
                    "only %d canary and %d stable latency samples, at least %d a side needed",
                    canary.length, stable.length, minSamples));
        }
        int look = observations.earlier().size() + 1;
        double alpha = BoundTest.share(1 - confidence, look);
        double uCanary = canaryU(canary, stable);
        double p = twoSidedP(uCanary, canary.length, stable.length);
        double half = (double) canary.length * stable.length / 2;
        String medians = String.format(Locale.ROOT, "canary median latency %s ms vs stable %s ms (%d and %d samples)",
                number(median(canary)), number(median(stable)), canary.length, stable.length);
        String test = String.format(Locale.ROOT, "Mann-Whitney U %s, two-sided p %s", number(uCanary), number(p));
        if (p < alpha && uCanary > half) {
            return new Judgement("mann-whitney", JudgeOutcome.FAIL, "p", p, String.format(Locale.ROOT,
                    "%s: the canary is slower (High); %s < %s (look %d's share of %s)", medians, test, number(alpha),
                    look, number(1 - confidence)));
        }
        String classification = p < alpha ? "the canary is faster (Low); " + test + " < " + number(alpha)
                : "no significant difference (Pass); " + test + " >= " + number(alpha);
        return new Judgement("mann-whitney", JudgeOutcome.PASS, "p", p, String.format(Locale.ROOT,
                "%s: %s (look %d's share of %s)", medians, classification, look, number(1 - confidence)));
    }

    /** U of the canary: pairs where the canary is slower, ties counting one half. */
    static double canaryU(double[] canary, double[] stable) {
        double[] all = new double[canary.length + stable.length];
        System.arraycopy(canary, 0, all, 0, canary.length);
        System.arraycopy(stable, 0, all, canary.length, stable.length);
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).apply(all);
        double rankSum = 0;
        for (int i = 0; i < canary.length; i++) {
            rankSum += ranks[i];
        }
        return rankSum - (double) canary.length * (canary.length + 1) / 2;
    }

    /**
     * The two-sided p-value for U from the normal approximation without continuity or tie correction:
     * z = (min(U, n1 n2 - U) - n1 n2 / 2) / sqrt(n1 n2 (n1 + n2 + 1) / 12), p = 2 Phi(z). Commons
     * Statistics' {@code MannWhitneyUTest} always corrects the variance for ties (as SciPy does), which
     * changes p wherever latencies repeat (rounded to the millisecond, they do); the judge keeps the
     * p-values it has always given (docs/architecture.md, "Hand-written pieces and why").
     */
    static double twoSidedP(double u, int n1, int n2) {
        long n1n2 = (long) n1 * n2;
        double uMin = n1n2 - Math.max(u, n1n2 - u);
        double variance = n1n2 * (n1 + n2 + 1L) / 12.0;
        double z = (uMin - n1n2 / 2.0) / Math.sqrt(variance);
        return 2 * io.modelgate.common.Normal.cdf(z);
    }

    private static double[] finite(double[] samples) {
        return Arrays.stream(samples).filter(Double::isFinite).toArray();
    }

    private static double median(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String number(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
