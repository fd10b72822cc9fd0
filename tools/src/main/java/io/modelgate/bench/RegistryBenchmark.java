package io.modelgate.bench;

import io.modelgate.registry.Actor;
import io.modelgate.registry.BuildInfo;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The registry benchmark: builds a local registry of many models and versions through the Java
 * API, then times promotions and reads in a warm JVM, and {@code modelgate registry promote} as a
 * new process, as a pipeline step runs it.
 *
 * <p>It never prints: progress goes to the given consumer, and the figures come back as a
 * {@link RegistryBenchmarkResult}.
 */
public final class RegistryBenchmark {
    public static final int DEFAULT_MODELS = 100;
    public static final int DEFAULT_VERSIONS = 10_000;
    static final int WARM_UP = 50;
    static final int PROMOTE_SAMPLES = 200;
    static final int SHOW_SAMPLES = 1000;
    static final int CLI_RUNS = 10;
    static final int VERIFY_RUNS = 3;
    static final int LIST_SAMPLES = 20;
    /** Each version gets tag batch=N, N = its number mod this: one version in BATCHES matches a --tag filter. */
    static final int BATCHES = 100;
    private static final long SEED = 0x7265676973747279L;

    private RegistryBenchmark() {
    }

    /** Staging and production, one version each, no promotion rules: every promotion is accepted. */
    static RegistryConfig config() {
        Map<String, Integer> stages = new LinkedHashMap<>();
        stages.put("staging", 1);
        stages.put("production", 1);
        return new RegistryConfig(stages, "archived", Map.of(), false);
    }

    static String model(int i) {
        return String.format(Locale.ROOT, "model-%03d", i);
    }

    static String version(int i) {
        return "v1.0." + i;
    }

    /**
     * Runs the benchmark in {@code workDir/registry-bench} (rebuilt from scratch each time).
     *
     * @param cliCommand how to start the command line, e.g. {@code [java, -jar, modelgate.jar]}; empty
     *                   to skip the end-to-end part
     */
    public static RegistryBenchmarkResult run(Path workDir, int models, int versions, List<String> cliCommand,
                                              Consumer<String> progress) {
        if (models < 1 || versions < models) {
            throw new IllegalArgumentException("need at least one model and at least one version per model; got "
                    + models + " models and " + versions + " versions");
        }
        try {
            Files.createDirectories(workDir);
            Path registry = workDir.resolve("registry-bench");
            deleteTree(registry);
            Path artifact = Files.writeString(workDir.resolve("registry-bench-model.bin"), "weights",
                    StandardCharsets.UTF_8);
            int perModel = versions / models;
            int total = perModel * models;
            SplittableRandom random = new SplittableRandom(SEED);
            try (Registry r = Registry.open(registry.toString(), workDir.resolve("registry-bench-cache"), config())) {
                progress.accept(String.format(Locale.ROOT, "registering %d models x %d versions in %s", models,
                        perModel, registry));
                long t0 = System.nanoTime();
                for (int v = 1; v <= perModel; v++) {
                    for (int m = 0; m < models; m++) {
                        r.register(new Registry.Registration(model(m), artifact, "", version(v), "patch", "",
                                        Map.of("batch", String.valueOf(v % BATCHES))),
                                actor());
                    }
                    if (v % Math.max(1, perModel / 10) == 0) {
                        progress.accept(String.format(Locale.ROOT, "  %,d versions registered, %.1f s", v * models,
                                (System.nanoTime() - t0) / 1e9));
                    }
                }
                double buildSeconds = (System.nanoTime() - t0) / 1e9;
                long loose = looseObjects(registry);
                progress.accept(String.format(Locale.ROOT, "built in %.1f s; %,d loose objects", buildSeconds, loose));

                int[] next = new int[models];
                for (int i = 0; i < WARM_UP; i++) {
                    promoteNext(r, random.nextInt(models), next, perModel);
                }
                double[] promote = new double[PROMOTE_SAMPLES];
                for (int i = 0; i < promote.length; i++) {
                    int m = random.nextInt(models);
                    long s = System.nanoTime();
                    promoteNext(r, m, next, perModel);
                    promote[i] = (System.nanoTime() - s) / 1e6;
                }
                RegistryBenchmarkResult.Latency promoteLatency = RegistryBenchmarkResult.Latency.of(promote);
                progress.accept(String.format(Locale.ROOT, "promote: median %.2f ms", promoteLatency.median()));

                for (int i = 0; i < WARM_UP * 4; i++) {
                    show(r, model(random.nextInt(models)), version(1 + random.nextInt(perModel)));
                }
                double[] show = new double[SHOW_SAMPLES];
                for (int i = 0; i < show.length; i++) {
                    String m = model(random.nextInt(models));
                    String v = version(1 + random.nextInt(perModel));
                    long s = System.nanoTime();
                    show(r, m, v);
                    show[i] = (System.nanoTime() - s) / 1e6;
                }
                RegistryBenchmarkResult.Latency showLatency = RegistryBenchmarkResult.Latency.of(show);
                progress.accept(String.format(Locale.ROOT, "show: median %.2f ms", showLatency.median()));

                double[] verify = new double[VERIFY_RUNS];
                for (int i = 0; i < verify.length; i++) {
                    long s = System.nanoTime();
                    var report = r.verify();
                    verify[i] = (System.nanoTime() - s) / 1e6;
                    if (!report.ok() || report.models() != models) {
                        throw new IllegalStateException("verify of the benchmark registry failed: " + report.problems());
                    }
                }
                RegistryBenchmarkResult.Latency verifyLatency = RegistryBenchmarkResult.Latency.of(verify);
                progress.accept(String.format(Locale.ROOT, "verify: median %.0f ms", verifyLatency.median()));

                double[] list = new double[LIST_SAMPLES];
                int expected = total / BATCHES;
                for (int i = 0; i < list.length; i++) {
                    String batch = String.valueOf(random.nextInt(BATCHES));
                    long s = System.nanoTime();
                    Registry.Page page = r.list(new Registry.Listing(java.util.Optional.empty(),
                            java.util.Optional.empty(), Map.of("batch", batch), java.util.Optional.empty(), false, 0, 0));
                    list[i] = (System.nanoTime() - s) / 1e6;
                    if (perModel % BATCHES == 0 && page.total() != expected) {
                        throw new IllegalStateException("list --tag batch=" + batch + " found " + page.total()
                                + " versions, expected " + expected);
                    }
                }
                RegistryBenchmarkResult.Latency listLatency = RegistryBenchmarkResult.Latency.of(list);
                progress.accept(String.format(Locale.ROOT, "list --tag: median %.0f ms", listLatency.median()));

                RegistryBenchmarkResult.Latency cli = RegistryBenchmarkResult.Latency.NONE;
                RegistryBenchmarkResult.Latency cliResolve = RegistryBenchmarkResult.Latency.NONE;
                RegistryBenchmarkResult.Latency cliList = RegistryBenchmarkResult.Latency.NONE;
                String cliNote = "not run: no command to start modelgate was given";
                if (!cliCommand.isEmpty()) {
                    double[] wall = new double[CLI_RUNS];
                    List<String> example = List.of();
                    for (int i = 0; i < CLI_RUNS; i++) {
                        int m = random.nextInt(models);
                        next[m] = next[m] % perModel + 1;
                        List<String> command = new ArrayList<>(cliCommand);
                        command.addAll(List.of("registry", "promote", model(m), version(next[m]), "--to", "staging",
                                "--registry", registry.toAbsolutePath().toString(), "--actor", "bench",
                                "--config", workDir.resolve("no-modelgate.yaml").toAbsolutePath().toString()));
                        example = command;
                        wall[i] = runCli(command, workDir);
                    }
                    cli = RegistryBenchmarkResult.Latency.of(wall);
                    cliNote = String.join(" ", example.subList(0, Math.min(example.size(), cliCommand.size() + 5)))
                            + " ... (" + CLI_RUNS + " runs)";
                    progress.accept(String.format(Locale.ROOT, "cli promote: median %.0f ms", cli.median()));
                    // Only models with a version in staging resolve: the ones promoted above.
                    int[] staged = java.util.stream.IntStream.range(0, models).filter(m -> next[m] > 0).toArray();
                    cliResolve = RegistryBenchmarkResult.Latency.of(runEach(cliCommand, workDir, registry, CLI_RUNS,
                            i -> List.of("registry", "resolve", model(staged[random.nextInt(staged.length)]) + "@staging")));
                    progress.accept(String.format(Locale.ROOT, "cli resolve: median %.0f ms", cliResolve.median()));
                    cliList = RegistryBenchmarkResult.Latency.of(runEach(cliCommand, workDir, registry, CLI_RUNS / 2,
                            i -> List.of("registry", "list", "--tag", "batch=" + random.nextInt(BATCHES), "--limit", "0")));
                    progress.accept(String.format(Locale.ROOT, "cli list --tag: median %.0f ms", cliList.median()));
                }
                return new RegistryBenchmarkResult(registry, models, total, buildSeconds, loose, promoteLatency,
                        showLatency, verifyLatency, listLatency, cli, cliResolve, cliList, cliNote,
                        Runtime.getRuntime().availableProcessors(), Instant.now());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Actor actor() {
        return new Actor("bench", BuildInfo.NONE, Instant.now());
    }

    /** Promotes the model's next version to staging: a real change every time (it displaces the holder). */
    private static void promoteNext(Registry r, int m, int[] next, int perModel) {
        next[m] = next[m] % perModel + 1;
        if (!r.promote(model(m), version(next[m]), "staging", "", "bench", actor()).applied()) {
            throw new IllegalStateException("promotion of " + model(m) + "@" + version(next[m]) + " was not applied");
        }
    }

    private static void show(Registry r, String model, String version) {
        if (r.state(model).seq() < 1 || !r.version(model, version).version().equals(version)) {
            throw new IllegalStateException("read the wrong record for " + model + "@" + version);
        }
    }

    /** Runs a read-only command {@code runs} times as a new process against the benchmark registry. */
    private static double[] runEach(List<String> cliCommand, Path workDir, Path registry, int runs,
                                    java.util.function.IntFunction<List<String>> args) throws IOException {
        double[] wall = new double[runs];
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>(cliCommand);
            command.addAll(args.apply(i));
            command.addAll(List.of("--registry", registry.toAbsolutePath().toString(),
                    "--config", workDir.resolve("no-modelgate.yaml").toAbsolutePath().toString()));
            wall[i] = runCli(command, workDir);
        }
        return wall;
    }

    private static double runCli(List<String> command, Path dir) throws IOException {
        Path log = dir.resolve("registry-bench-cli.log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", command.subList(Math.min(command.size(), 1), command.size()))
                        + " did not finish in 120 s");
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (p.exitValue() != 0) {
                throw new IllegalStateException("modelgate exited with " + p.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            return ms;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static long looseObjects(Path repo) throws IOException {
        Path objects = repo.resolve("objects");
        try (Stream<Path> dirs = Files.list(objects)) {
            long n = 0;
            for (Path d : dirs.filter(d -> d.getFileName().toString().matches("[0-9a-f]{2}")).toList()) {
                try (Stream<Path> files = Files.list(d)) {
                    n += files.count();
                }
            }
            return n;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
