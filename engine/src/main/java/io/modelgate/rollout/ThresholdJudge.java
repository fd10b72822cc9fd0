package io.modelgate.rollout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fixed bounds per metric, like Flagger's metric checks (request success rate >= 99%, p99 latency <=
 * 500 ms), plus bounds relative to the stable version.
 *
 * <p>Metrics by name:
 * <ul>
 *   <li>{@value #ERROR_RATE}: errors per request from the cumulative {@link Counts};</li>
 *   <li>{@value #SUCCESS_RATE}: one minus that;</li>
 *   <li>{@code latency-pNN} (e.g. {@code latency-p99}, {@code latency-p99.9}): the NN-th percentile
 *       (nearest rank) of the finite latency samples of the last interval, milliseconds;</li>
 *   <li>any other name: {@link Observations#metrics()} (the built-in names above win).</li>
 * </ul>
 *
 * <p>Outcome: FAIL when any bound is violated; otherwise INCONCLUSIVE when the canary has fewer than
 * {@code minRequests} requests, a metric is missing or NaN, or a relative bound meets a stable value
 * that is zero or not finite (a ratio to zero proves nothing, kayenta#377) while the canary's is not
 * zero too (both zero meets any relative bound); otherwise PASS. Except
 * that below {@code minRequests} nothing else is judged: the canary is INCONCLUSIVE even if a bound
 * is violated, since a handful of requests is noise.
 *
 * <p><b>Under repeated looks.</b> With {@code alpha} above 0 (what a plan's guards use), an absolute
 * bound on a rate the canary's own counts measure is a test, not a comparison of a noisy estimate:
 * the error rate (success rate) against its bound on the canary's cumulative counts, and a latency
 * percentile {@code pNN <= L} as what it means, "at most {@code 1 - NN/100} of the requests take longer
 * than {@code L}", on the last interval's samples. Such a bound FAILs only when the binomial tail
 * {@code P(Bin(n, bound) >= x)} of what was seen is at most look {@code k}'s share of alpha,
 * {@code alpha_k = alpha * 6 / (pi^2 k^2)} (shares that sum to {@code alpha} over all looks), split
 * evenly over the bounds tested. So a canary that meets every bound is rolled back by them with
 * probability at most {@code alpha}, however many intervals it runs; a percentile from a handful of
 * samples cannot fail on one slow request. Other bounds (relative ones, named metrics, a source's own
 * percentile without samples) are compared as points. With {@code alpha} 0 every bound is a point
 * comparison, as Flagger makes it.
 *
 * @param thresholds  the bounds, at least one
 * @param minRequests canary requests needed before judging, 0 or more
 * @param alpha       the chance, at most, that the tested bounds roll back a canary that meets them; 0 for
 *                    point comparisons
 */
public record ThresholdJudge(List<MetricThreshold> thresholds, long minRequests, double alpha) implements Judge {
    public static final String ERROR_RATE = "error-rate";
    public static final String SUCCESS_RATE = "success-rate";
    private static final Pattern LATENCY = Pattern.compile("latency-p(\\d{1,2}(?:\\.\\d+)?)");

    /** How a bound is set. */
    public enum Bound {
        /** The canary's value against a fixed number: {@code canary <= value} (or {@code >=}). */
        ABSOLUTE,
        /** Against the stable value scaled: {@code canary <= stable * (1 + value)} (or {@code >= stable * (1 - value)}). */
        RELATIVE,
        /** Against the stable value shifted: {@code canary <= stable + value} (or {@code >= stable - value}). */
        DIFFERENCE
    }

    /**
     * One bound on one metric.
     *
     * @param metric        the metric's name (see {@link ThresholdJudge})
     * @param kind          how the bound is set
     * @param value         the number, the tolerated relative change or the tolerated difference
     * @param lowerIsBetter true for error rates and latencies, false for success rates and accuracies
     */
    public record MetricThreshold(String metric, Bound kind, double value, boolean lowerIsBetter) {
        public MetricThreshold {
            if (metric == null || metric.isBlank()) {
                throw new RolloutException("threshold: a metric name is required");
            }
            if (kind == null) {
                throw new RolloutException("threshold for " + metric + ": a bound kind is required");
            }
            if (!Double.isFinite(value)) {
                throw new RolloutException("threshold for " + metric + ": the bound must be a finite number, found " + value);
            }
            if (kind != Bound.ABSOLUTE && value < 0) {
                throw new RolloutException("threshold for " + metric + ": a tolerated change must be 0 or more, found " + value);
            }
        }

        /** Canary error rate at most {@code rate}. */
        public static MetricThreshold errorRateAtMost(double rate) {
            return new MetricThreshold(ERROR_RATE, Bound.ABSOLUTE, rate, true);
        }

        /** Canary error rate at most the stable one times {@code 1 + relative}. */
        public static MetricThreshold errorRateRelative(double relative) {
            return new MetricThreshold(ERROR_RATE, Bound.RELATIVE, relative, true);
        }

        /** Canary error rate at most the stable one plus {@code difference}. */
        public static MetricThreshold errorRateDifference(double difference) {
            return new MetricThreshold(ERROR_RATE, Bound.DIFFERENCE, difference, true);
        }

        /** Canary success rate at least {@code rate} (Flagger's request-success-rate). */
        public static MetricThreshold successRateAtLeast(double rate) {
            return new MetricThreshold(SUCCESS_RATE, Bound.ABSOLUTE, rate, false);
        }

        /** Canary p99 latency at most {@code ms} milliseconds (Flagger's request-duration). */
        public static MetricThreshold latencyP99AtMost(double ms) {
            return new MetricThreshold("latency-p99", Bound.ABSOLUTE, ms, true);
        }
    }

    /** Point comparisons only. */
    public ThresholdJudge(List<MetricThreshold> thresholds, long minRequests) {
        this(thresholds, minRequests, 0);
    }

    public ThresholdJudge {
        if (!(alpha >= 0 && alpha < 1)) {
            throw new RolloutException("threshold judge: alpha must be from 0 to below 1, found " + alpha);
        }
        thresholds = List.copyOf(thresholds);
        if (thresholds.isEmpty()) {
            throw new RolloutException("threshold judge: at least one threshold is required");
        }
        if (minRequests < 0) {
            throw new RolloutException("threshold judge: minRequests must be 0 or more, found " + minRequests);
        }
        for (MetricThreshold t : thresholds) {
            Matcher m = LATENCY.matcher(t.metric());
            if (m.matches() && !(Double.parseDouble(m.group(1)) > 0)) {
                throw new RolloutException("threshold for " + t.metric() + ": the percentile must be above 0");
            }
        }
    }

    private record Check(MetricThreshold threshold, JudgeOutcome outcome, double canary, String sentence) {
    }

    @Override
    public Judgement judge(Observations observations) {
        long requests = observations.canary().requests();
        if (requests < minRequests) {
            return new Judgement("threshold", JudgeOutcome.INCONCLUSIVE, "canary requests", requests,
                    String.format(Locale.ROOT, "only %d canary requests, at least %d needed", requests, minRequests));
        }
        List<Check> checks = new ArrayList<>();
        long tested = thresholds.stream().filter(t -> tested(t, observations)).count();
        int look = observations.earlier().size() + 1;
        for (MetricThreshold t : thresholds) {
            checks.add(tested(t, observations)
                    ? test(t, observations, BoundTest.share(alpha / tested, look), look)
                    : check(t, observations));
        }
        JudgeOutcome outcome = checks.stream().anyMatch(c -> c.outcome() == JudgeOutcome.FAIL) ? JudgeOutcome.FAIL
                : checks.stream().anyMatch(c -> c.outcome() == JudgeOutcome.INCONCLUSIVE) ? JudgeOutcome.INCONCLUSIVE
                : JudgeOutcome.PASS;
        List<Check> deciding = outcome == JudgeOutcome.PASS ? checks
                : checks.stream().filter(c -> c.outcome() != JudgeOutcome.PASS).toList();
        Check first = checks.stream().filter(c -> c.outcome() == outcome).findFirst().orElseThrow();
        String reason = String.join("; ", deciding.stream().map(Check::sentence).toList());
        return new Judgement("threshold", outcome, first.threshold().metric(), first.canary(), reason);
    }

    /** Whether {@code t} is judged as a test (see the class comment) rather than compared as a point. */
    private boolean tested(MetricThreshold t, Observations o) {
        if (alpha == 0 || t.kind() != Bound.ABSOLUTE) {
            return false;
        }
        String name = t.metric();
        if (name.equals(ERROR_RATE)) {
            return t.lowerIsBetter();
        }
        if (name.equals(SUCCESS_RATE)) {
            return !t.lowerIsBetter();
        }
        return LATENCY.matcher(name).matches() && t.lowerIsBetter() && o.canaryLatencyMs().length > 0;
    }

    /** A bound as a test: the share {@code q} of requests allowed past it, and how many of {@code n} went past. */
    private static Check test(MetricThreshold t, Observations o, double alphaK, int look) {
        String name = t.metric();
        long n;
        long x;
        double q;
        String what;
        if (name.equals(ERROR_RATE) || name.equals(SUCCESS_RATE)) {
            n = o.canary().requests();
            x = o.canary().errors();
            q = name.equals(ERROR_RATE) ? t.value() : 1 - t.value();
            what = x + " of " + n + " canary requests failed";
        } else {
            Matcher m = LATENCY.matcher(name);
            double percentile = m.matches() ? Double.parseDouble(m.group(1)) : 100;
            double[] samples = Arrays.stream(o.canaryLatencyMs()).filter(Double::isFinite).toArray();
            n = samples.length;
            x = Arrays.stream(samples).filter(v -> v > t.value()).count();
            q = 1 - percentile / 100;
            what = x + " of " + n + " canary requests of the last interval took over " + number(t.value()) + " ms";
        }
        double value = n == 0 ? Double.NaN : (double) x / n;
        double p = BoundTest.upperTail(x, n, q);
        boolean violated = n > 0 && value > q && p <= alphaK;
        String sentence = String.format(Locale.ROOT, "%s: %s (%s, at most %s allowed): %s (p = %s %s %s, look %d)", name, what,
                number(value), number(q), violated ? "violates the bound" : "meets the bound", number(p),
                violated ? "<=" : ">", number(alphaK), look);
        return new Check(t, violated ? JudgeOutcome.FAIL : JudgeOutcome.PASS, value, sentence);
    }

    private static Check check(MetricThreshold t, Observations o) {
        String name = t.metric();
        Observations.Pair pair = values(name, o);
        if (pair == null) {
            return new Check(t, JudgeOutcome.INCONCLUSIVE, Double.NaN,
                    name + ": no value for the canary or the stable version (the query returned nothing)");
        }
        double canary = pair.canary();
        double stable = pair.stable();
        String cmp = t.lowerIsBetter() ? "<=" : ">=";
        if (Double.isNaN(canary)) {
            return new Check(t, JudgeOutcome.INCONCLUSIVE, canary, name + ": the canary value is NaN (no data)");
        }
        double bound;
        String how;
        switch (t.kind()) {
            case ABSOLUTE -> {
                bound = t.value();
                how = "bound " + cmp + " " + number(bound);
            }
            case RELATIVE -> {
                if (stable == 0 && canary == 0) {
                    // nothing to compare, and nothing wrong: neither version erred (or waited) at all
                    return new Check(t, JudgeOutcome.PASS, canary, name + ": canary 0 meets the bound (stable 0 too)");
                }
                if (!Double.isFinite(stable) || stable == 0) {
                    return new Check(t, JudgeOutcome.INCONCLUSIVE, canary, String.format(Locale.ROOT,
                            "%s: canary %s cannot be compared relative to a stable value of %s (bound %s stable * %s)",
                            name, number(canary), number(stable), cmp, factor(t)));
                }
                bound = stable * (t.lowerIsBetter() ? 1 + t.value() : 1 - t.value());
                how = String.format(Locale.ROOT, "bound %s stable %s * %s = %s", cmp, number(stable), factor(t),
                        number(bound));
            }
            case DIFFERENCE -> {
                if (!Double.isFinite(stable)) {
                    return new Check(t, JudgeOutcome.INCONCLUSIVE, canary, String.format(Locale.ROOT,
                            "%s: canary %s cannot be compared with a stable value of %s (bound %s stable %s %s)",
                            name, number(canary), number(stable), cmp, t.lowerIsBetter() ? "+" : "-", number(t.value())));
                }
                bound = t.lowerIsBetter() ? stable + t.value() : stable - t.value();
                how = String.format(Locale.ROOT, "bound %s stable %s %s %s = %s", cmp, number(stable),
                        t.lowerIsBetter() ? "+" : "-", number(t.value()), number(bound));
            }
            default -> throw new IllegalStateException(t.kind().toString());
        }
        boolean met = t.lowerIsBetter() ? canary <= bound : canary >= bound;
        String stableText = t.kind() == Bound.ABSOLUTE ? ", stable " + number(stable) : "";
        return new Check(t, met ? JudgeOutcome.PASS : JudgeOutcome.FAIL, canary, String.format(Locale.ROOT,
                "%s: canary %s %s (%s%s)", name, number(canary), met ? "meets the bound" : "violates the bound",
                how, stableText));
    }

    private static String factor(MetricThreshold t) {
        return "(" + (t.lowerIsBetter() ? "1 + " : "1 - ") + number(t.value()) + ")";
    }

    /** Both values of a metric, NaN where there is no data; null when an external metric is absent. */
    private static Observations.Pair values(String name, Observations o) {
        if (name.equals(ERROR_RATE)) {
            return new Observations.Pair(o.stable().errorRate(), o.canary().errorRate());
        }
        if (name.equals(SUCCESS_RATE)) {
            return new Observations.Pair(1 - o.stable().errorRate(), 1 - o.canary().errorRate());
        }
        Matcher m = LATENCY.matcher(name);
        if (m.matches()) {
            if (o.stableLatencyMs().length == 0 && o.canaryLatencyMs().length == 0 && o.metrics().containsKey(name)) {
                // No per-request samples (Prometheus, HAProxy): the source's own quantile, e.g. from a histogram.
                return o.metrics().get(name);
            }
            double q = Double.parseDouble(m.group(1));
            return new Observations.Pair(percentile(o.stableLatencyMs(), q), percentile(o.canaryLatencyMs(), q));
        }
        Map<String, Observations.Pair> metrics = o.metrics();
        return metrics.get(name);
    }

    /** Nearest-rank percentile of the finite samples; NaN when there are none. */
    static double percentile(double[] samples, double q) {
        double[] finite = Arrays.stream(samples).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q / 100 * finite.length);
        return finite[Math.max(0, Math.min(finite.length, rank) - 1)];
    }

    private static String number(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
