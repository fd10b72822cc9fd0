package io.modelgate.store;

import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Compare-and-swap of one or several refs of a local repository, waiting a bounded time for locks
 * held by other writers and removing those left by writers that are gone ({@link StaleLocks}).
 *
 * <p>One ref moves with a JGit {@link RefUpdate} (its lock is {@code <ref>.lock}); several move
 * together or not at all with an atomic {@link BatchRefUpdate}, which JGit's file storage carries
 * out through {@code packed-refs} (locks: each {@code <ref>.lock}, then {@code packed-refs.lock}).
 * JGit reports a value that differs from the expected one and a lock held by someone else alike, as
 * {@code LOCK_FAILURE}; the refs are read again to tell them apart. A moved ref means another
 * writer won: the caller reads, decides again and retries. A lock means waiting: the locks are
 * looked at before every attempt (so JGit's own retries, up to three seconds per lock, are not
 * spent on a lock that is known to be there), a stale one is removed, and after
 * {@link LockPolicy#maxWait} the update fails with an external error naming the lock.
 */
final class RefSwap {
    private static final PersonIdent MODELGATE = new PersonIdent("Modelgate", "modelgate@localhost");
    private static final long MAX_PAUSE_MILLIS = 100;
    /** An I/O error with no lock in the way is tried this often, not for the whole wait (a full disk stays full). */
    private static final int IO_ATTEMPTS = 3;

    /** How a writer waits before looking at a held lock again: the seam tests use to see a writer waiting. */
    @FunctionalInterface
    interface Pause {
        Pause SLEEP = (lock, millis) -> Thread.sleep(millis);

        void pause(Path lock, long millis) throws InterruptedException;
    }

    /** What one try came to: applied, or not (and a problem that is not a lock, if JGit named one). */
    private record Attempt(boolean applied, String problem) {
        static final Attempt APPLIED = new Attempt(true, "");
        static final Attempt LOCKED = new Attempt(false, "");
    }

    private final Repository repo;
    private final LockPolicy policy;
    private final Pause pause;

    RefSwap(Repository repo, LockPolicy policy, Pause pause) {
        this.repo = repo;
        this.policy = policy;
        this.pause = pause;
    }

    /**
     * Moves every ref from its expected value to its next one, or none of them.
     *
     * @param force also when a next value does not descend from the current one (a cache set to what
     *              its remote took); otherwise such a move is refused as an error
     * @return true when applied; false when a ref no longer has its expected value (another writer won)
     * @throws StoreException (external) when a lock stays held for {@link LockPolicy#maxWait}, or the
     *                        repository cannot be written
     */
    boolean compareAndSwap(List<RefChange> changes, String reason, boolean force, LockGuard guard) {
        if (changes.isEmpty()) {
            return true;
        }
        Path gitDir = repo.getDirectory().toPath();
        Map<Path, String> locks = new LinkedHashMap<>();
        changes.forEach(c -> locks.put(StaleLocks.lockOf(gitDir, c.ref()), c.ref()));
        if (changes.size() > 1) {
            locks.put(StaleLocks.packedRefsLock(gitDir), null);
        }
        StaleLocks watch = new StaleLocks(gitDir, policy, guard);
        long deadline = System.nanoTime() + policy.maxWait().toNanos();
        String failure = "";
        int ioFailures = 0;
        for (int round = 0; ; round++) {
            Optional<StaleLocks.Held> held = watch.look(locks);
            if (held.isEmpty()) {
                Attempt a;
                boolean ioProblem = false;
                try {
                    a = attempt(changes, reason, force);
                } catch (IOException e) {
                    a = new Attempt(false, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    ioProblem = true;
                    ioFailures++;
                }
                if (a.applied()) {
                    return true;
                }
                failure = a.problem();
                Map<String, ObjectId> now = values(changes);
                if (changes.stream().allMatch(c -> c.next().equals(now.get(c.ref())))) {
                    return true; // what we meant to write is there (a retry of an update that did land)
                }
                if (!force && changes.stream().anyMatch(c -> !c.expected().equals(now.get(c.ref())))) {
                    return false; // another writer moved a ref: the caller decides again
                }
                held = watch.look(locks);
                if (held.isEmpty() && !failure.isEmpty() && (!ioProblem || ioFailures >= IO_ATTEMPTS)) {
                    // Not a lock and not a lost race: a refusal (a missing object) or an I/O error that stays.
                    throw StoreException.unreachable("cannot update " + changes.get(0).ref() + " in "
                            + repo.getDirectory() + ": " + failure, null);
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                throw timeout(changes, held, failure);
            }
            pause(held.map(StaleLocks.Held::lock).orElse(gitDir), round);
        }
    }

    /**
     * Waits until none of {@code locks} is held, removing stale ones (for a fetch that could not move a
     * ref of a remote's cache); the same error as a compare-and-swap once {@code deadline} (of
     * {@link System#nanoTime}) has passed.
     */
    void awaitLocks(Map<Path, String> locks, LockGuard guard, long deadline) {
        StaleLocks watch = new StaleLocks(repo.getDirectory().toPath(), policy, guard);
        for (int round = 0; ; round++) {
            Optional<StaleLocks.Held> held = watch.look(locks);
            if (held.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw timeout(List.of(), held, "");
            }
            pause(held.get().lock(), round);
        }
    }

    private void pause(Path lock, int round) {
        try {
            long millis = Math.min(MAX_PAUSE_MILLIS, 1L << Math.min(round, 7));
            pause.pause(lock, millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.unreachable("interrupted while waiting for " + lock, e);
        }
    }

    private StoreException timeout(List<RefChange> changes, Optional<StaleLocks.Held> held, String failure) {
        String waited = policy.maxWait().toMillis() % 1000 == 0 ? policy.maxWait().toSeconds() + " s"
                : policy.maxWait().toMillis() + " ms";
        if (held.isPresent()) {
            StaleLocks.Held h = held.get();
            return StoreException.unreachable(h.lock() + " is still held after " + waited
                    + (h.why().isEmpty() ? " by another writer; if no Modelgate or Git process is using "
                    + repo.getDirectory() + ", remove it" : ": " + h.why()), null);
        }
        return StoreException.unreachable("cannot update " + changes.get(0).ref() + (changes.size() > 1
                ? " and " + (changes.size() - 1) + " more refs" : "") + " in " + repo.getDirectory() + " for " + waited
                + (failure.isEmpty() ? ": JGit kept reporting a lock failure with no lock file held" : ": " + failure),
                null);
    }

    private Attempt attempt(List<RefChange> changes, String reason, boolean force) throws IOException {
        if (changes.size() == 1) {
            RefChange c = changes.get(0);
            RefUpdate u = repo.updateRef(c.ref());
            if (!force) {
                u.setExpectedOldObjectId(c.expected());
            }
            u.setForceUpdate(force);
            u.setNewObjectId(c.next());
            u.setRefLogMessage("modelgate: " + reason, false);
            u.setRefLogIdent(MODELGATE);
            RefUpdate.Result r = u.update();
            return switch (r) {
                case NEW, FAST_FORWARD, FORCED, NO_CHANGE -> Attempt.APPLIED;
                case LOCK_FAILURE -> Attempt.LOCKED;
                default -> new Attempt(false, r.name());
            };
        }
        if (!repo.getRefDatabase().performsAtomicTransactions()) {
            throw StoreException.unreachable(repo.getDirectory() + ": its ref storage cannot move several refs in one"
                    + " step", null);
        }
        BatchRefUpdate batch = repo.getRefDatabase().newBatchUpdate();
        batch.setAtomic(true);
        batch.setAllowNonFastForwards(force);
        batch.setRefLogMessage("modelgate: " + reason, false);
        batch.setRefLogIdent(MODELGATE);
        for (RefChange c : changes) {
            ObjectId old = force ? Optional.ofNullable(values(List.of(c)).get(c.ref())).orElse(ObjectId.zeroId())
                    : c.expected();
            batch.addCommand(new ReceiveCommand(old, c.next(), c.ref()));
        }
        try (RevWalk walk = new RevWalk(repo)) {
            batch.execute(walk, NullProgressMonitor.INSTANCE);
        }
        List<ReceiveCommand> commands = batch.getCommands();
        if (commands.stream().allMatch(c -> c.getResult() == ReceiveCommand.Result.OK)) {
            return Attempt.APPLIED;
        }
        if (commands.stream().anyMatch(c -> c.getResult() == ReceiveCommand.Result.LOCK_FAILURE)) {
            return Attempt.LOCKED;
        }
        // An atomic batch marks the others "transaction aborted"; name the command that failed.
        ReceiveCommand bad = commands.stream().filter(c -> c.getResult() != ReceiveCommand.Result.OK
                        && c.getResult() != ReceiveCommand.Result.NOT_ATTEMPTED
                        && (c.getMessage() == null || !c.getMessage().contains("aborted")))
                .findFirst().orElse(commands.get(0));
        return new Attempt(false, bad.getRefName() + ": " + bad.getResult()
                + (bad.getMessage() == null ? "" : " (" + bad.getMessage() + ")"));
    }

    /** The current value of each ref; the zero id for one that does not exist. */
    private Map<String, ObjectId> values(List<RefChange> changes) {
        Map<String, ObjectId> values = new LinkedHashMap<>();
        for (RefChange c : changes) {
            try {
                Ref r = repo.exactRef(c.ref());
                values.put(c.ref(), r == null || r.getObjectId() == null ? ObjectId.zeroId() : r.getObjectId());
            } catch (IOException e) {
                throw StoreException.unreachable("cannot read " + c.ref() + " in " + repo.getDirectory() + ": "
                        + e.getMessage(), e);
            }
        }
        return values;
    }
}
