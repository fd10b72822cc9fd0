package io.modelgate.rollout;

import io.modelgate.server.ModelServer;
import io.modelgate.server.LoadGenerator;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded router in front of real model servers on random ports of 127.0.0.1. */
class EmbeddedRouterIT {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().executor(clientThreads)
            .version(HttpClient.Version.HTTP_1_1).build();
    private final LoadGenerator load = new LoadGenerator();

    @AfterEach
    void closeEverything() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
        clientThreads.shutdownNow();
        assertThat(clientThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && (t.getName().startsWith("modelgate-router") || t.getName().startsWith("modelgate-model")
                || t.getName().startsWith("modelgate-load")));
    }

    private ModelServer model(String version, ModelServer.Behaviour behaviour) {
        ModelServer server = new ModelServer(version, behaviour, 7).start();
        open.push(server);
        return server;
    }

    private EmbeddedRouter router(URI stable, URI canary, EmbeddedRouter.Options options) {
        EmbeddedRouter router = new EmbeddedRouter(stable, canary, options).start(0);
        open.push(router);
        return router;
    }

    private EmbeddedRouter router(ModelServer stable, ModelServer canary) {
        return router(stable.baseUrl(), canary.baseUrl(), EmbeddedRouter.Options.defaults());
    }

    private LoadGenerator.Summary send(EmbeddedRouter router, int requests, int concurrency) {
        return load.run(LoadGenerator.Plan.requests(router.baseUrl().resolve("/predict"), requests, concurrency)
                .withRequestTimeout(Duration.ofSeconds(5)));
    }

    private HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePortNobodyListensOn() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void splitsTrafficByTheWeightsAndAttributesErrorsToTheTargetThatFailed() {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy().withErrorRate(0.5));
        EmbeddedRouter router = router(stable, canary);
        router.setWeights(90, 10);

        LoadGenerator.Summary summary = send(router, 2_000, 8);
        Observations o = router.observe();

        assertThat(summary.sent()).isEqualTo(2_000);
        assertThat(o.stable().requests() + o.canary().requests()).isEqualTo(2_000);
        // smooth weighted round robin is exact; allow a little for a tolerance-based implementation
        assertThat(o.canary().requests()).isBetween(170L, 230L);
        assertThat(o.stable().errors()).isZero();
        assertThat(o.canary().errorRate()).isBetween(0.35, 0.65);
        assertThat(summary.errors()).isEqualTo(o.canary().errors());
        assertThat(stable.predictions()).isEqualTo(o.stable().requests());
        assertThat(canary.predictions()).isEqualTo(o.canary().requests());
        assertThat(o.metrics().get(EmbeddedRouter.ERROR_RATE).stable()).isZero();
        assertThat(o.metrics().get(EmbeddedRouter.ERROR_RATE).canary()).isEqualTo(o.canary().errorRate());
    }

    @Test
    void afterAllTrafficGoesBackToStableTheCanaryGetsNoFurtherRequests() {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable, canary);
        router.setWeights(50, 50);
        send(router, 100, 8);
        Counts canaryBefore = router.observe().canary();
        assertThat(canaryBefore.requests()).isEqualTo(50);

        router.setWeights(100, 0);
        LoadGenerator.Summary after = send(router, 300, 8);

        assertThat(after.ok()).isEqualTo(300);
        assertThat(router.observe().canary()).isEqualTo(canaryBefore);
        assertThat(canary.predictions()).isEqualTo(50);
        assertThat(stable.predictions()).isEqualTo(350);
        assertThat(router.weights()).isEqualTo(Weights.ALL_STABLE);
    }

    @Test
    void forwardsMethodPathQueryBodyAndContentTypeAndRelaysStatusHeadersAndBody() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        echo.createContext("/", exchange -> {
            try (exchange) {
                seen.put("method", exchange.getRequestMethod());
                seen.put("path", exchange.getRequestURI().getRawPath());
                seen.put("query", String.valueOf(exchange.getRequestURI().getRawQuery()));
                seen.put("type", String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")));
                seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] out = "{\"created\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("X-Upstream", "echo");
                exchange.sendResponseHeaders(201, out.length);
                exchange.getResponseBody().write(out);
            }
        });
        echo.start();
        open.push(() -> echo.stop(0));
        URI echoUrl = URI.create("http://127.0.0.1:" + echo.getAddress().getPort() + "/api");
        EmbeddedRouter router = router(echoUrl, URI.create("http://127.0.0.1:9"), EmbeddedRouter.Options.defaults());

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(router.baseUrl().resolve("/v1/predict?x=1&y=a%20b"))
                .header("Content-Type", "application/json; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"f\":[1,2]}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"created\":true}");
        assertThat(response.headers().firstValue("X-Upstream")).hasValue("echo");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue(EmbeddedRouter.TARGET_HEADER)).hasValue("stable");
        assertThat(seen).containsEntry("method", "PUT").containsEntry("path", "/api/v1/predict")
                .containsEntry("query", "x=1&y=a%20b").containsEntry("type", "application/json; charset=utf-8")
                .containsEntry("body", "{\"f\":[1,2]}");
        assertThat(router.describe()).isEqualTo("embedded router on 127.0.0.1:" + router.port());
    }

    @Test
    void anUpstreamFiveHundredIsRelayedAsIsAndCountedAsAnError() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy().withErrorRate(1.0));
        EmbeddedRouter router = router(stable, canary);
        router.setWeights(0, 100);

        HttpResponse<String> response = post(router.baseUrl().resolve("/predict"), "{}");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("\"model\":\"v2\"");
        assertThat(response.headers().firstValue(EmbeddedRouter.TARGET_HEADER)).hasValue("canary");
        assertThat(router.observe().canary()).isEqualTo(new Counts(1, 1));
    }

    @Test
    void anUpstreamThatIsDownGetsBadGatewayCountedAsItsErrorsAndObserveStillWorks() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        URI deadCanary = URI.create("http://127.0.0.1:" + freePortNobodyListensOn());
        EmbeddedRouter router = router(stable.baseUrl(), deadCanary, EmbeddedRouter.Options.defaults());
        router.setWeights(50, 50);

        HttpResponse<String> first = post(router.baseUrl().resolve("/predict"), "{}");
        HttpResponse<String> second = post(router.baseUrl().resolve("/predict"), "{}");
        LoadGenerator.Summary summary = send(router, 98, 4);
        Observations o = router.observe();

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(502);
        assertThat(second.headers().firstValue(EmbeddedRouter.TARGET_HEADER)).hasValue("canary");
        assertThat(second.body()).startsWith("upstream canary failed: ").doesNotContain("\n ");
        assertThat(o.stable()).isEqualTo(new Counts(50, 0));
        assertThat(o.canary()).isEqualTo(new Counts(50, 50));
        assertThat(summary.errors()).isEqualTo(49);
        assertThat(o.canaryLatencyMs()).isEmpty();
        assertThat(o.metrics().get(EmbeddedRouter.LATENCY_P99_MS).canary()).isNaN();
    }

    @Test
    void anUpstreamThatTimesOutGetsBadGatewayCountedAsItsError() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy().withLatency(2_000, 0));
        EmbeddedRouter router = router(stable.baseUrl(), canary.baseUrl(),
                EmbeddedRouter.Options.defaults().withRequestTimeout(Duration.ofMillis(150)));
        router.setWeights(0, 100);

        long started = System.nanoTime();
        HttpResponse<String> response = post(router.baseUrl().resolve("/predict"), "{}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
        assertThat(router.observe().canary()).isEqualTo(new Counts(1, 1));
    }

    @Test
    void latencySamplesReflectTheConfiguredLatencyOfEachServerAndAreClearedByObserve() {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy().withLatency(40, 10));
        EmbeddedRouter router = router(stable, canary);
        router.setWeights(50, 50);
        send(router, 80, 8);

        Observations o = router.observe();

        assertThat(o.canaryLatencyMs()).hasSize(40);
        assertThat(Arrays.stream(o.canaryLatencyMs()).min().orElseThrow()).isGreaterThanOrEqualTo(40.0);
        assertThat(EmbeddedRouter.percentile(o.canaryLatencyMs(), 0.5)).isLessThan(40 + 10 + 40.0);
        assertThat(o.stableLatencyMs()).hasSize(40);
        assertThat(EmbeddedRouter.percentile(o.stableLatencyMs(), 0.5)).isLessThan(20.0);
        assertThat(o.metrics().get(EmbeddedRouter.LATENCY_P50_MS).canary())
                .isGreaterThan(o.metrics().get(EmbeddedRouter.LATENCY_P50_MS).stable());

        Observations next = router.observe();
        assertThat(next.canaryLatencyMs()).isEmpty();
        assertThat(next.stableLatencyMs()).isEmpty();
        assertThat(next.canary()).isEqualTo(o.canary());
    }

    @Test
    void latencySamplesAreBoundedPerInterval() {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable.baseUrl(), canary.baseUrl(),
                EmbeddedRouter.Options.defaults().withLatencySamples(25));
        router.setWeights(50, 50);
        send(router, 100, 4);

        Observations o = router.observe();

        assertThat(o.stable().requests()).isEqualTo(50);
        assertThat(o.stableLatencyMs()).hasSize(25);
        assertThat(o.canaryLatencyMs()).hasSize(25);
    }

    @Test
    void resetStartsCountingFromZero() {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable, canary);
        router.setWeights(50, 50);
        send(router, 20, 2);

        router.reset();
        send(router, 4, 1);

        Observations o = router.observe();
        assertThat(o.stable()).isEqualTo(new Counts(2, 0));
        assertThat(o.canary()).isEqualTo(new Counts(2, 0));
        assertThat(o.stableLatencyMs()).hasSize(2);
    }

    @Test
    void closeStopsTheServerAndAllItsThreads() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable, stable);
        int port = router.port();
        send(router, 20, 4);

        router.close();
        router.close();

        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("modelgate-router"));
        LoadGenerator.Summary refused = load.run(LoadGenerator.Plan.requests(URI.create("http://127.0.0.1:" + port + "/predict"), 1, 1));
        assertThat(refused.errors()).isEqualTo(1);
        assertThat(router.describe()).isEqualTo("embedded router on 127.0.0.1:" + port);
    }
}
