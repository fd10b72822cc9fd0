package io.modelgate.cli;

import io.modelgate.common.Names;
import io.modelgate.demo.Demo;
import io.modelgate.demo.DemoResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on embedded defaults, with no server and nothing installed.",
                "Makes a data set, trains a baseline and a candidate model, judges the candidate with the gate, "
                        + "registers it, records its lineage, rolls it out as a canary and checks a production "
                        + "window for drift."},
        subcommands = DemoCommand.Serve.class)
final class DemoCommand extends CliCommand {
    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Workspace to run in (default: a new temporary directory).")
    Path workdir;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed for the data set (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bad-canary", description = "Make the canary fail five times as often, to see a rollback.")
    boolean badCanary;

    @Option(names = "--stages", paramLabel = "LIST", split = ",",
            description = "Run only these stages (data, train, validate, registry, lineage, canary, window, drift) in --workdir.")
    java.util.List<String> stages;

    @Override
    public Integer call() throws IOException {
        Terminal out = Terminal.out(spec);
        Inputs.checkOutputDirectory("--workdir", workdir);
        if (stages != null) {
            if (workdir == null) {
                throw new UsageException("--stages needs --workdir: the stages read and write that workspace");
            }
            Demo.runStages(workdir, seed, stages, line -> {
                out.line(line);
                out.flush();
            });
            return Main.OK;
        }
        Path dir = workdir != null ? workdir : Files.createTempDirectory("modelgate-demo-");
        out.line("Modelgate demo in " + dir.toAbsolutePath());
        DemoResult result = Demo.run(dir, seed, badCanary, line -> {
            out.line(line);
            out.flush();
        });
        out.line();
        out.line("Gate verdict: " + result.verdict().status());
        out.line("Canary: " + result.canary().phase().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + " — " + result.canary().reason());
        out.line("Drift of a production window: " + result.drift().summary());
        out.line("Open the reports: " + result.reports().index().toAbsolutePath().toUri()
                + " (gate, lineage, registry history, canary and drift pages)");
        out.line("Also written: " + result.reports().json().toAbsolutePath() + ", junit.xml, verdict.md");
        out.line();
        out.line("Registry " + dir.resolve(".modelgate/registry").toAbsolutePath() + ":");
        out.line("  " + result.model().model() + ": latest " + result.model().latest() + ", stages " + result.model().stages()
                + (result.model().aliases().isEmpty() ? "" : ", aliases " + result.model().aliases()));
        out.line("Lineage of the candidate (" + result.lineagePage().toUri() + "):");
        result.trace().forEach(line -> out.line("  " + line));
        out.line("History (newest first):");
        result.history().forEach(h -> out.line("  #" + h.event().seq() + " " + h.event().describe() + " by "
                + h.event().actor() + (h.event().reason().isEmpty() ? "" : ": " + h.event().reason())));
        out.flush();
        // The demo succeeded if it ran; a FAIL verdict is part of what it shows, not an error.
        return Main.OK;
    }

    // --version is the candidate's version here, so only -h/--help (HelpOption), no -V.
    @Command(name = "serve",
            description = {"Serve the demo's models to synthetic users, and write a canary plan for them.",
                    "Serves the production and candidate models: what a deployment gives the example Jenkinsfile's "
                            + "canary stage. Runs until --seconds pass or it is stopped."})
    static final class Serve extends CliCommand {
        /** A demo serves for minutes; a week is far beyond any use and keeps the arithmetic of deadlines exact. */
        static final long MAX_SECONDS = 7 * 24 * 3600;
        @CommandLine.Mixin
        HelpOption help;
        @Option(names = "--plan-out", required = true, paramLabel = "FILE", description = "Where to write the canary plan.")
        Path planOut;
        @Option(names = "--model", defaultValue = "churn", description = "The model's name (default: ${DEFAULT-VALUE}).")
        String model;
        @Option(names = "--version", required = true, paramLabel = "vX.Y.Z", description = "The candidate's registered version.")
        String version;
        @Option(names = "--seconds", defaultValue = "120", description = "How long the users send requests (default: ${DEFAULT-VALUE}).")
        long seconds;
        @Option(names = "--bad-canary", description = "The candidate errs five times as often as production.")
        boolean badCanary;
        @Option(names = "--seed", defaultValue = "42")
        long seed;
        @Override
        public Integer call() throws IOException, InterruptedException {
            Terminal out = Terminal.out(spec);
            // Every flag before a server starts: the model and version go into the plan (and, from there, refs).
            if (seconds <= 0 || seconds > MAX_SECONDS) {
                throw new UsageException("--seconds: expected 1 to " + MAX_SECONDS + " (a week), found " + seconds);
            }
            Names.ref("--model", model);
            Names.ref("--version", version);
            Inputs.checkOutputFile("--plan-out", planOut);
            try (io.modelgate.demo.DemoServers servers = new io.modelgate.demo.DemoServers(version, badCanary, seed)) {
                servers.servePlan(planOut, model, version, java.time.Duration.ofSeconds(seconds));
                out.line("Serving production and " + model + "@" + version + (badCanary ? " (a bad canary)" : "")
                        + " for " + seconds + " s; canary plan: " + planOut);
                out.flush();
                servers.awaitLoad(java.time.Duration.ofSeconds(seconds + 10));
            }
            return Main.OK;
        }
    }
}
