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
    private static final Set<String> TOP_KEYS = Set.of("version", "metrics", "require_baseline", "min_slice_size");
    private static final Set<String> METRIC_KEYS = Set.of("threshold", "min_absolute_change", "min_relative_change",
            "greater_is_better", "severity", "custom", "slices", "min_slice_size");
    private static final Set<String> SLICE_KEYS = Set.of("threshold", "min_absolute_change", "min_relative_change",
            "severity", "min_size");
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
        long defaultMinSlice = root.get("min_slice_size").count(0, Long.MAX_VALUE, 0);
        Field metrics = root.get("metrics");
        if (metrics.isAbsent() || metrics.size() == 0) {
            throw metrics.error("no metrics: a policy needs at least one metric with a threshold");
        }
        List<Threshold> thresholds = new ArrayList<>();
        for (String name : metrics.keys()) {
            metric(name, metrics.get(name), defaultMinSlice, thresholds);
        }
        return new Policy(source, thresholds, requireBaseline);
    }

    private static void metric(String rawName, Field node, long defaultMinSlice, List<Threshold> out) {
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
        int before = out.size();
        checks(node, metric, Slices.OVERALL, greater, severity, 0, out);
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
                    slice.get("min_size").count(0, Long.MAX_VALUE, minSlice), out);
            if (out.size() == n) {
                throw slice.error(NO_CHECK);
            }
        }
        if (out.size() == before) {
            throw node.error(NO_CHECK);
        }
    }

    private static void checks(Field node, String metric, String slices, boolean greater, Severity severity, long minSize,
                               List<Threshold> out) {
        for (CheckKind kind : CheckKind.values()) {
            if (node.has(kind.policyKey())) {
                double bound = node.get(kind.policyKey()).number();
                out.add(new Threshold(metric, slices, kind, bound, greater, severity, minSize));
            }
        }
    }

    private static void checkSelector(Field slice, String selector) {
        if (selector.equals("*")) {
            return;
        }
        int eq = selector.indexOf('=');
        if (eq <= 0 || eq == selector.length() - 1) {
            throw slice.error("a slice is written column=value, column=* or *; found '" + selector + "'");
        }
    }
}
