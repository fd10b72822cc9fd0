package io.modelgate.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.modelgate.common.ExitCodes;
import io.modelgate.common.RecordJson;
import io.modelgate.common.Workspace;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryAccess;
import io.modelgate.report.CanaryReport;
import io.modelgate.rollout.EmbeddedRouter;
import io.modelgate.rollout.Judges;
import io.modelgate.rollout.MetricsProvider;
import io.modelgate.rollout.PlanReader;
import io.modelgate.rollout.PrometheusMetrics;
import io.modelgate.rollout.RegistryOutcomes;
import io.modelgate.rollout.Rollout;
import io.modelgate.rollout.RolloutOutcomes;
import io.modelgate.rollout.RolloutPlan;
import io.modelgate.rollout.RolloutState;
import io.modelgate.rollout.RolloutTarget;
import io.modelgate.rollout.TrafficRouter;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a canary rollout, or goes on with one (after a pause or a crash), as {@code modelgate canary
 * run|resume} and the canaryRollout step do: shifts traffic step by step through the plan's router,
 * judges the canary against the stable version at every interval, promotes it in the registry or rolls it
 * back, and writes the rollout's page.
 */
public final class CanaryRun {
    private CanaryRun() {
    }

    /**
     * What to run; paths are resolved against the workspace.
     *
     * @param plan      the rollout plan (YAML)
     * @param target    which rollout and where its state is kept without a registry
     * @param registry  the registry, when the plan names a model
     * @param reportDir where canary.html and canary.json go; empty for the workspace's default
     * @param resume    whether this goes on with a rollout ({@code canary resume}); it runs the same way, the
     *                  name only says what the person meant
     * @param overrideReject when not blank, canary a version whose rejection stands all the same, recording
     *                  this reason in the registry
     * @param retry     run a rolled-back rollout again from its first step ({@code canary retry})
     */
    public record Request(Path plan, RolloutTarget target, RegistryAccess registry, Optional<Path> reportDir,
                          boolean resume, String overrideReject, boolean retry) {
        /** A run or a resume. */
        public Request(Path plan, RolloutTarget target, RegistryAccess registry, Optional<Path> reportDir, boolean resume,
                       String overrideReject) {
            this(plan, target, registry, reportDir, resume, overrideReject, false);
        }
    }

    /** How the rollout ended this time, and its page. */
    public record Result(RolloutState state, Path page) {
        /** 0 promoted, 1 rolled back, 5 paused for a person. */
        public int exitCode() {
            return switch (state.phase()) {
                case PROMOTED -> ExitCodes.OK;
                case ROLLED_BACK -> ExitCodes.FAILED;
                case PAUSED -> ExitCodes.PAUSED;
                case RUNNING -> ExitCodes.INTERNAL;
            };
        }

        public JsonNode document() {
            return RecordJson.mapper().valueToTree(state);
        }

        public String json() {
            return CanaryRun.json(state);
        }
    }

    /** A rollout's state as {@code --json} prints it. */
    public static String json(RolloutState state) {
        try {
            return RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the rollout to its end or its pause.
     *
     * @param progress where the router's address, each analysis and the page's address go, as they happen
     */
    public static Result run(Request r, Workspace ws, Consumer<String> progress) {
        Path planFile = ws.resolve(r.plan());
        RolloutPlan p = PlanReader.read(planFile);
        r.target().checkedName(); // a bad name is refused before a registry is opened or a router started
        try (Registry reg = p.model().isEmpty() ? null : r.registry().open(ws);
             TrafficRouter router = io.modelgate.rollout.Routers.forPlan(p);
             PrometheusMetrics prometheus = p.metrics().type().equals("prometheus") ? new PrometheusMetrics(p.metrics()) : null) {
            // The router's own counters, unless the plan reads them from Prometheus.
            MetricsProvider metrics = prometheus != null ? prometheus : (MetricsProvider) router;
            RolloutOutcomes outcomes = RolloutOutcomes.NONE;
            if (reg != null) {
                RegistryOutcomes o = new RegistryOutcomes(reg, at -> r.registry().actor(ws, at));
                o.check(p, r.overrideReject());
                outcomes = o;
            }
            progress.accept("Canary router: " + router.describe()
                    + (router instanceof EmbeddedRouter e ? " at " + e.baseUrl() + " (send the model's traffic there)" : ""));
            Rollout rollout = new Rollout(p, router, metrics, Judges.forPlan(p), r.target().store(ws, reg, r.registry()),
                    outcomes, progress);
            RolloutState end = r.retry() ? rollout.retry() : rollout.run();
            Path page = CanaryReport.write(end, "Canary rollout of " + planFile.getFileName(),
                    r.reportDir().map(ws::resolve).orElseGet(ws::reportDir));
            progress.accept("Report: " + page.toUri());
            return new Result(end, page);
        }
    }
}
