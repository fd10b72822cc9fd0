package io.modelgate.cli;

import io.modelgate.bench.BenchmarkResult;
import io.modelgate.bench.GateBenchmark;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures; see docs/performance.md.",
        subcommands = {BenchCommand.Gate.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "gate", mixinStandardHelpOptions = true,
            description = {"Time the gate on a generated predictions CSV (label, score, region with 10 values):",
                    "parsing plus ROC AUC, log loss, accuracy and per-slice ROC AUC. Runs pandas + scikit-learn",
                    "on the same file too when python3 has them, and prints both times and the ratio.",
                    "Run with MODELGATE_JAVA_OPTS=-Xmx1g to hold it to the 1 GB heap target."})
    static final class Gate implements Callable<Integer> {
        @Option(names = "--rows", defaultValue = "10000000", description = "Rows to generate (default: ${DEFAULT-VALUE}).")
        long rows;

        @Option(names = "--workdir", paramLabel = "DIR", defaultValue = "${env:MODELGATE_BENCH_DIR:-target/bench}",
                description = "Where the generated file is kept and reused (default: ${DEFAULT-VALUE}).")
        Path workdir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (rows < 1) {
                throw new UsageException("--rows: must be at least 1, found " + rows);
            }
            Optional<Path> peer = Optional.ofNullable(System.getenv("MODELGATE_HOME"))
                    .map(home -> Path.of(home, "scripts", "bench", "peer_gate.py"))
                    .filter(Files::isRegularFile);
            BenchmarkResult result = peer.isPresent()
                    ? GateBenchmark.run(workdir, rows, peer, line -> progress(out, line))
                    : GateBenchmark.run(workdir, rows, line -> progress(out, line));
            out.println(result.describe());
            out.flush();
            return Main.OK;
        }

        private static void progress(PrintWriter out, String line) {
            out.println(line);
            out.flush();
        }
    }
}
