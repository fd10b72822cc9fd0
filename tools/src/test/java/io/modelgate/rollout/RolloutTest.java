package io.modelgate.rollout;

import io.modelgate.server.ModelServer;
import io.modelgate.server.LoadGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rollouts through the embedded router in front of two real model servers, with real load. */
class RolloutTest {
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

    private URI server(String version, double errorRate) {
        ModelServer s = new ModelServer(version, ModelServer.Behaviour.healthy().withErrorRate(errorRate), 7).start();
        open.add(s);
        return URI.create("http://127.0.0.1:" + s.port());
    }

    private record Setup(RolloutPlan plan, EmbeddedRouter router, Future<?> traffic) {
    }

    private Setup setup(double canaryErrorRate, String extra) {
        URI stable = server("v1", 0.01);
        URI canary = server("v2", canaryErrorRate);
        RolloutPlan plan = PlanReader.parse("plan.yaml", "stable: " + stable + "\ncanary: " + canary + "\n" + extra);
        EmbeddedRouter router = new EmbeddedRouter(stable, canary).start(0);
        open.add(router);
        Future<?> traffic = load.submit(() -> new LoadGenerator().run(
                LoadGenerator.Plan.forDuration(router.baseUrl().resolve("/predict"), Duration.ofSeconds(20), 4)));
        return new Setup(plan, router, traffic);
    }

    private static final String FAST = """
            steps: [{weight: 20, bake: 1s, min_requests: 50}, {weight: 50, bake: 1s, min_requests: 50}, {weight: 100}]
            analysis: {interval: 250ms, judge: sequential, failure_limit: 0, inconclusive: continue,
                       thresholds: {error_rate: {max: 0.05}}}
            """;

    /** Long bakes and no early success, so only an abort can end the rollout soon. */
    private static final String SLOW = FAST.replace("bake: 1s", "bake: 30s").replace("judge: sequential", "judge: threshold");

    private Rollout rollout(Setup s, RolloutStore state, List<String> lines) {
        return new Rollout(s.plan(), s.router(), s.router(), Judges.forPlan(s.plan()), state, RolloutOutcomes.NONE,
                lines::add);
    }

    @Test
    void aHealthyCanaryIsPromotedAndEndsWithAllTheTraffic() {
        // A canary with no errors cannot look worse by chance, so this test cannot flake on a false alarm.
        Setup s = setup(0.0, FAST);
        List<String> lines = new ArrayList<>();
        RolloutState end = rollout(s, new StateFile(dir, "healthy"), lines).run();
        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.PROMOTED);
        assertThat(s.router().weights()).isEqualTo(new Weights(0, 100));
        assertThat(lines).anyMatch(l -> l.startsWith("step 1/3: 20%"));
        assertThat(new StateFile(dir, "healthy").load().orElseThrow().phase()).isEqualTo(RolloutState.Phase.PROMOTED);
    }

    @Test
    void aCanaryWithFiveTimesTheErrorsIsRolledBackAndGetsNoMoreTraffic() throws Exception {
        Setup s = setup(0.25, FAST);
        List<String> lines = new ArrayList<>();
        RolloutState end = rollout(s, new StateFile(dir, "bad"), lines).run();
        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.ROLLED_BACK);
        assertThat(s.router().weights()).isEqualTo(new Weights(100, 0));
        // Requests forwarded before the decision may still finish on the canary; every request that
        // arrives after it goes to stable. Asked directly, not by waiting for the counters to settle.
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 50; i++) {
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(s.router().baseUrl().resolve("/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"features\": [1, 2]}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(r.headers().firstValue(EmbeddedRouter.TARGET_HEADER)).hasValue("stable");
        }
    }

    /**
     * Waits until the rollout's saved state satisfies {@code ready}: the rollout has saved it, and so
     * reached the point the test needs, whatever the machine's speed. Fails after a minute.
     */
    private static RolloutState awaitState(RolloutStore store, Predicate<RolloutState> ready, Future<?> rollout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(deadline)) {
            Optional<RolloutState> now = store.load();
            if (now.isPresent() && ready.test(now.get())) {
                return now.get();
            }
            assertThat(rollout.isDone()).as("the rollout ended before reaching the awaited state: " + now).isFalse();
            Thread.sleep(20);
        }
        throw new AssertionError("the rollout did not reach the awaited state within a minute: " + store.load());
    }

    /** Ends a test's rollout as a person would: an abort for its run, honoured within 30 s. */
    private static void endByAbort(RolloutStore state, RolloutState baking, Future<RolloutState> rollout) throws Exception {
        state.requestAbort(baking.runId(), "end of test");
        assertThat(rollout.get(30, TimeUnit.SECONDS).phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
    }

    /** Running, and in a step's bake: an abort now is handled by the bake's polling, not by the setup. */
    private static boolean baking(RolloutState s) {
        return s.phase() == RolloutState.Phase.RUNNING && !s.intervals().isEmpty();
    }

    @Test
    void anAbortFromAnotherProcessRollsBackWithinAnInterval() throws Exception {
        Setup s = setup(0.0, SLOW);
        StateFile state = new StateFile(dir, "abort");
        var running = Executors.newSingleThreadExecutor();
        try {
            Future<RolloutState> result = running.submit(() -> rollout(s, state, new ArrayList<>()).run());
            RolloutState baking = awaitState(state, RolloutTest::baking, result);
            Instant asked = Instant.now();
            new StateFile(dir, "abort").requestAbort(baking.runId(), "build aborted");
            RolloutState end = result.get(30, TimeUnit.SECONDS);
            assertThat(end.phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
            assertThat(end.reason()).startsWith("aborted: build aborted");
            // Only the abort can end a 30 s bake this soon; one interval (250 ms) is the promise, with room for a slow machine.
            assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(10));
            assertThat(s.router().weights()).isEqualTo(new Weights(100, 0));
        } finally {
            running.shutdownNow();
        }
    }

    @Test
    void aRolloutStartedAgainAfterACrashGoesOnFromItsStep() {
        Setup s = setup(0.0, FAST);
        StateFile state = new StateFile(dir, "crash");
        state.save(RolloutState.start("plan.yaml", Instant.now()).with(RolloutState.Phase.RUNNING, 1, Instant.now(), 0,
                "", Instant.now()));
        List<String> lines = new ArrayList<>();
        RolloutState end = rollout(s, state, lines).run();
        assertThat(end.phase()).isEqualTo(RolloutState.Phase.PROMOTED);
        assertThat(lines).noneMatch(l -> l.startsWith("step 1/3")).anyMatch(l -> l.startsWith("step 2/3: 50%"));
    }

    @Test
    void inTheRegistrysStoreAnotherAgentSeesTheRolloutAndCanAbortIt() throws Exception {
        Setup s = setup(0.0, SLOW);
        Path location = dir.resolve("registry");
        java.util.function.Function<Instant, io.modelgate.registry.Actor> who =
                at -> new io.modelgate.registry.Actor("jenkins", io.modelgate.registry.BuildInfo.NONE, at);
        var running = Executors.newSingleThreadExecutor();
        try (var mine = io.modelgate.registry.Registry.open(location.toString(), dir, io.modelgate.registry.RegistryConfig.defaults());
             var theirs = io.modelgate.registry.Registry.open(location.toString(), dir, io.modelgate.registry.RegistryConfig.defaults())) {
            Future<RolloutState> result = running.submit(() -> rollout(s, new RegistryRolloutStore(mine, "churn-canary", who),
                    new ArrayList<>()).run());
            RegistryRolloutStore other = new RegistryRolloutStore(theirs, "churn-canary", who);
            // The other agent sees the rollout once it saved its first analysis; before that there may be nothing to see.
            RolloutState seen = awaitState(other, RolloutTest::baking, result);
            assertThat(seen.phase()).isEqualTo(RolloutState.Phase.RUNNING);
            other.requestAbort(seen.runId(), "aborted on another agent");
            RolloutState end = result.get(30, TimeUnit.SECONDS);
            assertThat(end.phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
            assertThat(other.load().orElseThrow().phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
            assertThat(other.pending()).isEmpty();
        } finally {
            running.shutdownNow();
        }
    }

    @Test
    void aSecondRunnerOfTheSameRolloutIsRefusedNamingTheFirstAndTouchesNothing() throws Exception {
        Setup s = setup(0.0, SLOW);
        StateFile state = new StateFile(dir, "two");
        var running = Executors.newSingleThreadExecutor();
        try {
            Future<RolloutState> first = running.submit(() -> rollout(s, state, new ArrayList<>()).run());
            RolloutState baking = awaitState(state, RolloutTest::baking, first);
            Weights before = s.router().weights();
            assertThatThrownBy(() -> rollout(s, new StateFile(dir, "two"), new ArrayList<>()).run())
                    .isInstanceOf(Rollout.OwnedElsewhere.class)
                    .hasMessageContaining("is run by " + baking.owner())
                    .hasMessageContaining("one runner at a time");
            assertThat(s.router().weights()).as("the refused runner moved no traffic").isEqualTo(before);
            assertThat(first.isDone()).as("the first runner goes on").isFalse();
            endByAbort(state, baking, first);
        } finally {
            running.shutdownNow();
        }
    }

    @Test
    void ofTwoRunnersStartedTogetherExactlyOneRuns() throws Exception {
        Setup s = setup(0.0, SLOW);
        var pool = Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            List<Future<RolloutState>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(pool.submit(() -> {
                    together.await();
                    return rollout(s, new StateFile(dir, "race"), new ArrayList<>()).run();
                }));
            }
            StateFile state = new StateFile(dir, "race");
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (runs.stream().noneMatch(Future::isDone) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            Future<RolloutState> refused = runs.stream().filter(Future::isDone).findFirst().orElseThrow();
            assertThatThrownBy(refused::get).hasCauseInstanceOf(Rollout.OwnedElsewhere.class);
            Future<RolloutState> winner = runs.get(runs.indexOf(refused) == 0 ? 1 : 0);
            RolloutState baking = awaitState(state, RolloutTest::baking, winner);
            endByAbort(state, baking, winner);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAbortMeantForAnotherRunIsIgnoredAndOneForThisRunIsHonoured() throws Exception {
        Setup s = setup(0.0, SLOW);
        StateFile state = new StateFile(dir, "stale");
        // left over from a run that never started: it must not roll the next run back
        state.requestAbort("an-earlier-run", "left over");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        var running = Executors.newSingleThreadExecutor();
        try {
            Future<RolloutState> result = running.submit(() -> rollout(s, state, lines).run());
            RolloutState baking = awaitState(state, RolloutTest::baking, result);
            assertThat(state.pending()).as("cleared when the run took the rollout").isEmpty();
            state.requestAbort("yet-another-run", "wrong run");
            Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
            while (lines.stream().noneMatch(l -> l.startsWith("ignored an abort request")) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(lines).anyMatch(l -> l.startsWith("ignored an abort request for another run of this plan (wrong run)"));
            assertThat(result.isDone()).isFalse();
            state.requestAbort(baking.runId(), "this run");
            RolloutState end = result.get(30, TimeUnit.SECONDS);
            assertThat(end.phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
            assertThat(end.reason()).startsWith("aborted: this run");
        } finally {
            running.shutdownNow();
        }
    }

    @Test
    void aStalledRolloutIsReportedSoAndRolledBackFromOutsideAndAFinishedOneIsNotAbortedAgain() {
        Setup s = setup(0.0, SLOW);
        StateFile state = new StateFile(dir, "stalled");
        Instant lastWord = Instant.now().minusSeconds(5);
        // what a runner killed with -9 on another machine leaves: running, its last heartbeat 5 s old, 250 ms intervals
        RolloutState dead = new RolloutState("plan.yaml", RolloutState.Phase.RUNNING, 1, lastWord, 0, List.of(), "",
                lastWord, "run-1", "jenkins@agent-7 pid 4242 #abc123", Duration.ofMillis(250), 3, java.util.List.of());
        state.save(dead);
        s.router().setWeights(50, 50);
        assertThat(state.load().orElseThrow().condition(Instant.now())).isEqualTo("stalled");
        assertThat(dead.stalled(lastWord.plusMillis(700))).as("two missed heartbeats are not yet a stall").isFalse();
        Instant asked = Instant.now();
        RolloutState end = Rollout.fromOutside(s.plan(), s.router(), state, RolloutOutcomes.NONE).abortHere("runner lost");
        assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(5));
        assertThat(end.phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
        assertThat(end.reason()).startsWith("aborted: runner lost");
        assertThat(s.router().weights()).isEqualTo(new Weights(100, 0));
        assertThat(state.load().orElseThrow().phase()).isEqualTo(RolloutState.Phase.ROLLED_BACK);
        assertThatThrownBy(() -> Rollout.fromOutside(s.plan(), s.router(), state, RolloutOutcomes.NONE).abortHere("again"))
                .isInstanceOf(RolloutException.class).hasMessageContaining("is already rolled back: nothing to abort");
        assertThatThrownBy(() -> Rollout.fromOutside(s.plan(), s.router(), new StateFile(dir, "never"), RolloutOutcomes.NONE)
                .abortHere("what")).isInstanceOf(RolloutException.class).hasMessageContaining("nothing to abort");
    }

    @Test
    void aLiveRunnersRolloutCannotBeRolledBackFromOutside() throws Exception {
        Setup s = setup(0.0, SLOW);
        StateFile state = new StateFile(dir, "live");
        var running = Executors.newSingleThreadExecutor();
        try {
            Future<RolloutState> result = running.submit(() -> rollout(s, state, new ArrayList<>()).run());
            RolloutState baking = awaitState(state, RolloutTest::baking, result);
            assertThatThrownBy(() -> Rollout.fromOutside(s.plan(), s.router(), state, RolloutOutcomes.NONE).abortHere("x"))
                    .isInstanceOf(Rollout.OwnedElsewhere.class);
            endByAbort(state, baking, result);
        } finally {
            running.shutdownNow();
        }
    }

    @Test
    void aPromoteRequestForThisRunPromotesAtOnceSkippingTheRemainingSteps() throws Exception {
        Setup s = setup(0.0, SLOW);
        StateFile state = new StateFile(dir, "promote");
        var running = Executors.newSingleThreadExecutor();
        try {
            Future<RolloutState> result = running.submit(() -> rollout(s, state, new ArrayList<>()).run());
            RolloutState baking = awaitState(state, RolloutTest::baking, result);
            state.request(new RolloutStore.Request(baking.runId(), RolloutStore.Action.PROMOTE, "release manager"));
            RolloutState end = result.get(30, TimeUnit.SECONDS);
            assertThat(end.phase()).isEqualTo(RolloutState.Phase.PROMOTED);
            assertThat(end.reason()).startsWith("promoted by hand: release manager");
            assertThat(s.router().weights()).isEqualTo(new Weights(0, 100));
        } finally {
            running.shutdownNow();
        }
    }

    @Test
    void aStalledRolloutIsPromotedFromOutsideAndARolledBackOneIsRetriedAsANewRun() {
        Setup s = setup(0.0, FAST);
        StateFile state = new StateFile(dir, "retry");
        Instant lastWord = Instant.now().minusSeconds(5);
        state.save(new RolloutState("plan.yaml", RolloutState.Phase.RUNNING, 0, lastWord, 0, List.of(), "", lastWord, "run-1",
                "jenkins@agent-7 pid 4242 #abc123", Duration.ofMillis(250), 1, List.of()));
        RolloutState promoted = Rollout.fromOutside(s.plan(), s.router(), state, RolloutOutcomes.NONE).promoteHere("hotfix");
        assertThat(promoted.phase()).isEqualTo(RolloutState.Phase.PROMOTED);
        assertThat(s.router().weights()).isEqualTo(new Weights(0, 100));
        assertThatThrownBy(() -> rollout(s, state, new ArrayList<>()).retry()).isInstanceOf(RolloutException.class)
                .hasMessageContaining("only a rolled-back rollout is retried");

        StateFile back = new StateFile(dir, "back");
        back.save(new RolloutState("plan.yaml", RolloutState.Phase.ROLLED_BACK, 1, lastWord, 1, List.of(), "aborted: x",
                lastWord, "run-9", "", Duration.ofMillis(250), 4, List.of()));
        List<String> lines = new ArrayList<>();
        RolloutState again = rollout(s, back, lines).retry();
        assertThat(again.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.PROMOTED);
        assertThat(again.runId()).isNotEqualTo("run-9");
        assertThat(lines).anyMatch(l -> l.startsWith("retrying a rolled-back rollout from step 1 (it was: aborted: x)"))
                .anyMatch(l -> l.startsWith("step 1/3: 20%"));
    }
}
