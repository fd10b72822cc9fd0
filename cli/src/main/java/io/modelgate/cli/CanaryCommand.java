package io.modelgate.cli;

import io.modelgate.rollout.RolloutState;
import io.modelgate.rollout.RolloutTarget;
import io.modelgate.step.CanaryRun;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "canary", mixinStandardHelpOptions = true,
        description = {"Roll a new model version out step by step, then promote it or roll it back.",
                "Shifts traffic to the new version step by step and judges it against the stable version while "
                        + "it runs. See docs/canary.md."},
        subcommands = {CanaryCommand.Run.class, CanaryCommand.Resume.class, CanaryCommand.Retry.class,
                CanaryCommand.Status.class, CanaryCommand.Abort.class, CanaryCommand.Promote.class})
final class CanaryCommand extends CommandGroup {
    /** Which rollout, as every canary subcommand names it. */
    static final class Where {
        @Option(names = "--name", paramLabel = "NAME", description = "The rollout's name (default: the plan file's name).")
        String name;
        @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = ".modelgate/canary",
                description = "Where rollout state is kept without a registry (default: ${DEFAULT-VALUE}).")
        Path stateDir;

        RolloutTarget target(Path plan) {
            return new RolloutTarget(Optional.ofNullable(plan), Optional.ofNullable(name), stateDir);
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

        abstract boolean resume();

        boolean retry() {
            return false;
        }

        @Override
        public Integer call() {
            Terminal out = Terminal.out(spec);
            Terminal log = json ? Terminal.err(spec) : out; // with --json, standard output stays one JSON document
            CanaryRun.Result r = CanaryRun.run(new CanaryRun.Request(plan, where.target(plan), registry.access(),
                    Optional.ofNullable(reportDir), resume(), overrideReject, retry()), Main.invocation(spec).workspace(), line -> {
                        log.line(line);
                        log.flush();
                    });
            if (json) {
                out.raw().println(r.json());
            }
            out.flush();
            log.flush();
            return r.exitCode();
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Run a rollout, or go on with one after a crash.",
                    "Exit 0 promoted, 1 rolled back, 2 bad plan, 3 router or metrics unreachable or another runner "
                            + "holds the rollout, 5 paused for a person."})
    static final class Run extends Runs {
        @Override
        boolean resume() {
            return false;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Go on with a paused or stalled rollout.")
    static final class Resume extends Runs {
        @Override
        boolean resume() {
            return true;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = {"Run a rolled-back rollout again from its first step, as a new run.",
                    "A canary its rollback rejected in the registry is refused unless --override-reject REASON."})
    static final class Retry extends Runs {
        @Override
        boolean resume() {
            return false;
        }

        @Override
        boolean retry() {
            return true;
        }
    }

    /** A command about a rollout that may be running in another process. */
    abstract static class OnRollout extends CliCommand {
        @Option(names = "--plan", paramLabel = "FILE",
                description = "The rollout plan: names the rollout, its registry and its router.")
        Path plan;
        @CommandLine.Mixin
        Where where;
        @CommandLine.Mixin
        RegistryCommand.RegistryOptions registry;
        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        /** Prints what an abort or a promotion did: a line, or its JSON. */
        int print(String verb, RolloutTarget.Acted a) throws com.fasterxml.jackson.core.JsonProcessingException {
            Terminal out = Terminal.out(spec);
            if (json) {
                out.raw().println(io.modelgate.common.RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(a));
            } else {
                out.line(verb + ": " + a.state() + ": " + a.what());
            }
            out.flush();
            return Main.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show where a rollout stands: running, stalled (its runner stopped writing for 3 intervals), "
                    + "paused, promoted or rolled back."})
    static final class Status extends OnRollout {
        @Override
        public Integer call() {
            RolloutState s = where.target(plan).status(Main.invocation(spec).workspace(), registry.access());
            Terminal out = Terminal.out(spec);
            if (json) {
                out.raw().println(CanaryRun.json(s));
            } else {
                Instant now = Instant.now();
                out.line(s.condition(now) + " at step " + (s.step() + 1) + ", " + s.failures() + " failed analyses, updated "
                        + s.updatedAt() + (s.reason().isEmpty() ? "" : ": " + s.reason()));
                if (!s.owner().isEmpty() && !s.phase().done()) {
                    out.line((s.stalled(now) ? "its runner " + s.owner() + " has written nothing for "
                            + java.time.Duration.between(s.updatedAt(), now).toSeconds() + " s; traffic stays where it was "
                            + "until 'canary resume' or 'canary abort --plan'" : "run by " + s.owner()) + " (run " + s.runId() + ")");
                }
                Optional.ofNullable(s.intervals().isEmpty() ? null : s.intervals().get(s.intervals().size() - 1))
                        .ifPresent(i -> out.line("last analysis " + i.at() + ": " + i.weight() + "% canary, stable "
                                + i.stable().requests() + " req, canary " + i.canary().requests() + " req -> " + i.decision()));
            }
            out.flush();
            return Main.OK;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = {"Promote a rollout now, skipping its remaining steps and analyses (--full): a running one is "
                    + "asked (its runner acts within a second), a paused or stalled one is promoted from here (give --plan).",
                    "Exit 2 when there is no such rollout or it has ended."})
    static final class Promote extends OnRollout {
        @Option(names = "--full", required = true, description = "All traffic to the canary now (the only promotion there is).")
        boolean full;
        @Option(names = "--reason", required = true, description = "Why; recorded with the promotion.")
        String reason;

        @Override
        public Integer call() throws com.fasterxml.jackson.core.JsonProcessingException {
            return print("Promote", where.target(plan).promoteFull(Main.invocation(spec).workspace(), registry.access(), reason));
        }
    }

    @Command(name = "abort", mixinStandardHelpOptions = true,
            description = {"Roll a rollout back: a running one is asked (its runner acts within a second), a paused or "
                    + "stalled one is rolled back from here (give --plan: traffic to stable, the canary rejected).",
                    "Exit 2 when there is no such rollout or it has ended."})
    static final class Abort extends OnRollout {
        @Option(names = "--reason", defaultValue = "aborted by a person", description = "Why.")
        String reason;

        @Override
        public Integer call() throws com.fasterxml.jackson.core.JsonProcessingException {
            return print("Abort", where.target(plan).abort(Main.invocation(spec).workspace(), registry.access(), reason));
        }
    }
}
