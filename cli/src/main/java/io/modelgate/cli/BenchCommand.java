package io.modelgate.cli;

import io.modelgate.bench.BenchmarkResult;
import io.modelgate.bench.DigestBenchmark;
import io.modelgate.bench.DigestBenchmarkResult;
import io.modelgate.bench.GateBenchmark;
import io.modelgate.bench.RegistryBenchmark;
import io.modelgate.bench.RegistryBenchmarkResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run benchmarks that print figures; see docs/performance.md.",
        subcommands = {BenchCommand.Gate.class, BenchCommand.RegistryBench.class, BenchCommand.Digest.class,
                BenchCommand.LineageBench.class, BenchCommand.CanaryStats.class, BenchCommand.DriftBench.class,
                BenchCommand.Libraries.class})
final class BenchCommand extends CommandGroup {
    /**
     * A benchmark subcommand: checks its options, runs with progress lines as they come (long benchmarks
     * show they are alive) and prints the figures.
     */
    /** Where a benchmark keeps what it generates. */
    static final class Workdir {
        @Option(names = "--workdir", paramLabel = "DIR", defaultValue = "${env:MODELGATE_BENCH_DIR:-target/bench}",
                description = "Where the generated inputs are kept and reused, and the stores built afresh "
                        + "(default: ${DEFAULT-VALUE}).")
        Path dir;
    }

    abstract static class Benchmark extends CliCommand {
        /** Runs the benchmark and returns its figures; throws {@link UsageException} for a bad option. */
        abstract String figures(Consumer<String> progress);

        @Override
        public final Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            String figures = figures(line -> {
                out.println(line);
                out.flush();
            });
            out.println(figures);
            out.flush();
            return Main.OK;
        }
    }

    @Command(name = "gate", mixinStandardHelpOptions = true,
            description = {"Time the gate on a generated predictions CSV.",
                    "The file has label, score and region (10 values); timed are parsing plus ROC AUC, log loss, "
                            + "accuracy and per-slice ROC AUC. Runs pandas + scikit-learn on the same file too when "
                            + "python3 has them, and prints both times and the ratio.",
                    "Run with MODELGATE_JAVA_OPTS=-Xmx1g to hold it to the 1 GB heap target."})
    static final class Gate extends Benchmark {
        @Option(names = "--rows", defaultValue = "10000000", description = "Rows to generate (default: ${DEFAULT-VALUE}).")
        long rows;

        @CommandLine.Mixin
        Workdir workdir;

        @Override
        String figures(Consumer<String> progress) {
            if (rows < 1) {
                throw new UsageException("--rows: must be at least 1, found " + rows);
            }
            Optional<Path> peer = Optional.ofNullable(System.getenv("MODELGATE_HOME"))
                    .map(home -> Path.of(home, "scripts", "bench", "peer_gate.py"))
                    .filter(Files::isRegularFile);
            BenchmarkResult result = peer.isPresent()
                    ? GateBenchmark.run(workdir.dir, rows, peer, progress)
                    : GateBenchmark.run(workdir.dir, rows, progress);
            return result.describe();
        }
    }

    @Command(name = "registry", mixinStandardHelpOptions = true,
            description = {"Time registry promote, show, verify, list --tag and resolve on a registry of many versions.",
                    "Builds a local registry through the Java API, then times in-process promote, show (state + "
                            + "one version record), verify and list --tag in a warm JVM, and 'modelgate registry "
                            + "promote', resolve and list as new processes."})
    static final class RegistryBench extends Benchmark {
        @Option(names = "--models", defaultValue = "100", description = "Models (default: ${DEFAULT-VALUE}).")
        int models;

        @Option(names = "--versions", defaultValue = "10000",
                description = "Versions, all models together (default: ${DEFAULT-VALUE}).")
        int versions;

        @CommandLine.Mixin
        Workdir workdir;

        @Override
        String figures(Consumer<String> progress) {
            if (models < 1 || versions < models) {
                throw new UsageException("--models must be at least 1 and --versions at least --models; found "
                        + models + " and " + versions);
            }
            RegistryBenchmarkResult result = RegistryBenchmark.run(workdir.dir, models, versions, cliCommand(),
                    progress);
            return result.describe();
        }

        /**
         * The {@code modelgate} launcher, as users run it, when this runs through it; else this JVM's java
         * and this jar; empty when not run from a jar (then the end-to-end part is skipped).
         */
        private static List<String> cliCommand() {
            String home = System.getenv("MODELGATE_HOME");
            if (home != null && Files.isExecutable(Path.of(home, "modelgate"))) {
                return List.of(Path.of(home, "modelgate").toString());
            }
            try {
                Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                String java = ProcessHandle.current().info().command().orElse(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
                return Files.isRegularFile(jar) ? List.of(java, "-jar", jar.toString()) : List.of();
            } catch (java.net.URISyntaxException | SecurityException e) {
                return List.of();
            }
        }
    }

    @Command(name = "digest", mixinStandardHelpOptions = true,
            description = {"Time SHA-256 digests of one large file and of a directory of many small files.",
                    "The large random file against 'openssl dgst -sha256' (page cache warmed first, so both measure "
                            + "hashing); the directory of many 1-20 KB files with an empty cache, again with the "
                            + "saved cache, and after one byte of one file changed."})
    static final class Digest extends Benchmark {
        @CommandLine.Mixin
        Workdir workdir;

        @Option(names = "--size-mb", defaultValue = "1024", description = "Size of the large file, MiB (default: ${DEFAULT-VALUE}).")
        int sizeMb;

        @Option(names = "--files", defaultValue = "10000", description = "Files in the directory (default: ${DEFAULT-VALUE}).")
        int files;


        @Override
        String figures(Consumer<String> progress) {
            if (sizeMb < 1 || files < 1) {
                throw new UsageException("--size-mb and --files must be at least 1; found " + sizeMb + " and " + files);
            }
            DigestBenchmarkResult result = DigestBenchmark.run(workdir.dir, sizeMb, files, progress);
            return result.describe();
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = {"Time lineage trace and impact on a store of many records.",
                    "Builds a lineage store of many records (a daily prepare-and-train pipeline) and times "
                            + "trace --model and impact in-process."})
    static final class LineageBench extends Benchmark {
        @Option(names = "--records", defaultValue = "10000", description = "Records (default: ${DEFAULT-VALUE}).")
        int records;

        @CommandLine.Mixin
        Workdir workdir;

        @Override
        String figures(Consumer<String> progress) {
            if (records < 2) {
                throw new UsageException("--records: must be at least 2, found " + records);
            }
            var result = io.modelgate.bench.LineageBenchmark.run(workdir.dir, records, progress);
            return result.describe();
        }
    }

    @Command(name = "canary-stats", mixinStandardHelpOptions = true,
            description = {"Simulate canaries to measure the canary judges' statistics.",
                    "False rollbacks of A/A canaries judged at every interval (sequential relative-risk judge vs a "
                            + "peeked-at fixed-horizon z-test), and requests until the sequential judge rolls back a "
                            + "worse canary vs the sample size of a fixed-horizon test with 90%% power and vs Wald's "
                            + "SPRT for the true effect. Seeded; see docs/performance.md."})
    static final class CanaryStats extends Benchmark {
        @Option(names = "--runs", defaultValue = "2000", description = "Simulated canaries per row (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--seed", defaultValue = "20240501", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        String figures(Consumer<String> progress) {
            if (runs < 1) {
                throw new UsageException("--runs: must be at least 1, found " + runs);
            }
            var result = io.modelgate.bench.CanaryStatsBenchmark.run(runs, seed, progress);
            return result.describe();
        }
    }

    @Command(name = "drift", mixinStandardHelpOptions = true,
            description = {"Time 'modelgate drift' on generated reference and current CSVs of the same size.",
                    "Both files read and every column judged (Wasserstein / Jensen-Shannon defaults), each run in a "
                            + "fresh JVM; prints every run and their median. Runs SciPy on the same columns too when "
                            + "python3 has it, and prints its time for the statistics alone."})
    static final class DriftBench extends Benchmark {
        @CommandLine.Mixin
        Workdir workdir;

        @Option(names = "--rows", defaultValue = "1000000", description = "Rows in each file (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--columns", defaultValue = "20", description = "Columns (default: ${DEFAULT-VALUE}).")
        int columns;


        @Option(names = "--runs", defaultValue = "5", description = "Cold runs, each in a fresh JVM (default: ${DEFAULT-VALUE}).")
        int runs;

        @Override
        String figures(Consumer<String> progress) {
            if (rows < 10 || columns < 1) {
                throw new UsageException("--rows must be at least 10 and --columns at least 1; found " + rows + " and " + columns);
            }
            if (runs < 1) {
                throw new UsageException("--runs must be at least 1; found " + runs);
            }
            var result = io.modelgate.bench.DriftBenchmark.run(workdir.dir, rows, columns, runs, progress);
            return result.describe();
        }
    }
    @Command(name = "libraries", mixinStandardHelpOptions = true,
            description = {"Time each hand-written piece against the well-kept library that could replace it.",
                    "CSV readers vs commons-csv, DoubleParser vs Double.parseDouble, RadixSort vs Arrays.sort, "
                            + "Suggest vs commons-text, the KS and chi-square tests vs Commons Statistics, "
                            + "DatasetDigester vs MessageDigest; checks both give the same answer. "
                            + "See docs/architecture.md."})
    static final class Libraries extends Benchmark {
        @CommandLine.Mixin
        Workdir workdir;

        @Option(names = "--rows", defaultValue = "1000000",
                description = "Rows of the predictions CSV and values to parse and sort (default: ${DEFAULT-VALUE}).")
        int rows;

        @Option(names = "--rounds", defaultValue = "5", description = "Timed rounds of each side (default: ${DEFAULT-VALUE}).")
        int rounds;


        @Override
        String figures(Consumer<String> progress) {
            if (rows < 100 || rounds < 1) {
                throw new UsageException("--rows must be at least 100 and --rounds at least 1; found " + rows + " and " + rounds);
            }
            var result = io.modelgate.bench.LibraryBenchmark.run(workdir.dir, rows, rounds, progress);
            return result.describe();
        }
    }
}
