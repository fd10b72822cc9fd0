package io.modelgate.rollout;

import io.modelgate.common.InputException;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.Yaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a canary plan (YAML). Strict like the gate's policy — an unknown key is an error naming it —
 * and complete with defaults, so a plan of two lines (the stable and canary URLs) works:
 * steps 10, 25, 50, 100 % for a minute each, the sequential judge every 10 s, Flagger's guard
 * thresholds (error rate at most 1 %, p99 latency at most 500 ms), a pause for a person when the
 * analysis is inconclusive.
 */
public final class PlanReader {
    private static final Set<String> TOP = Set.of("version", "stable", "canary", "router", "metrics", "steps", "analysis",
            "model", "canary_version", "promote_to");
    private static final Set<String> ROUTER = Set.of("type", "port", "socket", "backend", "stable_server", "canary_server");
    private static final Set<String> METRICS = Set.of("provider", "url", "queries");
    private static final Set<String> STEP = Set.of("weight", "bake", "min_requests");
    private static final Set<String> ANALYSIS = Set.of("interval", "judge", "thresholds", "failure_limit", "inconclusive",
            "confidence", "sequential");
    private static final Set<String> SEQUENTIAL = Set.of("test", "detect_ratio", "spread", "tolerated_ratio", "tau", "margin");
    private static final Set<String> MSPRT_ONLY = Set.of("tau", "margin");
    private static final Set<String> RELATIVE_RISK_ONLY = Set.of("detect_ratio", "spread", "tolerated_ratio");
    private static final Set<String> THRESHOLD = Set.of("max", "min", "max_increase");
    private static final Set<String> JUDGES = Set.of("threshold", "mann-whitney", "sequential");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    /** The longest bake of one step (docs/canary.md): a rollout is watched by a person, not left for a season. */
    public static final Duration MAX_BAKE = Duration.ofDays(30);
    /** The longest time between two analyses (docs/canary.md); an abort is honoured within one. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(7);

    private PlanReader() {
    }

    public static RolloutPlan read(Path file) {
        return parse(file.toString(), Yaml.read(file, RolloutException::new));
    }

    static RolloutPlan parse(String source, String yaml) {
        JsonNode root = Yaml.parse(source, yaml, RolloutException::new);
        P p = new P(source);
        if (root == null || !root.isObject()) {
            throw p.error("", "a plan is a mapping with at least 'stable' and 'canary' URLs");
        }
        p.keys(root, "", TOP);
        if (root.has("version") && root.get("version").asInt(-1) != 1) {
            throw p.error("version", "unsupported version '" + root.get("version").asText() + "'; this Modelgate reads version 1");
        }
        String stable = p.url(root, "stable");
        String canary = p.url(root, "canary");
        // Names that reach the registry (commits, refs), reports and the terminal: printable, checked once here.
        return new RolloutPlan(source, stable, canary, router(p, root.get("router")), metrics(p, root.get("metrics")),
                steps(p, root.get("steps")), analysis(p, root.get("analysis")), p.name(root, "model"),
                p.name(root, "canary_version"), p.name(root, "promote_to"));
    }

    private static RolloutPlan.RouterSpec router(P p, JsonNode n) {
        if (n == null || n.isNull()) {
            return new RolloutPlan.RouterSpec("embedded", 0, "", "", "", "");
        }
        p.object(n, "router");
        p.keys(n, "router", ROUTER);
        String type = p.text(n, "type", "embedded").toLowerCase(Locale.ROOT);
        switch (type) {
            case "embedded" -> {
                return new RolloutPlan.RouterSpec(type, (int) p.count(n, "port", "router", 0, 65535, 0), "", "", "", "");
            }
            case "haproxy" -> {
                for (String k : List.of("socket", "backend")) {
                    if (!n.has(k)) {
                        throw p.error("router." + k, "required for the haproxy router");
                    }
                }
                return new RolloutPlan.RouterSpec(type, 0, p.text(n, "socket", ""), p.text(n, "backend", ""),
                        p.text(n, "stable_server", "stable"), p.text(n, "canary_server", "canary"));
            }
            default -> throw p.error("router.type", "unknown router '" + type + "'; routers: embedded, haproxy");
        }
    }

    private static RolloutPlan.MetricsSpec metrics(P p, JsonNode n) {
        if (n == null || n.isNull()) {
            return new RolloutPlan.MetricsSpec("embedded", "", Map.of());
        }
        p.object(n, "metrics");
        p.keys(n, "metrics", METRICS);
        String type = p.text(n, "provider", "embedded").toLowerCase(Locale.ROOT);
        switch (type) {
            case "embedded" -> {
                return new RolloutPlan.MetricsSpec(type, "", Map.of());
            }
            case "prometheus" -> {
                String url = p.url(n, "url", "metrics.url");
                Map<String, String> queries = new LinkedHashMap<>();
                JsonNode q = n.get("queries");
                if (q != null && !q.isNull()) {
                    p.object(q, "metrics.queries");
                    for (Iterator<Map.Entry<String, JsonNode>> it = q.fields(); it.hasNext(); ) {
                        var e = it.next();
                        p.metricName("metrics.queries", e.getKey());
                        if (!e.getValue().asText().contains("{{target}}")) {
                            throw p.error("metrics.queries." + e.getKey(), "a query must contain {{target}}, which stands for "
                                    + "the stable or the canary target");
                        }
                        queries.put(e.getKey(), e.getValue().asText());
                    }
                }
                return new RolloutPlan.MetricsSpec(type, url, queries);
            }
            default -> throw p.error("metrics.provider", "unknown metrics provider '" + type + "'; providers: embedded, prometheus");
        }
    }

    private static List<RolloutPlan.Step> steps(P p, JsonNode n) {
        if (n == null || n.isNull()) {
            return List.of(new RolloutPlan.Step(10, Duration.ofMinutes(1), 100), new RolloutPlan.Step(25, Duration.ofMinutes(1), 100),
                    new RolloutPlan.Step(50, Duration.ofMinutes(1), 100), new RolloutPlan.Step(100, Duration.ZERO, 0));
        }
        if (!n.isArray() || n.isEmpty()) {
            throw p.error("steps", "must be a list of steps, e.g. - {weight: 10, bake: 1m}");
        }
        List<RolloutPlan.Step> steps = new ArrayList<>();
        int previous = 0;
        for (int i = 0; i < n.size(); i++) {
            JsonNode s = n.get(i);
            String path = "steps[" + (i + 1) + "]";
            if (s.isInt()) {
                s = new ObjectMapper().createObjectNode().put("weight", s.asInt());
            }
            p.object(s, path);
            p.keys(s, path, STEP);
            if (!s.has("weight")) {
                throw p.error(path + ".weight", "required: the percent of traffic for the canary, 0 to 100");
            }
            int weight = (int) p.count(s, "weight", path, 0, 100, 0);
            if (weight < previous) {
                throw p.error(path + ".weight", weight + " is below the previous step's " + previous + "; steps only go up");
            }
            previous = weight;
            steps.add(new RolloutPlan.Step(weight, p.duration(s, "bake", path, weight == 100 ? Duration.ZERO : Duration.ofMinutes(1),
                    MAX_BAKE, "30 days"),
                    p.count(s, "min_requests", path, 0, Long.MAX_VALUE, weight == 100 ? 0 : 100)));
        }
        return steps;
    }

    private static RolloutPlan.Analysis analysis(P p, JsonNode n) {
        List<RolloutPlan.ThresholdSpec> defaults = List.of(new RolloutPlan.ThresholdSpec("error_rate", 0.01, Double.NaN, Double.NaN),
                new RolloutPlan.ThresholdSpec("latency_p99_ms", 500, Double.NaN, Double.NaN));
        if (n == null || n.isNull()) {
            return new RolloutPlan.Analysis(Duration.ofSeconds(10), "sequential", defaults, 0,
                    RolloutPlan.OnInconclusive.PAUSE, 0.95, RolloutPlan.SequentialSpec.DEFAULT);
        }
        p.object(n, "analysis");
        p.keys(n, "analysis", ANALYSIS);
        String judge = p.text(n, "judge", "sequential").toLowerCase(Locale.ROOT);
        if (!JUDGES.contains(judge)) {
            throw p.error("analysis.judge", "unknown judge '" + judge + "'; judges: threshold, mann-whitney, sequential");
        }
        List<RolloutPlan.ThresholdSpec> thresholds = defaults;
        JsonNode t = n.get("thresholds");
        if (t != null && !t.isNull()) {
            p.object(t, "analysis.thresholds");
            thresholds = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                var e = it.next();
                p.metricName("analysis.thresholds", e.getKey());
                String path = "analysis.thresholds." + e.getKey();
                p.object(e.getValue(), path);
                p.keys(e.getValue(), path, THRESHOLD);
                if (e.getValue().isEmpty()) {
                    throw p.error(path, "set max, min or max_increase");
                }
                thresholds.add(new RolloutPlan.ThresholdSpec(e.getKey(), p.number(e.getValue(), "max", path),
                        p.number(e.getValue(), "min", path), p.number(e.getValue(), "max_increase", path)));
            }
        }
        String inconclusive = p.text(n, "inconclusive", "pause").toUpperCase(Locale.ROOT);
        RolloutPlan.OnInconclusive on;
        try {
            on = RolloutPlan.OnInconclusive.valueOf(inconclusive);
        } catch (IllegalArgumentException e) {
            throw p.error("analysis.inconclusive", "must be pause, rollback or continue, found '" + inconclusive.toLowerCase(Locale.ROOT) + "'");
        }
        double confidence = n.has("confidence") ? p.number(n, "confidence", "analysis")
                : judge.equals("mann-whitney") ? 0.98 : 0.95;
        if (!(confidence > 0.5 && confidence < 1)) {
            throw p.error("analysis.confidence", "must be between 0.5 and 1, e.g. 0.95");
        }
        Duration interval = p.duration(n, "interval", "analysis", Duration.ofSeconds(10), MAX_INTERVAL, "7 days");
        if (interval.isZero()) {
            throw p.error("analysis.interval", "must be longer than 0 (at least 1ms)");
        }
        return new RolloutPlan.Analysis(interval, judge, thresholds, (int) p.count(n, "failure_limit", "analysis", 0, 1000, 0),
                on, confidence, sequential(p, n.get("sequential"), judge));
    }

    private static RolloutPlan.SequentialSpec sequential(P p, JsonNode n, String judge) {
        RolloutPlan.SequentialSpec d = RolloutPlan.SequentialSpec.DEFAULT;
        if (n == null || n.isNull()) {
            return d;
        }
        String path = "analysis.sequential";
        p.object(n, path);
        p.keys(n, path, SEQUENTIAL);
        if (!judge.equals("sequential")) {
            throw p.error(path, "tunes the sequential judge, but analysis.judge is '" + judge + "'");
        }
        String test = p.text(n, "test", d.test()).toLowerCase(Locale.ROOT);
        if (!test.equals(RolloutPlan.SequentialSpec.RELATIVE_RISK) && !test.equals(RolloutPlan.SequentialSpec.MSPRT)) {
            throw p.error(path + ".test", "unknown test '" + test + "'; tests: relative-risk, msprt");
        }
        // A knob of the other test would be silently ignored: say so instead.
        Set<String> foreign = test.equals(RolloutPlan.SequentialSpec.MSPRT) ? RELATIVE_RISK_ONLY : MSPRT_ONLY;
        for (String k : foreign.stream().sorted().toList()) {
            if (n.has(k)) {
                throw p.error(path + "." + k, "applies to test " + (test.equals(RolloutPlan.SequentialSpec.MSPRT)
                        ? "relative-risk" : "msprt") + " only, but test is '" + test + "'");
            }
        }
        double detect = p.number(n, "detect_ratio", path, d.detectRatio());
        if (!(detect > 1 && detect <= RelativeRiskJudge.MAX_RATIO)) {
            throw p.error(path + ".detect_ratio", "must be above 1 and at most 1000 (2 = twice the stable error rate), "
                    + "found " + n.get("detect_ratio").asText());
        }
        double spread = p.number(n, "spread", path, d.spread());
        if (!(spread >= 0 && spread <= RelativeRiskJudge.MAX_SPREAD)) {
            throw p.error(path + ".spread", "must be from 0 to 2 (0.2 is the default; 0 tests detect_ratio alone), found "
                    + n.get("spread").asText());
        }
        double tolerated = p.number(n, "tolerated_ratio", path, d.toleratedRatio());
        if (!(tolerated > 1 && tolerated <= RelativeRiskJudge.MAX_RATIO)) {
            throw p.error(path + ".tolerated_ratio", "must be above 1 and at most 1000 (1.5 = half as many errors again "
                    + "as stable), found " + n.get("tolerated_ratio").asText());
        }
        double tau = p.number(n, "tau", path, d.tau());
        if (!(tau > 0 && tau < 1)) {
            throw p.error(path + ".tau", "must be between 0 and 1, in error-rate units (0.01 = one percentage point), "
                    + "found " + n.get("tau").asText());
        }
        double margin = p.number(n, "margin", path, d.margin());
        if (!(margin >= 0 && margin < 1)) {
            throw p.error(path + ".margin", "must be from 0 to below 1, in error-rate units (0.005 = half a percentage "
                    + "point), found " + n.get("margin").asText());
        }
        return new RolloutPlan.SequentialSpec(test, detect, spread, tolerated, tau, margin);
    }

    /** Field access with errors that name the plan and the field. */
    private record P(String source) {
        RolloutException error(String path, String message) {
            return new RolloutException(source + (path.isEmpty() ? "" : ": " + path) + ": " + message);
        }

        void object(JsonNode n, String path) {
            if (!n.isObject()) {
                throw error(path, "must be a mapping of keys to values");
            }
        }

        void keys(JsonNode n, String path, Set<String> allowed) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw error(path.isEmpty() ? k : path + "." + k, "unknown key '" + k + "'; allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
        }

        /** An optional name (model, version, stage or alias): empty, or an identifier without control characters. */
        String name(JsonNode n, String key) {
            String v = text(n, key, "");
            try {
                return Sanitizer.optionalIdentifier(key, v);
            } catch (InputException e) {
                throw error("", e.getMessage());
            }
        }

        /** A metric's name, a key of {@code path}: shown in reports, check texts and the terminal. */
        void metricName(String path, String name) {
            try {
                Sanitizer.identifier("metric name", name);
            } catch (InputException e) {
                throw error(path, e.getMessage());
            }
        }

        String text(JsonNode n, String key, String fallback) {
            JsonNode v = n.get(key);
            return v == null || v.isNull() ? fallback : v.asText().trim();
        }

        String url(JsonNode n, String key) {
            return url(n, key, key);
        }

        String url(JsonNode n, String key, String path) {
            String u = text(n, key, "");
            if (u.isEmpty()) {
                throw error(path, "required: the URL of the " + key + " version, e.g. http://10.0.0.5:8080");
            }
            try {
                URI uri = new URI(u);
                if (uri.getScheme() == null || uri.getHost() == null
                        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new java.net.URISyntaxException(u, "not an http(s) URL with a host");
                }
            } catch (java.net.URISyntaxException e) {
                throw error(path, "'" + io.modelgate.common.Redactor.url(u) + "' is not an http(s) URL");
            }
            return u;
        }

        long count(JsonNode n, String key, String path, long min, long max, long fallback) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
                throw error(path + "." + key, "must be a whole number from " + min + " to "
                        + (max == Long.MAX_VALUE ? "any" : max) + ", found '" + v.asText() + "'");
            }
            return v.asLong();
        }

        double number(JsonNode n, String key, String path, double fallback) {
            double v = number(n, key, path);
            return Double.isNaN(v) ? fallback : v;
        }

        double number(JsonNode n, String key, String path) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return Double.NaN;
            }
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw error(path + "." + key, "must be a number, found '" + v.asText() + "'");
            }
            return v.asDouble();
        }

        /**
         * A duration: {@code 30s}, {@code 1.5m}, {@code 250ms}, {@code 2h}, a number of seconds, or ISO-8601
         * ({@code PT1M}); negative ones (also {@code PT-10S}) are refused, and so is anything longer than
         * {@code max}, rather than overflowing into an ArithmeticException or a wait of millions of years.
         */
        Duration duration(JsonNode n, String key, String path, Duration fallback, Duration max, String maxText) {
            JsonNode v = n.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            String field = path + "." + key;
            String t = v.asText().trim();
            Duration d;
            try {
                d = parseDuration(v, t, field);
            } catch (ArithmeticException | DateTimeParseException e) {
                throw error(field, "'" + t + "' is longer than the maximum of " + maxText);
            }
            if (d.isNegative()) {
                throw error(field, "must not be negative, found '" + t + "'");
            }
            if (d.compareTo(max) > 0) {
                throw error(field, "'" + t + "' is longer than the maximum of " + maxText);
            }
            return d;
        }

        private Duration parseDuration(JsonNode v, String t, String field) {
            if (t.startsWith("-")) {
                throw error(field, "must not be negative, found '" + t + "'");
            }
            Matcher m = DURATION.matcher(t);
            if (m.matches() || v.isNumber()) {
                double x = m.matches() ? Double.parseDouble(m.group(1)) : v.asDouble();
                double ms = m.matches() ? switch (m.group(2)) {
                    case "ms" -> x;
                    case "s" -> x * 1000;
                    case "m" -> x * 60_000;
                    default -> x * 3_600_000;
                } : x * 1000;
                if (!Double.isFinite(ms) || ms > Long.MAX_VALUE / 2.0) {
                    throw new ArithmeticException("duration overflow");
                }
                if (ms < 0) {
                    throw error(field, "must not be negative, found '" + t + "'");
                }
                return Duration.ofMillis(Math.round(ms));
            }
            try {
                Duration d = Duration.parse(t);
                d.toMillis(); // the rollout computes in milliseconds: a longer one must fail here, not mid-rollout
                return d;
            } catch (DateTimeParseException e) {
                if (e.getCause() instanceof ArithmeticException a) {
                    throw a;
                }
                throw error(field, "'" + t + "' is not a duration like 30s, 5m, 1h or PT1M");
            }
        }
    }
}
