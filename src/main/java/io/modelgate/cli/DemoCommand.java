package io.modelgate.cli;

import io.modelgate.demo.Demo;
import io.modelgate.demo.DemoResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the main job on embedded defaults: make a data set, train a",
                "baseline and a candidate model, judge the candidate with the gate.",
                "Needs no server and nothing installed."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--workdir", paramLabel = "DIR",
            description = "Workspace to run in (default: a new temporary directory).")
    Path workdir;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed for the data set (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bad-canary", description = "Make the canary fail five times as often, to see a rollback.")
    boolean badCanary;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workdir != null ? workdir : Files.createTempDirectory("modelgate-demo-");
        out.println("Modelgate demo in " + dir.toAbsolutePath());
        DemoResult result = Demo.run(dir, seed, badCanary, line -> {
            out.println(line);
            out.flush();
        });
        out.println();
        out.println("Gate verdict: " + result.verdict().status());
        out.println("Canary: " + result.canary().phase().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + " — " + result.canary().reason());
        out.println("Open the reports: " + result.reports().index().toAbsolutePath().toUri()
                + " (gate, lineage, registry history and canary pages)");
        out.println("Also written: " + result.reports().json().toAbsolutePath() + ", junit.xml, verdict.md");
        out.println();
        out.println("Registry " + dir.resolve(".modelgate/registry").toAbsolutePath() + ":");
        out.println("  " + result.model().model() + ": latest " + result.model().latest() + ", stages " + result.model().stages()
                + (result.model().aliases().isEmpty() ? "" : ", aliases " + result.model().aliases()));
        out.println("Lineage of the candidate (" + result.lineagePage().toUri() + "):");
        result.trace().forEach(line -> out.println("  " + line));
        out.println("History (newest first):");
        result.history().forEach(h -> out.println("  #" + h.event().seq() + " " + h.event().describe() + " by "
                + h.event().actor() + (h.event().reason().isEmpty() ? "" : ": " + h.event().reason())));
        out.flush();
        // The demo succeeded if it ran; a FAIL verdict is part of what it shows, not an error.
        return Main.OK;
    }
}
