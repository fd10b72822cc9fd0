package io.modelgate.bench;

import io.modelgate.metrics.Metric;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.MetricsCalculator;
import io.modelgate.metrics.Predictions;
import io.modelgate.metrics.PredictionsFormat;
import io.modelgate.metrics.PredictionsReader;
import io.modelgate.metrics.Task;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The gate benchmark: reads a large predictions CSV and computes the gate's metrics (overall and
 * per slice) through the real path, {@link PredictionsReader} then {@link MetricsCalculator}, and
 * compares with pandas + scikit-learn on the same file when Python has them.
 *
 * <p>It never prints: progress goes to the given consumer, and the figures come back as a
 * {@link BenchmarkResult}.
 */
public final class GateBenchmark {
    public static final long DEFAULT_ROWS = 10_000_000L;
    static final long SEED = 0x6d6f64656c676174L;
    static final String[] REGIONS = {"US", "DE", "FR", "GB", "IN", "BR", "JP", "CA", "AU", "MX"};
    private static final double[] REGION_WEIGHT = {0.25, 0.12, 0.10, 0.10, 0.12, 0.08, 0.08, 0.06, 0.05, 0.04};
    private static final double THRESHOLD = 0.5;
    private static final String PEER_SCRIPT = "scripts/bench/peer_gate.py";

    private GateBenchmark() {
    }

    /** Runs the benchmark, generating {@code workDir/gate-bench-<rows>.csv} if absent; peer found automatically. */
    public static BenchmarkResult run(Path workDir, long rows, Consumer<String> progress) {
        return run(workDir, rows, findPeerScript(), progress);
    }

    /**
     * @param peerScript the pandas + scikit-learn script, {@code scripts/bench/peer_gate.py}; when empty
     *                   the peer is not run
     */
    public static BenchmarkResult run(Path workDir, long rows, Optional<Path> peerScript, Consumer<String> progress) {
        if (rows < 1 || rows > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("rows must be between 1 and " + (Integer.MAX_VALUE - 16));
        }
        try {
            Files.createDirectories(workDir);
            Path file = workDir.resolve("gate-bench-" + rows + ".csv");
            if (!Files.isRegularFile(file) || Files.size(file) == 0) {
                progress.accept("generating " + file + " (" + rows + " rows, seed " + Long.toHexString(SEED) + ")");
                long t0 = System.nanoTime();
                generate(file, rows);
                progress.accept(String.format(java.util.Locale.ROOT, "generated %.1f MB in %.1f s",
                        Files.size(file) / 1e6, (System.nanoTime() - t0) / 1e9));
            } else {
                progress.accept("using " + file);
            }
            BenchmarkResult ours = measure(file, progress);
            PeerResult peer = peerScript.map(script -> runPeer(script, file, progress))
                    .orElseGet(() -> PeerResult.notRun(PEER_SCRIPT + " not found (run from the project directory)"));
            return new BenchmarkResult(ours.file(), ours.rows(), ours.fileBytes(), ours.parseSeconds(),
                    ours.computeSeconds(), ours.intervalSeconds(), ours.peakHeapBytes(), ours.maxHeapBytes(), ours.threads(), ours.rocAuc(),
                    ours.logLoss(), ours.accuracy(), ours.slices(), peer, Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parse + compute on {@code file}, timed, with the heap sampled while it runs. */
    static BenchmarkResult measure(Path file, Consumer<String> progress) throws IOException {
        PredictionsFormat format = new PredictionsFormat("label", "score", List.of("region"), Task.CLASSIFICATION);
        System.gc();
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        progress.accept("reading " + file.getFileName() + " with PredictionsReader");
        long t0 = System.nanoTime();
        Predictions predictions = PredictionsReader.read(file, format);
        long t1 = System.nanoTime();
        progress.accept("computing metrics with MetricsCalculator");
        MetricSet metrics = MetricsCalculator.compute(predictions, THRESHOLD);
        long t2 = System.nanoTime();
        progress.accept("computing every metric's interval with Uncertainty");
        io.modelgate.metrics.Uncertainty.estimate(predictions, THRESHOLD, 0.95, 1);
        long t3 = System.nanoTime();
        long peak = sampler.finish();
        progress.accept(String.format(java.util.Locale.ROOT, "modelgate: parse %.3f s, compute %.3f s, intervals %.3f s",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
        Map<String, Double> overall = metrics.overall();
        return new BenchmarkResult(file, predictions.size(), Files.size(file), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (t3 - t2) / 1e9,
                peak, Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors(),
                overall.get(Metric.ROC_AUC.id()), overall.get(Metric.LOG_LOSS.id()),
                overall.get(Metric.ACCURACY.id()), metrics.slices().size(), PeerResult.notRun("not run yet"),
                Instant.now());
    }

    /** Samples heap in use every 2 ms on a daemon thread and keeps the maximum. */
    private static final class HeapSampler extends Thread {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;

        HeapSampler() {
            super("modelgate-bench-heap-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            long used = memory.getHeapMemoryUsage().getUsed();
            peak.accumulateAndGet(used, Math::max);
        }

        long finish() {
            sample();
            running = false;
            try {
                join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return peak.get();
        }
    }

    // ------------------------------------------------------------------ data

    /**
     * Writes a deterministic predictions CSV: {@code label,score,region}; ten regions with different
     * sizes and base rates; scores are probabilities from a noisy logistic model, six decimals.
     */
    public static void generate(Path file, long rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        SplittableRandom random = new SplittableRandom(SEED);
        double[] cumulative = new double[REGIONS.length];
        double acc = 0;
        for (int r = 0; r < REGIONS.length; r++) {
            acc += REGION_WEIGHT[r];
            cumulative[r] = acc;
        }
        byte[][] regionBytes = new byte[REGIONS.length][];
        for (int r = 0; r < REGIONS.length; r++) {
            regionBytes[r] = REGIONS[r].getBytes(StandardCharsets.US_ASCII);
        }
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[1 << 20];
            byte[] header = "label,score,region\n".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(header, 0, buf, 0, header.length);
            int n = header.length;
            for (long i = 0; i < rows; i++) {
                if (n > buf.length - 64) {
                    out.write(buf, 0, n);
                    n = 0;
                }
                double u = random.nextDouble() * acc;
                int region = 0;
                while (region < REGIONS.length - 1 && u >= cumulative[region]) {
                    region++;
                }
                double baseRate = 0.15 + 0.03 * region;
                boolean positive = random.nextDouble() < baseRate;
                double separation = 1.0 + 0.08 * region;
                double logit = Math.log(baseRate / (1 - baseRate)) + (positive ? separation : -separation) * 0.9
                        + random.nextGaussian() * 1.1;
                double p = 1.0 / (1.0 + Math.exp(-logit));
                long micros = Math.round(p * 1_000_000);
                buf[n++] = (byte) (positive ? '1' : '0');
                buf[n++] = ',';
                if (micros >= 1_000_000) {
                    buf[n++] = '1';
                    micros = 0;
                } else {
                    buf[n++] = '0';
                }
                buf[n++] = '.';
                for (long d = 100_000; d > 0; d /= 10) {
                    buf[n++] = (byte) ('0' + (micros / d) % 10);
                }
                buf[n++] = ',';
                byte[] rb = regionBytes[region];
                System.arraycopy(rb, 0, buf, n, rb.length);
                n += rb.length;
                buf[n++] = '\n';
            }
            out.write(buf, 0, n);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ------------------------------------------------------------------ peer

    /** {@code scripts/bench/peer_gate.py} in the working directory or one of its parents. */
    static Optional<Path> findPeerScript() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve(PEER_SCRIPT);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** A Python that can import pandas and sklearn: $MODELGATE_PYTHON, python3, /usr/bin/python3. */
    static Optional<String> findPython() {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("MODELGATE_PYTHON");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String python : candidates) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import pandas, sklearn")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(python);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed; try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static PeerResult runPeer(Path script, Path file, Consumer<String> progress) {
        Optional<String> python = findPython();
        if (python.isEmpty()) {
            return PeerResult.notRun("no python3 with pandas and scikit-learn (set MODELGATE_PYTHON, or install "
                    + "python3-pandas python3-sklearn)");
        }
        progress.accept("running the peer: " + python.get() + " " + script + " (pandas + scikit-learn)");
        Map<String, String> values = new HashMap<>();
        List<String> output = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            Process process = new ProcessBuilder(python.get(), script.toString(), file.toString(),
                    "--threshold", Double.toString(THRESHOLD), "--slice-column", "region")
                    .redirectErrorStream(true).start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.add(line);
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        values.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            }
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return PeerResult.notRun("the peer did not finish in 30 minutes");
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (process.exitValue() != 0 || !values.containsKey("compute_seconds")) {
                String last = output.isEmpty() ? "" : output.get(output.size() - 1);
                return PeerResult.notRun("the peer failed with exit code " + process.exitValue() + ": " + last);
            }
            PeerResult result = new PeerResult(true, python.get() + " " + script, wall,
                    number(values, "read_seconds"), number(values, "compute_seconds"), number(values, "roc_auc"),
                    number(values, "log_loss"), number(values, "accuracy"));
            progress.accept(String.format(java.util.Locale.ROOT,
                    "pandas+sklearn: read %.3f s, compute %.3f s, process wall %.3f s",
                    result.readSeconds(), result.computeSeconds(), wall));
            return result;
        } catch (IOException e) {
            return PeerResult.notRun("cannot run " + python.get() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return PeerResult.notRun("interrupted");
        }
    }

    private static double number(Map<String, String> values, String key) {
        try {
            return Double.parseDouble(values.getOrDefault(key, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
