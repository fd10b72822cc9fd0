package io.modelgate.demo;

import io.modelgate.registry.Actor;
import io.modelgate.registry.BuildInfo;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryConfig;
import io.modelgate.rollout.EmbeddedRouter;
import io.modelgate.rollout.Judges;
import io.modelgate.rollout.LoadGenerator;
import io.modelgate.rollout.ModelServer;
import io.modelgate.rollout.PlanReader;
import io.modelgate.rollout.RegistryOutcomes;
import io.modelgate.rollout.Rollout;
import io.modelgate.rollout.RolloutPlan;
import io.modelgate.rollout.RegistryRolloutStore;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Serves the production model and the candidate from two small model servers behind the embedded
 * router, sends synthetic load, and runs a canary rollout that promotes the candidate to the
 * {@code champion} alias — or, with a bad canary, rolls it back and marks it rejected.
 */
final class CanaryStage implements DemoStage {
    private final boolean badCanary;

    CanaryStage(boolean badCanary) {
        this.badCanary = badCanary;
    }

    @Override
    public String name() {
        return badCanary ? "Canary rollout (a bad canary)" : "Canary rollout";
    }

    @Override
    public void run(DemoContext c) throws IOException {
        // The candidate is the better model: fewer errors than production; a bad canary five times more.
        double canaryErrors = badCanary ? 0.05 : 0.002;
        try (ModelServer stable = new ModelServer("production", ModelServer.Behaviour.healthy().withErrorRate(0.01), c.seed)
                .start();
             ModelServer canary = new ModelServer(c.registeredVersion, ModelServer.Behaviour.healthy()
                     .withErrorRate(canaryErrors), c.seed + 1).start()) {
            String planText = String.format("""
                    # The demo's canary plan: reference docs/canary.md
                    model: %s
                    canary_version: %s
                    promote_to: champion
                    stable: http://127.0.0.1:%d
                    canary: http://127.0.0.1:%d
                    steps:
                      - {weight: 10, bake: 2s, min_requests: 200}
                      - {weight: 50, bake: 2s, min_requests: 500}
                      - {weight: 100}
                    analysis:
                      interval: 500ms
                      judge: sequential
                      inconclusive: continue
                      thresholds:
                        error_rate: {max: 0.03}
                        latency_p99_ms: {max: 500}
                    """, RegistryStage.MODEL, c.registeredVersion, stable.port(), canary.port());
            var planFile = c.path("canary.yaml");
            Files.writeString(planFile, planText);
            RolloutPlan plan = PlanReader.read(planFile);
            ExecutorService load = Executors.newSingleThreadExecutor();
            try (EmbeddedRouter router = new EmbeddedRouter(URI.create(plan.stableUrl()), URI.create(plan.canaryUrl()))
                    .start(0);
                 Registry registry = Registry.open(c.path(".modelgate/registry").toString(), c.path(".modelgate/cache"),
                         RegistryConfig.defaults())) {
                load.submit(() -> new LoadGenerator().run(LoadGenerator.Plan.forDuration(
                        router.baseUrl().resolve("/predict"), Duration.ofSeconds(30), 4)));
                RegistryOutcomes outcomes = new RegistryOutcomes(registry, at -> new Actor("modelgate-demo", BuildInfo.NONE, at));
                outcomes.check(plan);
                var store = new RegistryRolloutStore(registry, "canary", at -> new Actor("modelgate-demo", BuildInfo.NONE, at));
                c.canary = new Rollout(plan, router, router, Judges.forPlan(plan), store, outcomes,
                        line -> c.progress.accept("      " + line)).run();
                io.modelgate.report.CanaryReport.write(c.canary, "Canary rollout of " + RegistryStage.MODEL + "@"
                        + c.registeredVersion, c.path("modelgate-reports"));
                c.registryState = registry.state(RegistryStage.MODEL);
                c.registryHistory = registry.history(RegistryStage.MODEL, 0);
                // The registry page last: the canary's promotion or rollback is part of the history it shows.
                List<io.modelgate.registry.ModelVersion> versions = c.registryHistory.stream()
                        .map(h -> h.event().version()).distinct().map(v -> registry.version(RegistryStage.MODEL, v)).toList();
                io.modelgate.report.RegistryReport.write(new io.modelgate.report.RegistryReport.Input(c.registryState,
                        c.registryHistory, versions), c.path("modelgate-reports"));
            } finally {
                load.shutdownNow();
                try {
                    load.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
