package io.modelgate.bench;

import io.modelgate.common.Digests;
import io.modelgate.lineage.CodeVersion;
import io.modelgate.lineage.Dataset;
import io.modelgate.lineage.LineageQueries;
import io.modelgate.lineage.LineageRecord;
import io.modelgate.lineage.LineageStore;
import io.modelgate.lineage.RunEnvironment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Times {@code trace} and {@code impact} over a store of many records, in-process: the store is a
 * real Git repository built through {@link LineageStore#save}, shaped like a pipeline that runs
 * daily — a chain of data preparation runs, each reading the previous data set, and training runs
 * that read one data set and produce a model version.
 */
public final class LineageBenchmark {
    private LineageBenchmark() {
    }

    /**
     * @param records       records in the store
     * @param buildSeconds  time to build the store (one commit per record)
     * @param traceMedianMs median of {@code trace --model} on random model versions
     * @param traceP95Ms    95th percentile of it
     * @param impactMedianMs median of {@code impact} on random data sets
     * @param impactP95Ms   95th percentile of it
     * @param samples       queries timed per kind
     */
    public record Result(int records, double buildSeconds, double traceMedianMs, double traceP95Ms,
                         double impactMedianMs, double impactP95Ms, int samples) {
        public String describe() {
            return String.format(Locale.ROOT, """
                    lineage benchmark: %,d records (built in %.1f s, one commit each)
                      trace --model   median %.2f ms, p95 %.2f ms  (target <= 100 ms: %s)
                      impact          median %.2f ms, p95 %.2f ms  (target <= 100 ms: %s)
                      %d queries of each kind, in-process, warm JVM""",
                    records, buildSeconds, traceMedianMs, traceP95Ms, traceMedianMs <= 100 ? "met" : "MISSED",
                    impactMedianMs, impactP95Ms, impactMedianMs <= 100 ? "met" : "MISSED", samples);
        }
    }

    public static Result run(Path workDir, int records, Consumer<String> progress) {
        Path repo = workDir.resolve("lineage-bench-" + records);
        try {
            deleteTree(repo);
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare " + repo + ": " + e.getMessage(), e);
        }
        Random random = new Random(42);
        List<String> datasets = new ArrayList<>();
        List<String> models = new ArrayList<>();
        long start = System.nanoTime();
        try (LineageStore store = LineageStore.open(repo)) {
            Instant t = Instant.parse("2026-01-01T00:00:00Z");
            List<String> cleans = new ArrayList<>();
            for (int i = 0; i < records; i += 2) {
                int day = i / 2;
                t = t.plusSeconds(3600);
                String raw = digest("raw-" + day);
                String clean = digest("clean-" + day);
                datasets.add(raw);
                cleans.add(clean);
                store.save(record("prepare", t, List.of(raw), List.of(clean), List.of(), day));
                if (i + 1 < records) {
                    // Training reads a two-day window, so a data set affects two models.
                    List<String> window = cleans.size() > 1 ? List.of(cleans.get(day - 1), clean) : List.of(clean);
                    String m = "model" + (day % 100) + "@v0.0." + day;
                    models.add(m);
                    store.save(record("train", t.plusSeconds(600), window, List.of(digest("model-" + day)), List.of(m), day));
                }
                if ((i + 2) % 1000 == 0) {
                    progress.accept(String.format(Locale.ROOT, "  %,d records stored", i + 2));
                }
            }
            double build = (System.nanoTime() - start) / 1e9;
            LineageQueries q = new LineageQueries(store);
            int samples = 200;
            for (int i = 0; i < 20; i++) {
                traceOnce(q, models.get(random.nextInt(models.size())));
            }
            double[] trace = new double[samples];
            double[] impact = new double[samples];
            for (int i = 0; i < samples; i++) {
                long s = System.nanoTime();
                traceOnce(q, models.get(random.nextInt(models.size())));
                trace[i] = (System.nanoTime() - s) / 1e6;
                String d = datasets.get(random.nextInt(datasets.size()));
                s = System.nanoTime();
                q.impact(d, "data");
                impact[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(trace);
            Arrays.sort(impact);
            return new Result(records, build, trace[samples / 2], trace[samples * 95 / 100], impact[samples / 2],
                    impact[samples * 95 / 100], samples);
        }
    }

    private static LineageRecord record(String job, Instant t, List<String> in, List<String> out, List<String> models,
                                        int day) {
        return new LineageRecord("", job, "bench", UUID.randomUUID().toString(), t, t.plusSeconds(60), true,
                in.stream().map(LineageBenchmark::dataset).toList(), out.stream().map(LineageBenchmark::dataset).toList(),
                Map.of("day", Integer.toString(day)), Map.of(), List.of(), models, CodeVersion.NONE,
                new RunEnvironment("17", "Linux", 2, Map.of(), Map.of()));
    }

    private static void traceOnce(LineageQueries q, String model) {
        String[] nv = model.split("@", 2);
        q.traceModel(nv[0], nv[1]);
    }

    private static Dataset dataset(String sha) {
        return new Dataset("/data/" + sha.substring(0, 8) + ".csv", sha, 1000, 1, List.of(), -1);
    }

    private static String digest(String seed) {
        return Digests.sha256(seed.getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
