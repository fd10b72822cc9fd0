package io.modelgate.rollout;

import io.modelgate.common.Field;
import io.modelgate.common.InputException;
import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.Yaml;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a canary plan (YAML). Strict like the gate's policy — an unknown key is an error naming it,
 * with a "did you mean" — and complete with defaults, so a plan of two lines (the stable and canary
 * URLs) works: steps 10, 25, 50, 100 % for a minute each, the sequential judge every 10 s, Flagger's
 * guard thresholds (error rate at most 1 %, p99 latency at most 500 ms), a pause for a person when the
 * analysis is inconclusive.
 */
public final class PlanReader {
    private static final Set<String> TOP = Set.of("version", "stable", "canary", "router", "metrics", "steps", "analysis",
            "model", "canary_version", "promote_to", "traffic");
    private static final Set<String> TRAFFIC = Set.of("mode", "header", "cookie", "score", "max_psi", "trials", "failures");
    private static final Set<String> SHADOW_ONLY = Set.of("score", "max_psi");
    private static final Set<String> AB_ONLY = Set.of("header", "cookie", "trials", "failures");
    private static final Map<String, RolloutPlan.Mode> MODES = Field.choices(Map.entry("canary", RolloutPlan.Mode.CANARY),
            Map.entry("shadow", RolloutPlan.Mode.SHADOW), Map.entry("ab", RolloutPlan.Mode.AB));
    /** An HTTP token (RFC 9110): what a header or cookie name may be. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}");
    private static final Set<String> ROUTER = Set.of("type", "port", "socket", "backend", "stable_server", "canary_server",
            "server_state_file");
    private static final Set<String> METRICS = Set.of("provider", "url", "queries");
    private static final Set<String> STEP = Set.of("weight", "bake", "min_requests");
    private static final Set<String> ANALYSIS = Set.of("interval", "judge", "thresholds", "failure_limit", "inconclusive",
            "confidence", "sequential", "early_success");
    private static final Set<String> EARLY_SUCCESS = Set.of("min_weight");
    private static final Set<String> SEQUENTIAL = Set.of("test", "detect_ratio", "spread", "tolerated_ratio", "tau", "margin");
    private static final Set<String> MSPRT_ONLY = Set.of("tau", "margin");
    private static final Set<String> RELATIVE_RISK_ONLY = Set.of("detect_ratio", "spread", "tolerated_ratio");
    private static final Set<String> THRESHOLD = Set.of("max", "min", "max_increase");
    private static final Map<String, String> ROUTERS = Field.choices("embedded", "haproxy");
    private static final Map<String, String> PROVIDERS = Field.choices("embedded", "prometheus");
    private static final Map<String, String> JUDGES = Field.choices("threshold", "mann-whitney", "sequential");
    private static final Map<String, String> TESTS = Field.choices(RolloutPlan.SequentialSpec.RELATIVE_RISK,
            RolloutPlan.SequentialSpec.MSPRT);
    private static final Map<String, RolloutPlan.OnInconclusive> ON_INCONCLUSIVE = Field.choices(
            Map.entry("pause", RolloutPlan.OnInconclusive.PAUSE), Map.entry("rollback", RolloutPlan.OnInconclusive.ROLLBACK),
            Map.entry("continue", RolloutPlan.OnInconclusive.CONTINUE));
    /** The longest bake of one step (docs/canary.md): a rollout is watched by a person, not left for a season. */
    public static final Duration MAX_BAKE = Duration.ofDays(30);
    /** The longest time between two analyses (docs/canary.md); an abort is honoured within one. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(7);

    private PlanReader() {
    }

    public static RolloutPlan read(Path file) {
        return parse(file.toString(), Yaml.read(file, RolloutException::new));
    }

    /** A plan from its text; {@code source} names it in messages. */
    public static RolloutPlan parse(String source, String yaml) {
        Field root = Field.parse(source, yaml, RolloutException::new);
        if (!root.isMapping()) {
            throw root.error("a plan is a mapping with at least 'stable' and 'canary' URLs");
        }
        root.allow(TOP).requireVersion(1);
        String stable = url(root.get("stable"), "the stable version");
        String canary = url(root.get("canary"), "the canary version");
        if (sameTarget(stable, canary)) {
            throw root.get("canary").error("is the stable version's URL too; a canary is judged against another server");
        }
        RolloutPlan.RouterSpec router = router(root.get("router"));
        RolloutPlan.MetricsSpec metrics = metrics(root.get("metrics"));
        RolloutPlan.Traffic traffic = traffic(root.get("traffic"), router);
        metrics = business(root.get("traffic"), metrics);
        MetricsSource measured = MetricsSource.of(router, metrics);
        List<RolloutPlan.Step> steps = steps(root.get("steps"));
        RolloutPlan.Analysis analysis = analysis(root.get("analysis"), measured,
                traffic.mode() == RolloutPlan.Mode.AB && root.get("traffic").has("trials"));
        long partialWeights = steps.stream().mapToInt(RolloutPlan.Step::weight).filter(w -> w > 0 && w < 100).distinct().count();
        if (analysis.judge().equals("sequential") && analysis.sequential().test().equals(RolloutPlan.SequentialSpec.MSPRT)
                && partialWeights > 1) {
            // its normal approximation assumes one traffic split: under stepped weights it rolled back 18.8% of
            // A/A canaries at a nominal 5% (bench canary-stats)
            throw root.get("analysis").get("sequential").get("test").error("msprt assumes one traffic split, but the "
                    + "steps have " + partialWeights + " (its false rollbacks are not bounded then); use relative-risk, "
                    + "the default, which is valid under any weights, or one step below 100");
        }
        // Names that reach the registry (commits, refs), reports and the terminal: printable, checked once here.
        return new RolloutPlan(source, stable, canary, router, metrics, steps, analysis, name(root, "model"),
                name(root, "canary_version"), name(root, "promote_to"), traffic);
    }

    /** The {@code traffic} section: the mode and what it needs, each key checked against the mode and the router. */
    private static RolloutPlan.Traffic traffic(Field n, RolloutPlan.RouterSpec router) {
        if (n.isAbsent()) {
            return RolloutPlan.Traffic.CANARY;
        }
        n.mapping().allow(TRAFFIC);
        Field modeField = n.get("mode");
        RolloutPlan.Mode mode = modeField.oneOf(RolloutPlan.Mode.CANARY, MODES);
        for (String k : new java.util.TreeSet<>(mode == RolloutPlan.Mode.SHADOW ? AB_ONLY : mode == RolloutPlan.Mode.AB
                ? SHADOW_ONLY : TRAFFIC)) {
            if (!k.equals("mode") && n.has(k)) {
                throw n.get(k).error("applies to mode " + (SHADOW_ONLY.contains(k) ? "shadow" : "ab") + " only, but "
                        + "traffic.mode is '" + modeField.text("canary") + "'");
            }
        }
        if (mode != RolloutPlan.Mode.CANARY && router.type().equals("haproxy")) {
            throw modeField.error("the haproxy router splits by weight only (it has no mirroring, and per-client "
                    + "assignment would need a map in its configuration); use the embedded or the nginx router");
        }
        if (mode == RolloutPlan.Mode.SHADOW) {
            String score = n.get("score").text("");
            if (!score.isEmpty() && !score.startsWith("/")) {
                throw n.get("score").error("is a JSON pointer to the prediction in a response body, e.g. /score or "
                        + "/predictions/0, found '" + score + "'");
            }
            if (!score.isEmpty() && router.type().equals("nginx")) {
                throw n.get("score").error("needs the embedded router: nginx discards mirrored responses unread, so "
                        + "it cannot compare predictions (errors and latency are still judged)");
            }
            double maxPsi = bounded(n.get("max_psi"), RolloutPlan.Traffic.DEFAULT_MAX_PSI, x -> x > 0 && x <= 10,
                    "must be above 0 and at most 10 (0.1 is Evidently's drift threshold)");
            if (n.has("max_psi") && score.isEmpty()) {
                throw n.get("max_psi").error("bounds the predictions' shift, but traffic.score (where a response holds "
                        + "its prediction) is not set");
            }
            return new RolloutPlan.Traffic(mode, "", "", score, maxPsi);
        }
        if (mode == RolloutPlan.Mode.AB) {
            String header = n.get("header").text("");
            String cookie = n.get("cookie").text("");
            if (header.isEmpty() == cookie.isEmpty()) {
                throw n.error("mode ab needs exactly one of header or cookie: what names a client, so that all its "
                        + "requests go to one side");
            }
            String key = header.isEmpty() ? "cookie" : "header";
            if (!TOKEN.matcher(header.isEmpty() ? cookie : header).matches()) {
                throw n.get(key).error("must be a " + key + " name (letters, digits and !#$%&'*+.^_`|~-), found '"
                        + Sanitizer.escape(header.isEmpty() ? cookie : header) + "'");
            }
            return new RolloutPlan.Traffic(mode, header, cookie, "", RolloutPlan.Traffic.DEFAULT_MAX_PSI);
        }
        return RolloutPlan.Traffic.CANARY;
    }

    /**
     * A/B's business metric: {@code traffic.trials} and {@code traffic.failures} become the Prometheus
     * {@code requests} and {@code errors} queries, which the sequential judge then compares.
     */
    private static RolloutPlan.MetricsSpec business(Field n, RolloutPlan.MetricsSpec metrics) {
        if (n.isAbsent() || (!n.has("trials") && !n.has("failures"))) {
            return metrics;
        }
        for (String k : List.of("trials", "failures")) {
            if (!n.has(k)) {
                throw n.get(k).error("required with traffic." + (k.equals("trials") ? "failures" : "trials")
                        + ": the business metric is failures out of trials, e.g. checkouts without a purchase out of checkouts");
            }
            String q = n.get(k).text("");
            if (!q.contains("{{target}}")) {
                throw n.get(k).error("a query must contain {{target}}, which stands for the stable or the canary target");
            }
        }
        if (!metrics.type().equals("prometheus")) {
            throw n.get("trials").error("is a Prometheus query, but metrics.provider is '" + metrics.type()
                    + "'; set metrics.provider: prometheus and metrics.url");
        }
        for (String k : List.of(PrometheusMetrics.REQUESTS, PrometheusMetrics.ERRORS)) {
            if (metrics.queries().containsKey(k)) {
                throw n.get("trials").error("and metrics.queries." + k + " both say what is counted; keep one");
            }
        }
        Map<String, String> queries = new LinkedHashMap<>(metrics.queries());
        queries.put(PrometheusMetrics.REQUESTS, n.get("trials").text(""));
        queries.put(PrometheusMetrics.ERRORS, n.get("failures").text(""));
        return new RolloutPlan.MetricsSpec(metrics.type(), metrics.url(), queries);
    }

    /** The same scheme, host and port, and path (without a trailing slash), case aside where it does not count. */
    private static boolean sameTarget(String a, String b) {
        URI x = URI.create(a);
        URI y = URI.create(b);
        return x.getScheme().equalsIgnoreCase(y.getScheme()) && x.getHost().equalsIgnoreCase(y.getHost())
                && port(x) == port(y) && trimSlash(x.getRawPath()).equals(trimSlash(y.getRawPath()));
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String trimSlash(String path) {
        String p = path == null ? "" : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /**
     * What the plan's metrics source can measure, so that a threshold or a judge it cannot feed is an
     * error when the plan is read rather than an inconclusive analysis every interval.
     *
     * @param name       how the source is named in messages
     * @param samples    per-request latency samples (the embedded router): any latency percentile, Mann-Whitney
     * @param named      further metric names it supplies (Prometheus: its built-in p99 and the plan's queries)
     */
    private record MetricsSource(String name, boolean samples, Set<String> named) {
        static MetricsSource of(RolloutPlan.RouterSpec router, RolloutPlan.MetricsSpec metrics) {
            if (metrics.type().equals("prometheus")) {
                Set<String> names = new java.util.TreeSet<>(metrics.queries().keySet());
                names.add("latency_p99_ms");
                return new MetricsSource("Prometheus", false, names);
            }
            return router.type().equals("haproxy")
                    ? new MetricsSource("HAProxy's counters", false,
                            new java.util.TreeSet<>(Set.of(HaproxyRouter.LATENCY_AVG_MS, HaproxyRouter.TOTAL_TIME_AVG_MS)))
                    : new MetricsSource("the embedded router", true, Set.of());
        }

        boolean measures(String metric) {
            String m = metric.toLowerCase(java.util.Locale.ROOT);
            return m.equals("error_rate") || m.equals("success_rate") || named.contains(metric)
                    || (samples && m.matches("latency_p\\d{1,2}(\\.\\d+)?_ms"));
        }

        /** What to suggest a misspelt name from. */
        List<String> known() {
            List<String> k = new ArrayList<>(List.of("error_rate", "success_rate"));
            if (samples) {
                k.addAll(List.of("latency_p50_ms", "latency_p95_ms", "latency_p99_ms"));
            }
            k.addAll(named);
            return k;
        }
    }

    private static RolloutPlan.RouterSpec router(Field n) {
        if (n.isAbsent()) {
            return new RolloutPlan.RouterSpec("embedded", 0, "", "", "", "");
        }
        n.mapping().allow(ROUTER);
        String type = n.get("type").oneOf("embedded", ROUTERS);
        if (type.equals("embedded")) {
            return new RolloutPlan.RouterSpec(type, (int) n.get("port").count(0, 65535, 0), "", "", "", "");
        }
        for (String k : List.of("socket", "backend")) {
            if (!n.has(k)) {
                throw n.get(k).error("required for the haproxy router");
            }
        }
        return new RolloutPlan.RouterSpec(type, 0, n.get("socket").text(""), n.get("backend").text(""),
                n.get("stable_server").text("stable"), n.get("canary_server").text("canary"),
                n.get("server_state_file").text(""));
    }

    private static RolloutPlan.MetricsSpec metrics(Field n) {
        if (n.isAbsent()) {
            return new RolloutPlan.MetricsSpec("embedded", "", Map.of());
        }
        n.mapping().allow(METRICS);
        String type = n.get("provider").oneOf("embedded", PROVIDERS);
        if (type.equals("embedded")) {
            return new RolloutPlan.MetricsSpec(type, "", Map.of());
        }
        String url = url(n.get("url"), "the Prometheus server");
        Map<String, String> queries = new LinkedHashMap<>();
        Field q = n.get("queries");
        if (q.isPresent()) {
            q.mapping();
        }
        for (String metric : q.keys()) {
            metricName(q, metric);
            String query = q.get(metric).text("");
            if (!query.contains("{{target}}")) {
                throw q.get(metric).error("a query must contain {{target}}, which stands for the stable or the canary target");
            }
            queries.put(metric, query);
        }
        return new RolloutPlan.MetricsSpec(type, url, queries);
    }

    private static List<RolloutPlan.Step> steps(Field n) {
        if (n.isAbsent()) {
            return List.of(new RolloutPlan.Step(10, Duration.ofMinutes(1), 100), new RolloutPlan.Step(25, Duration.ofMinutes(1), 100),
                    new RolloutPlan.Step(50, Duration.ofMinutes(1), 100), new RolloutPlan.Step(100, Duration.ZERO, 0));
        }
        if (!n.isList() || n.size() == 0) {
            throw n.error("must be a list of steps, e.g. - {weight: 10, bake: 1m}");
        }
        List<RolloutPlan.Step> steps = new ArrayList<>();
        int previous = 0;
        for (Field s : n.items()) {
            // "- 50" is short for "- {weight: 50}"
            Field weightField = s.isNumber() ? s.as("weight") : s.mapping().allow(STEP).get("weight");
            if (weightField.isAbsent()) {
                throw weightField.error("required: the percent of traffic for the canary, 0 to 100");
            }
            int weight = (int) weightField.count(0, 100);
            if (weight < previous) {
                throw weightField.error(weight + " is below the previous step's " + previous + "; steps only go up");
            }
            previous = weight;
            Duration bake = weight == 100 ? Duration.ZERO : Duration.ofMinutes(1);
            long minRequests = weight == 100 ? 0 : 100;
            if (!s.isNumber()) { // a bare weight has every other setting's default
                bake = s.get("bake").duration(bake, MAX_BAKE, "30 days");
                minRequests = s.get("min_requests").count(0, Long.MAX_VALUE, minRequests);
            }
            steps.add(new RolloutPlan.Step(weight, bake, minRequests));
        }
        return steps;
    }

    private static RolloutPlan.Analysis analysis(Field n, MetricsSource source, boolean business) {
        // Flagger's guards, the latency one where the source measures it; none on a business metric, whose
        // "errors" are failures of the business (checkouts without a purchase), not of the server
        List<RolloutPlan.ThresholdSpec> defaults = new ArrayList<>();
        if (!business) {
            defaults.add(new RolloutPlan.ThresholdSpec("error_rate", 0.01, Double.NaN, Double.NaN));
        }
        if (!business && source.measures("latency_p99_ms")) {
            defaults.add(new RolloutPlan.ThresholdSpec("latency_p99_ms", 500, Double.NaN, Double.NaN));
        }
        if (n.isAbsent()) {
            return new RolloutPlan.Analysis(Duration.ofSeconds(10), "sequential", defaults, 0,
                    RolloutPlan.OnInconclusive.PAUSE, 0.95, RolloutPlan.SequentialSpec.DEFAULT,
                    RolloutPlan.Analysis.EARLY_SUCCESS_MIN_WEIGHT);
        }
        n.mapping().allow(ANALYSIS);
        String judge = n.get("judge").oneOf("sequential", JUDGES);
        if (judge.equals("mann-whitney") && !source.samples()) {
            throw n.get("judge").error("mann-whitney compares per-request latencies, which " + source.name()
                    + " does not have (only the embedded router does); use sequential or threshold");
        }
        List<RolloutPlan.ThresholdSpec> thresholds = defaults;
        Field t = n.get("thresholds");
        if (t.isPresent()) {
            t.mapping();
            thresholds = new ArrayList<>();
            for (String metric : t.keys()) {
                metricName(t, metric);
                Field bounds = t.get(metric).mapping().allow(THRESHOLD);
                if (bounds.size() == 0) {
                    throw bounds.error("set max, min or max_increase");
                }
                if (!source.measures(metric)) {
                    throw t.get(metric).error("is not measured by " + source.name() + " (the plan's metrics source)"
                            + io.modelgate.common.Suggest.hint(metric, source.known()) + "; it measures "
                            + String.join(", ", source.known())
                            + (source.samples() ? " and any latency_pNN_ms" : "")
                            + (source.name().equals("Prometheus") ? " and the plan's metrics.queries" : ""));
                }
                double max = bounds.get("max").number(Double.NaN);
                double min = bounds.get("min").number(Double.NaN);
                if (min > max) {
                    throw bounds.get("min").error("is above max (" + bounds.get("min").text("") + " > "
                            + bounds.get("max").text("") + "): no value can meet both");
                }
                thresholds.add(new RolloutPlan.ThresholdSpec(metric, max, min, bounds.get("max_increase").number(Double.NaN)));
            }
        }
        RolloutPlan.OnInconclusive on = n.get("inconclusive").oneOf(RolloutPlan.OnInconclusive.PAUSE, ON_INCONCLUSIVE);
        Field confidenceField = n.get("confidence");
        double confidence = confidenceField.number(judge.equals("mann-whitney") ? 0.98 : 0.95);
        if (!(confidence > 0.5 && confidence < 1)) {
            throw confidenceField.error("must be between 0.5 and 1, e.g. 0.95");
        }
        Field intervalField = n.get("interval");
        Duration interval = intervalField.duration(Duration.ofSeconds(10), MAX_INTERVAL, "7 days");
        if (interval.isZero()) {
            throw intervalField.error("must be longer than 0 (at least 1ms)");
        }
        Field early = n.get("early_success");
        if (early.isPresent()) {
            early.mapping().allow(EARLY_SUCCESS);
        }
        int minWeight = (int) early.get("min_weight").count(0, 100, RolloutPlan.Analysis.EARLY_SUCCESS_MIN_WEIGHT);
        return new RolloutPlan.Analysis(interval, judge, thresholds, (int) n.get("failure_limit").count(0, 1000, 0),
                on, confidence, sequential(n.get("sequential"), judge), minWeight);
    }

    private static RolloutPlan.SequentialSpec sequential(Field n, String judge) {
        RolloutPlan.SequentialSpec d = RolloutPlan.SequentialSpec.DEFAULT;
        if (n.isAbsent()) {
            return d;
        }
        n.mapping().allow(SEQUENTIAL);
        if (!judge.equals("sequential")) {
            throw n.error("tunes the sequential judge, but analysis.judge is '" + judge + "'");
        }
        String test = n.get("test").oneOf(d.test(), TESTS);
        boolean msprt = test.equals(RolloutPlan.SequentialSpec.MSPRT);
        // A knob of the other test would be silently ignored: say so instead.
        for (String k : (msprt ? RELATIVE_RISK_ONLY : MSPRT_ONLY).stream().sorted().toList()) {
            if (n.has(k)) {
                throw n.get(k).error("applies to test " + (msprt ? "relative-risk" : "msprt") + " only, but test is '"
                        + test + "'");
            }
        }
        double detect = bounded(n.get("detect_ratio"), d.detectRatio(), x -> x > 1 && x <= RelativeRiskJudge.MAX_RATIO,
                "must be above 1 and at most 1000 (2 = twice the stable error rate)");
        double spread = bounded(n.get("spread"), d.spread(), x -> x >= 0 && x <= RelativeRiskJudge.MAX_SPREAD,
                "must be from 0 to 2 (0.2 is the default; 0 tests detect_ratio alone)");
        double tolerated = bounded(n.get("tolerated_ratio"), d.toleratedRatio(), x -> x > 1 && x <= RelativeRiskJudge.MAX_RATIO,
                "must be above 1 and at most 1000 (1.5 = half as many errors again as stable)");
        double tau = bounded(n.get("tau"), d.tau(), x -> x > 0 && x < 1,
                "must be between 0 and 1, in error-rate units (0.01 = one percentage point)");
        double margin = bounded(n.get("margin"), d.margin(), x -> x >= 0 && x < 1,
                "must be from 0 to below 1, in error-rate units (0.005 = half a percentage point)");
        return new RolloutPlan.SequentialSpec(test, detect, spread, tolerated, tau, margin);
    }

    /** A number that must pass {@code ok}; the error shows the value as written: {@code ..., found 0.8}. */
    private static double bounded(Field f, double fallback, java.util.function.DoublePredicate ok, String expected) {
        double x = f.number(fallback);
        if (!ok.test(x)) {
            throw f.error(expected + ", found " + f.text(""));
        }
        return x;
    }

    /** An optional name (model, version, stage or alias): empty, or an identifier without control characters. */
    private static String name(Field root, String key) {
        try {
            return Sanitizer.optionalIdentifier(key, root.get(key).text(""));
        } catch (InputException e) {
            throw root.error(e.getMessage());
        }
    }

    /** A metric's name, a key of {@code where}: shown in reports, check texts and the terminal. */
    private static void metricName(Field where, String name) {
        try {
            Sanitizer.identifier("metric name", name);
        } catch (InputException e) {
            throw where.error(e.getMessage());
        }
    }

    /** A required http(s) URL with a host; a password in a bad one is not repeated. */
    private static String url(Field f, String what) {
        String u = f.text("");
        if (u.isEmpty()) {
            throw f.error("required: the URL of " + what + ", e.g. http://10.0.0.5:8080");
        }
        try {
            URI uri = new URI(u);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new URISyntaxException(u, "not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw f.error("'" + Redactor.url(u) + "' is not an http(s) URL");
        }
        return u;
    }
}
