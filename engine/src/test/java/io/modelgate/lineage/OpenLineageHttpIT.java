package io.modelgate.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.modelgate.common.ModelgateException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sends events to a real HTTP server on a random local port. */
class OpenLineageHttpIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "k3y-that-must-not-leak";

    @TempDir
    Path tmp;

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(201);
    private HttpServer server;

    private int start(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            paths.add(exchange.getRequestURI().getPath());
            int code = status.get();
            if (code < 300 && "POST".equals(exchange.getRequestMethod())
                    && exchange.getRequestURI().getPath().equals("/api/v1/lineage")) {
                bodies.add(new String(body, StandardCharsets.UTF_8));
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            } else if (code < 300) {
                code = 404;
            }
            exchange.sendResponseHeaders(code, -1);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static LineageRecord record(String id, String runId, Instant ended) {
        return OpenLineageEventsTest.Records.training(id, runId, ended.minusSeconds(60), ended, true,
                "https://user:t0ken@github.com/acme/churn.git", List.of());
    }

    private OpenLineageEmitter emitter(String url, String apiKey) {
        return new OpenLineageEmitter(Outbox.inWorkspace(tmp), OpenLineageSender.http(url, apiKey),
                OpenLineageEventsTest.Records.PRODUCER);
    }

    private List<String> received() throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (String b : bodies) {
            JsonNode n = JSON.readTree(b);
            out.add(n.path("run").path("runId").asText() + " " + n.path("eventType").asText());
        }
        return out;
    }

    @Test
    void emitPostsStartThenCompleteWithTheRunIdAndBearerKey() throws Exception {
        int port = start(0);
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));

        try (OpenLineageEmitter emitter = emitter("http://127.0.0.1:" + port, API_KEY)) {
            assertThat(emitter.emit(r, id -> Optional.empty())).isEqualTo(new OpenLineageEmitReport(2, 0, Optional.empty()));
        }

        assertThat(received()).containsExactly(OpenLineageEventsTest.Records.RUN_ID + " START",
                OpenLineageEventsTest.Records.RUN_ID + " COMPLETE");
        assertThat(authorizations).containsOnly("Bearer " + API_KEY);
        JsonNode complete = JSON.readTree(bodies.get(1));
        assertThat(complete.path("job").path("name").asText()).isEqualTo("churn-train");
        assertThat(complete.path("run").path("facets").path("modelgate_params").path("_schemaURL").asText())
                .contains("/docs/openlineage/ModelgateParamsRunFacet.json");
        assertThat(bodies).allSatisfy(b -> assertThat(b).doesNotContain("t0ken"));
        assertThat(Outbox.inWorkspace(tmp).pending()).isEmpty();
    }

    @Test
    void doesNotAppendTheEndpointTwiceAndSendsUserInfoAsBasicAuth() throws Exception {
        int port = start(0);
        LineageRecord r = record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z"));

        try (OpenLineageEmitter emitter = emitter("http://me:pw@127.0.0.1:" + port + "/api/v1/lineage/", "")) {
            assertThat(emitter.emit(r, id -> Optional.empty()).sent()).isEqualTo(2);
        }

        assertThat(paths).containsOnly("/api/v1/lineage");
        assertThat(authorizations).containsOnly("Basic bWU6cHc=");
    }

    @Test
    void unavailableServerLeavesEventsPendingUntilALaterFlushSendsThemOnceInOrder() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String url = "http://user:secret@127.0.0.1:" + port;
        LineageRecord first = record("r1", "11111111-1111-1111-1111-111111111111", Instant.parse("2026-11-26T10:00:00Z"));
        LineageRecord second = record("r2", "22222222-2222-2222-2222-222222222222", Instant.parse("2026-11-26T11:00:00Z"));

        OpenLineageEmitReport down;
        try (OpenLineageEmitter emitter = emitter(url, API_KEY)) {
            down = emitter.emit(first, id -> Optional.empty());
        }
        assertThat(down.sent()).isZero();
        assertThat(down.pending()).isEqualTo(2);
        assertThat(down.warning()).get().asString()
                .contains("2 event(s) pending")
                .contains("http://127.0.0.1:" + port + "/api/v1/lineage")
                .doesNotContain("secret").doesNotContain("user@").doesNotContain(API_KEY).doesNotContain("\n");

        start(port);
        status.set(503);
        try (OpenLineageEmitter emitter = emitter(url, API_KEY)) {
            OpenLineageEmitReport unavailable = emitter.emit(second, id -> Optional.empty());
            assertThat(unavailable.pending()).isEqualTo(4);
            assertThat(unavailable.warning()).get().asString().contains("answered HTTP 503").doesNotContain(API_KEY);
        }
        assertThat(bodies).isEmpty();

        status.set(200);
        try (OpenLineageEmitter emitter = emitter(url, API_KEY)) {
            assertThat(emitter.flush()).isEqualTo(new OpenLineageEmitReport(4, 0, Optional.empty()));
            assertThat(emitter.flush()).isEqualTo(new OpenLineageEmitReport(0, 0, Optional.empty()));
        }
        assertThat(received()).containsExactly(
                "11111111-1111-1111-1111-111111111111 START", "11111111-1111-1111-1111-111111111111 COMPLETE",
                "22222222-2222-2222-2222-222222222222 START", "22222222-2222-2222-2222-222222222222 COMPLETE");
    }

    @Test
    void senderErrorIsExternalAndNamesTheUrlWithoutCredentials() throws Exception {
        int port = start(0);
        status.set(500);
        try (OpenLineageSender sender = OpenLineageSender.http("http://u:p4ss@127.0.0.1:" + port + "/", API_KEY)) {
            String event = OpenLineageEvents.toJsonLine(OpenLineageEvents.events(
                    record("r1", OpenLineageEventsTest.Records.RUN_ID, Instant.parse("2026-11-26T10:00:00Z")),
                    OpenLineageEventsTest.Records.PRODUCER, id -> Optional.empty()).get(0));

            assertThatThrownBy(() -> sender.send(event))
                    .isInstanceOfSatisfying(LineageException.class, e -> assertThat(e.kind()).isEqualTo(Kind.EXTERNAL))
                    .hasMessage("OpenLineage endpoint http://127.0.0.1:" + port + "/api/v1/lineage answered HTTP 500");
            assertThat(sender.destination()).isEqualTo("http://127.0.0.1:" + port + "/api/v1/lineage");
        }
    }

    @Test
    void rejectsAUrlThatIsNotHttpWithoutShowingItsCredentials() {
        assertThatThrownBy(() -> OpenLineageSender.http("ftp://u:p4ss@host/x", ""))
                .isInstanceOf(LineageException.class)
                .hasMessageContaining("not an http:// or https:// URL")
                .hasMessageNotContaining("p4ss");
    }
}
