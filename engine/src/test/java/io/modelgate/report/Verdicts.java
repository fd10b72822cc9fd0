package io.modelgate.report;

import io.modelgate.gate.CheckKind;
import io.modelgate.gate.GateInputs;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.RuleResult;
import io.modelgate.gate.Severity;
import io.modelgate.gate.Status;
import io.modelgate.gate.Threshold;
import io.modelgate.gate.Verdict;
import io.modelgate.metrics.MetricSet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Verdicts for report tests, built directly from the gate's records. */
final class Verdicts {
    static final String SCRIPT_SLICE = "<script>alert(1)</script>";
    static final String IMG_SLICE = "\"><img src=x onerror=alert(1)>";
    static final String PIPE_SLICE = "a|b`c`\nd";
    static final Instant AT = Instant.parse("2026-03-01T12:34:56Z");

    private Verdicts() {
    }

    static Threshold value(String metric, double bound, boolean greaterIsBetter, Severity severity) {
        return new Threshold(metric, "*", CheckKind.VALUE, bound, greaterIsBetter, severity, 0);
    }

    static Threshold change(String metric, CheckKind kind, double bound, Severity severity) {
        return new Threshold(metric, "overall", kind, bound, true, severity, 0);
    }

    /** A FAIL verdict with every outcome, NaN values, hostile slice names and a baseline. */
    static Verdict mixed() {
        Threshold auc = value("roc_auc", 0.8, true, Severity.FAIL);
        Threshold logLoss = value("log_loss", 0.45, false, Severity.WARN);
        Threshold aucChange = change("roc_auc", CheckKind.ABSOLUTE_CHANGE, -0.01, Severity.FAIL);
        List<RuleResult> results = List.of(
                new RuleResult(auc, "overall", 0.84, 0.83, Double.NaN, Outcome.PASS,
                        "roc_auc in overall is 0.84, at least 0.8"),
                new RuleResult(auc, "region=eu", 0.78, 0.81, Double.NaN, Outcome.FAIL,
                        "roc_auc in region=eu is 0.78, below 0.8"),
                new RuleResult(auc, SCRIPT_SLICE, Double.NaN, Double.NaN, Double.NaN, Outcome.FAIL,
                        "roc_auc in " + SCRIPT_SLICE + " is missing"),
                new RuleResult(auc, IMG_SLICE, 0.9, Double.NaN, Double.NaN, Outcome.PASS,
                        "roc_auc in " + IMG_SLICE + " is 0.9 & fine"),
                new RuleResult(auc, PIPE_SLICE, 0.81, Double.NaN, Double.NaN, Outcome.SKIPPED,
                        "slice " + PIPE_SLICE + " has 12 examples, fewer than 100"),
                new RuleResult(logLoss, "overall", 0.52, 0.41, Double.NaN, Outcome.WARN,
                        "log_loss in overall is 0.52, above 0.45"),
                new RuleResult(aucChange, "overall", 0.84, 0.83, 0.01, Outcome.PASS,
                        "roc_auc improved by +0.01, at least -0.01"));
        Map<String, Double> overall = new LinkedHashMap<>();
        overall.put("roc_auc", 0.84);
        overall.put("log_loss", 0.52);
        overall.put("example_count", 10000.0);
        overall.put("r2", Double.NEGATIVE_INFINITY);
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        slices.put("region=eu", Map.of("roc_auc", 0.78));
        slices.put(SCRIPT_SLICE, Map.of("roc_auc", Double.NaN));
        slices.put(IMG_SLICE, Map.of("roc_auc", 0.9));
        MetricSet candidate = new MetricSet(overall, slices);
        MetricSet baseline = new MetricSet(Map.of("roc_auc", 0.83, "log_loss", 0.41),
                Map.of("region=eu", Map.of("roc_auc", 0.81)));
        return new Verdict(Status.FAIL, "FAIL: 2 of 7 checks failed, 1 warned (roc_auc in region=eu)", results,
                candidate, baseline, new GateInputs("policies/<gate>.yaml", "out/candidate-metrics.json",
                "out/baseline & co.json"), AT);
    }

    /** A PASS verdict without baseline and without results. */
    static Verdict empty() {
        return new Verdict(Status.PASS, "PASS: no checks", List.of(), MetricSet.empty(), MetricSet.empty(),
                new GateInputs("policy.yaml", "metrics.json", ""), AT);
    }

    /** A WARN verdict of one metric over many slices with values outside [0, 1]. */
    static Verdict manySlices(int n) {
        Threshold rmse = value("rmse", 12.5, false, Severity.WARN);
        List<RuleResult> results = new ArrayList<>();
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            double v = 3 + i * 0.7;
            String slice = "store=" + (1000 + i);
            Outcome o = v <= 12.5 ? Outcome.PASS : Outcome.WARN;
            results.add(new RuleResult(rmse, slice, v, v - 1, Double.NaN, o, "rmse in " + slice + " is " + io.modelgate.common.Numbers.format(v)));
            slices.put(slice, Map.of("rmse", v));
        }
        return new Verdict(Status.WARN, "WARN: rmse above 12.5 in some stores", results,
                new MetricSet(Map.of("rmse", 8.0), slices), MetricSet.empty(),
                new GateInputs("policy.yaml", "metrics.json", ""), AT);
    }

    /** A FAIL verdict whose metric, slice and input names are the hostile {@code name}. */
    static Verdict hostileMetric(String name) {
        Threshold hostile = value(name, 0.5, true, Severity.FAIL);
        Threshold auc = value("roc_auc", 0.85, true, Severity.FAIL);
        List<RuleResult> results = List.of(
                new RuleResult(hostile, "overall", 0.73, 0.71, Double.NaN, Outcome.PASS, name + " is 0.73, at least 0.5"),
                new RuleResult(auc, "overall", 0.81, 0.79, Double.NaN, Outcome.FAIL, "roc_auc is 0.81, below 0.85"),
                new RuleResult(auc, "region=" + name, 0.88, 0.86, Double.NaN, Outcome.PASS,
                        "roc_auc in region=" + name + " is 0.88, at least 0.85"));
        Map<String, Double> overall = new LinkedHashMap<>();
        overall.put(name, 0.73);
        overall.put("roc_auc", 0.81);
        MetricSet candidate = new MetricSet(overall, Map.of("region=" + name, Map.of("roc_auc", 0.88)));
        Map<String, Double> base = new LinkedHashMap<>();
        base.put(name, 0.71);
        base.put("roc_auc", 0.79);
        MetricSet baseline = new MetricSet(base, Map.of("region=" + name, Map.of("roc_auc", 0.86)));
        return new Verdict(Status.FAIL, "FAIL: 1 of 3 checks failed (roc_auc)", results, candidate, baseline,
                new GateInputs("gate.yaml", "metrics/" + name + ".json", "metrics/baseline.json"), AT);
    }
}
