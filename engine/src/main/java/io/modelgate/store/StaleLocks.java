package io.modelgate.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The lock files that block one ref update, watched for as long as a writer waits for them, and
 * removed once their holder is gone. One instance per wait: it remembers what it saw of each lock.
 *
 * <p><b>The rule.</b> Git and JGit take a ref's lock by creating {@code <ref>.lock} (or
 * {@code packed-refs.lock}) exclusively, write the new value into it, and rename it over the ref:
 * a lock lives for the milliseconds it takes to write one small file (packed-refs: one file of a
 * few hundred kilobytes at most). A writer killed in between leaves the file, and every later
 * writer fails on it forever. We know the holder is gone when the same file (same file key, size
 * and modification time) is still there
 * <ul>
 * <li>after it has looked at least {@link LockPolicy#staleAfter} old by its modification time,
 *     at two looks at least {@link LockPolicy#recheck} apart (the second look shows that nobody is
 *     still writing it and that it is not a new lock taken in between), or</li>
 * <li>after we have watched it unchanged for {@code staleAfter} by our own monotonic clock (a file
 *     system whose clock is behind ours makes a lock look young forever).</li>
 * </ul>
 * <b>Why that is safe.</b> Every live writer either finishes (the file disappears) or changes the
 * file within milliseconds, so a file that stays the same for ten seconds has no live writer —
 * unless its writer itself stopped for ten seconds inside that millisecond window (a suspended
 * machine), which the rule accepts as not happening. Two waiting writers may judge the same
 * lock stale at once; if one removed it and a live writer took the lock again before the other
 * acts, the other must not remove the new lock (a writer whose lock vanished fails to rename it
 * and JGit then deletes the ref it meant to write). So removals are serialised by an operating
 * system lock on {@value #RECOVERY} in the Git directory ({@code fcntl}, released by the kernel when
 * its holder dies, so it can never be left stale), and under it the lock file is looked at once
 * more and removed only if it is still the file that was judged. Only a regular file is ever
 * removed; a symbolic link at a lock's path is removed as a link (Git never makes one), never
 * followed; anything else (a directory) is reported, not touched.
 */
final class StaleLocks {
    static final String RECOVERY = "modelgate-lock-recovery";

    /** A lock that is still held, and why it was not removed when it could not be. */
    record Held(Path lock, String why) {
    }

    private record Sighting(Object key, long size, FileTime modified, long seenAt) {
        boolean sameFile(BasicFileAttributes a) {
            return Objects.equals(key, a.fileKey()) && size == a.size() && modified.equals(a.lastModifiedTime());
        }
    }

    private final Path gitDir;
    private final LockPolicy policy;
    private final LockGuard guard;
    private final Map<Path, Sighting> sightings = new HashMap<>();

    StaleLocks(Path gitDir, LockPolicy policy, LockGuard guard) {
        this.gitDir = gitDir;
        this.policy = policy;
        this.guard = guard;
    }

    /** The lock file of a ref: {@code <git dir>/<ref>.lock}. */
    static Path lockOf(Path gitDir, String ref) {
        return gitDir.resolve(ref + ".lock");
    }

    static Path packedRefsLock(Path gitDir) {
        return gitDir.resolve("packed-refs.lock");
    }

    /**
     * Looks at each lock, removing those whose holder is gone; the first one still held, if any.
     *
     * @param locks lock file to the ref it locks ({@code null} for {@code packed-refs.lock})
     */
    Optional<Held> look(Map<Path, String> locks) {
        Held first = null;
        for (Map.Entry<Path, String> l : locks.entrySet()) {
            Optional<Held> held = look(l.getKey(), l.getValue());
            if (first == null && held.isPresent()) {
                first = held.get();
            }
        }
        return Optional.ofNullable(first);
    }

    private Optional<Held> look(Path lock, String ref) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException free) {
            sightings.remove(lock);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new Held(lock, "it cannot be read: " + e.getMessage()));
        }
        if (a.isSymbolicLink()) {
            try {
                Files.deleteIfExists(lock); // removes the link itself
                return Optional.empty();
            } catch (IOException e) {
                return Optional.of(new Held(lock, "it is a symbolic link that cannot be removed: " + e.getMessage()));
            }
        }
        if (!a.isRegularFile()) {
            return Optional.of(new Held(lock, "it is not a regular file, so no Git writer made it; remove it by hand"));
        }
        long now = System.nanoTime();
        Sighting seen = sightings.get(lock);
        if (seen == null || !seen.sameFile(a)) {
            // First look, or a new lock since the last one: a live writer is using the ref. Start watching again.
            seen = new Sighting(a.fileKey(), a.size(), a.lastModifiedTime(), now);
            sightings.put(lock, seen);
        }
        Duration watched = Duration.ofNanos(now - seen.seenAt());
        Duration age = Duration.between(a.lastModifiedTime().toInstant(), Instant.now());
        boolean abandoned = (age.compareTo(policy.staleAfter()) >= 0 && watched.compareTo(policy.recheck()) >= 0)
                || watched.compareTo(policy.staleAfter()) >= 0;
        if (!abandoned) {
            return Optional.of(new Held(lock, ""));
        }
        if (ref != null) {
            guard.check(ref, lock);
        }
        return remove(lock, seen);
    }

    /**
     * Removes {@code lock} if it is still the file judged abandoned, holding the recovery lock
     * meanwhile. Within one process removals also take this class's monitor: POSIX drops every lock
     * a process holds on a file when any of its descriptors of that file closes, so two threads must
     * never have the recovery file open at once. A removal takes microseconds and is rare.
     */
    private Optional<Held> remove(Path lock, Sighting judged) {
        synchronized (StaleLocks.class) {
            return removeHoldingMonitor(lock, judged);
        }
    }

    private Optional<Held> removeHoldingMonitor(Path lock, Sighting judged) {
        try (FileChannel channel = FileChannel.open(gitDir.resolve(RECOVERY), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock recovery = tryLock(channel);
            if (recovery == null) {
                return Optional.of(new Held(lock, "")); // another writer is removing a lock: look again later
            }
            try (recovery) {
                BasicFileAttributes now;
                try {
                    now = Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    sightings.remove(lock);
                    return Optional.empty(); // another writer removed it first
                }
                if (!now.isRegularFile() || !judged.sameFile(now)) {
                    sightings.remove(lock); // a new lock: someone is writing; watch it from the start
                    return Optional.of(new Held(lock, ""));
                }
                Files.delete(lock);
                sightings.remove(lock);
                return Optional.empty();
            }
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new Held(lock, "it is abandoned but cannot be removed: " + e.getMessage()));
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null; // held by another thread of this process
        }
    }
}
