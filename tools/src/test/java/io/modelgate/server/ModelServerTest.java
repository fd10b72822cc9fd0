package io.modelgate.server;

import io.modelgate.rollout.RolloutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fast (well under a second), so a plain test although it starts servers on random ports of 127.0.0.1. */
class ModelServerTest {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\")(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\")*})? (\\S+)");

    private final List<ModelServer> servers = new ArrayList<>();
    private final ExecutorService clientThreads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().executor(clientThreads)
            .version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void closeEverything() throws InterruptedException {
        servers.forEach(ModelServer::close);
        clientThreads.shutdownNow();
        assertThat(clientThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("modelgate-model"));
    }

    private ModelServer start(ModelServer.Behaviour behaviour) {
        ModelServer server = new ModelServer("v2", behaviour, 11).start();
        servers.add(server);
        return server;
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** name{labels} -> value, after checking every line is a comment or a well-formed sample. */
    private static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            String value = m.group(5);
            samples.put(line.substring(0, line.length() - value.length() - 1),
                    value.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(value));
        }
        return samples;
    }

    private Map<String, Double> prometheus(ModelServer server) throws IOException, InterruptedException {
        return parse(get(server.baseUrl().resolve("/metrics")).body());
    }

    @Test
    void predictAnswersAJsonScoreThatDependsOnlyOnTheInput() throws Exception {
        ModelServer server = start(ModelServer.Behaviour.healthy());

        HttpResponse<String> a = post(server.baseUrl().resolve("/predict"), "{\"features\":[1,2]}");
        HttpResponse<String> b = post(server.baseUrl().resolve("/predict"), "{\"features\":[1,2]}");
        HttpResponse<String> c = get(server.baseUrl().resolve("/predict"));

        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(a.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(a.body()).matches("\\{\"model\":\"v2\",\"score\":0\\.\\d{4}}").isEqualTo(b.body());
        assertThat(c.statusCode()).isEqualTo(200);
        assertThat(server.predictions()).isEqualTo(3);
    }

    @Test
    void answersTheConfiguredShareOfRequestsWithFiveHundred() throws Exception {
        ModelServer server = start(ModelServer.Behaviour.healthy().withErrorRate(0.3));
        LoadGenerator.Summary s = new LoadGenerator().run(
                LoadGenerator.Plan.requests(server.baseUrl().resolve("/predict"), 400, 8));
        assertThat(s.sent()).isEqualTo(400);
        assertThat(s.errors()).isBetween(90L, 150L);
        assertThat(prometheus(server)).containsEntry("model_requests_total{code=\"500\"}", (double) s.errors());

        server.behave(server.behaviour().withErrorRate(1));
        assertThat(post(server.baseUrl().resolve("/predict"), "{}").statusCode()).isEqualTo(500);
        server.behave(server.behaviour().withErrorRate(0));
        assertThat(post(server.baseUrl().resolve("/predict"), "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void answersNoFasterThanTheConfiguredLatency() throws Exception {
        ModelServer server = start(ModelServer.Behaviour.healthy().withLatency(60, 20));
        long started = System.nanoTime();
        post(server.baseUrl().resolve("/predict"), "{}");
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertThat(ms).isBetween(60L, 1_000L);
    }

    @Test
    void metricsAreInPrometheusTextFormatWithCountsByCodeAndALatencyHistogram() throws Exception {
        ModelServer server = start(ModelServer.Behaviour.healthy().withLatency(30, 0));
        // before any request both counters are present, so a rate query is never empty
        assertThat(parse(get(server.baseUrl().resolve("/metrics")).body()))
                .containsEntry("model_requests_total{code=\"200\"}", 0.0)
                .containsEntry("model_requests_total{code=\"500\"}", 0.0);
        for (int i = 0; i < 3; i++) {
            post(server.baseUrl().resolve("/predict"), "{}");
        }
        server.behave(server.behaviour().withErrorRate(1));
        post(server.baseUrl().resolve("/predict"), "{}");

        HttpResponse<String> response = get(server.baseUrl().resolve("/metrics"));
        Map<String, Double> m = parse(response.body());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE model_requests_total counter\n",
                "# TYPE model_request_duration_seconds histogram\n").endsWith("\n");
        assertThat(m).containsEntry("model_requests_total{code=\"200\"}", 3.0)
                .containsEntry("model_requests_total{code=\"500\"}", 1.0)
                .containsEntry("model_request_duration_seconds_bucket{le=\"0.025\"}", 0.0)
                .containsEntry("model_request_duration_seconds_bucket{le=\"+Inf\"}", 4.0)
                .containsEntry("model_request_duration_seconds_count", 4.0);
        assertThat(m.get("model_request_duration_seconds_sum")).isBetween(0.12, 2.0);
        List<Double> buckets = m.entrySet().stream().filter(e -> e.getKey().contains("_bucket{"))
                .map(Map.Entry::getValue).toList();
        assertThat(buckets).hasSize(12).isSorted();
        // /metrics itself is not a prediction
        assertThat(server.predictions()).isEqualTo(4);
    }

    @Test
    void unknownPathsAreNotFoundAndOtherMethodsNotAllowed() throws Exception {
        ModelServer server = start(ModelServer.Behaviour.healthy());
        assertThat(get(server.baseUrl().resolve("/nope")).statusCode()).isEqualTo(404);
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(server.baseUrl().resolve("/predict")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(server.predictions()).isZero();
    }

    @Test
    void rejectsImpossibleBehaviourAndVersions() {
        assertThatThrownBy(() -> new ModelServer.Behaviour(1.5, 0, 0)).isInstanceOf(RolloutException.class)
                .hasMessage("model server error rate must be between 0 and 1: 1.5");
        assertThatThrownBy(() -> new ModelServer.Behaviour(0, -1, 0)).isInstanceOf(RolloutException.class);
        assertThatThrownBy(() -> new ModelServer("v 2\"", ModelServer.Behaviour.healthy(), 1))
                .isInstanceOf(RolloutException.class);
    }

    @Test
    void closeStopsServingAndCanBeCalledTwice() throws Exception {
        ModelServer server = start(ModelServer.Behaviour.healthy().withLatency(5_000, 0));
        URI predict = server.baseUrl().resolve("/predict");
        long started = System.nanoTime();
        server.close();
        server.close();
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
        assertThatThrownBy(() -> get(predict)).isInstanceOf(IOException.class);
    }
}
