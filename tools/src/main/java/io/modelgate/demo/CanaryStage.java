package io.modelgate.demo;

import io.modelgate.registry.Actor;
import io.modelgate.registry.BuildInfo;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryConfig;
import io.modelgate.rollout.EmbeddedRouter;
import io.modelgate.rollout.Judges;
import io.modelgate.server.LoadGenerator;
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
        try (DemoServers servers = new DemoServers(c.registeredVersion, badCanary, c.seed)) {
            // Port 0: the stage starts the router itself, on any free port.
            String planText = servers.plan(RegistryStage.MODEL, c.registeredVersion, 0);
            var planFile = c.path("canary.yaml");
            Files.writeString(planFile, planText);
            RolloutPlan plan = PlanReader.read(planFile);
            ExecutorService load = Executors.newSingleThreadExecutor();
            try (EmbeddedRouter router = new EmbeddedRouter(URI.create(plan.stableUrl()), URI.create(plan.canaryUrl()))
                    .start(0);
                 Registry registry = Registry.open(c.path(".modelgate/registry").toString(), c.path(".modelgate/cache"),
                         RegistryConfig.defaults())) {
                // Background traffic: its summary is not needed, the rollout counts what its router routes.
                load.execute(() -> new LoadGenerator().run(LoadGenerator.Plan.forDuration(
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
