package io.modelgate.store;

import io.modelgate.common.ModelgateException;
import org.eclipse.jgit.internal.storage.file.LockFile;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.modelgate.store.GitFixtures.assertFsckClean;
import static io.modelgate.store.GitFixtures.commit;
import static io.modelgate.store.GitFixtures.staleLock;
import static io.modelgate.store.GitFixtures.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one compare-and-swap, attacked with real JGit repositories and the lock files a killed
 * writer leaves: loose ref locks, tag locks, {@code packed-refs.lock}; live writers' locks; locks
 * that never go away.
 */
class RefStoreTest {
    private static final String LINEAGE = "refs/modelgate/lineage";
    private static final String MODEL = "refs/modelgate/models/churn";
    private static final String TAG = "refs/tags/churn@v0.0.2";
    private static final ObjectId ZERO = ObjectId.zeroId();

    @TempDir
    Path dir;

    private Path repoDir() {
        return dir.resolve("registry");
    }

    @Test
    void aStaleLineageLockIsRemovedAfterASecondLookAndTheWriteSucceedsWithin30Seconds() throws Exception {
        try (RefStore store = RefStore.open(repoDir())) {
            Repository repo = store.create();
            ObjectId c0 = commit(repo, ZERO, "first record");
            Path lock = staleLock(repoDir().resolve(LINEAGE + ".lock"), 3600);

            long t0 = System.nanoTime();
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c0)), "record")).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            assertThat(took).isLessThan(Duration.ofSeconds(30))
                    .as("an old lock is removed only after a second look").isGreaterThanOrEqualTo(LockPolicy.DEFAULT.recheck());
            assertThat(lock).doesNotExist();
            assertThat(value(repo, LINEAGE)).isEqualTo(c0);
        }
        assertFsckClean(repoDir());
    }

    @Test
    void staleLooseTagAndPackedRefsLocksAreAllRecoveredForAnAtomicUpdate() throws Exception {
        try (RefStore store = RefStore.open(repoDir())) {
            Repository repo = store.create();
            ObjectId c0 = commit(repo, ZERO, "register v0.0.1");
            assertThat(store.compareAndSwap(List.of(new RefChange(MODEL, ZERO, c0)), "setup")).isTrue();
            ObjectId c1 = commit(repo, c0, "register v0.0.2");
            ObjectId tag = GitFixtures.tag(repo, "churn@v0.0.2", c1);
            // What GTO tag mode leaves when killed inside JGit's PackedBatchRefUpdate: every lock it held.
            List<Path> locks = List.of(staleLock(repoDir().resolve(MODEL + ".lock"), 600),
                    staleLock(repoDir().resolve(TAG + ".lock"), 600), staleLock(repoDir().resolve("packed-refs.lock"), 600));

            long t0 = System.nanoTime();
            assertThat(store.compareAndSwap(List.of(new RefChange(MODEL, c0, c1), new RefChange(TAG, ZERO, tag)),
                    "register churn@v0.0.2")).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));

            for (Path lock : locks) {
                assertThat(lock).doesNotExist();
            }
            assertThat(value(repo, MODEL)).isEqualTo(c1);
            assertThat(value(repo, TAG)).isEqualTo(tag);
        }
        assertFsckClean(repoDir());
    }

    @Test
    void aLockJustLeftByAKilledWriterCountsAsStaleOnceWatchedUnchangedAndSoDoesOneFromTheFuture() throws Exception {
        LockPolicy quick = new LockPolicy(Duration.ofMillis(800), Duration.ofMillis(100), Duration.ofSeconds(20));
        try (RefStore store = RefStore.open(repoDir(), quick)) {
            Repository repo = store.create();
            ObjectId c0 = commit(repo, ZERO, "one");
            staleLock(repoDir().resolve(LINEAGE + ".lock"), 0);
            long t0 = System.nanoTime();
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c0)), "one")).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("watched for staleAfter")
                    .isGreaterThanOrEqualTo(quick.staleAfter());

            // A file system whose clock runs ahead of ours: by its time the lock is younger than zero.
            ObjectId c1 = commit(repo, c0, "two");
            Path future = staleLock(repoDir().resolve(LINEAGE + ".lock"), -3600);
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, c0, c1)), "two")).isTrue();
            assertThat(future).doesNotExist();
        }
    }

    @Test
    void aLockHeldForeverFailsAsExternalNamingTheLockWithinTheBound() throws Exception {
        LockPolicy bounded = new LockPolicy(Duration.ofHours(1), Duration.ofMillis(100), Duration.ofMillis(1500));
        try (RefStore store = RefStore.open(repoDir(), bounded)) {
            Repository repo = store.create();
            ObjectId c0 = commit(repo, ZERO, "one");
            ObjectId c1 = commit(repo, ZERO, "other");
            for (List<RefChange> changes : List.of(List.of(new RefChange(LINEAGE, ZERO, c0)),
                    List.of(new RefChange(MODEL, ZERO, c0), new RefChange("refs/tags/churn@v0.0.1", ZERO, c1)))) {
                Path lock = changes.size() == 1 ? repoDir().resolve(LINEAGE + ".lock") : repoDir().resolve("packed-refs.lock");
                staleLock(lock, 0);
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> store.compareAndSwap(changes, "blocked"))
                        .isInstanceOfSatisfying(StoreException.class, e -> {
                            assertThat(e.kind()).isEqualTo(ModelgateException.Kind.EXTERNAL);
                            assertThat(e.getMessage()).startsWith(lock + " is still held after 1500 ms by another writer")
                                    .contains("remove it").doesNotContain("\n");
                        });
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(took).isGreaterThanOrEqualTo(bounded.maxWait()).isLessThan(Duration.ofSeconds(10));
                assertThat(lock).as("a lock that is not stale is never removed").exists();
                Files.delete(lock);
            }
            assertThat(value(repo, LINEAGE)).isEqualTo(ZERO);
            assertThat(value(repo, MODEL)).isEqualTo(ZERO);
        }
    }

    @Test
    void theDefaultBoundIs30SecondsAndTheStaleThresholdTen() {
        assertThat(LockPolicy.DEFAULT.maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(LockPolicy.DEFAULT.staleAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(LockPolicy.DEFAULT.recheck()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aLockThatKeepsChangingIsNeverTakenForStaleEvenIfItsTimeIsOld() throws Exception {
        Path lock = repoDir().resolve(LINEAGE + ".lock");
        AtomicInteger writes = new AtomicInteger();
        // A live writer: between two looks the file changes (and claims to be an hour old every time).
        RefSwap.Pause busy = (held, millis) -> {
            try {
                Files.writeString(lock, "x".repeat(1 + writes.incrementAndGet() % 50));
                Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(3600)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Thread.sleep(millis);
        };
        LockPolicy policy = new LockPolicy(Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofSeconds(2));
        try (RefStore store = RefStore.open(repoDir(), policy, busy)) {
            Repository repo = store.create();
            ObjectId c0 = commit(repo, ZERO, "one");
            staleLock(lock, 3600);
            assertThatThrownBy(() -> store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c0)), "x"))
                    .isInstanceOf(StoreException.class).hasMessageStartingWith(lock + " is still held after 2 s");
            assertThat(lock).exists();
            assertThat(writes.get()).isGreaterThan(5);
        }
    }

    @Test
    void aLiveWritersLockIsLeftAloneAndTheWaitingWriterLosesToItInsteadOfOverwritingIt() throws Exception {
        Path lockPath = repoDir().resolve(MODEL + ".lock");
        CountDownLatch waiting = new CountDownLatch(1);
        RefSwap.Pause seen = (lock, millis) -> {
            if (lock.equals(lockPath)) {
                waiting.countDown();
            }
            Thread.sleep(millis);
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RefStore setup = RefStore.open(repoDir()); RefStore writer = RefStore.open(repoDir(), LockPolicy.DEFAULT, seen)) {
            Repository repo = setup.create();
            ObjectId c0 = commit(repo, ZERO, "v0.0.1");
            assertThat(setup.compareAndSwap(List.of(new RefChange(MODEL, ZERO, c0)), "setup")).isTrue();
            ObjectId theirs = commit(repo, c0, "theirs");
            ObjectId mine = commit(repo, c0, "mine");

            // Another writer holds the model's lock, as JGit does while it writes the ref.
            LockFile held = new LockFile(repoDir().resolve(MODEL).toFile());
            assertThat(held.lock()).isTrue();
            Object heldKey = Files.readAttributes(lockPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            Future<Boolean> result = pool.submit(() -> writer.compareAndSwap(List.of(new RefChange(MODEL, c0, mine)), "mine"));

            assertThat(waiting.await(30, TimeUnit.SECONDS)).as("the writer waits for the lock").isTrue();
            assertThat(result).isNotDone();
            assertThat(Files.readAttributes(lockPath, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey())
                    .as("the same lock file is still there").isEqualTo(heldKey);
            held.write(theirs);
            assertThat(held.commit()).isTrue();

            assertThat(result.get(30, TimeUnit.SECONDS)).as("the ref moved: the waiting writer lost").isFalse();
            assertThat(value(repo, MODEL)).isEqualTo(theirs);
            // It decides again on top of the winner; both changes are in the history.
            ObjectId mineAgain = commit(repo, theirs, "mine");
            assertThat(writer.compareAndSwap(List.of(new RefChange(MODEL, theirs, mineAgain)), "mine")).isTrue();
            assertThat(history(repo, MODEL)).containsExactly(mineAgain, theirs, c0);
        } finally {
            pool.shutdownNow();
        }
        assertFsckClean(repoDir());
    }

    @Test
    void twoWritersBehindAStaleLockBothKeepEveryChange() throws Exception {
        int each = 25;
        try (RefStore setup = RefStore.open(repoDir())) {
            Repository repo = setup.create();
            staleLock(repoDir().resolve(LINEAGE + ".lock"), 3600);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<List<ObjectId>>> writers = new ArrayList<>();
                for (String name : List.of("a", "b")) {
                    writers.add(pool.submit(() -> appendAll(name, each)));
                }
                Set<ObjectId> written = new HashSet<>();
                for (Future<List<ObjectId>> w : writers) {
                    written.addAll(w.get(120, TimeUnit.SECONDS));
                }
                List<ObjectId> history = history(repo, LINEAGE);
                assertThat(history).hasSize(2 * each);
                assertThat(new HashSet<>(history)).isEqualTo(written);
            } finally {
                pool.shutdownNow();
            }
        }
        assertFsckClean(repoDir());
    }

    /** A writer's loop: read the ref, commit on top, compare-and-swap; again when another writer won. */
    private List<ObjectId> appendAll(String name, int count) throws Exception {
        List<ObjectId> mine = new ArrayList<>();
        try (RefStore store = RefStore.open(repoDir())) {
            Repository repo = store.create();
            for (int i = 0; i < count; i++) {
                for (int attempt = 0; ; attempt++) {
                    assertThat(attempt).as("%s %d lost too often", name, i).isLessThan(1000);
                    ObjectId old = value(repo, LINEAGE);
                    ObjectId next = commit(repo, old, name + " " + i + " " + attempt);
                    if (store.compareAndSwap(List.of(new RefChange(LINEAGE, old, next)), name)) {
                        mine.add(next);
                        break;
                    }
                }
            }
        }
        return mine;
    }

    @Test
    void aRefThatMovedIsALostRaceAnsweredAtOnceWithoutWaiting() throws Exception {
        try (RefStore store = RefStore.open(repoDir())) {
            Repository repo = store.create();
            ObjectId c0 = commit(repo, ZERO, "one");
            ObjectId c1 = commit(repo, c0, "two");
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c0)), "one")).isTrue();
            long t0 = System.nanoTime();
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c1)), "stale expectation")).isFalse();
            ObjectId c2 = commit(repo, c1, "three");
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, c1, c2), new RefChange(TAG, ZERO, c1)), "x"))
                    .isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
            assertThat(value(repo, LINEAGE)).isEqualTo(c0);
            assertThat(value(repo, TAG)).as("atomic: the tag did not move either").isEqualTo(ZERO);
        }
    }

    @Test
    void aLockThatIsADirectoryIsReportedAndLeftAlone() throws Exception {
        LockPolicy bounded = new LockPolicy(Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofSeconds(1));
        try (RefStore store = RefStore.open(repoDir(), bounded)) {
            Repository repo = store.create();
            Path lock = Files.createDirectories(repoDir().resolve(LINEAGE + ".lock"));
            ObjectId c0 = commit(repo, ZERO, "one");
            assertThatThrownBy(() -> store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c0)), "x"))
                    .isInstanceOf(StoreException.class).hasMessageContaining(lock.toString())
                    .hasMessageContaining("not a regular file");
            assertThat(lock).isDirectory();
        }
    }

    @Test
    void aLockThatIsALinkIsRemovedAsALinkAndNeverFollowed() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        try (RefStore store = RefStore.open(repoDir())) {
            Repository repo = store.create();
            Path lock = repoDir().resolve(LINEAGE + ".lock");
            Files.createDirectories(lock.getParent());
            Files.createSymbolicLink(lock, victim);
            ObjectId c0 = commit(repo, ZERO, "one");
            assertThat(store.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c0)), "x")).isTrue();
            assertThat(Files.exists(lock, LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
        assertThat(victim).hasContent("keep me");
    }

    @Test
    void aGuardCanKeepAStaleLookingLockThatIsNotALock() throws Exception {
        try (RefStore store = RefStore.open(repoDir())) {
            Repository repo = store.create();
            Path lock = staleLock(repoDir().resolve(MODEL + ".lock"), 3600);
            ObjectId c0 = commit(repo, ZERO, "one");
            assertThatThrownBy(() -> store.compareAndSwap(List.of(new RefChange(MODEL, ZERO, c0)), "x", (ref, l) -> {
                throw new io.modelgate.common.InputException(l + " is kept");
            })).hasMessage(lock + " is kept");
            assertThat(lock).exists();
        }
    }

    @Test
    void aFetchIntoACacheWithAStaleLockRecoversIt() throws Exception {
        Path remoteDir = dir.resolve("remote.git");
        ObjectId c0;
        try (RefStore remote = RefStore.open(remoteDir)) {
            Repository r = remote.create();
            c0 = commit(r, ZERO, "one");
            assertThat(remote.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, c0)), "one")).isTrue();
        }
        try (RefStore cache = RefStore.remote("file://" + remoteDir, dir.resolve("cache"), Optional.empty())) {
            Repository repo = cache.repository().orElseThrow();
            assertThat(value(repo, LINEAGE)).isEqualTo(c0);
            ObjectId c1;
            try (RefStore remote = RefStore.open(remoteDir)) {
                Repository r = remote.create();
                c1 = commit(r, c0, "two");
                assertThat(remote.compareAndSwap(List.of(new RefChange(LINEAGE, c0, c1)), "two")).isTrue();
            }
            // A build killed while its fetch held the cache's lock.
            Path lock = staleLock(cache.directory().resolve(LINEAGE + ".lock"), 3600);
            cache.fetch();
            assertThat(lock).doesNotExist();
            assertThat(value(repo, LINEAGE)).isEqualTo(c1);

            // And a change pushed through the remote lands there and in the cache.
            ObjectId c2 = commit(repo, c1, "three");
            assertThat(cache.compareAndSwap(List.of(new RefChange(LINEAGE, c1, c2)), "three")).isTrue();
            assertThat(value(repo, LINEAGE)).isEqualTo(c2);
            assertThat(cache.compareAndSwap(List.of(new RefChange(LINEAGE, c1, commit(repo, c1, "late"))), "late"))
                    .as("the remote moved meanwhile").isFalse();
        }
        try (RefStore remote = RefStore.open(remoteDir)) {
            assertThat(history(remote.create(), LINEAGE)).hasSize(3);
        }
    }

    @Test
    void aCacheFetchedSixtyTimesIsCompactedInTheForegroundWhileAWriterSharingItLosesNoObject() throws Exception {
        Path remoteDir = dir.resolve("remote.git");
        ObjectId tip = ZERO;
        try (RefStore remote = RefStore.open(remoteDir)) {
            Repository r = remote.create();
            tip = commit(r, ZERO, "start");
            assertThat(remote.compareAndSwap(List.of(new RefChange(LINEAGE, ZERO, tip)), "start")).isTrue();
        }
        try (RefStore cache = RefStore.remote("file://" + remoteDir, dir.resolve("cache"), Optional.empty());
                RefStore remote = RefStore.open(remoteDir)) {
            Repository repo = cache.repository().orElseThrow();
            assertThat(repo.getConfig().getBoolean("fetch", null, "autogc", true))
                    .as("JGit's automatic gc after a fetch is off in the cache").isFalse();
            // A second writer on the same agent keeps adding loose objects (never referenced) to the cache.
            ExecutorService writer = Executors.newSingleThreadExecutor();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Future<List<ObjectId>> written = writer.submit(() -> {
                List<ObjectId> ids = new ArrayList<>();
                try (org.eclipse.jgit.lib.ObjectInserter ins = repo.newObjectInserter()) {
                    for (int i = 0; !stop.get(); i++) {
                        ids.add(ins.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB,
                                ("object " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                        ins.flush();
                    }
                }
                return ids;
            });
            int maxPacks = 0;
            try {
                for (int i = 0; i < 60; i++) {
                    ObjectId next = commit(remote.create(), tip, "change " + i);
                    assertThat(remote.compareAndSwap(List.of(new RefChange(LINEAGE, tip, next)), "change " + i)).isTrue();
                    tip = next;
                    cache.fetch();
                    assertThat(value(repo, LINEAGE)).isEqualTo(tip);
                    maxPacks = Math.max(maxPacks, packs(cache.directory()));
                }
            } finally {
                stop.set(true);
                writer.shutdown();
            }
            List<ObjectId> ids = written.get(30, TimeUnit.SECONDS);
            assertThat(ids).as("the writer got some objects in").isNotEmpty();
            try (org.eclipse.jgit.lib.ObjectReader reader = repo.newObjectReader()) {
                for (ObjectId id : ids) {
                    assertThat(reader.has(id)).as("object %s written beside the compaction", id.name()).isTrue();
                }
            }
            assertThat(maxPacks).as("packs in the cache at most, over 60 fetches").isLessThanOrEqualTo(21);
            assertThat(history(repo, LINEAGE)).hasSize(61);
            assertFsckClean(cache.directory());
        }
    }

    private static int packs(Path gitDir) throws java.io.IOException {
        try (var files = Files.list(gitDir.resolve("objects/pack"))) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".pack")).count();
        }
    }

    private static List<ObjectId> history(Repository repo, String ref) throws Exception {
        List<ObjectId> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(value(repo, ref)));
            for (RevCommit c : walk) {
                out.add(c.copy());
            }
        }
        return out;
    }
}
