package io.modelgate.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelgate.common.Suggest;
import io.modelgate.common.Yaml;
import io.modelgate.metrics.Metric;
import io.modelgate.metrics.Slices;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
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

    private PolicyReader() {
    }

    public static Policy read(Path file) {
        return parse(file.toString(), Yaml.read(file, GateException::new));
    }

    static Policy parse(String source, String yaml) {
        JsonNode root = Yaml.parse(source, yaml, GateException::new);
        return new Parser(source).policy(root);
    }

    private record Parser(String source) {
        Policy policy(JsonNode root) {
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw error("", "the policy is empty; it needs a 'metrics' section");
            }
            requireObject(root, "");
            checkKeys(root, "", TOP_KEYS);
            if (root.has("version") && root.get("version").asInt(-1) != 1) {
                throw error("version", "unsupported version '" + root.get("version").asText() + "'; this Modelgate reads version 1");
            }
            boolean requireBaseline = bool(root, "require_baseline", "", false);
            long defaultMinSlice = count(root, "min_slice_size", "", 0);
            JsonNode metrics = root.get("metrics");
            if (metrics == null || metrics.isNull() || metrics.isEmpty()) {
                throw error("metrics", "no metrics: a policy needs at least one metric with a threshold");
            }
            requireObject(metrics, "metrics");
            List<Threshold> thresholds = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
                var e = it.next();
                metric(e.getKey(), e.getValue(), defaultMinSlice, thresholds);
            }
            return new Policy(source, thresholds, requireBaseline);
        }

        private void metric(String rawName, JsonNode node, long defaultMinSlice, List<Threshold> out) {
            String path = "metrics." + rawName;
            requireObject(node, path);
            checkKeys(node, path, METRIC_KEYS);
            boolean custom = bool(node, "custom", path, false);
            var known = Metric.byName(rawName);
            if (known.isEmpty() && !custom) {
                String hint = Suggest.closest(rawName, Metric.knownNames().split(", "))
                        .map(s -> " (did you mean '" + s + "'?)").orElse("");
                throw error(path, "unknown metric '" + rawName + "'" + hint + "; known: " + Metric.knownNames()
                        + ", or set 'custom: true' for a metric your metrics file provides");
            }
            String metric = known.map(Metric::id).orElse(rawName.trim());
            boolean greater;
            if (node.has("greater_is_better")) {
                greater = bool(node, "greater_is_better", path, true);
            } else if (known.isPresent()) {
                greater = known.get().greaterIsBetter();
            } else {
                throw error(path + ".greater_is_better", "required for the custom metric '" + rawName + "' (true or false)");
            }
            Severity severity = severity(node, path, Severity.FAIL);
            long minSlice = count(node, "min_slice_size", path, defaultMinSlice);
            int before = out.size();
            checks(node, path, metric, Slices.OVERALL, greater, severity, 0, out);
            JsonNode slices = node.get("slices");
            if (slices != null && !slices.isNull()) {
                requireObject(slices, path + ".slices");
                for (Iterator<Map.Entry<String, JsonNode>> it = slices.fields(); it.hasNext(); ) {
                    var e = it.next();
                    String selector = e.getKey().trim();
                    String spath = path + ".slices." + selector;
                    checkSelector(selector, spath);
                    requireObject(e.getValue(), spath);
                    checkKeys(e.getValue(), spath, SLICE_KEYS);
                    int n = out.size();
                    checks(e.getValue(), spath, metric, selector, greater, severity(e.getValue(), spath, severity),
                            count(e.getValue(), "min_size", spath, minSlice), out);
                    if (out.size() == n) {
                        throw error(spath, "no check: set threshold, min_absolute_change or min_relative_change");
                    }
                }
            }
            if (out.size() == before) {
                throw error(path, "no check: set threshold, min_absolute_change or min_relative_change");
            }
        }

        private void checks(JsonNode node, String path, String metric, String slices, boolean greater,
                            Severity severity, long minSize, List<Threshold> out) {
            for (CheckKind kind : CheckKind.values()) {
                if (node.has(kind.policyKey())) {
                    double bound = number(node, kind.policyKey(), path);
                    out.add(new Threshold(metric, slices, kind, bound, greater, severity, minSize));
                }
            }
        }

        private void checkSelector(String selector, String path) {
            if (selector.equals("*")) {
                return;
            }
            int eq = selector.indexOf('=');
            if (eq <= 0 || eq == selector.length() - 1) {
                throw error(path, "a slice is written column=value, column=* or *; found '" + selector + "'");
            }
        }

        private Severity severity(JsonNode node, String path, Severity fallback) {
            JsonNode v = node.get("severity");
            if (v == null || v.isNull()) {
                return fallback;
            }
            return switch (v.asText().trim().toLowerCase(Locale.ROOT)) {
                case "fail", "error" -> Severity.FAIL;
                case "warn", "warning" -> Severity.WARN;
                default -> throw error(path + ".severity", "must be 'fail' or 'warn', found '" + v.asText() + "'");
            };
        }

        private double number(JsonNode node, String key, String path) {
            JsonNode v = node.get(key);
            if (v == null || !v.isNumber()) {
                throw error(path + "." + key, "must be a number, found " + describe(v));
            }
            double d = v.asDouble();
            if (!Double.isFinite(d)) {
                throw error(path + "." + key, "must be a finite number");
            }
            return d;
        }

        private long count(JsonNode node, String key, String path, long fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                throw error(join(path, key), "must be a whole number >= 0, found " + describe(v));
            }
            return v.asLong();
        }

        private boolean bool(JsonNode node, String key, String path, boolean fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw error(join(path, key), "must be true or false, found " + describe(v));
            }
            return v.asBoolean();
        }

        private void requireObject(JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(path, "must be a mapping of keys to values, found " + describe(node));
            }
        }

        private void checkKeys(JsonNode node, String path, Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    String hint = Suggest.closest(key, allowed.toArray(String[]::new))
                            .map(s -> " (did you mean '" + s + "'?)").orElse("");
                    throw error(join(path, key), "unknown key '" + key + "'" + hint + "; allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
        }

        private static String describe(JsonNode v) {
            if (v == null || v.isNull()) {
                return "nothing";
            }
            if (v.isObject()) {
                return "a mapping";
            }
            if (v.isArray()) {
                return "a list";
            }
            return "'" + v.asText() + "'";
        }

        private static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        private GateException error(String path, String message) {
            return new GateException(source + (path.isEmpty() ? "" : ": " + path) + ": " + message);
        }
    }
}
