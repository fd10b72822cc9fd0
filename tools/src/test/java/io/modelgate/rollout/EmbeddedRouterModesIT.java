package io.modelgate.rollout;

import io.modelgate.server.ModelServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded router's shadow and A/B modes, and its hand-off at the end, in front of real model servers. */
class EmbeddedRouterModesIT {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();
    private final ExecutorService clients = Executors.newFixedThreadPool(8);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void closeEverything() throws Exception {
        while (!open.isEmpty()) {
            open.pop().close();
        }
        clients.shutdownNow();
        assertThat(clients.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private ModelServer model(String version, ModelServer.Behaviour behaviour) {
        ModelServer server = new ModelServer(version, behaviour, 7).start();
        open.push(server);
        return server;
    }

    private EmbeddedRouter router(ModelServer stable, ModelServer canary, RolloutPlan.Traffic traffic) {
        EmbeddedRouter router = new EmbeddedRouter(stable.baseUrl(), canary.baseUrl(), EmbeddedRouter.Options.defaults(),
                traffic).start(0);
        open.push(router);
        return router;
    }

    private HttpResponse<String> post(EmbeddedRouter router, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(router.baseUrl().resolve("/predict"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static RolloutPlan.Traffic shadow() {
        return new RolloutPlan.Traffic(RolloutPlan.Mode.SHADOW, "", "", "/score", 0.1);
    }

    /** Waits until the router has counted the canary's answers to {@code expected} copies. */
    private static void awaitMirrored(EmbeddedRouter router, ModelServer canary, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (router.observe().canary().requests() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(canary.predictions()).as("copies the canary answered").isEqualTo(expected);
        assertThat(router.mirrored()).isEqualTo(expected);
    }

    @Test
    void inShadowModeClientsOnlyEverSeeTheStableVersionWhileTheCanaryGetsItsShareAsCopies() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        // a canary that fails every request: a client that saw one of its answers would get a 500
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy().withErrorRate(1.0));
        EmbeddedRouter router = router(stable, canary, shadow());
        router.setWeights(Weights.canary(25));
        int fromCanary = 0;
        for (int i = 0; i < 400; i++) {
            HttpResponse<String> r = post(router, "{\"features\":[" + i + "]}", Map.of());
            assertThat(r.statusCode()).isEqualTo(200);
            fromCanary += r.body().contains("\"model\":\"v2\"") || !"stable".equals(
                    r.headers().firstValue(EmbeddedRouter.TARGET_HEADER).orElse("")) ? 1 : 0;
        }
        assertThat(fromCanary).as("client answers from the canary").isZero();
        assertThat(router.answeredByCanary()).isZero();
        assertThat(stable.predictions()).isEqualTo(400);
        // smooth weighted round robin: exactly one request in four is copied
        awaitMirrored(router, canary, 100);
        Observations o = router.observe();
        assertThat(o.stable().requests()).isEqualTo(400);
        assertThat(o.canary().requests()).isEqualTo(100);
        assertThat(o.canary().errors()).isEqualTo(100);
        // failed answers hold no prediction
        assertThat(o.predictions().canary()).isEmpty();
        assertThat(o.predictions().stable()).hasSize(100);
    }

    @Test
    void inShadowModeBothVersionsPredictionsForTheSameRequestsAreKeptAndCompared() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer same = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable, same, shadow());
        router.setWeights(Weights.canary(50));
        for (int i = 0; i < 600; i++) {
            post(router, "{\"features\":[" + i + "]}", Map.of());
        }
        awaitMirrored(router, same, 300);
        Observations o = router.observe();
        // the same model on the same inputs: the same predictions, so no shift at all
        assertThat(o.predictions().canary()).hasSize(300).containsExactlyInAnyOrder(o.predictions().stable());
        Judgement same1 = new PredictionJudge(0.025, 0.1, 100).judge(o);
        assertThat(same1.outcome()).isEqualTo(JudgeOutcome.PASS);
        assertThat(same1.value()).isZero();

        ModelServer shifted = model("v3", ModelServer.Behaviour.healthy().withScorePower(3));
        EmbeddedRouter router2 = router(stable, shifted, shadow());
        router2.setWeights(Weights.canary(50));
        for (int i = 0; i < 600; i++) {
            post(router2, "{\"features\":[" + i + "]}", Map.of());
        }
        awaitMirrored(router2, shifted, 300);
        Judgement moved = new PredictionJudge(0.025, 0.1, 100).judge(router2.observe());
        assertThat(moved.outcome()).as(moved.reason()).isEqualTo(JudgeOutcome.FAIL);
        assertThat(moved.comparison().bins()).hasSize(10);
    }

    /** A whole shadow rollout of the plan's router, under load from clients that see only stable answers. */
    private RolloutState shadowRollout(ModelServer canary, java.nio.file.Path dir, List<String> lines) throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        RolloutPlan plan = PlanReader.parse("shadow.yaml", "stable: " + stable.baseUrl() + "\ncanary: " + canary.baseUrl()
                + "\ntraffic: {mode: shadow, score: /score}\n"
                + "steps: [{weight: 50, bake: 2s, min_requests: 150}, {weight: 100}]\n"
                + "analysis: {interval: 250ms, inconclusive: continue}\n");
        assertThat(Judges.forPlan(plan)).anyMatch(j -> j instanceof PredictionJudge);
        TrafficRouter router = Routers.forPlan(plan);
        open.push(router);
        EmbeddedRouter embedded = (EmbeddedRouter) router;
        Future<io.modelgate.server.LoadGenerator.Summary> traffic = clients.submit(() -> new io.modelgate.server.LoadGenerator()
                .run(io.modelgate.server.LoadGenerator.Plan.forDuration(embedded.baseUrl().resolve("/predict"),
                        Duration.ofSeconds(6), 2)));
        RolloutState end = new Rollout(plan, router, embedded, Judges.forPlan(plan), new StateFile(dir, "shadow"),
                RolloutOutcomes.NONE, lines::add).run();
        traffic.get(30, TimeUnit.SECONDS);
        return end;
    }

    @Test
    void aShadowRolloutPromotesACanaryThatPredictsAlikeAndTheReportComparesThePredictions(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        RolloutState end = shadowRollout(model("v2", ModelServer.Behaviour.healthy()), dir, lines);
        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.PROMOTED);
        String page = java.nio.file.Files.readString(io.modelgate.report.CanaryReport.write(end, "shadow", dir));
        assertThat(page).contains("<h2>Predictions</h2>", "canary-predictions", "mirrored, never served");
    }

    @Test
    void aShadowRolloutRollsBackACanaryWhosePredictionsMovedThoughItNeverFailsARequest(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        RolloutState end = shadowRollout(model("v2", ModelServer.Behaviour.healthy().withScorePower(3)), dir, lines);
        assertThat(end.phase()).as(String.join("\n", lines)).isEqualTo(RolloutState.Phase.ROLLED_BACK);
        assertThat(end.reason()).contains("predictions differ from the stable version's");
    }

    @Test
    void atOneHundredPercentAShadowRolloutsCanaryServesEveryone() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable, canary, shadow());
        router.setWeights(Weights.canary(100));
        for (int i = 0; i < 20; i++) {
            assertThat(post(router, "{}", Map.of()).body()).contains("\"model\":\"v2\"");
        }
        assertThat(router.mirrored()).isZero();
    }

    @Test
    void inAbModeEveryRequestOfOneClientGoesToOneSideAndTheCanarysClientsStayAsItsShareGrows() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable, canary, new RolloutPlan.Traffic(RolloutPlan.Mode.AB, "X-User", "", "", 0.1));
        Map<String, String> sideAt10 = new HashMap<>();
        for (int weight : new int[] {10, 25}) {
            router.setWeights(Weights.canary(weight));
            int usersOnCanary = 0;
            for (int u = 0; u < 200; u++) {
                String user = "u" + u;
                List<String> sides = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    sides.add(post(router, "{}", Map.of("X-User", user)).headers().firstValue(EmbeddedRouter.TARGET_HEADER)
                            .orElseThrow());
                }
                assertThat(sides).as(user).containsOnly(sides.get(0));
                usersOnCanary += sides.get(0).equals("canary") ? 1 : 0;
                if (weight == 10) {
                    sideAt10.put(user, sides.get(0));
                } else if (sideAt10.get(user).equals("canary")) {
                    assertThat(sides.get(0)).as(user + " was on the canary at 10%").isEqualTo("canary");
                }
            }
            // 200 users: within about three standard deviations of the share
            assertThat(usersOnCanary).as("users on the canary at %d%%", weight).isBetween(weight * 2 - 25, weight * 2 + 25);
        }
        // a request that names no client cannot be kept on one side: the stable version answers it
        for (int i = 0; i < 20; i++) {
            assertThat(post(router, "{}", Map.of()).headers().firstValue(EmbeddedRouter.TARGET_HEADER)).hasValue("stable");
        }
    }

    @Test
    void inAbModeACookieCanNameTheClient() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy());
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = router(stable, canary, new RolloutPlan.Traffic(RolloutPlan.Mode.AB, "", "uid", "", 0.1));
        router.setWeights(Weights.canary(50));
        int canaryUsers = 0;
        for (int u = 0; u < 100; u++) {
            String first = post(router, "{}", Map.of("Cookie", "theme=dark; uid=" + u)).headers()
                    .firstValue(EmbeddedRouter.TARGET_HEADER).orElseThrow();
            String again = post(router, "{}", Map.of("Cookie", "uid=" + u)).headers()
                    .firstValue(EmbeddedRouter.TARGET_HEADER).orElseThrow();
            assertThat(again).isEqualTo(first);
            canaryUsers += first.equals("canary") ? 1 : 0;
        }
        assertThat(canaryUsers).isBetween(30, 70);
    }

    @Test
    void requestsInFlightWhenTheRouterClosesAfterAPromotionAreAnsweredNotCut() throws Exception {
        ModelServer stable = model("v1", ModelServer.Behaviour.healthy().withLatency(600, 0));
        ModelServer canary = model("v2", ModelServer.Behaviour.healthy());
        EmbeddedRouter router = new EmbeddedRouter(stable.baseUrl(), canary.baseUrl()).start(0);
        List<Future<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inFlight.add(clients.submit(() -> post(router, "{}", Map.of())));
        }
        Thread.sleep(250); // all six are now waiting on the slow stable version, which answers after 600 ms
        assertThat(stable.predictions()).isZero();
        router.setWeights(Weights.canary(100));
        long closing = System.nanoTime();
        router.close();
        long closedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
        for (Future<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.get(10, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"model\":\"v1\"");
        }
        // it waited for them, and no longer than they took
        assertThat(closedMs).isLessThan(5_000);
    }
}
