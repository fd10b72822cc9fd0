package io.modelgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.server.LoadGenerator;
import io.modelgate.server.ModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class CanaryCommandTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService load = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() throws Exception {
        load.shutdownNow();
        assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private int server(double errorRate) {
        ModelServer s = new ModelServer("v", ModelServer.Behaviour.healthy().withErrorRate(errorRate), 3).start();
        open.add(s);
        return s.port();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Path plan(double canaryErrors, int routerPort) throws IOException {
        return Files.writeString(dir.resolve("canary.yaml"), """
                stable: http://127.0.0.1:%d
                canary: http://127.0.0.1:%d
                router: {port: %d}
                steps: [{weight: 20, bake: 1s, min_requests: 50}, {weight: 100}]
                analysis: {interval: 250ms, inconclusive: continue, thresholds: {error_rate: {max: 0.05}}}
                """.formatted(server(0.01), server(canaryErrors), routerPort));
    }

    private void traffic(int port) {
        load.submit(() -> new LoadGenerator().run(LoadGenerator.Plan.forDuration(
                URI.create("http://127.0.0.1:" + port + "/predict"), Duration.ofSeconds(15), 4)));
    }

    @Test
    void aHealthyCanaryIsPromotedExitZeroAndStatusSaysSo() throws Exception {
        int port = freePort();
        Path plan = plan(0.0, port);
        traffic(port);
        Run r = run("canary", "run", "--plan", plan.toString(), "--state-dir", dir.resolve("state").toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).get("phase").asText()).isEqualTo("PROMOTED");
        assertThat(r.err()).contains("Canary router: embedded router").contains("http://127.0.0.1:" + port).contains("step 1/2: 20%");
        Run status = run("canary", "status", "--plan", plan.toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(status.out()).startsWith("promoted at step 3");
    }

    @Test
    void aShadowRolloutFromThePlanRollsBackACanaryWhosePredictionsMovedAndTheReportShowsThem() throws Exception {
        int port = freePort();
        ModelServer moved = new ModelServer("v2", ModelServer.Behaviour.healthy().withScorePower(3), 3).start();
        open.add(moved);
        Path plan = Files.writeString(dir.resolve("shadow.yaml"), """
                stable: http://127.0.0.1:%d
                canary: http://127.0.0.1:%d
                router: {port: %d}
                traffic: {mode: shadow, score: /score}
                steps: [{weight: 50, bake: 2s, min_requests: 150}, {weight: 100}]
                analysis: {interval: 250ms, inconclusive: continue}
                """.formatted(server(0.0), moved.port(), port));
        traffic(port);
        Path reports = dir.resolve("reports");
        Run r = run("canary", "run", "--plan", plan.toString(), "--state-dir", dir.resolve("state").toString(),
                "--report-dir", reports.toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.FAILED);
        assertThat(r.out()).contains("rolled back");
        assertThat(r.out() + r.err()).contains("predictions differ from the stable version's");
        try (var pages = Files.walk(reports)) {
            Path page = pages.filter(p -> p.getFileName().toString().equals("canary.html")).findFirst().orElseThrow();
            assertThat(Files.readString(page)).contains("<h2>Predictions</h2>");
        }
    }

    @Test
    void aBadCanaryIsRolledBackExitOne() throws Exception {
        int port = freePort();
        Path plan = plan(0.3, port);
        traffic(port);
        Run r = run("canary", "run", "--plan", plan.toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.FAILED);
        assertThat(r.out()).contains("rolled back: all traffic on stable");
    }

    @Test
    void badPlansExitTwoNamingTheField() throws IOException {
        Path plan = Files.writeString(dir.resolve("bad.yaml"), "stable: http://a:1\ncanary: http://b:2\nsteps: [{weight: 150}]\n");
        Run r = run("canary", "run", "--plan", plan.toString(), "--state-dir", dir.toString());
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).isEqualTo("modelgate: " + plan + ": steps[1].weight: must be a whole number from 0 to 100, found '150'");
        Path router = Files.writeString(dir.resolve("r.yaml"), "stable: http://a:1\ncanary: http://b:2\nrouter: {type: nginx}\n");
        assertThat(run("canary", "run", "--plan", router.toString()).err()).contains("router.type: must be 'embedded' or 'haproxy', found 'nginx'");
        Path bake = Files.writeString(dir.resolve("b.yaml"), "stable: http://a:1\ncanary: http://b:2\nsteps: [{weight: 5, bake: -1m}]\n");
        assertThat(run("canary", "run", "--plan", bake.toString()).err()).contains("steps[1].bake: must not be negative");
    }

    @Test
    void abortWritesARequestTheRunningRolloutHonours() throws Exception {
        int port = freePort();
        Path plan = Files.writeString(dir.resolve("slow.yaml"), """
                stable: http://127.0.0.1:%d
                canary: http://127.0.0.1:%d
                router: {port: %d}
                steps: [{weight: 20, bake: 30s}, {weight: 100}]
                analysis: {interval: 250ms, judge: threshold, inconclusive: continue, thresholds: {error_rate: {max: 0.2}}}
                """.formatted(server(0.01), server(0.0), port));
        traffic(port);
        var runner = Executors.newSingleThreadExecutor();
        try {
            var result = runner.submit(() -> run("canary", "run", "--plan", plan.toString(), "--state-dir",
                    dir.resolve("state").toString()));
            // Abort once the rollout is running (its state saved), not after a guessed delay.
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
            while (!run("canary", "status", "--plan", plan.toString(), "--state-dir", dir.resolve("state").toString())
                    .out().startsWith("running")) {
                assertThat(result.isDone()).as("the rollout ended before it was aborted").isFalse();
                assertThat(java.time.Instant.now()).as("the rollout is running within a minute").isBefore(deadline);
                Thread.sleep(20);
            }
            Run abort = run("canary", "abort", "--plan", plan.toString(), "--state-dir", dir.resolve("state").toString(),
                    "--reason", "Jenkins build aborted", "--json");
            assertThat(abort.code()).isZero();
            var answer = new ObjectMapper().readTree(abort.out());
            assertThat(answer.get("here").asBoolean()).as("asked its live runner, not rolled back from here").isFalse();
            assertThat(answer.get("what").asText()).startsWith("its runner (").endsWith(") rolls it back within one interval");
            Run r = result.get(30, TimeUnit.SECONDS);
            assertThat(r.code()).isEqualTo(Main.FAILED);
            assertThat(r.out()).contains("aborted: Jenkins build aborted");
        } finally {
            runner.shutdownNow();
        }
    }

    @Test
    void aRolloutNameThatWouldLeaveTheStateFolderIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "stable: http://127.0.0.1:1\ncanary: http://127.0.0.1:2\n");
        Path state = dir.resolve("state");
        Path outside = dir.resolve("x.abort");
        for (String name : new String[]{"../x", "../../../tmp/x", "a/b", ".hidden", "x.lock", "new\nline", "..", " "}) {
            for (String[] command : new String[][]{{"canary", "abort"}, {"canary", "run"}, {"canary", "status"}}) {
                List<String> args = new ArrayList<>(List.of(command));
                args.addAll(List.of("--plan", plan.toString(), "--state-dir", state.toString(), "--name", name));
                Run r = run(args.toArray(String[]::new));
                assertThat(r.code()).as(name + " " + r.err()).isEqualTo(Main.BAD_INPUT);
                assertThat(r.err().lines()).as(r.err()).hasSize(1).allMatch(l -> l.startsWith("modelgate: --name "));
            }
        }
        assertThat(state).doesNotExist();
        assertThat(outside).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("plan.yaml");
        }
        // A plan whose file name is not a rollout name needs --name.
        Path spaced = Files.writeString(dir.resolve("my plan.yaml"), "stable: http://127.0.0.1:1\ncanary: http://127.0.0.1:2\n");
        Run r = run("canary", "abort", "--plan", spaced.toString(), "--state-dir", state.toString());
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).startsWith("modelgate: the rollout name from the plan's file name (give --name) 'my plan'");
        assertThat(state).doesNotExist();
    }

    @Test
    void anAbortReasonIsStoredOnOneLineAndWithoutCredentials() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "stable: http://127.0.0.1:1\ncanary: http://127.0.0.1:2\n");
        java.time.Instant now = java.time.Instant.now();
        // a rollout run by a live runner on another agent: the abort is a request for its run
        new io.modelgate.rollout.StateFile(dir.resolve("state"), "plan").save(new io.modelgate.rollout.RolloutState("plan.yaml",
                io.modelgate.rollout.RolloutState.Phase.RUNNING, 0, now, 0, List.of(), "", now, "run-7",
                "jenkins@agent-2 pid 99 #ab12", java.time.Duration.ofMinutes(1), 1, java.util.List.of()));
        Run r = run("canary", "abort", "--plan", plan.toString(), "--state-dir", dir.resolve("state").toString(),
                "--reason", "see https://ops:Tr0ub4dor@H0rse@wiki.example.com/x\nModelgate-Event: forged");
        assertThat(r.code()).as(r.err()).isZero();
        String stored = Files.readString(dir.resolve("state/plan.abort"));
        assertThat(stored).isEqualTo("run-7\nabort\nsee https://***@wiki.example.com/x\\nModelgate-Event: forged")
                .doesNotContain("H0rse");
        assertThat(stored.lines()).hasSize(3);
    }

    @Test
    void anAbortOfNoRolloutOrAFinishedOneExitsTwoAndWritesNothing() throws Exception {
        Path plan = Files.writeString(dir.resolve("plan.yaml"), "stable: http://127.0.0.1:1\ncanary: http://127.0.0.1:2\n");
        String state = dir.resolve("state").toString();
        Run none = run("canary", "abort", "--plan", plan.toString(), "--state-dir", state);
        assertThat(none.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(none.err().lines()).hasSize(1).allMatch(l -> l.startsWith("modelgate: no rollout 'plan' at ")
                && l.endsWith(": nothing to abort"));
        assertThat(dir.resolve("state/plan.abort")).doesNotExist();
        java.time.Instant t = java.time.Instant.parse("2026-12-01T10:00:00Z");
        new io.modelgate.rollout.StateFile(dir.resolve("state"), "plan").save(new io.modelgate.rollout.RolloutState("plan.yaml",
                io.modelgate.rollout.RolloutState.Phase.PROMOTED, 2, t, 0, List.of(), "every step passed", t, "run-1",
                "", java.time.Duration.ofSeconds(10), 9, java.util.List.of()));
        Run done = run("canary", "abort", "--plan", plan.toString(), "--state-dir", state);
        assertThat(done.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(done.err()).isEqualTo("modelgate: rollout 'plan' is already promoted (every step passed): nothing to abort\n");
        assertThat(dir.resolve("state/plan.abort")).doesNotExist();
        Run promote = run("canary", "promote", "--full", "--reason", "hotfix", "--plan", plan.toString(), "--state-dir", state);
        assertThat(promote.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(promote.err()).endsWith(": nothing to promote\n");
        Run retry = run("canary", "retry", "--plan", plan.toString(), "--state-dir", state);
        assertThat(retry.code()).as(retry.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(retry.err()).contains("only a rolled-back rollout is retried");
        Run noReason = run("canary", "promote", "--full", "--plan", plan.toString(), "--state-dir", state);
        assertThat(noReason.code()).isEqualTo(Main.BAD_INPUT);
    }
}
