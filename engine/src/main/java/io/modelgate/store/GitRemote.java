package io.modelgate.store;

import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;

import java.net.URISyntaxException;
import java.util.List;

/**
 * A Modelgate store (registry and lineage) shared through a Git remote: the local repository is a
 * cache that is fetched before every read, and a change is pushed with the expected old value of
 * each ref, atomically, so two agents that change the same thing at once cannot both win.
 */
public final class GitRemote {
    /**
     * Not forced: Modelgate's refs only ever move forward, so a remote whose history moved back or
     * was rewritten is refused (the cache keeps what it saw), never followed.
     */
    private static final RefSpec ALL = new RefSpec("refs/modelgate/*:refs/modelgate/*");
    /** Only for {@link #fetchFollowingRewrites}: a person accepted, by name and with a reason, whatever the remote holds. */
    private static final RefSpec ALL_FORCED = new RefSpec("+refs/modelgate/*:refs/modelgate/*");
    private static final RefSpec TAGS = new RefSpec("+refs/tags/*:refs/tags/*");

    private static final int PACKS_BEFORE_GC = 20;

    private final Repository cache;
    private final URIish uri;
    private final String display;
    private final java.util.Optional<GitCredentials> credentials;

    /**
     * @param cache       the local cache repository ({@link #cacheDirectory})
     * @param url         the remote's URL
     * @param credentials for an HTTPS remote
     */
    public GitRemote(Repository cache, String url, java.util.Optional<GitCredentials> credentials) {
        this.cache = cache;
        this.credentials = credentials;
        // Never show a password written into the URL in a message.
        this.display = redact(url);
        try {
            this.uri = new URIish(url);
        } catch (URISyntaxException e) {
            throw StoreException.badInput("registry URL '" + display + "' is not a Git URL: " + e.getMessage());
        }
        noAutomaticGc(cache);
    }

    /**
     * JGit's fetch starts Git's automatic gc, in a background thread by default; its prune removes
     * empty fan-out directories of {@code objects/} while this process (or another build on the same
     * agent) is between making one and renaming an object into it, and the write then fails. The
     * cache is compacted by {@link #compactCache} instead, in the foreground, without that prune.
     */
    private static void noAutomaticGc(Repository cache) {
        org.eclipse.jgit.lib.StoredConfig config = cache.getConfig();
        if (config.getBoolean("fetch", null, "autogc", true)) {
            config.setBoolean("fetch", null, "autogc", false);
            try {
                config.save();
            } catch (java.io.IOException e) {
                throw StoreException.unreachable("cannot configure the registry cache " + cache.getDirectory() + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** Whether a registry location is a Git URL rather than a directory. */
    public static boolean isRemote(String location) {
        return location.contains("://") || location.matches("^[\\w.-]+@[\\w.-]+:.*");
    }

    /** The local cache of a remote: one per URL, shared by the registry and lineage. */
    public static java.nio.file.Path cacheDirectory(String url, java.nio.file.Path cacheRoot) {
        return cacheRoot.resolve(io.modelgate.common.Digests.sha256(url.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16));
    }

    /** A URL with any user name or password replaced by {@code ***}, for messages. */
    public static String redact(String url) {
        return io.modelgate.common.Redactor.url(url);
    }

    public void fetch() {
        List<String> unmoved = fetchRefs();
        if (!unmoved.isEmpty()) {
            throw StoreException.unreachable("cannot update " + String.join(", ", unmoved) + " in the cache "
                    + cache.getDirectory() + " of registry " + display + ": their locks are held", null);
        }
    }

    /**
     * Fetches every Modelgate ref and tag into the cache; the cache refs JGit could not move because
     * their lock was held — by another fetch on this agent, or one that was killed — which the caller
     * waits for ({@link RefStore#fetch}). JGit reports those only in the result: the fetch itself
     * "succeeds", and every decision after it would be made on the old value.
     */
    List<String> fetchRefs() {
        return fetchRefs(ALL, new java.util.ArrayList<>());
    }

    /**
     * Fetches as {@link #fetch}, but follows refs whose history the remote rewrote or moved back, and
     * says which: the caller records each as an audited event ({@code registry fetch --accept-rewrite}).
     * The cache's reflog keeps the commits it held before.
     */
    public List<RefRewrite> fetchFollowingRewrites() {
        List<RefRewrite> rewrites = new java.util.ArrayList<>();
        List<String> unmoved = fetchRefs(ALL_FORCED, rewrites);
        if (!unmoved.isEmpty()) {
            throw StoreException.unreachable("cannot update " + String.join(", ", unmoved) + " in the cache "
                    + cache.getDirectory() + " of registry " + display + ": their locks are held", null);
        }
        return rewrites;
    }

    private List<String> fetchRefs(RefSpec modelgate, List<RefRewrite> rewrites) {
        org.eclipse.jgit.transport.FetchResult result;
        try (Transport t = open()) {
            result = t.fetch(NullProgressMonitor.INSTANCE, List.of(modelgate, TAGS));
        } catch (Exception e) {
            throw StoreException.unreachable("registry " + display + " cannot be reached: " + oneLine(e), e);
        }
        List<String> unmoved = new java.util.ArrayList<>();
        for (org.eclipse.jgit.transport.TrackingRefUpdate u : result.getTrackingRefUpdates()) {
            switch (u.getResult()) {
                case FORCED -> {
                    if (u.getLocalName().startsWith("refs/modelgate/")) {
                        rewrites.add(new RefRewrite(u.getLocalName(), u.getOldObjectId().name(), u.getNewObjectId().name()));
                    }
                }
                case NEW, FAST_FORWARD, NO_CHANGE, RENAMED -> {
                }
                case LOCK_FAILURE -> unmoved.add(u.getLocalName());
                case REJECTED -> throw StoreException.unreachable("registry " + display + ": " + u.getRemoteName()
                        + " moved from " + u.getOldObjectId().abbreviate(8).name() + " to "
                        + u.getNewObjectId().abbreviate(8).name() + ", which does not descend from it: its history"
                        + " was rewritten or moved back on the remote; refusing to follow it (run registry verify on the"
                        + " remote, and restore the history from a clone or this cache " + cache.getDirectory()
                        + "; or, if the new history is right, take it with registry fetch --accept-rewrite REASON, which"
                        + " is audited)",
                        null);
                default -> throw StoreException.unreachable("cannot update " + u.getLocalName() + " in the cache "
                        + cache.getDirectory() + " of registry " + display + ": " + u.getResult(), null);
            }
        }
        compactCache();
        return unmoved;
    }

    /**
     * Every fetch leaves a pack in the cache; a long-lived cache on a Jenkins agent would collect
     * thousands. Repack it when there are many. The packs replaced go at once (their objects that
     * no ref reaches, such as another process's fetch not yet recorded, are kept as loose objects
     * first), so the next compaction is again 20 fetches away; loose objects now packed are removed.
     * No full prune: it also removes empty fan-out directories, which races with a writer sharing
     * the cache (see {@link #noAutomaticGc}).
     */
    private void compactCache() {
        java.io.File[] packs = new java.io.File(cache.getDirectory(), "objects/pack").listFiles((d, n) -> n.endsWith(".pack"));
        if (packs != null && packs.length > PACKS_BEFORE_GC
                && cache instanceof org.eclipse.jgit.internal.storage.file.FileRepository file) {
            try {
                org.eclipse.jgit.internal.storage.file.GC gc = new org.eclipse.jgit.internal.storage.file.GC(file);
                gc.setPackExpireAgeMillis(0);
                gc.repack();
                gc.prunePacked();
            } catch (java.io.IOException | RuntimeException e) {
                // A cache that could not be compacted still works; the next fetch tries again.
            }
        }
    }

    private static java.util.Optional<String> nativeGit() {
        String path = System.getenv("PATH");
        if (path == null) {
            return java.util.Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator, -1)) {
            java.nio.file.Path git = java.nio.file.Path.of(dir, "git");
            if (java.nio.file.Files.isExecutable(git)) {
                return java.util.Optional.of(git.toString());
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Pushes {@code updates} atomically; false when the remote moved meanwhile (the caller fetches
     * and tries again).
     */
    public boolean push(List<RefChange> updates) {
        try (Transport t = open()) {
            t.setPushAtomic(true);
            List<RemoteRefUpdate> rs = new java.util.ArrayList<>();
            for (RefChange u : updates) {
                rs.add(new RemoteRefUpdate(cache, (String) null, u.next(), u.ref(), false, null, u.expected()));
            }
            PushResult result = t.push(NullProgressMonitor.INSTANCE, rs);
            for (RemoteRefUpdate r : result.getRemoteUpdates()) {
                switch (r.getStatus()) {
                    case OK, UP_TO_DATE -> {
                    }
                    case REJECTED_REMOTE_CHANGED, REJECTED_NONFASTFORWARD, REJECTED_OTHER_REASON -> {
                        if (lostRace(r.getMessage())) {
                            return false;
                        }
                        if (r.getStatus() == RemoteRefUpdate.Status.REJECTED_OTHER_REASON) {
                            throw StoreException.unreachable("registry " + display + " refused the update of "
                                    + r.getRemoteName() + ": " + r.getMessage(), null);
                        }
                        return false;
                    }
                    default -> throw StoreException.unreachable("registry " + display + " did not take the update of "
                            + r.getRemoteName() + ": " + r.getStatus() + (r.getMessage() == null ? "" : " " + r.getMessage()),
                            null);
                }
            }
            return true;
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw StoreException.unreachable("registry " + display + " cannot be reached: " + oneLine(e), e);
        }
    }

    /**
     * Whether the server refused because another writer moved the ref between its advertisement and
     * the update: JGit's receive-pack says "failed to lock", C Git "cannot lock ref ... expected" or
     * "incorrect old value provided", and the other refs of an atomic push "atomic transaction
     * failed". The caller fetches and decides again.
     */
    static boolean lostRace(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("atomic") || m.contains("lock") || m.contains("old value") || m.contains("old id")
                || m.contains("expected");
    }

    private Transport open() throws org.eclipse.jgit.errors.NotSupportedException, org.eclipse.jgit.errors.TransportException {
        Transport t = Transport.open(cache, uri);
        nativeGit().filter(git -> uri.getHost() == null && (uri.getScheme() == null || uri.getScheme().equals("file")))
                .ifPresent(git -> {
                    // A repository shared on a file system is served like any Git server would serve it: by the
                    // installed git, whose receive-pack unpacks small pushes and runs its automatic gc. JGit's
                    // in-process receive-pack keeps a pack per push, and thousands of packs make every read slow.
                    t.setOptionReceivePack(git + " receive-pack");
                    t.setOptionUploadPack(git + " upload-pack");
                });
        credentials.ifPresent(c -> t.setCredentialsProvider(
                new org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider(c.username(), c.password())));
        return t;
    }

    private String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = io.modelgate.common.Redactor.redactUrls(m);
        return m.lines().findFirst().orElse(m);
    }
}
