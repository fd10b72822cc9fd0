package io.modelgate.gate;

import io.modelgate.common.Field;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.Suggest;
import io.modelgate.common.Yaml;
import io.modelgate.metrics.Metric;
import io.modelgate.metrics.Slices;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a policy file (YAML). Strict: an unknown key or metric is an error naming it, because a
 * misspelt threshold that is silently ignored lets a bad model through.
 */
public final class PolicyReader {
    private static final Set<String> TOP_KEYS = Set.of("version", "metrics", "require_baseline", "min_slice_size",
            "mode", "confidence", "slice_correction");
    private static final Set<String> METRIC_KEYS = Set.of("threshold", "min_absolute_change", "min_relative_change",
            "greater_is_better", "severity", "custom", "slices", "min_slice_size", "mode", "confidence");
    private static final Set<String> SLICE_KEYS = Set.of("threshold", "min_absolute_change", "min_relative_change",
            "severity", "min_size");
    private static final Map<String, CheckMode> MODES = Field.choices(Map.entry("significance", CheckMode.SIGNIFICANCE),
            Map.entry("point", CheckMode.POINT));
    private static final Map<String, SliceCorrection> CORRECTIONS = Field.choices(
            Map.entry("holm", SliceCorrection.HOLM), Map.entry("bh", SliceCorrection.BH),
            Map.entry("none", SliceCorrection.NONE), Map.entry("benjamini-hochberg", SliceCorrection.BH),
            Map.entry("holm-bonferroni", SliceCorrection.HOLM));
    private static final Map<String, Severity> SEVERITIES = Field.choices(Map.entry("fail", Severity.FAIL),
            Map.entry("warn", Severity.WARN), Map.entry("error", Severity.FAIL), Map.entry("warning", Severity.WARN));
    private static final String NO_CHECK = "no check: set threshold, min_absolute_change or min_relative_change";

    private PolicyReader() {
    }

    public static Policy read(Path file) {
        return parse(file.toString(), Yaml.read(file, GateException::new));
    }

    static Policy parse(String source, String yaml) {
        Field root = Field.parse(source, yaml, GateException::new);
        if (root.isAbsent()) {
            throw root.error("the policy is empty; it needs a 'metrics' section");
        }
        root.mapping().allow(TOP_KEYS).requireVersion(1);
        boolean requireBaseline = root.get("require_baseline").bool(false);
        long defaultMinSlice = root.get("min_slice_size").count(0, Long.MAX_VALUE, Threshold.DEFAULT_MIN_SLICE_SIZE);
        Reading reading = reading(root, new Reading(CheckMode.SIGNIFICANCE, Threshold.DEFAULT_CONFIDENCE));
        SliceCorrection correction = root.get("slice_correction").oneOf(SliceCorrection.HOLM, CORRECTIONS);
        Field metrics = root.get("metrics");
        if (metrics.isAbsent() || metrics.size() == 0) {
            throw metrics.error("no metrics: a policy needs at least one metric with a threshold");
        }
        List<Threshold> thresholds = new ArrayList<>();
        for (String name : metrics.keys()) {
            metric(name, metrics.get(name), defaultMinSlice, reading, thresholds);
        }
        return new Policy(source, thresholds, requireBaseline, correction, reading.confidence());
    }

    /** How the checks of a policy, or of one metric, read values: mode and confidence. */
    private record Reading(CheckMode mode, double confidence) {
    }

    private static Reading reading(Field node, Reading inherited) {
        CheckMode mode = node.get("mode").oneOf(inherited.mode(), MODES);
        Field c = node.get("confidence");
        double confidence = c.number(inherited.confidence());
        if (!(confidence > 0.5 && confidence < 1)) {
            throw c.error("must be above 0.5 and below 1 (0.95 is usual), found " + c.describe());
        }
        if (mode == CheckMode.POINT && c.isPresent()) {
            throw c.error("has no effect with mode: point (a point check reads no interval); remove one of them");
        }
        return new Reading(mode, confidence);
    }

    private static void metric(String rawName, Field node, long defaultMinSlice, Reading inherited, List<Threshold> out) {
        node.mapping().allow(METRIC_KEYS);
        boolean custom = node.get("custom").bool(false);
        var known = Metric.byName(rawName);
        if (known.isEmpty() && !custom) {
            throw node.error("unknown metric '" + Sanitizer.freeText(rawName) + "'" + Suggest.hint(rawName, Arrays.asList(Metric.knownNames()
                    .split(", "))) + "; known: " + Metric.knownNames()
                    + ", or set 'custom: true' for a metric your metrics file provides");
        }
        String metric = known.map(Metric::id).orElse(rawName.trim());
        boolean greater;
        if (node.has("greater_is_better")) {
            greater = node.get("greater_is_better").bool(true);
        } else if (known.isPresent()) {
            greater = known.get().greaterIsBetter();
        } else {
            throw node.get("greater_is_better").error("required for the custom metric '" + rawName + "' (true or false)");
        }
        Severity severity = node.get("severity").oneOf(Severity.FAIL, SEVERITIES);
        long minSlice = node.get("min_slice_size").count(0, Long.MAX_VALUE, defaultMinSlice);
        Reading reading = reading(node, inherited);
        int before = out.size();
        checks(node, metric, Slices.OVERALL, greater, severity, 0, reading, out);
        Field slices = node.get("slices");
        if (slices.isPresent()) {
            slices.mapping();
        }
        for (String key : slices.keys()) {
            String selector = key.trim();
            Field slice = slices.get(key);
            checkSelector(slice, selector);
            slice.mapping().allow(SLICE_KEYS);
            int n = out.size();
            checks(slice, metric, selector, greater, slice.get("severity").oneOf(severity, SEVERITIES),
                    slice.get("min_size").count(0, Long.MAX_VALUE, minSlice), reading, out);
            if (out.size() == n) {
                throw slice.error(NO_CHECK);
            }
        }
        if (out.size() == before) {
            throw node.error(NO_CHECK);
        }
    }

    private static void checks(Field node, String metric, String slices, boolean greater, Severity severity, long minSize,
                               Reading reading, List<Threshold> out) {
        for (CheckKind kind : CheckKind.values()) {
            if (node.has(kind.policyKey())) {
                double bound = node.get(kind.policyKey()).number();
                out.add(new Threshold(metric, slices, kind, bound, greater, severity, minSize, reading.mode(),
                        reading.mode() == CheckMode.POINT ? Double.NaN : reading.confidence()));
            }
        }
    }

    private static void checkSelector(Field slice, String selector) {
        if (selector.equals("*")) {
            return;
        }
        int eq = Slices.split(selector);
        if (eq <= 0 || eq == selector.length() - 1) {
            throw slice.error("a slice is written column=value, column=* or *; found '" + selector + "'");
        }
    }
}
