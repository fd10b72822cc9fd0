package io.modelgate.rollout;

import io.modelgate.server.ModelServer;
import io.modelgate.server.LoadGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rollouts judged on metrics from a REAL Prometheus (the {@code prometheus} binary on the PATH, started
 * here on a free port of 127.0.0.1) that scrapes two real model servers; the embedded router splits
 * the traffic.
 */
class PrometheusRolloutIT {
    @TempDir
    Path dir;
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final ExecutorService load = Executors.newSingleThreadExecutor();
    private Process prometheus;
    private URI prometheusUrl;
    private ModelServer stable;
    private ModelServer canary;
    private EmbeddedRouter router;

    @AfterEach
    void stopEverything() throws Exception {
        try {
            load.shutdownNow();
            assertThat(load.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            while (!open.isEmpty()) {
                open.pop().close();
            }
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                assertThat(prometheus.isAlive()).isFalse();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Two model servers, Prometheus scraping them every second, the router in front, load through it. */
    private void start(double stableErrorRate, double canaryErrorRate) throws Exception {
        stable = new ModelServer("v1", ModelServer.Behaviour.healthy().withErrorRate(stableErrorRate), 7).start();
        open.push(stable);
        canary = new ModelServer("v2", ModelServer.Behaviour.healthy().withErrorRate(canaryErrorRate), 11).start();
        open.push(canary);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                scrape_configs:
                  - job_name: model
                    scrape_interval: 1s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels: {target: stable}
                      - targets: ['127.0.0.1:%d']
                        labels: {target: canary}
                """.formatted(stable.port(), canary.port()));
        int port = freePort();
        prometheusUrl = URI.create("http://127.0.0.1:" + port);
        prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        await("Prometheus ready", Duration.ofSeconds(30), () -> {
            try {
                return http.send(HttpRequest.newBuilder(prometheusUrl.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        router = new EmbeddedRouter(stable.baseUrl(), canary.baseUrl()).start(0);
        open.push(router);
        load.submit(() -> new LoadGenerator().run(
                LoadGenerator.Plan.forDuration(router.baseUrl().resolve("/predict"), Duration.ofSeconds(40), 4)));
        // Both targets scraped, with traffic on each: the canary's counter shows once it gets any.
        router.setWeights(80, 20);
        await("Prometheus scraped both targets with traffic", Duration.ofSeconds(20), () ->
                PrometheusMetrics.parse("", "", 200, get("sum(model_requests_total{target=\"stable\"})")) > 0
                        && PrometheusMetrics.parse("", "", 200, get("sum(model_requests_total{target=\"canary\"})")) > 0);
        router.setWeights(100, 0);
    }

    private String get(String query) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query="
                + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private void await(String what, Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.ok()) {
            if (prometheus != null && !prometheus.isAlive()) {
                throw new AssertionError("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + limit + "; prometheus log:\n"
                        + Files.readString(dir.resolve("prometheus.log")));
            }
            Thread.sleep(200);
        }
    }

    private PrometheusMetrics metrics(Map<String, String> queries) {
        return new PrometheusMetrics(new RolloutPlan.MetricsSpec("prometheus", prometheusUrl.toString(), queries));
    }

    private RolloutPlan plan(String analysis, String queries) {
        return PlanReader.parse("plan.yaml", """
                stable: %s
                canary: %s
                metrics:
                  provider: prometheus
                  url: %s
                %s
                steps: [{weight: 20, bake: 3s, min_requests: 50}, {weight: 50, bake: 3s, min_requests: 50}, {weight: 100}]
                analysis: %s
                """.formatted(stable.baseUrl(), canary.baseUrl(), prometheusUrl, queries, analysis));
    }

    private RolloutState run(RolloutPlan plan, String name, List<String> lines) {
        try (PrometheusMetrics metrics = new PrometheusMetrics(plan.metrics())) {
            return new Rollout(plan, router, metrics, Judges.forPlan(plan), new StateFile(dir, name),
                    RolloutOutcomes.NONE, lines::add).run();
        }
    }

    private static final String SEQUENTIAL = "{interval: 1s, judge: sequential, failure_limit: 0, inconclusive: continue, "
            + "thresholds: {error_rate: {max: 0.05}}}";

    @Test
    void aHealthyCanaryIsPromoted() throws Exception {
        start(0.01, 0.0); // an error-free canary cannot look worse by chance
        List<String> lines = new ArrayList<>();
        RolloutState end = run(plan(SEQUENTIAL, ""), "healthy", lines);
        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.PROMOTED);
        assertThat(router.weights()).isEqualTo(new Weights(0, 100));
        assertThat(end.intervals()).as(String.join("\n", lines)).anyMatch(i -> i.canary().requests() >= 50);
    }

    @Test
    void aCanaryWithThirtyPercentErrorsIsRolledBack() throws Exception {
        start(0.01, 0.30);
        List<String> lines = new ArrayList<>();
        RolloutState end = run(plan(SEQUENTIAL, ""), "bad", lines);
        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.ROLLED_BACK);
        assertThat(router.weights()).isEqualTo(new Weights(100, 0));
        assertThat(end.intervals()).last().satisfies(i ->
                assertThat(i.judgements()).anyMatch(j -> j.outcome() == JudgeOutcome.FAIL));
    }

    @Test
    void aQueryThatMatchesNothingIsInconclusiveNeverPass() throws Exception {
        start(0.01, 0.01);
        RolloutPlan plan = plan("{interval: 1s, judge: threshold, inconclusive: pause, "
                        + "thresholds: {error_rate: {max: 0.05}, typo_rate: {max: 0.05}}}",
                "  queries: {typo_rate: 'sum(rate(model_reqests_total{target=\"{{target}}\",code=\"500\"}[1m]))'}");
        // Straight from a judge: the typo gives NaN, not 0, and the threshold is INCONCLUSIVE.
        try (PrometheusMetrics metrics = new PrometheusMetrics(plan.metrics())) {
            router.setWeights(50, 50);
            metrics.reset();
            // Wait for Prometheus to have scraped canary traffic since the reset, however long its scrapes take.
            Observations[] seen = new Observations[1];
            await("Prometheus shows canary requests and latency since the reset", Duration.ofSeconds(20), () -> {
                seen[0] = metrics.observe();
                return seen[0].canary().requests() > 0
                        && !Double.isNaN(seen[0].metrics().get(PrometheusMetrics.LATENCY_P99).canary());
            });
            Observations o = seen[0];
            assertThat(o.canary().requests()).isPositive();
            assertThat(o.metrics().get("typo_rate").canary()).isNaN();
            assertThat(o.metrics().get(PrometheusMetrics.LATENCY_P99).canary()).isBetween(0.0, 5.0);
            Judgement call = Judges.forPlan(plan).get(0).judge(o);
            assertThat(call.outcome()).as(call.reason()).isEqualTo(JudgeOutcome.INCONCLUSIVE);
            assertThat(call.reason()).contains("typo_rate");
            router.setWeights(100, 0);
        }
        // And in a rollout: it pauses for a person, it never promotes.
        List<String> lines = new ArrayList<>();
        RolloutState end = run(plan, "typo", lines);
        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.PAUSED);
        assertThat(end.intervals()).isNotEmpty().allSatisfy(i -> assertThat(i.judgements())
                .noneMatch(j -> j.outcome() == JudgeOutcome.PASS || j.outcome() == JudgeOutcome.SUCCESS));
    }
}
