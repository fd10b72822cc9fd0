package io.modelgate.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer killed with SIGKILL at a random moment leaves the registry consistent: the last change
 * happened completely or not at all, and the next process can still change the registry.
 */
class RegistryCrashIT {
    private static final int VERSIONS = 5;
    private static final String MODEL = "churn";
    private static final Pattern ONCE = Pattern.compile("decision=(\\w+) ms=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void aWriterKilledMidPromotionLeavesTheRegistryConsistentAndWritable() throws Exception {
        Path registry = dir.resolve("registry");
        register(registry);
        Path logs = dir.resolve("logs");
        Random random = new Random();
        long eventsBefore = events(registry);
        for (int round = 0; round < 5; round++) {
            Process looper = WorkerProcesses.worker(logs, "loop" + round, "loop", registry.toString(),
                    dir.resolve("cache").toString(), MODEL, String.valueOf(VERSIONS));
            int killAfter = 200 + random.nextInt(1300);
            try {
                awaitStarted(logs, "loop" + round, looper);
                Thread.sleep(killAfter);
                assertThat(looper.isAlive()).as("the looping writer still runs: %s",
                        WorkerProcesses.err(logs, "loop" + round)).isTrue();
            } finally {
                looper.destroyForcibly(); // SIGKILL on Linux
                looper.waitFor(30, TimeUnit.SECONDS);
            }
            Path lock = registry.resolve(GitStore.refName(MODEL) + ".lock");
            boolean lockLeft = Files.exists(lock);

            long events;
            try (Registry r = Registry.open(registry.toString(), dir.resolve("cache"), RegistryWorker.config())) {
                VerifyReport report = r.verify();
                assertThat(report.problems()).as("round %d", round).isEmpty();
                events = report.events();
                assertLastChangeIsWhole(r);
            }
            assertThat(events).as("the killed writer made changes in round %d", round).isGreaterThan(eventsBefore);

            long t0 = System.nanoTime();
            int next = 1 + (int) (events % VERSIONS);
            String decision = promoteInNewProcess(logs, "after" + round, registry, RegistryWorker.version(next), "production");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("round %d: killed after %d ms, %d events, lock left behind: %s, next writer: %s in %d ms%n",
                    round, killAfter, events, lockLeft, decision, ms);
            try (Registry r = Registry.open(registry.toString(), dir.resolve("cache"), RegistryWorker.config())) {
                assertThat(r.verify().problems()).isEmpty();
                assertThat(r.state(MODEL).holders("production")).containsExactly(RegistryWorker.version(next));
                eventsBefore = r.verify().events();
            }
        }
    }

    @Test
    void aLockLeftByAKilledWriterIsClearedAndTheNextProcessWaitsForItInsteadOfGivingUp() throws Exception {
        Path registry = dir.resolve("registry");
        register(registry);
        // What a writer killed between taking and releasing the ref's lock leaves: a fresh lock file.
        Path lock = registry.resolve(GitStore.refName(MODEL) + ".lock");
        Files.writeString(lock, "0".repeat(40) + "\n", StandardCharsets.US_ASCII);
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now()));

        long t0 = System.nanoTime();
        String decision = promoteInNewProcess(dir.resolve("logs"), "after-lock", registry, "v0.0.2", "staging");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("a fresh stale lock delayed the next writer by %d ms%n", ms);
        assertThat(decision).isEqualTo("Change");
        assertThat(ms).as("waited for the lock to count as stale (10 s)").isGreaterThanOrEqualTo(9_000);
        assertThat(lock).doesNotExist();
        try (Registry r = Registry.open(registry.toString(), dir.resolve("cache"), RegistryWorker.config())) {
            assertThat(r.verify().problems()).isEmpty();
            assertThat(r.state(MODEL).holders("staging")).containsExactly("v0.0.2");
        }
    }

    private void register(Path registry) throws Exception {
        Path artifact = Files.writeString(dir.resolve("model.bin"), "weights");
        try (Registry r = Registry.open(registry.toString(), dir.resolve("cache"), RegistryWorker.config())) {
            for (int i = 1; i <= VERSIONS; i++) {
                r.register(new Registry.Registration(MODEL, artifact, "", RegistryWorker.version(i), "patch", "",
                        java.util.Map.of()), new Actor("setup", BuildInfo.NONE, Instant.now()));
            }
        }
    }

    private long events(Path registry) {
        try (Registry r = Registry.open(registry.toString(), dir.resolve("cache"), RegistryWorker.config())) {
            return r.verify().events();
        }
    }

    /** Runs one promotion in a new process and returns its decision (Change, Unchanged or Refusal). */
    private String promoteInNewProcess(Path logs, String name, Path registry, String version, String stage)
            throws Exception {
        Process p = WorkerProcesses.worker(logs, name, "once", registry.toString(), dir.resolve("cache").toString(),
                MODEL, version, stage);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the next writer finished").isTrue();
            assertThat(p.exitValue()).as(WorkerProcesses.err(logs, name)).isZero();
        } finally {
            p.destroyForcibly();
        }
        Matcher m = ONCE.matcher(WorkerProcesses.out(logs, name));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static void awaitStarted(Path logs, String name, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!WorkerProcesses.out(logs, name).contains("started")) {
            assertThat(p.isAlive()).as("worker died: %s", WorkerProcesses.err(logs, name)).isTrue();
            assertThat(System.nanoTime()).as("worker started in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * The head commit's state.json and the records of the versions its event names agree: the
     * promoted version is in the stage by both, and the versions it displaced are archived by both.
     */
    private static void assertLastChangeIsWhole(Registry r) {
        List<AuditEntry> last = r.history(MODEL, 1);
        RegistryEvent e = last.get(0).event();
        ModelState state = r.state(MODEL);
        assertThat(state.seq()).isEqualTo(e.seq());
        if (e.type() == EventType.PROMOTE) {
            assertThat(state.holders(e.stage())).contains(e.version());
            assertThat(r.version(MODEL, e.version()).stage()).isEqualTo(e.stage());
            for (String d : e.displaced()) {
                assertThat(state.stageOf(d)).isEmpty();
                assertThat(r.version(MODEL, d).stage()).isEqualTo("archived");
            }
        }
        for (var stage : state.stages().entrySet()) {
            for (String holder : stage.getValue()) {
                assertThat(r.version(MODEL, holder).stage()).as("%s's record", holder).isEqualTo(stage.getKey());
            }
        }
    }
}
