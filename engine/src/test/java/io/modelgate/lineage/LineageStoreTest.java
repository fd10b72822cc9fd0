package io.modelgate.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LineageStoreTest {
    @TempDir
    Path dir;

    static Dataset data(String name, String digestSeed) {
        String sha = io.modelgate.common.Digests.sha256(digestSeed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return new Dataset("/ws/" + name, sha, 100, 1, List.of(), -1);
    }

    static LineageRecord run(String job, List<Dataset> in, List<Dataset> out, Map<String, String> params,
                             List<String> parents, List<String> models) {
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        return new LineageRecord("", job, "jenkins", UUID.nameUUIDFromBytes(job.getBytes()).toString(), t, t.plusSeconds(60),
                true, in, out, params, Map.of("auc", 0.9), parents, models,
                new CodeVersion("abc123", "main", "https://git.example.com/ml.git", false, ""),
                new RunEnvironment("17", "Linux", 2, Map.of(), Map.of()));
    }

    @Test
    void recordsAreContentAddressedAndStoredOnce() {
        try (LineageStore store = LineageStore.open(dir.resolve("registry"))) {
            LineageRecord r = store.save(run("prepare", List.of(data("raw.csv", "raw")), List.of(data("clean.csv", "clean")),
                    Map.of("seed", "1"), List.of(), List.of()));
            assertThat(r.id()).hasSize(64).isEqualTo(LineageStore.idOf(r, LineageStore.mapper()));
            assertThat(store.save(r).id()).isEqualTo(r.id());
            assertThat(store.find(r.id())).contains(r);
            assertThat(store.find(r.id().substring(0, 8))).contains(r);
            assertThat(store.find("abcdef12")).isEmpty();
            assertThatThrownBy(() -> store.find("xyz")).hasMessageContaining("is not a lineage record id");
        }
    }

    /** Issue 15: lineage lacked the registry's stale-lock clearing, so such a lock blocked it for good. */
    @Test
    void aStaleLineageLockLeftByAKilledWriterIsRecoveredWithin30Seconds() throws Exception {
        Path registry = dir.resolve("registry");
        try (LineageStore store = LineageStore.open(registry)) {
            store.save(run("prepare", List.of(data("raw.csv", "raw")), List.of(), Map.of(), List.of(), List.of()));
        }
        java.nio.file.Path lock = registry.resolve(LineageStore.REF + ".lock");
        java.nio.file.Files.writeString(lock, "");
        java.nio.file.Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(600)));
        long t0 = System.nanoTime();
        try (LineageStore store = LineageStore.open(registry)) {
            LineageRecord r = store.save(run("train", List.of(data("clean.csv", "clean")), List.of(), Map.of(), List.of(),
                    List.of("churn@v1.0.0-rc.1+build.7")));
            assertThat(store.find(r.id())).contains(r);
            assertThat(store.producersOfModel("churn", "v1.0.0-rc.1+build.7")).containsExactly(r.id());
        }
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(30));
        assertThat(lock).doesNotExist();
    }

    @Test
    void twoWritersAtOnceBothKeepEveryRecord() throws Exception {
        Path registry = dir.resolve("registry");
        int each = 15;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<List<String>>> writers = new java.util.ArrayList<>();
            for (String writer : List.of("a", "b")) {
                writers.add(pool.submit(() -> {
                    List<String> ids = new java.util.ArrayList<>();
                    try (LineageStore store = LineageStore.open(registry)) {
                        for (int i = 0; i < each; i++) {
                            ids.add(store.save(run(writer + i, List.of(data("in.csv", writer + i)), List.of(), Map.of(),
                                    List.of(), List.of())).id());
                        }
                    }
                    return ids;
                }));
            }
            List<String> all = new java.util.ArrayList<>();
            for (var w : writers) {
                all.addAll(w.get(120, java.util.concurrent.TimeUnit.SECONDS));
            }
            try (LineageStore store = LineageStore.open(registry)) {
                assertThat(all).hasSize(2 * each).doesNotHaveDuplicates();
                for (String id : all) {
                    assertThat(store.find(id)).as(id).isPresent();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void traceWalksUpstreamAndImpactDownstreamAcrossRuns() {
        Dataset raw = data("raw.csv", "raw");
        Dataset clean = data("clean.csv", "clean");
        Dataset model = data("model.bin", "model");
        try (LineageStore store = LineageStore.open(dir.resolve("registry"))) {
            LineageRecord prepare = store.save(run("prepare", List.of(raw), List.of(clean), Map.of(), List.of(), List.of()));
            LineageRecord train = store.save(run("train", List.of(clean), List.of(model), Map.of("lr", "0.1"),
                    List.of(), List.of("churn@v0.0.1")));
            LineageQueries q = new LineageQueries(store);

            LineageGraph trace = q.traceModel("churn", "v0.0.1");
            assertThat(trace.nodes()).extracting(LineageGraph.Node::id).contains("model:churn@v0.0.1", "run:" + train.id(),
                    "dataset:" + clean.sha256(), "run:" + prepare.id(), "dataset:" + raw.sha256());
            assertThat(trace.edges()).contains(new LineageGraph.Edge("run:" + prepare.id(), "dataset:" + clean.sha256(), "output"),
                    new LineageGraph.Edge("dataset:" + clean.sha256(), "run:" + train.id(), "input"),
                    new LineageGraph.Edge("run:" + train.id(), "model:churn@v0.0.1", "produced"));

            LineageGraph impact = q.impact(raw.sha256(), "raw.csv");
            assertThat(impact.nodes()).extracting(LineageGraph.Node::id).contains("run:" + prepare.id(), "run:" + train.id(),
                    "model:churn@v0.0.1");
            assertThat(q.impact(model.sha256(), "model.bin").nodes()).hasSize(1);
            assertThatThrownBy(() -> q.traceModel("churn", "v9.9.9")).hasMessageContaining("no lineage recorded for churn@v9.9.9");
        }
    }

    @Test
    void diffNamesChangedDataParametersAndCode() {
        LineageRecord a = run("train", List.of(data("clean.csv", "v1")), List.of(), Map.of("lr", "0.1", "depth", "3"),
                List.of(), List.of());
        LineageRecord b = new LineageRecord("", "train", "jenkins", "x", a.startedAt(), a.endedAt(), true,
                List.of(data("clean.csv", "v2")), List.of(), Map.of("lr", "0.05", "depth", "3", "l2", "1"), a.metrics(),
                List.of(), List.of(), new CodeVersion("def456", "main", a.code().remoteUrl(), true, "aa11"), a.environment());
        var diff = LineageQueries.diff(a, b);
        assertThat(diff).extracting(LineageQueries.Difference::section, LineageQueries.Difference::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("input", "/ws/clean.csv"),
                        org.assertj.core.groups.Tuple.tuple("param", "l2"),
                        org.assertj.core.groups.Tuple.tuple("param", "lr"),
                        org.assertj.core.groups.Tuple.tuple("code", "commit"),
                        org.assertj.core.groups.Tuple.tuple("code", "dirty"));
    }

    @Test
    void remoteUrlsLoseTheirCredentials() {
        assertThat(CodeCapture.sanitise("https://alice:s3cr3t@git.example.com/ml.git")).isEqualTo("https://git.example.com/ml.git");
        assertThat(CodeCapture.sanitise("https://ghp_token@github.com/o/r.git?x=1")).isEqualTo("https://github.com/o/r.git");
        assertThat(CodeCapture.sanitise("git@github.com:o/r.git")).isEqualTo("git@github.com:o/r.git");
        assertThat(CodeCapture.sanitise(null)).isEmpty();
    }

    @Test
    void aPasswordHoldingAnAtSignIsRemovedWhole() {
        assertThat(CodeCapture.sanitise("https://alice:p@ss@word@git.example.com/ml.git"))
                .isEqualTo("https://git.example.com/ml.git");
    }

    @Test
    void namesThatReachGitAreRefusedBeforeAnythingIsStored() {
        Path location = dir.resolve("registry");
        List<String> hostile = List.of("a\nModelgate-Lineage: x", "a\u0000", "a\u001b[2J", "a\u2028", "a\u202e", "",
                "x".repeat(300));
        try (LineageStore store = LineageStore.open(location)) {
            for (String h : hostile) {
                assertThatThrownBy(() -> store.save(run(h, List.of(data("a", "a")), List.of(), Map.of(), List.of(),
                        List.of()))).as(h).isInstanceOf(io.modelgate.common.ModelgateException.class).hasMessageContaining("job");
                LineageRecord r = run("train", List.of(data("a", "a")), List.of(), Map.of(), List.of(), List.of());
                assertThatThrownBy(() -> store.save(new LineageRecord("", "train", h, r.runId(), r.startedAt(), r.endedAt(),
                        true, r.inputs(), List.of(), Map.of(), Map.of(), List.of(), List.of(), r.code(), r.environment())))
                        .as(h).hasMessageContaining("namespace");
                assertThatThrownBy(() -> store.save(run("train", List.of(data("a", "a")), List.of(), Map.of(h, "1"),
                        List.of(), List.of()))).as(h).hasMessageContaining("parameter name");
                assertThatThrownBy(() -> store.save(run("train", List.of(data("a", "a")), List.of(), Map.of(), List.of(),
                        List.of(h + "@v0.0.1")))).as(h).hasMessageContaining("model");
            }
            for (String model : List.of("x.lock@v0.0.1", "../etc@v0.0.1", "churn", "churn@", "a b@v1")) {
                assertThatThrownBy(() -> store.save(run("train", List.of(data("a", "a")), List.of(), Map.of(), List.of(),
                        List.of(model)))).as(model).hasMessageContaining("model");
            }
            assertThatThrownBy(() -> store.save(run("train", List.of(new Dataset("/x", "../../x", 1, 1, List.of(), -1)),
                    List.of(), Map.of(), List.of(), List.of()))).hasMessageContaining("is not a SHA-256");
            assertThatThrownBy(() -> store.save(run("train", List.of(data("a", "a")), List.of(), Map.of(),
                    List.of("../x"), List.of()))).hasMessageContaining("parent");
        }
        assertThat(location).doesNotExist();
    }

    @Test
    void storedTextIsOneLineAndHoldsNoUrlPassword() throws Exception {
        Path location = dir.resolve("registry");
        LineageRecord r = run("train", List.of(new Dataset("s3://bucket/x.csv?X-Amz-Signature=SIGPW&a=1",
                        io.modelgate.common.Digests.sha256(new byte[]{1}), 1, 1, List.of("a\nb"), 1)), List.of(),
                Map.of("db", "postgres://u:DBPW@db/x\nsecond line"), List.of(), List.of());
        r = new LineageRecord("", r.job(), r.namespace(), r.runId(), r.startedAt(), r.endedAt(), true, r.inputs(), r.outputs(),
                r.params(), r.metrics(), List.of(), List.of(),
                new CodeVersion("abc", "main", "https://u:CODEPW@git.example.com/x.git", false, ""),
                new RunEnvironment("17", "Linux\u001b[2J", 2, Map.of(), Map.of("BUILD_URL",
                        "https://alice:BUILDPW@ci/job/x/1/")));
        LineageRecord saved;
        try (LineageStore store = LineageStore.open(location)) {
            saved = store.save(r);
            assertThat(store.find(saved.id())).contains(saved);
        }
        assertThat(saved.params().get("db")).isEqualTo("postgres://***@db/x\\nsecond line");
        assertThat(saved.environment().os()).isEqualTo("Linux\\u001b[2J");
        Process cat = new ProcessBuilder("git", "--git-dir=" + location, "cat-file", "--batch-all-objects", "--batch")
                .redirectErrorStream(true).start();
        String objects = new String(cat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(cat.waitFor()).isZero();
        assertThat(objects).contains("s3://bucket/x.csv", "git.example.com/x.git")
                .doesNotContain("SIGPW", "DBPW", "CODEPW", "BUILDPW", "Linux\u001b", "x\nsecond");
        Process fsck = new ProcessBuilder("git", "--git-dir=" + location, "fsck", "--strict").redirectErrorStream(true).start();
        String report = new String(fsck.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(fsck.waitFor()).as(report).isZero();
    }

    @Test
    void readingARegistryThatIsNotThereCreatesNothing() {
        Path location = dir.resolve("typo");
        assertThatThrownBy(() -> LineageStore.openExisting(location.toString(), dir.resolve("cache"),
                java.util.Optional.empty())).hasMessage("no registry at " + location);
        assertThat(dir.resolve("typo")).doesNotExist();
        assertThat(dir.resolve("cache")).doesNotExist();
    }
}
