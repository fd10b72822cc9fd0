package io.modelgate.rollout;

import io.modelgate.server.ModelServer;
import io.modelgate.server.LoadGenerator;
import io.modelgate.common.ModelgateException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Rollouts through a real HAProxy (started per test on a free port, with its runtime API on a UNIX
 * socket in a temporary folder) in front of two real model servers, with real load.
 */
@Timeout(60)
class HaproxyRolloutIT {
    private static final String FAST = """
            steps: [{weight: 20, bake: 1s, min_requests: 50}, {weight: 50, bake: 1s, min_requests: 50}, {weight: 100}]
            analysis: {interval: 250ms, judge: sequential, failure_limit: 0, inconclusive: continue,
                       thresholds: {error_rate: {max: 0.05}}}
            """;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService background = Executors.newCachedThreadPool();
    private Process haproxy;

    @AfterEach
    void stopEverything() throws Exception {
        background.shutdownNow();
        try {
            if (haproxy != null) {
                haproxy.destroyForcibly();
                assertThat(haproxy.waitFor(10, TimeUnit.SECONDS)).as("haproxy ends").isTrue();
            }
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
        assertThat(background.awaitTermination(15, TimeUnit.SECONDS)).as("load and rollout threads end").isTrue();
    }

    private record Setup(RolloutPlan plan, String planText, HaproxyRouter router, ModelServer stable, ModelServer canary,
                         Path socket, URI predict) {
        /**
         * The versions that answer requests sent through HAProxy now. HAProxy applies a weight to every
         * request it receives after the change; requests it forwarded before may still finish anywhere,
         * so asking is exact where watching the servers' counters settle would race.
         */
        java.util.Set<String> answering(int requests) throws Exception {
            java.util.Set<String> versions = new java.util.TreeSet<>();
            java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
            for (int i = 0; i < requests; i++) {
                String body = client.send(java.net.http.HttpRequest.newBuilder(predict)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"features\":[1]}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"model\":\"([^\"]+)\"").matcher(body);
                versions.add(m.find() ? m.group(1) : "no model in: " + body);
            }
            return versions;
        }
    }

    private ModelServer server(String version, double errorRate, long seed) {
        ModelServer s = new ModelServer(version, ModelServer.Behaviour.healthy().withErrorRate(errorRate), seed).start();
        open.add(s);
        return s;
    }

    /** Two model servers, HAProxy in front of them (all on stable), load on HAProxy, and the plan. */
    private Setup setup(double stableErrors, double canaryErrors, String steps) throws Exception {
        return setup(stableErrors, canaryErrors, steps, "");
    }

    /** With {@code routerExtra} added to the plan's router mapping, e.g. {@code , server_state_file: ...}. */
    private Setup setup(double stableErrors, double canaryErrors, String steps, String routerExtra) throws Exception {
        ModelServer stable = server("v1", stableErrors, 7);
        ModelServer canary = server("v2", canaryErrors, 11);
        Path socket = dir.resolve("admin.sock");
        int port = freePort();
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "    maxconn 256",
                "    stats socket " + socket + " mode 600 level admin",
                "    server-state-file " + dir.resolve("haproxy.state"),
                "defaults",
                "    load-server-state-from-file global",
                "    mode http",
                "    timeout connect 1s",
                "    timeout client 10s",
                "    timeout server 10s",
                "frontend fe",
                "    bind 127.0.0.1:" + port,
                "    default_backend model",
                "backend model",
                "    balance roundrobin",
                "    server stable 127.0.0.1:" + stable.port() + " weight 100",
                "    server canary 127.0.0.1:" + canary.port() + " weight 0",
                ""));
        Path log = dir.resolve("haproxy.log");
        haproxy = startHaproxy(cfg, log);
        String planText = "stable: " + stable.baseUrl() + "\ncanary: " + canary.baseUrl()
                + "\nrouter: {type: haproxy, socket: '" + socket + "', backend: model, stable_server: stable,"
                + " canary_server: canary" + routerExtra + "}\n" + steps;
        RolloutPlan plan = PlanReader.parse("plan.yaml", planText);
        HaproxyRouter router = new HaproxyRouter(plan.router());
        open.add(router);
        awaitAnswer(router, log);
        URI predict = URI.create("http://127.0.0.1:" + port + "/predict");
        background.submit(() -> new LoadGenerator().run(LoadGenerator.Plan.forDuration(predict, Duration.ofSeconds(30), 4)
                .withRequestTimeout(Duration.ofSeconds(2))));
        return new Setup(plan, planText, router, stable, canary, socket, predict);
    }

    private static Process startHaproxy(Path cfg, Path log, String... more) {
        List<String> command = new ArrayList<>(List.of("haproxy", "-f", cfg.toString(), "-db"));
        command.addAll(List.of(more));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            return fail("cannot start haproxy (scripts/test installs it; or apt-get install haproxy): " + e.getMessage());
        }
    }

    private void awaitAnswer(HaproxyRouter router, Path log) throws Exception {
        Instant until = Instant.now().plusSeconds(10);
        while (true) {
            if (!haproxy.isAlive()) {
                fail("haproxy ended with " + haproxy.exitValue() + ": " + Files.readString(log));
            }
            try {
                assertThat(router.weights()).isEqualTo(Weights.ALL_STABLE);
                return;
            } catch (RolloutException e) {
                if (Instant.now().isAfter(until)) {
                    fail("haproxy's runtime API does not answer within 10 s: " + e.getMessage() + "\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Rollout rollout(Setup s, StateFile state, RolloutOutcomes outcomes, List<String> lines) {
        return new Rollout(s.plan(), s.router(), s.router(), Judges.forPlan(s.plan()), state, outcomes, lines::add);
    }

    private static boolean analysedTraffic(String progressLine) {
        return progressLine.contains("->") && !progressLine.contains("canary 0 req");
    }

    @Test
    void aHealthyCanaryIsPromotedAndHaproxyEndsWithAllTrafficOnIt() throws Exception {
        Setup s = setup(0.01, 0.0, FAST); // an error-free canary cannot look worse by chance
        List<String> lines = new CopyOnWriteArrayList<>();
        RolloutState end = rollout(s, new StateFile(dir, "healthy"), RolloutOutcomes.NONE, lines).run();

        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.PROMOTED);
        assertThat(s.router().weights()).isEqualTo(new Weights(0, 100));
        HaproxyRuntimeApi api = new HaproxyRuntimeApi(s.socket().toString(), Duration.ofSeconds(5));
        assertThat(api.execute("get weight model/canary")).startsWith("100 ");
        assertThat(api.execute("get weight model/stable")).startsWith("0 ");
        assertThat(end.intervals()).as("HAProxy's counters show the canary's traffic")
                .anyMatch(i -> i.canary().requests() >= 50);
        assertThat(s.answering(50)).as("every request now goes to the canary, none to stable").containsExactly("v2");
    }

    @Test
    void aCanaryWithFiveTimesTheErrorsIsRolledBackAndGetsNoMoreRequests() throws Exception {
        Setup s = setup(0.05, 0.25, FAST);
        List<String> lines = new CopyOnWriteArrayList<>();
        RolloutState end = rollout(s, new StateFile(dir, "bad"), RolloutOutcomes.NONE, lines).run();

        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.ROLLED_BACK);
        assertThat(s.router().weights()).isEqualTo(Weights.ALL_STABLE);
        assertThat(s.canary().predictions()).as("the canary got traffic before").isPositive();
        assertThat(s.answering(50)).as("no requests for the canary after the rollback").containsExactly("v1");
    }

    @Test
    void haproxyKilledMidRolloutPausesItWithAnExternalFailureAndLeavesTheRegistryAlone() throws Exception {
        Setup s = setup(0.01, 0.0, FAST.replace("bake: 1s", "bake: 30s").replace("judge: sequential", "judge: threshold"));
        StateFile state = new StateFile(dir, "killed");
        AtomicInteger registryCalls = new AtomicInteger();
        RolloutOutcomes spy = new RolloutOutcomes() {
            @Override
            public String promoted(RolloutPlan plan, String reason) {
                registryCalls.incrementAndGet();
                return "promoted";
            }

            @Override
            public String rolledBack(RolloutPlan plan, String reason) {
                registryCalls.incrementAndGet();
                return "rolled back";
            }
        };
        List<String> lines = new CopyOnWriteArrayList<>();
        Future<RolloutState> running = background.submit(() -> rollout(s, state, spy, lines).run());
        Instant until = Instant.now().plusSeconds(10);
        while (lines.stream().noneMatch(HaproxyRolloutIT::analysedTraffic) && Instant.now().isBefore(until)) {
            Thread.sleep(50);
        }
        assertThat(lines).as("an analysis saw canary traffic before the kill").anyMatch(HaproxyRolloutIT::analysedTraffic);
        haproxy.destroyForcibly();
        assertThat(haproxy.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> running.get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(RolloutException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.EXTERNAL);
                    assertThat(e.getMessage()).doesNotContain("\n")
                            .startsWith("HAProxy runtime API at " + s.socket() + " does not answer: ")
                            .contains("the registry is unchanged");
                });
        RolloutState paused = state.load().orElseThrow();
        assertThat(paused.phase()).isEqualTo(RolloutState.Phase.PAUSED);
        assertThat(paused.reason()).startsWith("HAProxy runtime API at " + s.socket() + " does not answer: ");
        assertThat(registryCalls).as("the registry is not touched").hasValue(0);
    }

    @Test
    void aSecondRunnerIsRefusedAndARunnerKilledWithSigkillIsStalledThenAbortedToStableWithinFiveSeconds() throws Exception {
        Setup s = setup(0.01, 0.0, FAST.replace("bake: 1s", "bake: 30s").replace("judge: sequential", "judge: threshold"));
        Path planFile = Files.writeString(dir.resolve("plan.yaml"), s.planText());
        Path states = dir.resolve("state");
        Path childLog = dir.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RolloutChild.class.getName(),
                planFile.toString(), states.toString(), "killed9").redirectErrorStream(true).redirectOutput(childLog.toFile())
                .start();
        try {
            StateFile state = new StateFile(states, "killed9");
            Instant until = Instant.now().plusSeconds(30);
            RolloutState baking = null;
            while (Instant.now().isBefore(until)) {
                var now = state.load();
                if (now.isPresent() && !now.get().intervals().isEmpty()) {
                    baking = now.get();
                    break;
                }
                assertThat(child.isAlive()).as("the child runs: " + Files.readString(childLog)).isTrue();
                Thread.sleep(20);
            }
            assertThat(baking).as("the child's rollout analysed within 30 s: " + Files.readString(childLog)).isNotNull();
            assertThat(s.router().weights()).isEqualTo(new Weights(80, 20));
            assertThat(baking.owner()).contains(" pid " + child.pid() + " #");

            // a second runner (this process) is refused, and moves no traffic
            assertThatThrownBy(() -> rollout(s, new StateFile(states, "killed9"), RolloutOutcomes.NONE, new ArrayList<>()).run())
                    .isInstanceOf(Rollout.OwnedElsewhere.class).hasMessageContaining("is run by " + baking.owner());
            assertThat(s.router().weights()).isEqualTo(new Weights(80, 20));

            child.destroyForcibly(); // SIGKILL: no shutdown hook, no last save
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Instant killed = Instant.now();
            Duration interval = s.plan().analysis().interval();
            String condition = "";
            while (Duration.between(killed, Instant.now()).compareTo(Duration.ofSeconds(10)) < 0) {
                RolloutState now = state.load().orElseThrow();
                condition = now.condition(Instant.now());
                if (condition.equals("stalled")) {
                    assertThat(Duration.between(now.updatedAt(), Instant.now()))
                            .as("stalled only after three missed heartbeats").isGreaterThanOrEqualTo(interval.multipliedBy(3));
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(condition).as("status says stalled once three intervals (750 ms) pass without a heartbeat")
                    .isEqualTo("stalled");
            assertThat(s.router().weights()).as("nobody moved the traffic yet").isEqualTo(new Weights(80, 20));

            Instant asked = Instant.now();
            try (HaproxyRouter outside = new HaproxyRouter(s.plan().router())) {
                RolloutState end = Rollout.fromOutside(s.plan(), outside, state, RolloutOutcomes.NONE).abortHere("runner killed");
                assertThat(end.phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
            }
            assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(s.router().weights()).isEqualTo(Weights.ALL_STABLE);
            assertThat(s.answering(50)).as("every request goes to stable after the abort").containsExactly("v1");
            assertThat(state.load().orElseThrow().reason()).startsWith("aborted: runner killed");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void theWeightsSurviveAnHaproxyReload() throws Exception {
        Path state = dir.resolve("haproxy.state");
        Setup s = setup(0.01, 0.0, FAST, ", server_state_file: '" + state + "'");
        s.router().setWeights(30, 70);
        assertThat(Files.readString(state)).startsWith("1\n").contains(" model 2 canary ");
        Process old = haproxy;
        // what 'systemctl reload haproxy' does without the master process: a new process that takes over
        haproxy = startHaproxy(dir.resolve("haproxy.cfg"), dir.resolve("haproxy.log"), "-sf", Long.toString(old.pid()));
        assertThat(old.waitFor(10, TimeUnit.SECONDS)).as("the old process hands over and ends").isTrue();
        Instant until = Instant.now().plusSeconds(10);
        Weights after = null;
        while (Instant.now().isBefore(until)) {
            try {
                after = s.router().weights();
                break;
            } catch (RolloutException e) {
                Thread.sleep(50); // the new process is binding the socket
            }
        }
        assertThat(after).as("the new HAProxy kept the canary's weight, not the configuration's 100/0")
                .isEqualTo(new Weights(30, 70));
        assertThat(s.answering(40)).as("both versions answer after the reload").containsExactly("v1", "v2");
    }
}
