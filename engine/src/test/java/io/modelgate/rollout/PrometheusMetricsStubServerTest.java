package io.modelgate.rollout;

import com.sun.net.httpserver.HttpServer;
import io.modelgate.common.ModelgateException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PrometheusMetrics against a stub that answers recorded Prometheus API JSON — NOT a real Prometheus
 * (PrometheusRolloutIT runs one). Tests parsing, templating and the baseline arithmetic.
 */
class PrometheusMetricsStubServerTest {
    private HttpServer stub;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** Answers by query text; queries not listed get an empty vector. */
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private volatile Function<String, String> fallback = q -> EMPTY;
    private volatile int status = 200;
    private PrometheusMetrics metrics;

    private static final String EMPTY = """
            {"status":"success","data":{"resultType":"vector","result":[]}}""";

    private static String vector(double v) {
        return """
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.123,"%s"]}]}}"""
                .formatted(v);
    }

    @BeforeEach
    void start() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        stub.createContext("/api/v1/query", exchange -> {
            try (exchange) {
                String raw = exchange.getRequestURI().getRawQuery();
                String query = "";
                for (String part : raw.split("&")) {
                    if (part.startsWith("query=")) {
                        query = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
                    }
                }
                queries.add(query);
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    authorizations.add(auth);
                }
                byte[] body = answers.getOrDefault(query, fallback.apply(query)).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        stub.start();
    }

    @AfterEach
    void stop() {
        if (metrics != null) {
            metrics.close();
        }
        stub.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + stub.getAddress().getPort();
    }

    private PrometheusMetrics metrics(Map<String, String> planQueries) {
        metrics = new PrometheusMetrics(new RolloutPlan.MetricsSpec("prometheus", url(), planQueries));
        return metrics;
    }

    private static String requests(String target) {
        return PrometheusMetrics.substitute(PrometheusMetrics.Options.defaults().requestsQuery(), target);
    }

    private static String errors(String target) {
        return PrometheusMetrics.substitute(PrometheusMetrics.Options.defaults().errorsQuery(), target);
    }

    @Test
    void readsTheValueOfAVectorWithOneSample() {
        assertThat(PrometheusMetrics.parse("u", "q", 200, vector(42.5))).isEqualTo(42.5);
        assertThat(PrometheusMetrics.parse("u", "q", 200, """
                {"status":"success","data":{"resultType":"scalar","result":[1700000000,"7"]}}""")).isEqualTo(7);
        assertThat(PrometheusMetrics.parse("u", "q", 200, """
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}"""))
                .isNaN();
        assertThat(PrometheusMetrics.parse("u", "q", 200, """
                {"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"+Inf"]}]}}"""))
                .isInfinite();
    }

    @Test
    void anEmptyVectorIsNaNNeverZero() {
        assertThat(PrometheusMetrics.parse("u", "q", 200, EMPTY)).isNaN();
    }

    @Test
    void anErrorAnswerIsAnExternalFailureOfOneLineNamingTheUrl() {
        String body = """
                {"status":"error","errorType":"bad_data","error":"1:5: parse error:\\nunexpected character"}""";
        assertThatThrownBy(() -> PrometheusMetrics.parse("http://prom:9090", "sum(x{", 400, body))
                .isInstanceOfSatisfying(RolloutException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.EXTERNAL);
                    assertThat(e.getMessage()).contains("http://prom:9090", "bad_data", "sum(x{", "unexpected character")
                            .doesNotContain("\n");
                });
        assertThatThrownBy(() -> PrometheusMetrics.parse("http://prom:9090", "q", 404, "404 page not found"))
                .isInstanceOfSatisfying(RolloutException.class, e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL));
    }

    @Test
    void severalSeriesAreAPlanErrorAskingForAnAggregation() {
        String two = """
                {"status":"success","data":{"resultType":"vector","result":[
                  {"metric":{"code":"200"},"value":[1,"1"]},{"metric":{"code":"500"},"value":[1,"2"]}]}}""";
        assertThatThrownBy(() -> PrometheusMetrics.parse("u", "q", 200, two))
                .isInstanceOfSatisfying(RolloutException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BAD_INPUT);
                    assertThat(e.getMessage()).contains("2 series", "sum(");
                });
    }

    @Test
    void substitutesTheTargetLabelValueIntoEveryQuery() {
        answers.put(requests("stable"), vector(100));
        answers.put(requests("canary"), vector(10));
        answers.put(errors("stable"), vector(1));
        answers.put(errors("canary"), vector(2));
        metrics(Map.of("apdex", "avg(apdex{target=\"{{target}}\"})")).observe();
        assertThat(queries).contains(
                "sum(model_requests_total{target=\"stable\"})",
                "sum(model_requests_total{target=\"canary\"})",
                "sum(model_requests_total{target=\"canary\",code=~\"5..\"}) or (sum(model_requests_total{target=\"canary\"}) * 0)",
                "histogram_quantile(0.99, sum(rate(model_request_duration_seconds_bucket{target=\"canary\"}[1m])) by (le))",
                "avg(apdex{target=\"stable\"})", "avg(apdex{target=\"canary\"})");
        assertThat(queries).noneMatch(q -> q.contains("{{target}}"));
    }

    @Test
    void customTargetLabelValuesAndMetricNamesGoIntoTheBuiltInQueries() {
        metrics = new PrometheusMetrics(new RolloutPlan.MetricsSpec("prometheus", url(), Map.of()),
                PrometheusMetrics.Options.defaults().withTargetLabel("deployment").withTargets("web-v1", "web-v2")
                        .withMetrics("http_requests_total", "status", "http_request_duration_seconds"));
        metrics.observe();
        assertThat(queries).contains("sum(http_requests_total{deployment=\"web-v2\"})",
                "sum(http_requests_total{deployment=\"web-v1\",status=~\"5..\"}) or (sum(http_requests_total{deployment=\"web-v1\"}) * 0)",
                "histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{deployment=\"web-v2\"}[1m])) by (le))");
        assertThat(PrometheusMetrics.substitute("x{t=\"{{target}}\"}", "a\"b")).isEqualTo("x{t=\"a\\\"b\"}");
    }

    @Test
    void countsAreCumulativeSinceResetByBaselineSubtraction() {
        answers.put(requests("stable"), vector(1000));
        answers.put(errors("stable"), vector(10));
        answers.put(requests("canary"), vector(50));
        answers.put(errors("canary"), vector(5));
        PrometheusMetrics m = metrics(Map.of());
        m.reset();
        answers.put(requests("stable"), vector(1900));
        answers.put(errors("stable"), vector(19));
        answers.put(requests("canary"), vector(150));
        answers.put(errors("canary"), vector(8));
        Observations o = m.observe();
        assertThat(o.stable()).isEqualTo(new Counts(900, 9));
        assertThat(o.canary()).isEqualTo(new Counts(100, 3));
        assertThat(o.stableLatencyMs()).isEmpty();
        assertThat(o.canaryLatencyMs()).isEmpty();
    }

    @Test
    void aCounterThatWentDownCountsFromItsRestart() {
        assertThat(PrometheusMetrics.since(1000, 10, 40, 1)).isEqualTo(new Counts(40, 1));
        assertThat(PrometheusMetrics.since(0, 0, 10.4, 20)).isEqualTo(new Counts(10, 10));
    }

    @Test
    void noRequestSeriesGivesZeroCountsSoTheErrorRateIsNaNAndTheJudgesAreInconclusive() {
        PrometheusMetrics m = metrics(Map.of("apdex", "avg(apdex{target=\"{{target}}\"})"));
        m.reset();
        Observations o = m.observe();
        assertThat(o.canary()).isEqualTo(Counts.ZERO);
        assertThat(o.canary().errorRate()).isNaN();
        assertThat(o.metrics().get("apdex").canary()).isNaN();
        assertThat(o.metrics().get(PrometheusMetrics.LATENCY_P99).canary()).isNaN();
        var threshold = new ThresholdJudge(List.of(ThresholdJudge.MetricThreshold.errorRateAtMost(0.05),
                new ThresholdJudge.MetricThreshold("apdex", ThresholdJudge.Bound.ABSOLUTE, 0.9, false)), 0);
        assertThat(threshold.judge(o).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        assertThat(new SequentialJudge().judge(o).outcome()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
        // an inconclusive analysis says which query came back empty, as it was sent
        assertThat(o.notes()).contains(
                "the apdex query for canary returned no series: avg(apdex{target=\"canary\"})",
                "the apdex query for stable returned no series: avg(apdex{target=\"stable\"})")
                .anyMatch(n -> n.startsWith("the requests query for canary returned no series: "))
                .anyMatch(n -> n.startsWith("the errors query for stable returned no series: "));
    }

    @Test
    void theP99IsInMillisecondsUnderTheJudgesName() {
        fallback = q -> q.startsWith("histogram_quantile") ? vector(q.contains("canary") ? 0.25 : 0.0125) : EMPTY;
        Observations o = metrics(Map.of()).observe();
        assertThat(o.metrics().get("latency-p99")).isEqualTo(new Observations.Pair(12.5, 250));
    }

    @Test
    void planQueriesNamedLikeJudgeMetricsAreAlsoStoredUnderTheJudgesName() {
        fallback = q -> q.startsWith("p95") ? vector(30) : q.startsWith("p99") ? vector(40) : EMPTY;
        PrometheusMetrics m = metrics(Map.of("latency_p95_ms", "p95{target=\"{{target}}\"}",
                "latency_p99_ms", "p99{target=\"{{target}}\"}"));
        Observations o = m.observe();
        assertThat(o.metrics().get("latency_p95_ms").canary()).isEqualTo(30);
        assertThat(o.metrics().get("latency-p95").canary()).isEqualTo(30);
        assertThat(o.metrics().get("latency-p99").canary()).as("a plan p99 query is in ms already").isEqualTo(40);
        assertThat(m.query("latency-p99")).contains("p99{target=\"{{target}}\"}");
    }

    @Test
    void planQueriesNamedRequestsAndErrorsReplaceTheBuiltInCounts() {
        fallback = q -> q.startsWith("sum(http_total{job=\"web\",track=\"canary\"})") ? vector(20)
                : q.startsWith("sum(http_total{job=\"web\",track=\"canary\",s") ? vector(4) : EMPTY;
        PrometheusMetrics m = metrics(Map.of("requests", "sum(http_total{job=\"web\",track=\"{{target}}\"})",
                "errors", "sum(http_total{job=\"web\",track=\"{{target}}\",status=\"500\"})"));
        assertThat(m.observe().canary()).isEqualTo(new Counts(20, 4));
        assertThat(m.observe().metrics()).containsOnlyKeys("latency-p99");
    }

    @Test
    void anUnreachableServerIsAnExternalFailureNamingTheUrlWithoutCredentials() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        metrics = new PrometheusMetrics(new RolloutPlan.MetricsSpec("prometheus",
                "http://alice:s3cret@127.0.0.1:" + port + "/prom/", Map.of()));
        assertThatThrownBy(metrics::observe).isInstanceOfSatisfying(RolloutException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.EXTERNAL);
            assertThat(e.getMessage()).contains("http://127.0.0.1:" + port + "/prom").doesNotContain("s3cret")
                    .doesNotContain("alice").doesNotContain("\n");
        });
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthentication() {
        metrics = new PrometheusMetrics(new RolloutPlan.MetricsSpec("prometheus",
                "http://alice:s3cret@127.0.0.1:" + stub.getAddress().getPort(), Map.of()));
        metrics.observe();
        assertThat(authorizations).isNotEmpty().allMatch(a -> a.equals("Basic "
                + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8))));
        assertThat(metrics.url()).isEqualTo("http://127.0.0.1:" + stub.getAddress().getPort());
    }

    @Test
    void anErrorStatusFromTheServerFailsTheObservationAsExternal() {
        status = 422;
        fallback = q -> """
                {"status":"error","errorType":"execution","error":"query timed out"}""";
        assertThatThrownBy(() -> metrics(Map.of()).observe()).isInstanceOfSatisfying(RolloutException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.EXTERNAL);
            assertThat(e.getMessage()).contains(url(), "query timed out");
        });
    }

    @Test
    void closeEndsItsThreads() {
        metrics(Map.of()).observe();
        metrics.close();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("modelgate-prometheus"));
    }
}
