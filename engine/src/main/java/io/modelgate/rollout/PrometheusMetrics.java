package io.modelgate.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.common.ModelgateException.Kind;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * Reads what the stable version and the canary did from the Prometheus HTTP API
 * ({@code GET /api/v1/query}): the {@link MetricsProvider} for rollouts whose servers are scraped by
 * Prometheus. docs/canary-prometheus.md documents it for users.
 *
 * <p>Every query is a PromQL template in which {@code {{target}}} stands for the value of the target
 * label: {@code stable} or {@code canary} by default ({@link Options#withTargets}). One
 * {@link #observe()} evaluates all queries at the same instant, so requests and errors agree.
 *
 * <ul>
 *   <li><b>Counts</b>: the queries {@code requests} and {@code errors} (built in, or the plan's queries of
 *       those names) give counter values; the counts are those values minus their values at
 *       {@link #reset()}. A counter that went down (the server restarted) counts from zero again.
 *       When either query of a target returns nothing, that target's counts are zero, so its error rate
 *       is NaN and every judge that reads it is INCONCLUSIVE.</li>
 *   <li><b>Latency</b>: Prometheus has no per-request samples, so the sample arrays are empty; the
 *       p99 from the duration histogram goes into {@link Observations#metrics()} as
 *       {@code latency-p99} (milliseconds).</li>
 *   <li><b>Named queries</b> of the plan go into {@link Observations#metrics()} under their name (and
 *       the judges' name for it, e.g. {@code latency_p95_ms} also as {@code latency-p95}).</li>
 *   <li><b>Empty result</b>: NaN, never 0 (argo-rollouts#1466: an empty query must never pass).</li>
 *   <li><b>Failure</b>: an error answer, a bad HTTP status or an unreachable server is a
 *       {@link RolloutException} EXTERNAL with one line naming the URL (without credentials); a query
 *       that returns several series or a range vector is BAD_INPUT (aggregate it, e.g. {@code sum(...)}).</li>
 * </ul>
 *
 * <p>Credentials in the URL ({@code https://user:password@host}) are sent as HTTP basic
 * authentication and never appear in messages. Thread-safe; {@link #close()} ends its HTTP threads.
 */
public final class PrometheusMetrics implements MetricsProvider, AutoCloseable {
    /** Metrics key of the p99 latency in milliseconds, the name {@link ThresholdJudge} uses. */
    public static final String LATENCY_P99 = "latency-p99";
    /** Plan query name that replaces the built-in requests query. */
    public static final String REQUESTS = "requests";
    /** Plan query name that replaces the built-in errors query. */
    public static final String ERRORS = "errors";

    private static final String TARGET = "{{target}}";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the targets and the built-in queries are named.
     *
     * @param targetLabel    the label that tells the two targets apart (default {@code target})
     * @param stableTarget   its value for the stable version (default {@code stable})
     * @param canaryTarget   its value for the canary (default {@code canary})
     * @param requestsMetric the request counter (default {@code model_requests_total})
     * @param codeLabel      the counter's status code label (default {@code code})
     * @param durationMetric the request duration histogram, without {@code _bucket} (default
     *                       {@code model_request_duration_seconds}, in seconds)
     * @param latencyWindow  the rate window of the p99 (default {@code 1m})
     * @param timeout        to connect and to answer one query (default 5 s)
     */
    public record Options(String targetLabel, String stableTarget, String canaryTarget, String requestsMetric,
                          String codeLabel, String durationMetric, String latencyWindow, Duration timeout) {
        public Options {
            for (var e : Map.of("target label", targetLabel, "requests metric", requestsMetric, "code label", codeLabel,
                    "duration metric", durationMetric).entrySet()) {
                if (e.getValue() == null || !NAME.matcher(e.getValue()).matches()) {
                    throw new RolloutException("prometheus " + e.getKey() + " must be a Prometheus name like "
                            + "model_requests_total, found '" + e.getValue() + "'");
                }
            }
            if (stableTarget == null || stableTarget.isEmpty() || canaryTarget == null || canaryTarget.isEmpty()
                    || stableTarget.equals(canaryTarget)) {
                throw new RolloutException("prometheus target label values must be two different non-empty values, "
                        + "found '" + stableTarget + "' and '" + canaryTarget + "'");
            }
            if (latencyWindow == null || !latencyWindow.matches("\\d+(ms|s|m|h)")) {
                throw new RolloutException("prometheus latency window must be a duration like 1m or 30s, found '"
                        + latencyWindow + "'");
            }
            if (timeout == null || timeout.isZero() || timeout.isNegative()) {
                throw new RolloutException("prometheus timeout must be positive");
            }
        }

        /** Label {@code target} with values {@code stable} and {@code canary}; ModelServer's metric names. */
        public static Options defaults() {
            return new Options("target", "stable", "canary", "model_requests_total", "code",
                    "model_request_duration_seconds", "1m", Duration.ofSeconds(5));
        }

        /** The values of the target label for the stable version and the canary. */
        public Options withTargets(String stable, String canary) {
            return new Options(targetLabel, stable, canary, requestsMetric, codeLabel, durationMetric, latencyWindow,
                    timeout);
        }

        public Options withTargetLabel(String label) {
            return new Options(label, stableTarget, canaryTarget, requestsMetric, codeLabel, durationMetric,
                    latencyWindow, timeout);
        }

        public Options withMetrics(String requests, String code, String duration) {
            return new Options(targetLabel, stableTarget, canaryTarget, requests, code, duration, latencyWindow,
                    timeout);
        }

        public Options withLatencyWindow(String window) {
            return new Options(targetLabel, stableTarget, canaryTarget, requestsMetric, codeLabel, durationMetric,
                    window, timeout);
        }

        public Options withTimeout(Duration t) {
            return new Options(targetLabel, stableTarget, canaryTarget, requestsMetric, codeLabel, durationMetric,
                    latencyWindow, t);
        }

        /** {@code sum(model_requests_total{target="{{target}}"})}. */
        String requestsQuery() {
            return "sum(" + requestsMetric + "{" + targetLabel + "=\"" + TARGET + "\"})";
        }

        /**
         * {@code sum(model_requests_total{target="{{target}}",code=~"5.."})}, or 0 when the target has
         * requests but no 5xx series yet (so only a target without any requests gives an empty result).
         */
        String errorsQuery() {
            return "sum(" + requestsMetric + "{" + targetLabel + "=\"" + TARGET + "\"," + codeLabel + "=~\"5..\"})"
                    + " or (" + requestsQuery() + " * 0)";
        }

        /** p99 of the duration histogram over the window, in seconds. */
        String latencyP99Query() {
            return "histogram_quantile(0.99, sum(rate(" + durationMetric + "_bucket{" + targetLabel + "=\"" + TARGET
                    + "\"}[" + latencyWindow + "])) by (le))";
        }
    }

    private record Baseline(double requests, double errors) {
    }

    private final URI base;
    private final String display;
    private final Optional<String> authorization;
    private final Options options;
    private final String requestsQuery;
    private final String errorsQuery;
    private final String latencyQuery;
    /** The built-in p99 is in seconds (times 1000); a plan's {@code latency_p99_ms} query is already in ms. */
    private final double latencyScale;
    /** Plan queries that go into the metrics, by the key they are stored under. */
    private final Map<String, String> named;
    private final Clock clock;
    private final EmbeddedThreads threads = new EmbeddedThreads("modelgate-prometheus");
    private final ExecutorService executor = Executors.newCachedThreadPool(threads);
    private final HttpClient client;
    private final Object lock = new Object();
    private Baseline stableBaseline = new Baseline(0, 0);
    private Baseline canaryBaseline = new Baseline(0, 0);

    /** With the default {@link Options}: label {@code target}, values {@code stable} and {@code canary}. */
    public PrometheusMetrics(RolloutPlan.MetricsSpec spec) {
        this(spec, Options.defaults());
    }

    public PrometheusMetrics(RolloutPlan.MetricsSpec spec, Options options) {
        this(spec, options, Clock.systemUTC());
    }

    PrometheusMetrics(RolloutPlan.MetricsSpec spec, Options options, Clock clock) {
        this.options = options;
        this.clock = clock;
        URI uri = parse(spec.url());
        this.display = withoutUserInfo(uri).toString();
        this.base = withoutUserInfo(uri);
        this.authorization = Optional.ofNullable(uri.getRawUserInfo()).map(u -> "Basic " + Base64.getEncoder()
                .encodeToString(decode(u).getBytes(StandardCharsets.UTF_8)));
        Map<String, String> queries = new LinkedHashMap<>(spec.queries());
        for (var e : queries.entrySet()) {
            if (!e.getValue().contains(TARGET)) {
                throw new RolloutException("metrics.queries." + e.getKey() + ": a query must contain {{target}}, which "
                        + "stands for the stable or the canary target");
            }
        }
        this.requestsQuery = Optional.ofNullable(queries.remove(REQUESTS)).orElse(options.requestsQuery());
        this.errorsQuery = Optional.ofNullable(queries.remove(ERRORS)).orElse(options.errorsQuery());
        Map<String, String> keyed = new LinkedHashMap<>();
        String latency = options.latencyP99Query();
        boolean latencyInMs = false;
        for (var e : queries.entrySet()) {
            String key = Judges.metric(e.getKey());
            if (key.equals(LATENCY_P99)) {
                latency = e.getValue();
                latencyInMs = true;
                continue;
            }
            keyed.put(e.getKey(), e.getValue());
            if (!key.equals(e.getKey())) {
                keyed.put(key, e.getValue());
            }
        }
        this.latencyQuery = latency;
        this.latencyScale = latencyInMs ? 1 : 1000;
        this.named = Map.copyOf(keyed);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(executor)
                .build();
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url == null ? "" : url.trim());
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new java.net.URISyntaxException(String.valueOf(url), "not an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new RolloutException("metrics.url: '" + io.modelgate.common.Redactor.url(String.valueOf(url))
                    + "' is not an http(s) URL of a Prometheus server, e.g. http://prometheus:9090");
        }
    }

    private static URI withoutUserInfo(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + path);
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The server's base URL without credentials, for messages. */
    public String url() {
        return display;
    }

    /** The options in use. */
    public Options options() {
        return options;
    }

    /** The query template of a metric key ({@code requests}, {@code errors}, {@code latency-p99} or a plan name). */
    public Optional<String> query(String key) {
        return switch (key) {
            case REQUESTS -> Optional.of(requestsQuery);
            case ERRORS -> Optional.of(errorsQuery);
            case LATENCY_P99 -> Optional.of(latencyQuery);
            default -> Optional.ofNullable(named.get(key));
        };
    }

    /** The template with {@code {{target}}} replaced by the target label value (quotes and backslashes escaped). */
    static String substitute(String template, String target) {
        String escaped = target.replace("\\", "\\\\").replace("\"", "\\\"");
        return template.replace(TARGET, escaped);
    }

    @Override
    public Observations observe() {
        double at = now();
        Baseline stableNow = counters(options.stableTarget(), at);
        Baseline canaryNow = counters(options.canaryTarget(), at);
        List<String> notes = new ArrayList<>();
        for (String target : List.of(options.stableTarget(), options.canaryTarget())) {
            Baseline b = target.equals(options.stableTarget()) ? stableNow : canaryNow;
            if (Double.isNaN(b.requests())) {
                notes.add(nothing("requests", requestsQuery, target));
            }
            if (Double.isNaN(b.errors())) {
                notes.add(nothing("errors", errorsQuery, target));
            }
        }
        Counts stable;
        Counts canary;
        synchronized (lock) {
            stable = since(stableBaseline, stableNow);
            canary = since(canaryBaseline, canaryNow);
        }
        Map<String, Observations.Pair> metrics = new LinkedHashMap<>();
        metrics.put(LATENCY_P99, new Observations.Pair(value(latencyQuery, options.stableTarget(), at) * latencyScale,
                value(latencyQuery, options.canaryTarget(), at) * latencyScale));
        for (var e : named.entrySet()) {
            Observations.Pair pair = new Observations.Pair(value(e.getValue(), options.stableTarget(), at),
                    value(e.getValue(), options.canaryTarget(), at));
            metrics.put(e.getKey(), pair);
            if (Double.isNaN(pair.stable())) {
                notes.add(nothing(e.getKey(), e.getValue(), options.stableTarget()));
            }
            if (Double.isNaN(pair.canary())) {
                notes.add(nothing(e.getKey(), e.getValue(), options.canaryTarget()));
            }
        }
        return new Observations(stable, canary, new double[0], new double[0], metrics).withNotes(notes);
    }

    /** One sentence naming a query that returned no series, as it was sent. */
    private static String nothing(String name, String template, String target) {
        return "the " + name + " query for " + target + " returned no series: "
                + io.modelgate.common.Sanitizer.freeText(substitute(template, target));
    }

    @Override
    public void reset() {
        double at = now();
        Baseline stable = counters(options.stableTarget(), at);
        Baseline canary = counters(options.canaryTarget(), at);
        synchronized (lock) {
            // A target without series yet starts from zero.
            stableBaseline = zeroIfNaN(stable);
            canaryBaseline = zeroIfNaN(canary);
        }
    }

    private static Baseline zeroIfNaN(Baseline b) {
        return new Baseline(Double.isNaN(b.requests()) ? 0 : b.requests(), Double.isNaN(b.errors()) ? 0 : b.errors());
    }

    private Baseline counters(String target, double at) {
        return new Baseline(value(requestsQuery, target, at), value(errorsQuery, target, at));
    }

    /** Counts since the baseline; zero (so an error rate of NaN) when either query returned nothing. */
    static Counts since(Baseline baseline, Baseline now) {
        if (!Double.isFinite(now.requests()) || !Double.isFinite(now.errors())) {
            return Counts.ZERO;
        }
        // A counter below its baseline was reset (the server restarted): count from its restart.
        double requests = now.requests() >= baseline.requests() ? now.requests() - baseline.requests() : now.requests();
        double errors = now.errors() >= baseline.errors() ? now.errors() - baseline.errors() : now.errors();
        long r = Math.max(0, Math.round(requests));
        long e = Math.max(0, Math.min(r, Math.round(errors)));
        return new Counts(r, e);
    }

    static Counts since(double baseRequests, double baseErrors, double requests, double errors) {
        return since(new Baseline(baseRequests, baseErrors), new Baseline(requests, errors));
    }

    private double now() {
        return clock.millis() / 1000.0;
    }

    /** One query for one target at one instant: its single value, or NaN when the result is empty. */
    private double value(String template, String target, double at) {
        String query = substitute(template, target);
        URI uri = URI.create(base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&time=" + String.format(Locale.ROOT, "%.3f", at));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.timeout()).GET()
                .header("Accept", "application/json");
        authorization.ifPresent(a -> request.header("Authorization", a));
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw external("cannot reach Prometheus at " + display + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw external("interrupted while querying Prometheus at " + display, e);
        }
        return parse(display, query, response.statusCode(), response.body());
    }

    /**
     * The value of one answer of {@code /api/v1/query}: the sample of a one-element vector or a scalar;
     * NaN for an empty vector.
     *
     * @throws RolloutException EXTERNAL for an error answer or one that is not the API's JSON; BAD_INPUT
     *                          when the query returns several series or a range vector
     */
    static double parse(String url, String query, int status, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject() || !root.has("status")) {
            throw external("Prometheus at " + url + " answered HTTP " + status + " without the query API's JSON "
                    + "(is " + url + " the Prometheus base URL?)", null);
        }
        if (!"success".equals(root.path("status").asText())) {
            throw external("Prometheus at " + url + " rejected the query " + query + ": HTTP " + status + " "
                    + root.path("errorType").asText("error") + ": " + oneLine(root.path("error").asText("")), null);
        }
        JsonNode data = root.path("data");
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        switch (type) {
            case "vector" -> {
                if (result.size() == 0) {
                    return Double.NaN;
                }
                if (result.size() > 1) {
                    throw new RolloutException("Prometheus at " + url + ": the query " + query + " returned "
                            + result.size() + " series, one is needed; aggregate it, e.g. sum(...)");
                }
                return number(url, query, result.get(0).path("value"));
            }
            case "scalar" -> {
                return number(url, query, result);
            }
            default -> throw new RolloutException("Prometheus at " + url + ": the query " + query + " returned a "
                    + (type.isEmpty() ? "result of no type" : type) + ", an instant vector or scalar is needed");
        }
    }

    private static double number(String url, String query, JsonNode sample) {
        String v = sample.path(1).asText("");
        return switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw external("Prometheus at " + url + " answered the query " + query + " with '" + v
                            + "', not a number", e);
                }
            }
        };
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + oneLine(m));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    private static RolloutException external(String message, Throwable cause) {
        return new RolloutException(Kind.EXTERNAL, message, cause);
    }

    /** Ends the HTTP client's threads. */
    @Override
    public void close() {
        threads.stop(executor);
    }
}
