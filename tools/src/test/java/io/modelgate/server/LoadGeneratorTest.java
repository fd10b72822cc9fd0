package io.modelgate.server;

import io.modelgate.rollout.RolloutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fast, so a plain test although it starts model servers on random ports of 127.0.0.1. */
class LoadGeneratorTest {
    private final List<ModelServer> servers = new ArrayList<>();
    private final LoadGenerator load = new LoadGenerator();

    @AfterEach
    void closeEverything() {
        servers.forEach(ModelServer::close);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.isAlive()
                && (t.getName().startsWith("modelgate-load") || t.getName().startsWith("modelgate-model")));
    }

    private ModelServer start(ModelServer.Behaviour behaviour) {
        ModelServer server = new ModelServer("v1", behaviour, 3).start();
        servers.add(server);
        return server;
    }

    @Test
    void sendsExactlyTheRequestedNumberOfRequests() {
        ModelServer server = start(ModelServer.Behaviour.healthy());

        LoadGenerator.Summary s = load.run(LoadGenerator.Plan.requests(server.baseUrl().resolve("/predict"), 300, 8));

        assertThat(s.sent()).isEqualTo(300);
        assertThat(s.ok()).isEqualTo(300);
        assertThat(s.errors()).isZero();
        assertThat(s.requestsPerSecond()).isPositive();
        assertThat(server.predictions()).isEqualTo(300);
    }

    @Test
    void countsServerErrorsAndNonSuccessAnswersAsErrors() {
        ModelServer server = start(ModelServer.Behaviour.healthy().withErrorRate(1));

        LoadGenerator.Summary failing = load.run(LoadGenerator.Plan.requests(server.baseUrl().resolve("/predict"), 20, 2));
        LoadGenerator.Summary notFound = load.run(LoadGenerator.Plan.requests(server.baseUrl().resolve("/nope"), 5, 1));

        assertThat(failing).extracting(LoadGenerator.Summary::ok, LoadGenerator.Summary::errors).containsExactly(0L, 20L);
        assertThat(notFound.errors()).isEqualTo(5);
    }

    @Test
    void stopsByItselfWhenTheDurationIsOver() {
        ModelServer server = start(ModelServer.Behaviour.healthy().withLatency(20, 0));

        LoadGenerator.Summary s = load.run(LoadGenerator.Plan.forDuration(server.baseUrl().resolve("/predict"),
                Duration.ofMillis(500), 4));

        // requests in flight at the deadline may finish; each worker sends at least one
        assertThat(s.elapsed()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(3));
        // 4 workers, 20 ms a request, 500 ms: at most 100, far from the 10 million cap
        assertThat(s.sent()).isBetween(4L, 110L);
        assertThat(s.ok()).isEqualTo(s.sent());
    }

    @Test
    void theCountBoundWinsOverTheDurationBoundAndViceVersa() {
        ModelServer server = start(ModelServer.Behaviour.healthy().withLatency(50, 0));
        URI url = server.baseUrl().resolve("/predict");

        LoadGenerator.Summary timeBound = load.run(new LoadGenerator.Plan(url, 1, 1_000, Duration.ofMillis(200),
                Duration.ofSeconds(5)));

        // about 4 at 50 ms each; a slow first connection may leave only one, never the 1,000 of the count bound
        assertThat(timeBound.sent()).isBetween(1L, 6L);
    }

    @Test
    void anUnreachableTargetGivesErrorsNotAnException() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        LoadGenerator.Summary s = load.run(LoadGenerator.Plan.requests(URI.create("http://127.0.0.1:" + port + "/predict"), 10, 2));

        assertThat(s.sent()).isEqualTo(10);
        assertThat(s.errors()).isEqualTo(10);
    }

    @Test
    void rejectsPlansThatAreNotBounded() {
        URI url = URI.create("http://127.0.0.1:1/predict");
        assertThatThrownBy(() -> LoadGenerator.Plan.requests(url, 0, 1)).isInstanceOf(RolloutException.class)
                .hasMessage("load request count must be at least 1: 0");
        assertThatThrownBy(() -> LoadGenerator.Plan.requests(url, 10, 0)).isInstanceOf(RolloutException.class);
        assertThatThrownBy(() -> LoadGenerator.Plan.forDuration(url, Duration.ZERO, 1)).isInstanceOf(RolloutException.class);
        assertThatThrownBy(() -> LoadGenerator.Plan.requests(URI.create("file:///etc/passwd"), 1, 1))
                .isInstanceOf(RolloutException.class);
    }
}
