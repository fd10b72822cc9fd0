package io.modelgate.store;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.modelgate.store.GitFixtures.assertFsckClean;
import static io.modelgate.store.GitFixtures.commit;
import static io.modelgate.store.GitFixtures.value;
import static io.modelgate.store.LockingWriter.LINEAGE;
import static io.modelgate.store.LockingWriter.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers killed with SIGKILL — inside their lock window, and at random points of a loop of real
 * writes — leave a repository that the next writer changes within 30 s and {@code git fsck} finds
 * clean. The kills wait for states the writer reports (its locks taken, a round written), not for
 * a time.
 */
class RefStoreCrashIT {
    private static final ObjectId ZERO = ObjectId.zeroId();

    @TempDir
    Path dir;

    @Test
    void aWriterKilledWhileItHoldsTheRefTagAndPackedRefsLocksIsRecoveredByTheNextWriter() throws Exception {
        Path gitDir = dir.resolve("registry");
        ObjectId c0;
        try (RefStore store = RefStore.open(gitDir)) {
            Repository repo = store.create();
            c0 = commit(repo, ZERO, "v0.0.1");
            // An atomic update first, so that the refs live in packed-refs as in GTO tag mode.
            assertThat(store.compareAndSwap(List.of(new RefChange(MODEL, ZERO, c0),
                    new RefChange("refs/tags/churn@v0.0.1", ZERO, GitFixtures.tag(repo, "churn@v0.0.1", c0))), "setup"))
                    .isTrue();
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, commit(repo, ZERO, "lineage"))),
                    "setup")).isTrue();
        }
        String tag = "refs/tags/churn@v0.0.2";
        Writer holder = writer("hold", gitDir.toString(), MODEL, tag, LINEAGE);
        List<Path> locks = List.of(gitDir.resolve(MODEL + ".lock"), gitDir.resolve(tag + ".lock"),
                gitDir.resolve(LINEAGE + ".lock"), gitDir.resolve("packed-refs.lock"));
        try {
            awaitOutput(holder, "locked");
            for (Path lock : locks) {
                assertThat(lock).as("held by the writer").exists();
            }
        } finally {
            holder.process().destroyForcibly(); // SIGKILL on Linux: no shutdown hook removes the locks
            assertThat(holder.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        for (Path lock : locks) {
            assertThat(lock).as("left behind by the killed writer").exists();
        }

        long t0 = System.nanoTime();
        try (RefStore store = RefStore.open(gitDir)) {
            Repository repo = store.create();
            ObjectId c1 = commit(repo, c0, "v0.0.2");
            ObjectId t1 = GitFixtures.tag(repo, "churn@v0.0.2", c1);
            assertThat(store.compareAndSwap(List.of(new RefChange(MODEL, c0, c1), new RefChange(tag, ZERO, t1)),
                    "register v0.0.2")).isTrue();
            ObjectId lineage = value(repo, LINEAGE);
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, lineage, commit(repo, lineage, "after"))),
                    "record")).isTrue();
            assertThat(value(repo, MODEL)).isEqualTo(c1);
            assertThat(value(repo, tag)).isEqualTo(t1);
            assertThat(value(repo, "refs/tags/churn@v0.0.1")).as("packed refs kept").isNotEqualTo(ZERO);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.printf("locks of a killed writer recovered in %d ms%n", took.toMillis());
        assertThat(took).as("fresh locks wait to be watched stale (10 s), within the 30 s bound")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(9)).isLessThan(Duration.ofSeconds(30));
        for (Path lock : locks) {
            assertThat(lock).doesNotExist();
        }
        assertFsckClean(gitDir);
    }

    @Test
    void aWriterKilledAtRandomPointsOfRealWritesLeavesAWholeRepository() throws Exception {
        Path gitDir = dir.resolve("registry");
        try (RefStore store = RefStore.open(gitDir)) {
            store.create();
        }
        Random random = new Random();
        for (int round = 0; round < 4; round++) {
            int rounds = 5 + random.nextInt(60);
            Writer looper = writer("loop", gitDir.toString());
            try {
                awaitOutput(looper, "written " + rounds + "\n");
            } finally {
                looper.process().destroyForcibly();
                assertThat(looper.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            long t0 = System.nanoTime();
            try (RefStore store = RefStore.open(gitDir)) {
                Repository repo = store.create();
                assertWhole(repo);
                ObjectId old = value(repo, MODEL);
                ObjectId next = commit(repo, old, "after kill " + round);
                String tag = "refs/tags/churn@v9.0." + round;
                assertThat(store.compareAndSwap(List.of(new RefChange(MODEL, old, next),
                        new RefChange(tag, ZERO, GitFixtures.tag(repo, tag.substring(10), next))), "after")).isTrue();
                ObjectId lineage = value(repo, LINEAGE);
                assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, lineage,
                        commit(repo, lineage, "after kill " + round))), "after")).isTrue();
                assertWhole(repo);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("round %d: killed after %d writes; the next writer took %d ms%n", round, rounds,
                    took.toMillis());
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertFsckClean(gitDir);
        }
    }

    /** Every tag names a commit of the model's history, which is one line of parents back to its first commit. */
    private static void assertWhole(Repository repo) throws IOException {
        Set<ObjectId> history = new HashSet<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (RevCommit c = walk.parseCommit(value(repo, MODEL)); ; c = walk.parseCommit(c.getParent(0))) {
                history.add(c.copy());
                assertThat(c.getParentCount()).isLessThanOrEqualTo(1);
                if (c.getParentCount() == 0) {
                    break;
                }
            }
            for (Ref t : repo.getRefDatabase().getRefsByPrefix("refs/tags/")) {
                RevObject o = walk.parseAny(t.getObjectId());
                assertThat(o).isInstanceOf(RevTag.class);
                assertThat(history).as(t.getName()).contains(((RevTag) o).getObject().copy());
            }
        }
    }

    private record Writer(Process process, Path out, Path err) {
    }

    private Writer writer(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                LockingWriter.class.getName()));
        command.addAll(List.of(args));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path out = Files.createTempFile(logs, args[0], ".out");
        Path err = logs.resolve(out.getFileName() + ".err");
        return new Writer(new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start(),
                out, err);
    }

    /** Waits until the writer has printed {@code text}: the state to kill it in. */
    private static void awaitOutput(Writer w, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(w.out(), StandardCharsets.UTF_8).contains(text)) {
            assertThat(w.process().isAlive()).as("the writer died before '%s': %s", text.strip(),
                    Files.readString(w.err(), StandardCharsets.UTF_8)).isTrue();
            assertThat(System.nanoTime()).as("the writer reached '%s' in time", text.strip()).isLessThan(deadline);
            Thread.sleep(5); // polls for the state; the kill never depends on how long this takes
        }
    }
}
