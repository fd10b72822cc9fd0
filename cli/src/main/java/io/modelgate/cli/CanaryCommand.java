package io.modelgate.cli;

import io.modelgate.common.Names;
import io.modelgate.common.RecordJson;
import io.modelgate.registry.Actor;
import io.modelgate.registry.Registry;
import io.modelgate.rollout.EmbeddedRouter;
import io.modelgate.rollout.HaproxyRouter;
import io.modelgate.rollout.MetricsProvider;
import io.modelgate.rollout.PrometheusMetrics;
import io.modelgate.rollout.TrafficRouter;
import io.modelgate.rollout.Judges;
import io.modelgate.rollout.PlanReader;
import io.modelgate.rollout.RegistryOutcomes;
import io.modelgate.rollout.Rollout;
import io.modelgate.rollout.RolloutOutcomes;
import io.modelgate.rollout.RolloutPlan;
import io.modelgate.rollout.RolloutState;
import io.modelgate.rollout.StateFile;
import io.modelgate.rollout.RolloutStore;
import io.modelgate.rollout.RegistryRolloutStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

@Command(name = "canary", mixinStandardHelpOptions = true,
        description = {"Roll a new model version out step by step, then promote it or roll it back.",
                "Shifts traffic to the new version step by step and judges it against the stable version while "
                        + "it runs. See docs/canary.md."},
        subcommands = {CanaryCommand.Run.class, CanaryCommand.Resume.class, CanaryCommand.Status.class,
                CanaryCommand.Abort.class})
final class CanaryCommand extends CommandGroup {
    /** Paused for a person: an inconclusive analysis and a plan that says so. */
    static final int PAUSED = 5;

    static final class Where {
        /** The command this mixin belongs to: the way to its invocation. */
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec mixee;

        @Option(names = "--name", paramLabel = "NAME", description = "The rollout's name (default: the plan file's name).")
        String name;
        @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".modelgate/canary",
                description = "Where rollout state is kept (default: ${DEFAULT-VALUE}).")
        Path stateDir;

        /**
         * The rollout's name, which becomes a file in the state folder and a ref under
         * {@code refs/modelgate/rollouts/}: letters, digits, {@code . _ -} ({@link Names#segment}), so
         * {@code --name ../../tmp/x} is refused before anything is written.
         */
        String name(Path plan) {
            if (name != null) {
                return Names.segment("--name", name);
            }
            String n = plan == null ? "" : plan.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            if (n.isBlank()) {
                throw new UsageException("give --name or --plan to say which rollout");
            }
            return Names.segment("the rollout name from the plan's file name (give --name)", n);
        }

        StateFile state(Path plan) {
            return new StateFile(stateDir, name(plan));
        }

        /** The registry's store when the plan names a model (every agent sharing it sees the rollout), else a file. */
        RolloutStore store(Path plan, Registry registry, RegistryCommand.RegistryOptions options) {
            Map<String, String> env = Main.invocation(mixee).env();
            return registry == null ? state(plan) : new RegistryRolloutStore(registry, name(plan), at -> Actor.fromEnvironment(
                    env, options.actor, System.getProperty("user.name", ""), at));
        }

        /** The registry, when a plan is given and names a model; null otherwise. */
        static Registry registryFor(Path plan, RegistryCommand.RegistryOptions options) {
            return plan != null && !PlanReader.read(plan).model().isEmpty() ? options.open() : null;
        }
    }

    abstract static class Runs extends CliCommand {
        @Option(names = "--plan", required = true, paramLabel = "FILE", description = "The rollout plan (YAML).")
        Path plan;
        @CommandLine.Mixin
        Where where;
        @CommandLine.Mixin
        RegistryCommand.RegistryOptions registry;
        @Option(names = "--json", description = "Print the final state as JSON.")
        boolean json;
        @Option(names = "--override-reject", paramLabel = "REASON", defaultValue = "",
                description = "Canary a version that was rejected (by a rollback or a canary) all the same; the "
                        + "reason is recorded in the registry as an override event.")
        String overrideReject;
        @Option(names = "--report-dir", paramLabel = "DIR",
                description = "Where canary.html (the timeline and every analysis) and canary.json are written, "
                        + "and index.html refreshed (default: $MODELGATE_REPORT_DIR, else modelgate-reports).")
        Path reportDir;
        @Override
        public Integer call() {
            Terminal out = Terminal.out(spec);
            Terminal log = json ? Terminal.err(spec) : out; // with --json, standard output stays one JSON document
            RolloutPlan p = PlanReader.read(plan);
            where.name(plan); // a bad name is refused before a registry is opened or a router started
            Registry reg = p.model().isEmpty() ? null : registry.open();
            try (TrafficRouter router = router(p);
                 PrometheusMetrics prometheus = p.metrics().type().equals("prometheus") ? new PrometheusMetrics(p.metrics()) : null) {
                // The router's own counters, unless the plan reads them from Prometheus.
                MetricsProvider metrics = prometheus != null ? prometheus : (MetricsProvider) router;
                RolloutOutcomes outcomes = RolloutOutcomes.NONE;
                if (reg != null) {
                    Map<String, String> env = Main.invocation(spec).env();
                    RegistryOutcomes r = new RegistryOutcomes(reg, at -> Actor.fromEnvironment(env,
                            registry.actor, System.getProperty("user.name", ""), at));
                    r.check(p, overrideReject);
                    outcomes = r;
                }
                log.line("Canary router: " + router.describe()
                        + (router instanceof EmbeddedRouter e ? " at " + e.baseUrl() + " (send the model's traffic there)" : ""));
                RolloutState end = new Rollout(p, router, metrics, Judges.forPlan(p), where.store(plan, reg, registry), outcomes, line -> {
                    log.line(line);
                    log.flush();
                }).run();
                Path page = io.modelgate.report.CanaryReport.write(end, "Canary rollout of " + plan.getFileName(),
                        ValidateCommand.reportDir(reportDir, Main.invocation(spec)));
                log.line("Report: " + page.toUri());
                if (json) {
                    out.raw().println(CanaryCommand.json(end));
                }
                out.flush();
                log.flush();
                return switch (end.phase()) {
                    case PROMOTED -> Main.OK;
                    case ROLLED_BACK -> Main.FAILED;
                    case PAUSED -> PAUSED;
                    case RUNNING -> Main.INTERNAL;
                };
            } finally {
                if (reg != null) {
                    reg.close();
                }
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a rollout, or go on with one after a crash.",
                    "Exit 0 promoted, 1 rolled back, 2 bad plan, 3 router or metrics unreachable, 5 paused for a "
                            + "person."})
    static final class Run extends Runs {
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Go on with a paused rollout.")
    static final class Resume extends Runs {
    }

    /** A command about a rollout that may be running in another process: the name is checked before a registry is opened. */
    abstract static class OnRollout extends CliCommand {
        @Option(names = "--plan", paramLabel = "FILE")
        Path plan;
        @CommandLine.Mixin
        Where where;
        @CommandLine.Mixin
        RegistryCommand.RegistryOptions registry;
        @Option(names = "--json")
        boolean json;
        @Override
        public Integer call() {
            where.name(plan); // checked before a registry is opened
            try (Registry reg = Where.registryFor(plan, registry)) {
                return on(where.store(plan, reg, registry));
            }
        }

        /** The command's work on the rollout's state, wherever it is kept; returns the exit code. */
        abstract int on(RolloutStore store);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show where a rollout stands.")
    static final class Status extends OnRollout {
        @Override
        int on(RolloutStore f) {
            RolloutState s = f.load().orElseThrow(() -> new UsageException("no rollout state at " + f.describe()));
            Terminal out = Terminal.out(spec);
            if (json) {
                out.raw().println(CanaryCommand.json(s));
            } else {
                out.line(s.phase().name().toLowerCase(Locale.ROOT) + " at step " + (s.step() + 1) + ", " + s.failures()
                        + " failed analyses, updated " + s.updatedAt() + (s.reason().isEmpty() ? "" : ": " + s.reason()));
                Optional.ofNullable(s.intervals().isEmpty() ? null : s.intervals().get(s.intervals().size() - 1))
                        .ifPresent(i -> out.line("last analysis " + i.at() + ": " + i.weight() + "% canary, stable "
                                + i.stable().requests() + " req, canary " + i.canary().requests() + " req -> " + i.decision()));
            }
            out.flush();
            return Main.OK;
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = "Ask a running rollout (in any process) to roll back at its next check, within one interval.")
    static final class Abort extends OnRollout {
        @Option(names = "--reason", defaultValue = "aborted by a person", description = "Why.")
        String reason;

        @Override
        int on(RolloutStore f) {
            f.requestAbort(reason);
            Terminal out = Terminal.out(spec);
            if (json) {
                out.raw().println("{\"abort_requested\": true, \"state\": " + quote(f.describe()) + ", \"reason\": "
                        + quote(RolloutStore.abortReason(reason)) + "}");
            } else {
                out.line("Abort requested: " + f.describe() + " rolls back within one interval");
            }
            out.flush();
            return Main.OK;
        }
    }

    private static TrafficRouter router(RolloutPlan p) {
        return switch (p.router().type()) {
            case "haproxy" -> new HaproxyRouter(p.router());
            default -> new EmbeddedRouter(URI.create(p.stableUrl()), URI.create(p.canaryUrl())).start(p.router().port());
        };
    }

    private static String quote(String s) {
        try {
            return RecordJson.mapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(RolloutState s) {
        try {
            return RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
