package io.modelgate.gate;

import io.modelgate.common.Numbers;
import io.modelgate.metrics.Metric;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.Slices;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Judges a candidate's metrics against a policy. A pure function of its inputs; it fails closed:
 * a missing metric, a missing slice, NaN or infinity, a missing or zero baseline for a change
 * check all fail the check rather than pass it.
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
        Optional<MetricSet> base = baseline.isEmpty() ? Optional.empty() : Optional.of(baseline);
        List<RuleResult> results = new ArrayList<>();
        for (Threshold t : policy.thresholds()) {
            List<String> slices = matchingSlices(t.slices(), candidate);
            if (slices.isEmpty()) {
                results.add(failure(t, t.slices(), Double.NaN, Double.NaN, Double.NaN,
                        "no slice of the candidate matches '" + t.slices() + "'"
                                + availableSlices(candidate) + "; check the slice columns or the policy"));
                continue;
            }
            for (String slice : slices) {
                results.add(check(t, slice, candidate, base, policy.requireBaseline()));
            }
        }
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
            String column = selector.substring(0, selector.length() - 2);
            return candidate.slices().keySet().stream().filter(k -> Slices.column(k).equals(column)).toList();
        }
        return candidate.slices().containsKey(selector) ? List.of(selector) : List.of();
    }

    private static RuleResult check(Threshold t, String slice, MetricSet candidate, Optional<MetricSet> baseline,
                                    boolean requireBaseline) {
        String where = where(t.metric(), slice);
        Optional<Map<String, Double>> scope = candidate.scope(slice);
        Double count = scope.map(m -> m.get(EXAMPLE_COUNT)).orElse(null);
        if (t.minSliceSize() > 0 && !slice.equals(Slices.OVERALL) && count != null && count < t.minSliceSize()) {
            return new RuleResult(t, slice, valueOf(candidate, slice, t.metric()), Double.NaN, Double.NaN,
                    Outcome.SKIPPED, "skipped " + where + ": the slice has " + Numbers.format(count)
                    + " examples, fewer than the minimum " + t.minSliceSize());
        }
        Optional<Double> found = candidate.value(slice, t.metric());
        if (found.isEmpty()) {
            return failure(t, slice, Double.NaN, Double.NaN, Double.NaN,
                    where + " is missing from the candidate's metrics; a missing metric fails the check");
        }
        double value = found.get();
        if (!Double.isFinite(value)) {
            return failure(t, slice, value, Double.NaN, Double.NaN, where + " is " + Numbers.format(value)
                    + " (undefined on this data, e.g. a slice with one class); a non-finite value fails the check");
        }
        return t.kind() == CheckKind.VALUE
                ? valueCheck(t, slice, value, baseline)
                : changeCheck(t, slice, value, baseline, requireBaseline);
    }

    private static RuleResult valueCheck(Threshold t, String slice, double value, Optional<MetricSet> baseline) {
        double base = baseline.map(b -> valueOf(b, slice, t.metric())).orElse(Double.NaN);
        boolean ok = t.greaterIsBetter() ? value >= t.bound() : value <= t.bound();
        String where = where(t.metric(), slice);
        String v = Numbers.format(value);
        String b = Numbers.format(t.bound());
        if (ok) {
            return new RuleResult(t, slice, value, base, Double.NaN, Outcome.PASS,
                    where + " is " + v + ", within the threshold " + t.describe());
        }
        String gap = Numbers.format(Math.abs(value - t.bound()));
        String msg = where + " is " + v + (t.greaterIsBetter() ? ", below the minimum " : ", above the maximum ") + b
                + " by " + gap + (t.greaterIsBetter() ? " (greater is better)" : " (lower is better)");
        return failure(t, slice, value, base, Double.NaN, msg);
    }

    private static RuleResult changeCheck(Threshold t, String slice, double value, Optional<MetricSet> baseline,
                                          boolean requireBaseline) {
        String where = where(t.metric(), slice);
        if (baseline.isEmpty()) {
            String msg = "no baseline given, so the " + t.kind().policyKey() + " check of " + where + " was not run";
            return requireBaseline
                    ? failure(t, slice, value, Double.NaN, Double.NaN, msg + "; the policy requires a baseline")
                    : new RuleResult(t, slice, value, Double.NaN, Double.NaN, Outcome.SKIPPED, msg);
        }
        Optional<Double> found = baseline.get().value(slice, t.metric());
        if (found.isEmpty()) {
            return failure(t, slice, value, Double.NaN, Double.NaN,
                    where + " is missing from the baseline's metrics, so its change cannot be judged");
        }
        double base = found.get();
        if (!Double.isFinite(base)) {
            return failure(t, slice, value, base, Double.NaN, "the baseline's " + where + " is "
                    + Numbers.format(base) + ", so the change cannot be judged");
        }
        double improvement = t.greaterIsBetter() ? value - base : base - value;
        double change = improvement;
        if (t.kind() == CheckKind.RELATIVE_CHANGE) {
            if (base == 0) {
                return failure(t, slice, value, base, Double.NaN, "the baseline's " + where
                        + " is 0, so a relative change is undefined; use min_absolute_change instead");
            }
            change = improvement / Math.abs(base);
        }
        String text = where + " is " + Numbers.format(value) + " against the baseline's " + Numbers.format(base)
                + (t.kind() == CheckKind.RELATIVE_CHANGE ? ", a relative improvement of " : ", an improvement of ")
                + Numbers.signed(change);
        if (change >= t.bound()) {
            return new RuleResult(t, slice, value, base, change, Outcome.PASS,
                    text + ", within " + t.kind().policyKey() + " " + Numbers.format(t.bound()));
        }
        String need = t.bound() < 0
                ? "it may get worse by at most " + Numbers.format(-t.bound())
                : "it must improve by at least " + Numbers.format(t.bound());
        return failure(t, slice, value, base, change, text + "; " + need + " (" + t.kind().policyKey() + ")");
    }

    private static RuleResult failure(Threshold t, String slice, double value, double base, double change, String msg) {
        Outcome outcome = t.severity() == Severity.FAIL ? Outcome.FAIL : Outcome.WARN;
        return new RuleResult(t, slice, value, base, change, outcome, msg);
    }

    private static double valueOf(MetricSet m, String slice, String metric) {
        return m.value(slice, metric).orElse(Double.NaN);
    }

    private static String where(String metric, String slice) {
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
