package io.modelgate.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Eight OS processes change the same model at once, 50 times each, through a local registry and
 * through a bare Git repository reached by a {@code file://} URL: no event is lost, every stage
 * holds at most its capacity at every commit, and plain Git accepts and reads the result.
 */
class RegistryConcurrencyIT {
    private static final int WORKERS = 8;
    private static final int OPS = 50;
    /** Through file:// each change is a fetch and an atomic push, served by the installed git. */
    private static final int REMOTE_OPS = 50;
    private static final int VERSIONS = 40;
    private static final String MODEL = "churn";
    private static final Pattern COUNTS = Pattern.compile("applied=(\\d+) unchanged=(\\d+) refused=(\\d+) failed=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void eightProcessesChangingOneLocalModelLoseNoEvent() throws Exception {
        Path registry = dir.resolve("registry");
        String location = registry.toString();
        hammer(location, registry, OPS);
        WorkerProcesses.Result fsck = WorkerProcesses.run(dir, 60, "git", "--git-dir", registry.toString(), "fsck", "--strict");
        assertThat(fsck.code()).as(fsck.out()).isZero();
    }

    @Test
    void eightProcessesChangingOneModelThroughAFileUrlLoseNoEvent() throws Exception {
        Path bare = dir.resolve("shared.git");
        WorkerProcesses.Result init = WorkerProcesses.run(dir, 60, "git", "init", "--bare", "-q", bare.toString());
        assertThat(init.code()).as(init.out()).isZero();
        hammer(bare.toUri().toString(), bare, REMOTE_OPS);
        WorkerProcesses.Result fsck = WorkerProcesses.run(dir, 60, "git", "--git-dir", bare.toString(), "fsck", "--strict");
        assertThat(fsck.code()).as(fsck.out()).isZero();
        try (Registry direct = Registry.open(bare.toString(), dir.resolve("unused"), RegistryWorker.config())) {
            VerifyReport report = direct.verify();
            assertThat(report.problems()).isEmpty();
        }
    }

    /** Registers the versions, runs the workers, and checks the history; {@code repo} is the Git directory written. */
    private void hammer(String location, Path repo, int ops) throws Exception {
        Path artifact = Files.writeString(dir.resolve("model.bin"), "weights");
        try (Registry r = Registry.open(location, dir.resolve("setup-cache"), RegistryWorker.config())) {
            for (int i = 1; i <= VERSIONS; i++) {
                assertThat(r.register(new Registry.Registration(MODEL, artifact, "", RegistryWorker.version(i), "patch",
                        "", Map.of()), new Actor("setup", BuildInfo.NONE, Instant.now())).applied()).isTrue();
            }
        }
        Path logs = dir.resolve("logs");
        List<Process> workers = new ArrayList<>();
        long applied = 0;
        long t0 = System.nanoTime();
        try {
            for (int w = 0; w < WORKERS; w++) {
                workers.add(WorkerProcesses.worker(logs, "w" + w, "mix", location, dir.resolve("cache-" + w).toString(),
                        MODEL, String.valueOf(VERSIONS), String.valueOf(ops), String.valueOf(1000 + w), "worker-" + w));
            }
            long[] totals = new long[4];
            for (int w = 0; w < WORKERS; w++) {
                Process p = workers.get(w);
                // Generous: a deadlock never finishes, while a loaded 2-core CI machine is merely slow.
                long left = Math.max(1, 600_000 - (System.nanoTime() - t0) / 1_000_000);
                assertThat(p.waitFor(left, TimeUnit.MILLISECONDS)).as("worker %d finished in time", w).isTrue();
                assertThat(p.exitValue()).as("worker %d: %s", w, WorkerProcesses.err(logs, "w" + w)).isZero();
                Matcher m = COUNTS.matcher(WorkerProcesses.out(logs, "w" + w));
                assertThat(m.find()).as("worker %d printed its counts", w).isTrue();
                for (int i = 0; i < 4; i++) {
                    totals[i] += Long.parseLong(m.group(i + 1));
                }
                assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3))
                        + Long.parseLong(m.group(4))).isEqualTo(ops);
            }
            applied = totals[0];
            System.out.printf("%s: %d workers x %d ops in %.1f s: applied %d, unchanged %d, refused %d, "
                            + "nothing to roll back %d%n", location, WORKERS, ops, (System.nanoTime() - t0) / 1e9,
                    totals[0], totals[1], totals[2], totals[3]);
            assertThat(applied).as("most operations change the registry").isGreaterThan(WORKERS * ops / 2);
        } finally {
            workers.forEach(Process::destroyForcibly);
        }

        long expectedEvents = VERSIONS + applied;
        try (Registry r = Registry.open(location, dir.resolve("check-cache"), RegistryWorker.config())) {
            VerifyReport report = r.verify();
            assertThat(report.problems()).isEmpty();
            assertThat(report.events()).isEqualTo(expectedEvents);
            List<AuditEntry> history = r.history(MODEL, 0);
            assertThat(history).hasSize((int) expectedEvents);
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).event().seq()).isEqualTo(expectedEvents - i);
            }
            assertThat(r.state(MODEL).seq()).isEqualTo(expectedEvents);
        }

        Path mirror = dir.resolve("clone.git");
        WorkerProcesses.Result clone = WorkerProcesses.run(dir, 60, "git", "clone", "-q", "--mirror", repo.toString(),
                mirror.toString());
        assertThat(clone.code()).as(clone.out()).isZero();
        WorkerProcesses.Result log = WorkerProcesses.run(dir, 60, "git", "--git-dir", mirror.toString(), "log",
                "--format=%s", GitStore.refName(MODEL));
        assertThat(log.code()).as(log.out()).isZero();
        List<String> subjects = log.out().lines().toList();
        assertThat(subjects).hasSize((int) expectedEvents);
        assertThat(subjects.get(subjects.size() - 1)).contains("v0.0.1");
        WorkerProcesses.Result plain = WorkerProcesses.run(dir, 60, "git", "clone", "-q", repo.toString(),
                dir.resolve("plain").toString());
        assertThat(plain.code()).as(plain.out()).isZero();
    }

    /**
     * Four processes create the same local registry at once, released together once each JVM is
     * up: every one of them succeeds (today's registry is made in a directory of its own and
     * renamed into place), and the registry holds all four models.
     */
    @Test
    void fourProcessesCreatingOneRegistryAtOnceAllSucceed() throws Exception {
        Path registry = dir.resolve("new/registry");
        race(registry.toString(), i -> dir.resolve("cache"));
        try (Registry r = Registry.openExisting(registry.toString(), dir.resolve("cache"), RegistryWorker.config(),
                java.util.Optional.empty())) {
            assertThat(r.models()).containsExactly("m0", "m1", "m2", "m3");
            assertThat(r.verify().problems()).isEmpty();
        }
        WorkerProcesses.Result fsck = WorkerProcesses.run(dir, 60, "git", "--git-dir", registry.toString(), "fsck", "--strict");
        assertThat(fsck.code()).as(fsck.out()).isZero();
        try (var siblings = Files.list(registry.getParent())) {
            assertThat(siblings).as("no temporary directory is left; " + errors()).containsExactly(registry);
        }
    }

    /** Four processes that share one cache folder make the same remote's cache at once: all succeed. */
    @Test
    void fourProcessesCreatingOneRemoteCacheAtOnceAllSucceed() throws Exception {
        Path bare = dir.resolve("shared.git");
        WorkerProcesses.Result init = WorkerProcesses.run(dir, 60, "git", "init", "--bare", "-q", bare.toString());
        assertThat(init.code()).as(init.out()).isZero();
        Path cacheRoot = dir.resolve("ws/.modelgate/cache");
        race(bare.toUri().toString(), i -> cacheRoot);
        try (var caches = Files.list(cacheRoot)) {
            assertThat(caches).as("one cache, no temporary directory left; " + errors()).hasSize(1);
        }
        try (Registry r = Registry.openExisting(bare.toString(), dir.resolve("unused"), RegistryWorker.config(),
                java.util.Optional.empty())) {
            assertThat(r.models()).containsExactly("m0", "m1", "m2", "m3");
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    private String errors() throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < 4; w++) {
            b.append("worker ").append(w).append(": ").append(WorkerProcesses.err(dir.resolve("race-logs"), "c" + w));
        }
        return b.toString();
    }

    private void race(String location, java.util.function.IntFunction<Path> cache) throws Exception {
        Path artifact = Files.writeString(dir.resolve("model.bin"), "weights");
        Path go = dir.resolve("go");
        Path logs = dir.resolve("race-logs");
        List<Process> workers = new ArrayList<>();
        try {
            for (int w = 0; w < 4; w++) {
                workers.add(WorkerProcesses.worker(logs, "c" + w, "create", location, cache.apply(w).toString(), "m" + w,
                        go.toString(), artifact.toString()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (int w = 0; w < 4; w++) {
                while (!WorkerProcesses.out(logs, "c" + w).contains("ready")) {
                    assertThat(workers.get(w).isAlive()).as("worker %d: %s", w, WorkerProcesses.err(logs, "c" + w)).isTrue();
                    assertThat(System.nanoTime()).as("worker %d got ready", w).isLessThan(deadline);
                    Thread.sleep(10);
                }
            }
            Files.writeString(go, "go");
            for (int w = 0; w < 4; w++) {
                Process p = workers.get(w);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("worker %d finished", w).isTrue();
                assertThat(p.exitValue()).as("worker %d: %s", w, WorkerProcesses.err(logs, "c" + w)).isZero();
                assertThat(WorkerProcesses.out(logs, "c" + w)).contains("registered=true");
            }
        } finally {
            workers.forEach(Process::destroyForcibly);
        }
    }
}
