package io.modelgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.drift.ColumnDrift;
import io.modelgate.drift.Drift;
import io.modelgate.drift.DriftPolicy;
import io.modelgate.drift.DriftVerdict;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The drift benchmark: a reference and a current CSV of the same size (four of every five columns
 * numeric, the rest categorical with 12 values; the current window shifted in a quarter of the
 * columns), then {@link Drift#evaluate} end to end (both files read and every column judged), each
 * time in a fresh JVM as a user's {@code modelgate drift} runs, and, when python3 has SciPy, SciPy's
 * time for the same statistics on arrays. Never prints (the child's main, in the command line, does).
 */
public final class DriftBenchmark {
    static final long SEED = 0x64726966744bL;

    private DriftBenchmark() {
    }

    /**
     * The figures.
     *
     * @param seconds      wall time of {@link Drift#evaluate} (read both files + statistics), cold JVM: the
     *                     median of {@code runs}
     * @param runs         each fresh JVM's time, in the order run
     * @param scipySeconds SciPy's time for the statistics alone, NaN when it did not run
     * @param scipyNote    what ran, or why SciPy did not
     * @param maxDifference the largest difference between our and SciPy's per-column values (NaN without SciPy)
     */
    public record Result(int rows, int columns, long bytes, double seconds, List<Double> runs, int drifted, String summary,
                         double scipySeconds, double scipyReadSeconds, String scipyNote, double maxDifference,
                         int threads, Instant at) {
        public String describe() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "drift benchmark: %,d rows x %d columns, reference and current the same size"
                    + " (%.0f MB together)%n", rows, columns, bytes / 1e6));
            s.append(String.format(Locale.ROOT, "  modelgate  read both files + all statistics  %.3f s, the median of %d cold runs"
                    + "  (target <= 2 s: %s)%n", seconds, runs.size(), seconds <= 2 ? "met" : "MISSED"));
            s.append("  runs      ");
            for (double r : runs) {
                s.append(String.format(Locale.ROOT, " %.3f", r));
            }
            s.append(String.format(Locale.ROOT, " s (each a fresh JVM; %d of %d at or under 2 s)%n",
                    runs.stream().filter(r -> r <= 2).count(), runs.size()));
            s.append("  result     ").append(summary).append('\n');
            if (Double.isNaN(scipySeconds)) {
                s.append("  scipy      not run: ").append(scipyNote).append('\n');
            } else {
                s.append(String.format(Locale.ROOT, "  scipy      statistics only (arrays in memory)  %.3f s; its numpy.loadtxt read"
                        + " %.1f s (not compared)%n", scipySeconds, scipyReadSeconds));
                s.append(String.format(Locale.ROOT, "  agreement  largest difference per column %.2e%n", maxDifference));
            }
            s.append(String.format(Locale.ROOT, "  %d cores, Java %s", threads, System.getProperty("java.version")));
            return s.toString();
        }
    }

    /** Generates the files when missing, then times {@code runs} cold evaluations and SciPy. */
    public static Result run(Path workDir, int rows, int columns, int runs, Consumer<String> progress) {
        try {
            Files.createDirectories(workDir);
            Path ref = workDir.resolve("drift-ref-" + rows + "x" + columns + ".csv");
            Path cur = workDir.resolve("drift-cur-" + rows + "x" + columns + ".csv");
            for (Path p : List.of(ref, cur)) {
                if (!Files.isRegularFile(p) || Files.size(p) == 0) {
                    progress.accept("generating " + p);
                    generate(p, rows, columns, p == cur);
                } else {
                    progress.accept("using " + p);
                }
            }
            List<Double> times = new ArrayList<>();
            JsonNode v = null;
            for (int i = 1; i <= runs; i++) {
                progress.accept("running Drift.evaluate in a fresh JVM (" + i + " of " + runs + ")");
                v = coldRun(ref, cur, workDir);
                times.add(v.get("seconds").asDouble());
                progress.accept(String.format(Locale.ROOT, "modelgate: %.3f s", times.get(times.size() - 1)));
            }
            List<Double> sorted = times.stream().sorted().toList();
            int n = sorted.size();
            double seconds = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            long bytes = Files.size(ref) + Files.size(cur);
            Optional<Path> script = findPeer();
            double scipy = Double.NaN;
            double scipyRead = Double.NaN;
            double diff = Double.NaN;
            String note;
            if (script.isEmpty()) {
                note = "scripts/bench/peer_drift.py not found (run from the project directory)";
            } else {
                progress.accept("running " + script.get() + " (SciPy)");
                Path out = workDir.resolve("peer-drift.json");
                Process p = new ProcessBuilder("python3", script.get().toString(), ref.toString(), cur.toString())
                        .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    note = "python3 with numpy and scipy did not run (apt-get install python3-scipy)";
                } else {
                    JsonNode j = new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
                    scipy = j.get("stats_seconds").asDouble();
                    scipyRead = j.get("read_seconds").asDouble();
                    diff = 0;
                    for (var c : v.get("columns").properties()) {
                        diff = Math.max(diff, Math.abs(c.getValue().asDouble() - j.get("columns").get(c.getKey()).asDouble()));
                    }
                    note = "python3 " + script.get();
                }
            }
            return new Result(rows, columns, bytes, seconds, times, v.get("drifted").asInt(), v.get("summary").asText(),
                    scipy, scipyRead, note, diff,
                    Runtime.getRuntime().availableProcessors(), Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * One evaluation in a new JVM with this one's JVM options (the launcher's: class-data archive,
     * logging), as a user's {@code modelgate drift} gets: the figure includes the JIT's warm-up.
     */
    private static JsonNode coldRun(Path ref, Path cur, Path workDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DriftColdRun.class.getName(), ref.toString(), cur.toString()));
        Path out = workDir.resolve("drift-cold-run.json");
        Path err = workDir.resolve("drift-cold-run.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the cold run failed: " + String.join(" ", command) + ": "
                    + Files.readString(err, StandardCharsets.UTF_8).strip());
        }
        return new ObjectMapper().readTree(Files.readString(out, StandardCharsets.UTF_8));
    }

    /** The child's work: evaluates once; the time, the verdict's summary and each column's statistic as JSON. */
    public static String coldRun(Path ref, Path cur) throws IOException {
        long t0 = System.nanoTime();
        DriftVerdict v = Drift.evaluate(ref, cur, DriftPolicy.defaults(), Instant.now());
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectMapper json = new ObjectMapper();
        var node = json.createObjectNode().put("seconds", seconds).put("drifted", v.drifted()).put("summary", v.summary());
        var columns = node.putObject("columns");
        for (ColumnDrift c : v.columns()) {
            columns.put(c.column(), c.statistic());
        }
        return json.writeValueAsString(node);
    }

    private static Optional<Path> findPeer() {
        List<Path> candidates = new ArrayList<>();
        String home = System.getenv("MODELGATE_HOME");
        if (home != null) {
            candidates.add(Path.of(home, "scripts", "bench", "peer_drift.py"));
        }
        candidates.add(Path.of("scripts", "bench", "peer_drift.py"));
        return candidates.stream().filter(Files::isRegularFile).findFirst();
    }

    /** Columns f00..: numeric with 4 decimals (normal, or log-normal every third), every fifth categorical. */
    static void generate(Path file, int rows, int columns, boolean shifted) throws IOException {
        SplittableRandom r = new SplittableRandom(shifted ? SEED + 1 : SEED);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (BufferedWriter w = new BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII), 1 << 20)) {
            StringBuilder line = new StringBuilder(256);
            for (int c = 0; c < columns; c++) {
                line.append(c == 0 ? "" : ",").append(c % 5 == 4 ? "c" : "f").append(String.format(Locale.ROOT, "%02d", c));
            }
            w.write(line.append('\n').toString());
            for (int i = 0; i < rows; i++) {
                line.setLength(0);
                for (int c = 0; c < columns; c++) {
                    if (c > 0) {
                        line.append(',');
                    }
                    boolean shift = shifted && c % 4 == 0;
                    if (c % 5 == 4) {
                        int k = Math.min(11, (int) Math.abs(gauss(r) * (shift ? 4 : 3)));
                        line.append("cat").append(k);
                    } else {
                        double g = gauss(r) + (shift ? 0.3 : 0);
                        double v = c % 3 == 0 ? Math.exp(g) : 50 + 10 * g;
                        long scaled = Math.round(v * 10_000);
                        if (scaled < 0) {
                            line.append('-');
                            scaled = -scaled;
                        }
                        line.append(scaled / 10_000).append('.');
                        String frac = Long.toString(scaled % 10_000 + 10_000).substring(1);
                        line.append(frac);
                    }
                }
                w.write(line.append('\n').toString());
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
