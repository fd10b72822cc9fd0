package io.modelgate.store;

import java.time.Duration;

/**
 * When a ref lock left behind counts as abandoned, and how long a writer waits for one that is not.
 *
 * @param staleAfter a lock this old (by its modification time), or watched this long without a
 *                   change, belongs to a writer that is gone; JGit and Git hold a ref lock for
 *                   the milliseconds it takes to write one file
 * @param recheck    how long an old-looking lock must stay unchanged before it is removed: the
 *                   second look that shows nobody is writing it and it is still the same file
 * @param maxWait    how long a writer waits for a lock held by another before it gives up with
 *                   an external error (exit 3) naming the lock file
 */
public record LockPolicy(Duration staleAfter, Duration recheck, Duration maxWait) {
    /** 10 s to count as stale, a 1 s second look, at most 30 s of waiting. */
    public static final LockPolicy DEFAULT = new LockPolicy(Duration.ofSeconds(10), Duration.ofSeconds(1),
            Duration.ofSeconds(30));

    public LockPolicy {
        if (staleAfter == null || recheck == null || maxWait == null || staleAfter.isNegative() || recheck.isNegative()
                || maxWait.isNegative()) {
            throw new IllegalArgumentException("lock durations must be given and not negative");
        }
    }
}
