package io.modelgate.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hooks against a real loopback HTTP server and real processes: what arrives, when it is retried, what is reported. */
class RegistryHooksTest {
    private static final String SECRET = "hook-shared-s3cret";
    private static final Actor CI = new Actor("ci", BuildInfo.NONE, Instant.parse("2026-03-01T12:00:00Z"));

    @TempDir
    Path dir;

    private HttpServer server;
    /** What the server answers, one status per request; 200 once it runs out. */
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());

    private record Received(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            received.add(new Received(exchange.getRequestURI().getPath(), headers, exchange.getRequestBody().readAllBytes()));
            Integer status;
            synchronized (answers) {
                status = answers.poll();
            }
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private Registry open(String hooksYaml, Map<String, String> env) {
        RegistryConfig config = RegistryConfigReader.parse("modelgate.yaml", "registry:\n  hooks:\n" + hooksYaml.indent(4));
        return Registry.open(dir.resolve("registry").toString(), dir, config).withHookEnvironment(env)
                .withHookBaseDelay(Duration.ofMillis(5));
    }

    private Registry.Outcome register(Registry r) throws Exception {
        Path artifact = dir.resolve("model-" + System.nanoTime() + ".bin");
        Files.writeString(artifact, "weights " + artifact);
        return r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), CI);
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void postsTheCommittedEventSignedWithTheSecretFromTheEnvironment() throws Exception {
        try (Registry r = open("- url: " + url() + "\n  secret_env: HOOK_SECRET\n", Map.of("HOOK_SECRET", SECRET))) {
            register(r);
            Registry.Outcome promoted = r.promote("churn", "v0.0.1", "staging", "", "ready", CI);
            assertThat(promoted.applied()).isTrue();
            assertThat(promoted.hookProblems()).isEmpty();

            assertThat(received).hasSize(2);
            Received got = received.get(1);
            assertThat(got.path()).isEqualTo("/hook");
            assertThat(got.header("Content-Type")).isEqualTo("application/json");
            assertThat(got.header("X-Modelgate-Event")).isEqualTo("promote");
            assertThat(got.header("X-Modelgate-Delivery")).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(got.header("X-Modelgate-Signature-256")).isEqualTo(hmac(SECRET, got.body()));
            assertThat(received.get(0).header("X-Modelgate-Event")).isEqualTo("register");
            assertThat(received.get(0).header("X-Modelgate-Delivery")).isNotEqualTo(got.header("X-Modelgate-Delivery"));

            JsonNode body = new ObjectMapper().readTree(got.body());
            assertThat(body.get("registry").asText()).isEqualTo(r.location());
            assertThat(body.get("commit").asText()).isEqualTo(promoted.commit());
            JsonNode event = body.get("event");
            assertThat(event.get("type").asText()).isEqualTo("PROMOTE");
            assertThat(event.get("model").asText()).isEqualTo("churn");
            assertThat(event.get("version").asText()).isEqualTo("v0.0.1");
            assertThat(event.get("stage").asText()).isEqualTo("staging");
            assertThat(event.get("reason").asText()).isEqualTo("ready");
            assertThat(event.get("seq").asLong()).isEqualTo(2);
            // The body is the event as the registry stores it, and names no secret.
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        }
    }

    @Test
    void retriesA503WithTheSameDeliveryIdUntilItIsTaken() throws Exception {
        answers.addAll(List.of(503, 503));
        try (Registry r = open("- url: " + url() + "\n  attempts: 3\n", Map.of())) {
            Registry.Outcome registered = register(r);
            assertThat(registered.hookProblems()).isEmpty();
            assertThat(received).hasSize(3);
            assertThat(received).extracting(g -> g.header("X-Modelgate-Delivery")).containsOnly(
                    received.get(0).header("X-Modelgate-Delivery"));
            assertThat(received).extracting(g -> g.header("X-Modelgate-Signature-256")).containsOnlyNulls();
        }
    }

    @Test
    void reportsTheLastStatusWhenEveryAttemptFailed() throws Exception {
        answers.addAll(List.of(503, 429));
        try (Registry r = open("- url: " + url() + "\n  attempts: 2\n", Map.of())) {
            Registry.Outcome registered = register(r);
            assertThat(received).hasSize(2);
            assertThat(registered.hookProblems()).containsExactly(
                    "hook " + url() + ": register event not delivered after 2 attempts; last: HTTP 429");
        }
    }

    @Test
    void doesNotRetryAClientError() throws Exception {
        answers.add(400);
        try (Registry r = open("- url: " + url() + "\n", Map.of())) {
            Registry.Outcome registered = register(r);
            assertThat(registered.applied()).isTrue();
            assertThat(received).hasSize(1);
            assertThat(registered.hookProblems()).containsExactly(
                    "hook " + url() + ": register event not delivered: HTTP 400 (not retried)");
        }
    }

    @Test
    void sendsOnlyTheEventTypesTheHookAsksFor() throws Exception {
        try (Registry r = open("- url: " + url() + "\n  events: [PROMOTE, alias-set, Rollback]\n", Map.of())) {
            register(r);
            r.tags("churn", Map.of("team", "risk"), true, CI);
            r.setAlias("churn", "champion", "v0.0.1", CI);
            r.promote("churn", "v0.0.1", "staging", "", "", CI);
            assertThat(received).extracting(g -> g.header("X-Modelgate-Event")).containsExactly("alias-set", "promote");
        }
    }

    @Test
    void anUnreachableHookIsReportedAndTheChangeStands() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + closedPort + "/hook";
        try (Registry r = open("- url: " + dead + "\n  attempts: 2\n  timeout: 2s\n", Map.of())) {
            Registry.Outcome registered = register(r);
            assertThat(registered.applied()).isTrue();
            assertThat(registered.hookProblems()).singleElement().asString()
                    .startsWith("hook " + dead + ": register event not delivered after 2 attempts; last: ");
            assertThat(r.versions("churn")).extracting(ModelVersion::version).containsExactly("v0.0.1");
            assertThat(r.history("churn", 0)).hasSize(1);
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    @Test
    void aHookNamedWithCredentialsIsReportedWithoutThem() throws Exception {
        answers.add(401);
        String withPassword = url().replace("http://", "http://robot:pa55word@");
        try (Registry r = open("- url: " + withPassword + "\n", Map.of())) {
            Registry.Outcome registered = register(r);
            assertThat(received.get(0).header("Authorization")).isEqualTo("Basic "
                    + java.util.Base64.getEncoder().encodeToString("robot:pa55word".getBytes(StandardCharsets.UTF_8)));
            assertThat(registered.hookProblems()).singleElement().asString()
                    .doesNotContain("pa55word").doesNotContain("robot").contains("HTTP 401");
        }
    }

    @Test
    void aMissingSecretIsAProblemAndNothingIsSentUnsigned() throws Exception {
        try (Registry r = open("- url: " + url() + "\n  secret_env: HOOK_SECRET\n", Map.of("HOOK_SECRET", ""))) {
            Registry.Outcome registered = register(r);
            assertThat(registered.applied()).isTrue();
            assertThat(received).isEmpty();
            assertThat(registered.hookProblems()).singleElement().asString()
                    .startsWith("hook " + url() + ": register event not delivered: secret_env HOOK_SECRET is not set");
        }
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void aCommandHookGetsTheEventOnItsInputAndItsIdsInTheEnvironment() throws Exception {
        Path script = script("hook.sh", """
                cat > "$OUT/body.json"
                printf '%s\\n%s\\n%s\\n' "$MODELGATE_EVENT" "$MODELGATE_DELIVERY" "$MODELGATE_SIGNATURE_256" > "$OUT/env.txt"
                """);
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "OUT", dir.toString(), "HOOK_SECRET", SECRET);
        try (Registry r = open("- command: " + script + "\n  secret_env: HOOK_SECRET\n", env)) {
            Registry.Outcome registered = register(r);
            assertThat(registered.hookProblems()).isEmpty();
            byte[] body = Files.readAllBytes(dir.resolve("body.json"));
            JsonNode json = new ObjectMapper().readTree(body);
            assertThat(json.get("commit").asText()).isEqualTo(registered.commit());
            assertThat(json.get("event").get("type").asText()).isEqualTo("REGISTER");
            List<String> lines = Files.readAllLines(dir.resolve("env.txt"));
            assertThat(lines.get(0)).isEqualTo("register");
            assertThat(lines.get(1)).matches("[0-9a-f-]{36}");
            assertThat(lines.get(2)).isEqualTo(hmac(SECRET, body));
        }
    }

    @Test
    void aFailingCommandIsRetriedAndAHangingOneKilled() throws Exception {
        Path failing = script("fail.sh", "cat > /dev/null\necho x >> \"$OUT/runs.txt\"\nexit 3\n");
        Path hanging = script("hang.sh", "exec sleep 30\n");
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "OUT", dir.toString());
        try (Registry r = open("- command: [" + failing + "]\n  attempts: 2\n"
                + "- command: " + hanging + "\n  attempts: 1\n  timeout: 300ms\n", env)) {
            long start = System.nanoTime();
            Registry.Outcome registered = register(r);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(registered.applied()).isTrue();
            assertThat(Files.readAllLines(dir.resolve("runs.txt"))).hasSize(2);
            assertThat(registered.hookProblems()).containsExactly(
                    "hook command " + failing + ": register event not delivered after 2 attempts; last: exit 3",
                    "hook command " + hanging + ": register event not delivered after 1 attempt; last: no exit within "
                            + "300ms (killed)");
        }
    }

    @Test
    void refusesHookConfigurationMistakesInOneLineNamingTheKey() {
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {hooks: [{url: 'ftp://ci.example/hook'}]}"))
                .hasMessage("m.yaml: registry.hooks[1].url: must be an http or https URL, found 'ftp://ci.example/hook'");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {hooks: [{url: 'file:///etc/passwd'}]}"))
                .hasMessageStartingWith("m.yaml: registry.hooks[1].url: must be an http or https URL");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {hooks: [{url: 'https://ci.example/h'}, {url: 'https://ci.example/h', attempts: 0}]}"))
                .hasMessage("m.yaml: registry.hooks[2].attempts: must be a whole number from 1 to 10, found '0'");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {hooks: [{url: 'https://ci.example/h', secret_evn: S}]}"))
                .hasMessageStartingWith("m.yaml: registry.hooks[1].secret_evn: unknown key 'secret_evn' (did you mean "
                        + "'secret_env'?); allowed: attempts, command, events, secret_env, timeout, url");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {hooks: [{url: 'https://ci.example/h', events: [promte]}]}"))
                .hasMessageStartingWith("m.yaml: registry.hooks[1].events[1]: must be 'register', ")
                .hasMessageEndingWith("found 'promte' (did you mean 'promote'?)");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {hooks: [{url: 'https://ci.example/h', command: /bin/true}]}"))
                .hasMessage("m.yaml: registry.hooks[1]: has both url and command; a hook is one or the other");
        // A secret pasted where its variable's name belongs is refused without being repeated.
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {hooks: [{url: 'https://ci.example/h', secret_env: 'x9$Kq!2pZ'}]}"))
                .hasMessageStartingWith("m.yaml: registry.hooks[1].secret_env: must be the name of an environment variable")
                .message().doesNotContain("x9$Kq!2pZ");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {hooks: [{url: 'https://ci.example/h', timeout: 0s}]}"))
                .hasMessage("m.yaml: registry.hooks[1].timeout: must be longer than 0");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {hooks: [{url: 'https://bot:pw1234@/x'}]}"))
                .message().doesNotContain("pw1234");
    }

    @Test
    void readsHooksWithTheirDefaults() {
        RegistryConfig c = RegistryConfigReader.parse("m.yaml", """
                registry:
                  hooks:
                    - url: https://ci.example/hook
                      secret_env: MODELGATE_HOOK_SECRET
                      events: [promote, rollback]
                      attempts: 5
                      timeout: 30s
                    - command: [/opt/notify, --channel, ml]
                """);
        assertThat(c.hooks()).containsExactly(
                new Hook("https://ci.example/hook", List.of(), "MODELGATE_HOOK_SECRET",
                        java.util.EnumSet.of(EventType.PROMOTE, EventType.ROLLBACK), 5, Duration.ofSeconds(30)),
                new Hook("", List.of("/opt/notify", "--channel", "ml"), "", java.util.EnumSet.allOf(EventType.class),
                        3, Duration.ofSeconds(10)));
        assertThat(RegistryConfig.defaults().hooks()).isEmpty();
    }
}
