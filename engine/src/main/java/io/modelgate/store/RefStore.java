package io.modelgate.store;

import org.eclipse.jgit.lib.Repository;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Git repository of a Modelgate store — the registry's models, its configuration, rollout
 * state and lineage all live in one — and the one way their refs change: compare-and-swap of one
 * or several refs, atomically, with a bounded wait for locks and recovery of locks left by killed
 * writers ({@link RefSwap}, {@link StaleLocks}); for a store shared through a Git remote, an
 * atomic push with the expected old values, mirrored into the local cache.
 *
 * <p>A local store that does not exist yet reads as empty and is created by the first write
 * ({@link #create}), so a command refused for a bad argument leaves nothing on disk; reading looks
 * again each time, as another process, or another store on the same directory, may have created it.
 */
public final class RefStore implements AutoCloseable {
    private final Path dir;
    private final Optional<GitRemote> remote;
    private final LockPolicy policy;
    private final RefSwap.Pause pause;
    /** Null until the repository exists (a local store not written yet). */
    private Repository repo;

    private RefStore(Path dir, Repository repo, Optional<GitRemote> remote, LockPolicy policy, RefSwap.Pause pause) {
        this.dir = dir;
        this.repo = repo;
        this.remote = remote;
        this.policy = policy;
        this.pause = pause;
    }

    /**
     * The store at {@code dir}, to read and write. When there is none yet it reads as empty and the
     * first write creates it; a path that exists and is not a Git repository is refused at once.
     */
    public static RefStore open(Path dir) {
        return open(dir, LockPolicy.DEFAULT);
    }

    public static RefStore open(Path dir, LockPolicy policy) {
        return open(dir, policy, RefSwap.Pause.SLEEP);
    }

    static RefStore open(Path dir, LockPolicy policy, RefSwap.Pause pause) {
        Optional<Repository> existing = GitRepositories.openExisting(dir);
        if (existing.isEmpty() && Files.exists(dir) && !isEmptyDirectory(dir)) {
            throw StoreException.badInput(dir + " exists and is not a registry (a Git repository); give a new or empty"
                    + " directory, or the path of an existing registry");
        }
        return new RefStore(dir, existing.orElse(null), Optional.empty(), policy, pause);
    }

    /** The store at {@code dir}, which must exist: "no registry at PATH" (bad input) otherwise. Creates nothing. */
    public static RefStore openExisting(Path dir) {
        Repository repo = GitRepositories.openExisting(dir)
                .orElseThrow(() -> StoreException.badInput("no registry at " + dir));
        return new RefStore(dir, repo, Optional.empty(), LockPolicy.DEFAULT, RefSwap.Pause.SLEEP);
    }

    /**
     * The store behind a Git URL: its local cache under {@code cacheRoot} (one per URL, shared by the
     * registry and lineage), fetched now. A new cache is filled before it is put in place, so a remote
     * that cannot be reached leaves no cache behind, and two processes that make it at once share one.
     */
    public static RefStore remote(String url, Path cacheRoot, Optional<GitCredentials> credentials) {
        Repository cache = GitRepositories.openOrCreate(GitRemote.cacheDirectory(url, cacheRoot),
                fresh -> new GitRemote(fresh, url, credentials).fetch());
        RefStore store = new RefStore(cache.getDirectory().toPath(), cache,
                Optional.of(new GitRemote(cache, url, credentials)), LockPolicy.DEFAULT, RefSwap.Pause.SLEEP);
        try {
            store.fetch();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** A remote store opened by {@link #remoteFollowingRewrites}, and the refs whose rewritten history it followed. */
    public record Followed(RefStore store, List<RefRewrite> rewrites) {
        public Followed {
            rewrites = List.copyOf(rewrites);
        }
    }

    /**
     * As {@link #remote}, but a ref whose history the remote rewrote or moved back is followed rather
     * than refused; for a person who checked the new history and records that they accepted it.
     */
    public static Followed remoteFollowingRewrites(String url, Path cacheRoot, Optional<GitCredentials> credentials) {
        Repository cache = GitRepositories.openOrCreate(GitRemote.cacheDirectory(url, cacheRoot),
                fresh -> new GitRemote(fresh, url, credentials).fetch());
        GitRemote remote = new GitRemote(cache, url, credentials);
        RefStore store = new RefStore(cache.getDirectory().toPath(), cache, Optional.of(remote), LockPolicy.DEFAULT,
                RefSwap.Pause.SLEEP);
        try {
            return new Followed(store, remote.fetchFollowingRewrites());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** The repository, if it exists; looks again when it did not. */
    public Optional<Repository> repository() {
        if (repo == null) {
            repo = GitRepositories.openExisting(dir).orElse(null);
        }
        return Optional.ofNullable(repo);
    }

    /** The repository, created (bare, every ref update logged) if it does not exist yet. */
    public Repository create() {
        if (repository().isEmpty()) {
            repo = GitRepositories.openOrCreate(dir);
        }
        return repo;
    }

    /** Where the store is: its directory, or its cache's for a remote one. */
    public Path directory() {
        return dir;
    }

    public boolean isRemote() {
        return remote.isPresent();
    }

    /**
     * Fetches what other agents changed, for a store shared through a remote; nothing for a local one.
     * A cache ref the fetch could not move because its lock is held (another fetch on this agent, or a
     * build killed mid-fetch) is waited for, its lock removed once stale, and fetched again.
     */
    public void fetch() {
        if (remote.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + policy.maxWait().toNanos();
        for (List<String> unmoved = remote.get().fetchRefs(); !unmoved.isEmpty(); unmoved = remote.get().fetchRefs()) {
            Map<Path, String> locks = new LinkedHashMap<>();
            unmoved.forEach(ref -> locks.put(StaleLocks.lockOf(repo.getDirectory().toPath(), ref), ref));
            swap().awaitLocks(locks, LockGuard.NONE, deadline);
            if (System.nanoTime() - deadline >= 0) {
                throw StoreException.unreachable("cannot update " + String.join(", ", unmoved) + " in the cache "
                        + repo.getDirectory() + " for " + policy.maxWait().toSeconds() + " s: JGit reports their locks"
                        + " held", null);
            }
        }
    }

    /** {@link #compareAndSwap(List, String, LockGuard)} with no guard. */
    public boolean compareAndSwap(List<RefChange> changes, String reason) {
        return compareAndSwap(changes, reason, LockGuard.NONE);
    }

    /**
     * Moves every ref from its expected value to its next one, all or none: locally with
     * {@link RefSwap}; for a remote, by an atomic push with the expected old values, after which the
     * cache is set to what the remote took.
     *
     * @param reason for the reflog ({@code modelgate: REASON})
     * @param guard  consulted before a stale lock of one of these refs is removed
     * @return true when applied; false when a ref no longer had its expected value (the caller reads,
     *         decides again, and retries)
     * @throws StoreException (external) when a lock stays held for 30 s, naming it, or the
     *                        repository or remote cannot be written
     */
    public boolean compareAndSwap(List<RefChange> changes, String reason, LockGuard guard) {
        create();
        if (remote.isEmpty()) {
            return swap().compareAndSwap(changes, reason, false, guard);
        }
        if (!remote.get().push(changes)) {
            return false;
        }
        // The remote is the truth and now holds these values; the cache follows it (the next fetch would too).
        for (RefChange c : changes) {
            swap().compareAndSwap(List.of(c), reason, true, guard);
        }
        return true;
    }

    private RefSwap swap() {
        return new RefSwap(repo, policy, pause);
    }

    @Override
    public void close() {
        if (repo != null) {
            repo.close();
        }
    }
}
