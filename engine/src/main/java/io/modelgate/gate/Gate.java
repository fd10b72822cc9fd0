package io.modelgate.gate;

import io.modelgate.common.Normal;
import io.modelgate.common.Numbers;
import io.modelgate.common.StudentT;
import io.modelgate.metrics.Estimate;
import io.modelgate.metrics.Metric;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.Slices;
import io.modelgate.metrics.Uncertainties;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges a candidate's metrics against a policy. A pure function of its inputs; it fails closed:
 * a missing metric, a missing slice, NaN or infinity from a metrics file, a missing or zero baseline
 * for a change check all fail the check rather than pass it.
 *
 * <p>A check in {@link CheckMode#SIGNIFICANCE} mode fails only when a one-sided test says the bound
 * is missed: {@code p < (1 - confidence) / 2}, where {@code p} is the normal probability of the
 * measured value (or change) if the truth sat exactly on the bound. The checks of slices are one
 * family: Holm's step-down (or Benjamini-Hochberg's step-up) over their p-values keeps the chance
 * of any failure by noise at that level however many slices there are. Where no standard error is
 * known (a metrics file without intervals) the point value decides, and the message says so.
 */
public final class Gate {
    private static final String EXAMPLE_COUNT = Metric.EXAMPLE_COUNT.id();

    private Gate() {
    }

    public static Verdict evaluate(Policy policy, MetricSet candidate, GateInputs inputs, Instant now) {
        return evaluate(policy, candidate, MetricSet.empty(), inputs, now);
    }

    /** With {@code baseline} empty, change checks are skipped (or failed, if the policy requires a baseline). */
    public static Verdict evaluate(Policy policy, MetricSet candidate, MetricSet baseline, GateInputs inputs,
                                   Instant now) {
        return evaluate(policy, candidate, baseline, Uncertainties.none(), inputs, now);
    }

    /**
     * @param paired candidate-minus-baseline estimates from row-aligned predictions (the same rows judged
     *               by both models); where one is given for a scope and metric, a change check uses its
     *               standard error instead of combining the two models' as independent samples
     */
    public static Verdict evaluate(Policy policy, MetricSet candidate, MetricSet baseline, Uncertainties paired,
                                   GateInputs inputs, Instant now) {
        Optional<MetricSet> base = baseline.isEmpty() ? Optional.empty() : Optional.of(baseline);
        List<RuleResult> results = new ArrayList<>();
        for (Threshold t : policy.thresholds()) {
            List<String> slices = matchingSlices(t.slices(), candidate);
            if (slices.isEmpty()) {
                results.add(failure(t, t.slices(), Double.NaN, Double.NaN, Double.NaN,
                        "no slice of the candidate matches '" + t.slices() + "'"
                                + availableSlices(candidate) + "; check the slice columns or the policy", Evidence.NONE));
                continue;
            }
            for (String slice : slices) {
                results.add(new Check(t, slice, candidate, base, paired, policy.requireBaseline()).run());
            }
        }
        results = SliceFamily.correct(results, policy.sliceCorrection());
        Status status = results.stream().anyMatch(r -> r.outcome() == Outcome.FAIL) ? Status.FAIL
                : results.stream().anyMatch(r -> r.outcome() == Outcome.WARN) ? Status.WARN : Status.PASS;
        return new Verdict(status, summary(status, results), results, candidate, baseline, inputs, now);
    }

    private static List<String> matchingSlices(String selector, MetricSet candidate) {
        if (selector.equals(Slices.OVERALL)) {
            return List.of(Slices.OVERALL);
        }
        if (selector.equals("*")) {
            return List.copyOf(candidate.slices().keySet());
        }
        if (selector.endsWith("=*")) {
            String column = Slices.unescapeColumn(selector.substring(0, selector.length() - 2));
            return candidate.slices().keySet().stream().filter(k -> Slices.column(k).equals(column)).toList();
        }
        return candidate.slices().containsKey(selector) ? List.of(selector) : List.of();
    }

    /** One threshold on one slice. */
    private record Check(Threshold t, String slice, MetricSet candidate, Optional<MetricSet> baseline,
                         Uncertainties paired, boolean requireBaseline) {

        RuleResult run() {
            String where = where(t.metric(), slice);
            Optional<Estimate> est = candidate.interval(slice, t.metric());
            Optional<String> skip = tooSmall(rows(candidate, slice, Optional.empty()));
            if (skip.isPresent()) {
                return new RuleResult(t, slice, valueOf(candidate, slice, t.metric()), baselineValue(), Double.NaN,
                        Outcome.SKIPPED, skip.get(), evidence(est, Double.NaN, Double.NaN, ""));
            }
            Optional<Double> found = candidate.value(slice, t.metric());
            if (found.isEmpty()) {
                return failure(t, slice, Double.NaN, Double.NaN, Double.NaN,
                        where + " is missing from the candidate's metrics; a missing metric fails the check", Evidence.NONE);
            }
            double value = found.get();
            if (!Double.isFinite(value)) {
                return undefined(where, value, est);
            }
            return t.kind() == CheckKind.VALUE ? valueCheck(value, est) : changeCheck(value, est);
        }

        /** A slice below the minimum size, as a sentence; empty when the check runs. */
        private Optional<String> tooSmall(long n) {
            if (slice.equals(Slices.OVERALL)) {
                return Optional.empty();
            }
            long min = t.minSliceSize();
            if (min == Threshold.DEFAULT_MIN_SLICE_SIZE) {
                min = t.mode() == CheckMode.SIGNIFICANCE ? Threshold.DEFAULT_MIN_SLICE_ROWS : 0;
                if (n < 0) {
                    return Optional.empty();
                }
            }
            if (min <= 0) {
                return Optional.empty();
            }
            if (n < 0) {
                throw new GateException("min_slice_size " + min + " is set for " + t.metric() + ", but the candidate's "
                        + "metrics give no example_count for slice " + slice + ", so its size is unknown; add example_count "
                        + "to the metrics file or remove min_slice_size");
            }
            if (n >= min) {
                return Optional.empty();
            }
            String b = baseline.flatMap(m -> m.value(slice, t.metric())).filter(Double::isFinite)
                    .map(v -> "; the baseline's value there is " + Numbers.format(v)).orElse("");
            return Optional.of("skipped " + where(t.metric(), slice) + ": the slice has " + n
                    + " examples, fewer than the minimum " + min + b);
        }

        private double baselineValue() {
            return baseline.map(b -> valueOf(b, slice, t.metric())).orElse(Double.NaN);
        }

        /**
         * A value that is not a number. Computed from predictions (an estimate says so) in a slice, the
         * metric is undefined on the data — ROC AUC of one class, precision with nothing predicted
         * positive — and the check is skipped with the reason; anywhere else it fails closed.
         */
        private RuleResult undefined(String where, double value, Optional<Estimate> est) {
            if (est.isPresent() && !slice.equals(Slices.OVERALL)) {
                return new RuleResult(t, slice, value, baselineValue(), Double.NaN, Outcome.SKIPPED,
                        "skipped " + where + ": it is undefined on this slice's " + est.get().n() + " examples ("
                                + undefinedReason(t.metric()) + ")", evidence(est, Double.NaN, Double.NaN, ""));
            }
            return failure(t, slice, value, Double.NaN, Double.NaN, where + " is " + Numbers.format(value)
                    + " (undefined on this data, e.g. " + undefinedReason(t.metric())
                    + "); a non-finite value fails the check", evidence(est, Double.NaN, Double.NaN, ""));
        }

        private RuleResult valueCheck(double value, Optional<Estimate> est) {
            double base = baselineValue();
            String where = where(t.metric(), slice);
            String v = Numbers.format(value) + describe(est);
            double se = est.map(Estimate::se).orElse(Double.NaN);
            boolean tested = t.mode() == CheckMode.SIGNIFICANCE && Double.isFinite(se);
            double margin = t.greaterIsBetter() ? value - t.bound() : t.bound() - value;
            String gap = (t.greaterIsBetter() ? ", below the minimum " : ", above the maximum ")
                    + Numbers.format(t.bound()) + " by " + Numbers.format(-margin);
            if (tested) {
                double p = pValue(margin, se, est.map(Estimate::df).orElse(Double.NaN));
                Evidence ev = evidence(est, Double.NaN, Double.NaN, "").tested(p, t.level(), t.confidence());
                String text = where + " is " + v + (margin >= 0 ? ", within the threshold " + t.describe() : gap);
                return decide(value, base, Double.NaN, text, ev, margin >= 0 ? "" : ", but not significantly");
            }
            Evidence ev = evidence(est, Double.NaN, Double.NaN, "");
            String point = pointNote(est);
            if (margin >= 0) {
                return new RuleResult(t, slice, value, base, Double.NaN, Outcome.PASS,
                        where + " is " + v + ", within the threshold " + t.describe() + point, ev);
            }
            String msg = where + " is " + v + gap + (t.greaterIsBetter() ? " (greater is better)" : " (lower is better)") + point;
            return failure(t, slice, value, base, Double.NaN, msg, ev);
        }

        private RuleResult changeCheck(double value, Optional<Estimate> est) {
            String where = where(t.metric(), slice);
            if (baseline.isEmpty()) {
                String msg = "no baseline given, so the " + t.kind().policyKey() + " check of " + where + " was not run";
                return requireBaseline
                        ? failure(t, slice, value, Double.NaN, Double.NaN, msg + "; the policy requires a baseline", Evidence.NONE)
                        : new RuleResult(t, slice, value, Double.NaN, Double.NaN, Outcome.SKIPPED, msg,
                        evidence(est, Double.NaN, Double.NaN, ""));
            }
            Optional<Double> found = baseline.get().value(slice, t.metric());
            if (found.isEmpty()) {
                return failure(t, slice, value, Double.NaN, Double.NaN,
                        where + " is missing from the baseline's metrics, so its change cannot be judged", evidence(est,
                                Double.NaN, Double.NaN, ""));
            }
            double base = found.get();
            Optional<Estimate> baseEst = baseline.get().interval(slice, t.metric());
            if (!Double.isFinite(base)) {
                return failure(t, slice, value, base, Double.NaN, "the baseline's " + where + " is "
                        + Numbers.format(base) + ", so the change cannot be judged", evidence(est, Double.NaN, Double.NaN, ""));
            }
            double improvement = t.greaterIsBetter() ? value - base : base - value;
            double change = improvement;
            double scale = 1;
            if (t.kind() == CheckKind.RELATIVE_CHANGE) {
                if (base == 0) {
                    return failure(t, slice, value, base, Double.NaN, "the baseline's " + where
                            + " is 0, so a relative change is undefined; use min_absolute_change instead", Evidence.NONE);
                }
                scale = Math.abs(base);
                change = improvement / scale;
            }
            // The change's standard error: the paired estimate where the same rows were judged by both
            // models, else the two samples' as independent. The relative change divides by the
            // baseline as if it were exact (the delta method's first term; see docs/policy.md).
            Optional<Estimate> pairedEst = paired.get(slice, t.metric()).filter(e -> Double.isFinite(e.se()));
            double se;
            double df;
            String how;
            if (pairedEst.isPresent()) {
                se = pairedEst.get().se() / scale;
                df = pairedEst.get().df();
                how = pairedEst.get().method();
            } else {
                double s1 = est.map(Estimate::se).orElse(Double.NaN);
                double s2 = baseEst.map(Estimate::se).orElse(Double.NaN);
                se = Math.sqrt(s1 * s1 + s2 * s2) / scale;
                df = Estimate.welch(s1 * s1, est.map(Estimate::df).orElse(Double.NaN),
                        s2 * s2, baseEst.map(Estimate::df).orElse(Double.NaN));
                how = "unpaired";
            }
            String text = where + " is " + Numbers.format(value) + describe(est) + " against the baseline's "
                    + Numbers.format(base) + rowsOf(baseEst)
                    + (t.kind() == CheckKind.RELATIVE_CHANGE ? ", a relative improvement of " : ", an improvement of ")
                    + Numbers.signed(change);
            String need = t.bound() < 0
                    ? "it may get worse by at most " + Numbers.format(-t.bound())
                    : "it must improve by at least " + Numbers.format(t.bound());
            boolean tested = t.mode() == CheckMode.SIGNIFICANCE && Double.isFinite(se);
            if (tested) {
                double z = Normal.z(t.confidence());
                Evidence ev = evidence(est, change - z * se, change + z * se, how)
                        .withBaselineRows(baseEst.map(Estimate::n).orElse(-1L))
                        .tested(pValue(change - t.bound(), se, df), t.level(), t.confidence());
                String interval = " (" + percent(t.confidence()) + " CI " + Numbers.signed(ev.changeLow()) + " to "
                        + Numbers.signed(ev.changeHigh()) + ", " + how + ")";
                return decide(value, base, change, text + interval + "; " + need + " (" + t.kind().policyKey() + ")", ev,
                        change >= t.bound() ? ": within " + t.kind().policyKey() + " " + Numbers.format(t.bound())
                                : ": worse than allowed by " + Numbers.format(t.bound() - change) + ", but not significantly");
            }
            Evidence ev = evidence(est, Double.NaN, Double.NaN, "").withBaselineRows(baseEst.map(Estimate::n).orElse(-1L));
            String point = t.mode() == CheckMode.SIGNIFICANCE
                    ? "; " + (est.isEmpty() ? "the candidate's" : "the baseline's")
                    + " metrics give no interval, so the point values decide" : "";
            if (change >= t.bound()) {
                return new RuleResult(t, slice, value, base, change, Outcome.PASS,
                        text + ", within " + t.kind().policyKey() + " " + Numbers.format(t.bound()) + point, ev);
            }
            return failure(t, slice, value, base, change, text + "; " + need + " (" + t.kind().policyKey() + ")" + point, ev);
        }

        /**
         * A tested check's result before any slice correction: FAIL (or WARN) when {@code p} is below
         * the level. {@link SliceFamily} may turn a failure of a slice back into a pass.
         */
        private RuleResult decide(double value, double base, double change, String text, Evidence ev, String passing) {
            if (ev.pValue() < ev.level()) {
                return failure(t, slice, value, base, change, text + ": " + significant(ev), ev);
            }
            return new RuleResult(t, slice, value, base, change, Outcome.PASS, text + passing + notSignificant(ev), ev);
        }

        private Evidence evidence(Optional<Estimate> est, double changeLow, double changeHigh, String changeMethod) {
            if (est.isEmpty()) {
                long n = rows(candidate, slice, est);
                return new Evidence(n, Double.NaN, Double.NaN, "", -1, changeLow, changeHigh, changeMethod, Double.NaN,
                        Double.NaN, Double.NaN);
            }
            Estimate e = est.get();
            return new Evidence(e.n(), e.ciLow(), e.ciHigh(), e.method(), -1, changeLow, changeHigh, changeMethod,
                    Double.NaN, Double.NaN, Double.NaN);
        }

        private String pointNote(Optional<Estimate> est) {
            if (t.mode() == CheckMode.POINT) {
                return "";
            }
            return est.isEmpty() ? "; no interval was given, so the point value decides"
                    : "; its standard error is undefined, so the point value decides";
        }

        private String describe(Optional<Estimate> est) {
            if (est.isEmpty()) {
                long n = rows(candidate, slice, est);
                return n >= 0 ? " (n=" + n + ")" : "";
            }
            Estimate e = est.get();
            if (!Double.isFinite(e.ciLow()) || !Double.isFinite(e.ciHigh())) {
                return " (n=" + e.n() + ")";
            }
            double shown = t.confidence() > 0 ? t.confidence() : Threshold.DEFAULT_CONFIDENCE;
            return " (" + percent(shown) + " CI " + Numbers.format(e.ciLow()) + "–" + Numbers.format(e.ciHigh())
                    + ", n=" + e.n() + ", " + e.method() + ")";
        }
    }

    /**
     * The one-sided p-value of "the truth meets the bound" for a measured {@code margin} above it,
     * from Student's t with the standard error's degrees of freedom (the normal where they are unknown).
     */
    static double pValue(double margin, double se, double df) {
        if (se == 0) {
            return margin < 0 ? 0 : 1;
        }
        return StudentT.cdf(margin / se, df);
    }

    /** How the sentence of a significant miss begins. */
    static final String MISSED = "the bound is missed with ";

    private static String significant(Evidence ev) {
        return MISSED + "" + percent(ev.confidence()) + " confidence (p=" + p(ev.pValue()) + " < "
                + p(ev.level()) + ")";
    }

    private static String notSignificant(Evidence ev) {
        return ev.pValue() < 0.5 ? " (p=" + p(ev.pValue()) + ", fails below " + p(ev.level()) + ")" : "";
    }

    static String p(double p) {
        if (p == 0) {
            return "0";
        }
        if (p < 1e-4) {
            return String.format(Locale.ROOT, "%.1e", p);
        }
        return Numbers.format(Math.round(p * 1e4) / 1e4);
    }

    static String percent(double confidence) {
        return Numbers.format(Math.round(confidence * 1000) / 10.0) + "%";
    }

    /** Rows a value rests on: its estimate's n, else the scope's example_count; -1 when neither is known. */
    private static long rows(MetricSet m, String slice, Optional<Estimate> est) {
        if (est.isPresent()) {
            return est.get().n();
        }
        Double count = m.scope(slice).map(s -> s.get(EXAMPLE_COUNT)).orElse(null);
        return count == null || !Double.isFinite(count) ? -1 : Math.round(count);
    }

    private static String rowsOf(Optional<Estimate> est) {
        return est.map(e -> " (n=" + e.n() + ")").orElse("");
    }

    private static String undefinedReason(String metric) {
        return switch (metric) {
            case "precision" -> "nothing is predicted positive";
            case "recall" -> "no example is positive";
            case "f1" -> "no example is positive and nothing is predicted positive";
            case "roc_auc", "average_precision" -> "all examples have one class";
            default -> "too few distinct values";
        };
    }

    static RuleResult failure(Threshold t, String slice, double value, double base, double change, String msg,
                              Evidence evidence) {
        Outcome outcome = t.severity() == Severity.FAIL ? Outcome.FAIL : Outcome.WARN;
        return new RuleResult(t, slice, value, base, change, outcome, msg, evidence);
    }

    private static double valueOf(MetricSet m, String slice, String metric) {
        return m.value(slice, metric).orElse(Double.NaN);
    }

    static String where(String metric, String slice) {
        return slice.equals(Slices.OVERALL) ? metric : metric + " in slice " + slice;
    }

    private static String availableSlices(MetricSet candidate) {
        if (candidate.slices().isEmpty()) {
            return " (the candidate has no slices)";
        }
        var keys = candidate.slices().keySet().stream().limit(10).toList();
        return " (slices: " + String.join(", ", keys) + (candidate.slices().size() > 10 ? ", ..." : "") + ")";
    }

    private static String summary(Status status, List<RuleResult> results) {
        long failed = results.stream().filter(r -> r.outcome() == Outcome.FAIL).count();
        long warned = results.stream().filter(r -> r.outcome() == Outcome.WARN).count();
        long skipped = results.stream().filter(r -> r.outcome() == Outcome.SKIPPED).count();
        StringBuilder s = new StringBuilder(status.name()).append(": ");
        s.append(results.size() - failed - warned - skipped).append(" of ").append(results.size()).append(" checks passed");
        if (failed > 0) {
            s.append(", ").append(failed).append(" failed");
        }
        if (warned > 0) {
            s.append(", ").append(warned).append(" warned");
        }
        if (skipped > 0) {
            s.append(", ").append(skipped).append(" skipped");
        }
        results.stream().filter(r -> r.outcome() == Outcome.FAIL).findFirst()
                .or(() -> results.stream().filter(r -> r.outcome() == Outcome.WARN).findFirst())
                .ifPresent(r -> s.append(" — first: ").append(r.message()));
        return s.toString();
    }
}
