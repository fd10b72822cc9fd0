package io.modelgate.registry;

import io.modelgate.common.SemVer;
import io.modelgate.store.RefChange;
import io.modelgate.store.RefStore;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's objects in a Git repository. Each model is one ref,
 * {@code refs/modelgate/models/NAME}, whose commits are its audit trail; a commit's tree holds
 * {@code event.json} (the event the commit records), {@code state.json} (stages and aliases) and
 * {@code versions/VERSION.json}. Reading a model reads its ref, one small blob and the blobs asked
 * for; writing one writes the changed blobs, two trees and a commit, then moves the ref with
 * compare-and-swap. Nothing reads all models or all versions unless asked to list them.
 *
 * <p>The event of a commit is read from its tree, never from its message: a message is text, and
 * text someone typed (a reason, an approver) could imitate a line of it. The message still ends in
 * a {@code Modelgate-Event:} trailer, for people reading {@code git log} and for registries written
 * before events were kept in the tree; {@link Audit#verify} checks that the two agree.
 *
 * <p>A registry that does not exist yet is read as an empty one and created by the first write,
 * so a command refused for a bad argument leaves nothing on disk.
 */
final class GitStore implements AutoCloseable {
    static final String MODELS = "refs/modelgate/models/";
    static final String STATE = "state.json";
    static final String EVENT = "event.json";
    static final String VERSIONS = "versions";
    static final String EVENT_TRAILER = "Modelgate-Event: ";

    /** The repository and the one way its refs change (shared with lineage and rollout state). */
    private final RefStore refs;
    private final RegistryJson json;
    /** {@code refs}' repository once it exists; null until then (see {@link #exists}, {@link #ensureCreated}). */
    private Repository repo;

    private GitStore(RefStore refs, RegistryJson json) {
        this.refs = refs;
        this.repo = refs.repository().orElse(null);
        this.json = json;
    }

    /**
     * The registry at {@code dir}. When there is none yet, the store reads as empty and the first
     * write creates it; a path that exists and is not a Git repository is refused at once.
     */
    static GitStore open(Path dir, RegistryJson json) {
        return new GitStore(RefStore.open(dir), json);
    }

    /** The registry at {@code dir}; "no registry at PATH" (bad input) when there is none. Creates nothing. */
    static GitStore openExisting(Path dir, RegistryJson json) {
        return new GitStore(RefStore.openExisting(dir), json);
    }

    /** A store over refs opened elsewhere (a remote's cache). */
    static GitStore of(RefStore refs, RegistryJson json) {
        return new GitStore(refs, json);
    }

    /** Creates the repository if this store has none yet (a race with another creator is fine: both use one). */
    private Repository ensureCreated() {
        if (repo == null) {
            repo = refs.create();
        }
        return repo;
    }

    /**
     * Whether the repository exists, looking again if it did not: another process, or another
     * store on the same directory (lineage's), may have created it since this one was opened.
     */
    private boolean exists() {
        if (repo == null) {
            repo = refs.repository().orElse(null);
        }
        return repo != null;
    }

    /** Fetches what other agents changed, for a registry shared through a Git remote; nothing for a local one. */
    void fetch() {
        refs.fetch();
    }

    boolean isRemote() {
        return refs.isRemote();
    }

    /** The repository; only for code that already knows it exists (it read a model, or wrote). */
    Repository repository() {
        return ensureCreated();
    }

    /** A model as of one commit; {@code commit} is the zero id for a model not yet registered. */
    record Snapshot(String model, ObjectId commit, ObjectId tree, ModelState state) {
        boolean exists() {
            return !commit.equals(ObjectId.zeroId());
        }
    }

    static final String CONFIG_REF = "refs/modelgate/config";
    static final String CONFIG_FILE = "config.yaml";

    /** The registry's own configuration, if one was stored with {@code registry configure}. */
    Optional<String> storedConfig() {
        if (!exists()) {
            return Optional.empty();
        }
        try {
            Ref ref = repo.exactRef(CONFIG_REF);
            if (ref == null) {
                return Optional.empty();
            }
            try (RevWalk walk = new RevWalk(repo)) {
                return blob(walk.parseCommit(ref.getObjectId()).getTree().getId(), CONFIG_FILE)
                        .map(b -> new String(b, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot read the registry's configuration: " + e.getMessage(), e);
        }
    }

    /** Writes a new configuration commit on top of the current one; the caller moves the ref. */
    RefChange writeConfig(String yaml, PersonIdent author) throws IOException {
        ensureCreated();
        Ref ref = repo.exactRef(CONFIG_REF);
        ObjectId old = ref == null ? ObjectId.zeroId() : ref.getObjectId();
        try (ObjectInserter ins = repo.newObjectInserter()) {
            TreeFormatter root = new TreeFormatter();
            root.append(CONFIG_FILE, FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, utf8(yaml)));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(ins.insert(root));
            if (ref != null) {
                commit.setParentId(old);
            }
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage("configure the registry\n");
            ObjectId id = ins.insert(commit);
            ins.flush();
            return new RefChange(CONFIG_REF, old, id);
        }
    }

    static final String ROLLOUTS = "refs/modelgate/rollouts/";

    /** One file of a rollout's record ({@code state.json}, {@code abort}), if there is one. */
    Optional<byte[]> rolloutFile(String rollout, String file) {
        if (!exists()) {
            return Optional.empty();
        }
        try {
            Ref ref = repo.exactRef(ROLLOUTS + rollout);
            if (ref == null) {
                return Optional.empty();
            }
            try (RevWalk walk = new RevWalk(repo)) {
                return blob(walk.parseCommit(ref.getObjectId()).getTree().getId(), file);
            }
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot read rollout " + rollout + ": " + e.getMessage(), e);
        }
    }

    /**
     * A commit on the rollout's ref with {@code file} set to {@code content} (or removed when
     * {@code content} is null), the other files kept; the caller moves the ref.
     */
    RefChange writeRolloutFile(String rollout, String file, byte[] content, String message, PersonIdent author)
            throws IOException {
        return writeRolloutFileIf(rollout, file, current -> true, content, message, author);
    }

    /**
     * {@link #writeRolloutFile}, or null when the file as it is on the commit the change would
     * replace does not pass {@code expected}: the check and the change rest on the same commit, so a
     * compare-and-swap of the ref makes the two one step.
     */
    RefChange writeRolloutFileIf(String rollout, String file, java.util.function.Predicate<Optional<byte[]>> expected,
                                 byte[] content, String message, PersonIdent author) throws IOException {
        io.modelgate.common.Names.segment("rollout file", file);
        ensureCreated();
        Ref ref = repo.exactRef(ROLLOUTS + rollout);
        ObjectId old = ref == null ? ObjectId.zeroId() : ref.getObjectId();
        TreeMap<String, ObjectId> files = new TreeMap<>();
        try (ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader();
             RevWalk walk = new RevWalk(repo)) {
            if (ref != null) {
                for (CanonicalTreeParser p = new CanonicalTreeParser(null, reader, walk.parseCommit(old).getTree());
                     !p.eof(); p.next()) {
                    files.put(p.getEntryPathString(), p.getEntryObjectId());
                }
            }
            ObjectId was = files.get(file);
            if (!expected.test(was == null ? Optional.empty() : Optional.of(reader.open(was).getBytes()))) {
                return null;
            }
            if (content == null) {
                files.remove(file);
            } else {
                files.put(file, ins.insert(Constants.OBJ_BLOB, content));
            }
            TreeFormatter tree = new TreeFormatter();
            files.forEach((name, id) -> tree.append(name, FileMode.REGULAR_FILE, id));
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(tree));
            if (ref != null) {
                c.setParentId(old);
            }
            c.setAuthor(author);
            c.setCommitter(new PersonIdent("Modelgate", "modelgate@localhost", author.getWhenAsInstant(), author.getZoneId()));
            // One line: the message is the caller's text, and no text may add a line (a trailer) to a commit.
            c.setMessage(RegistryInputs.freeText(message) + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return new RefChange(ROLLOUTS + rollout, old, id);
        }
    }

    /**
     * The {@code versions/} files commit {@code c} changed from its first parent (from nothing for
     * the first commit), read before and after.
     */
    Map<String, VersionReplay.Change> versionChanges(String model, RevCommit c) throws IOException {
        Map<String, VersionReplay.Change> out = new TreeMap<>();
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            if (c.getParentCount() == 0) {
                walk.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
            } else {
                try (RevWalk rw = new RevWalk(reader)) {
                    walk.addTree(rw.parseCommit(c.getParent(0)).getTree());
                }
            }
            walk.addTree(c.getTree());
            walk.setRecursive(true);
            walk.setFilter(org.eclipse.jgit.treewalk.filter.AndTreeFilter.create(
                    org.eclipse.jgit.treewalk.filter.PathFilter.create(VERSIONS),
                    org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF));
            while (walk.next()) {
                String name = walk.getNameString();
                String version = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
                out.put(version, new VersionReplay.Change(record(reader, walk, 0, model, version),
                        record(reader, walk, 1, model, version)));
            }
        }
        return out;
    }

    private ModelVersion record(ObjectReader reader, TreeWalk walk, int tree, String model, String version)
            throws IOException {
        if (walk.getRawMode(tree) == 0) {
            return null;
        }
        return json.read(reader.open(walk.getObjectId(tree)).getCachedBytes(), ModelVersion.class, model + "@" + version);
    }

    /** Whether the repository exists (a registry nobody wrote to has none). */
    boolean hasRepository() {
        return exists();
    }

    RegistryJson json() {
        return json;
    }

    static String refName(String model) {
        return MODELS + model;
    }

    Snapshot read(String model) {
        if (!exists()) {
            return new Snapshot(model, ObjectId.zeroId(), ObjectId.zeroId(), ModelState.empty(model));
        }
        try {
            Ref ref = repo.exactRef(refName(model));
            if (ref == null || ref.getObjectId() == null) {
                return new Snapshot(model, ObjectId.zeroId(), ObjectId.zeroId(), ModelState.empty(model));
            }
            return snapshotAt(model, ref.getObjectId());
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot read " + model + " from the registry: " + e.getMessage(), e);
        }
    }

    Snapshot snapshotAt(String model, ObjectId commitId) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(commitId);
            ObjectId tree = commit.getTree().getId();
            byte[] state = blob(tree, STATE).orElseThrow(() -> new RegistryException(
                    "registry inconsistent: " + model + " at " + commitId.abbreviate(8).name() + " has no " + STATE));
            return new Snapshot(model, commitId, tree, json.read(state, ModelState.class, refName(model) + ":" + STATE));
        }
    }

    Optional<ModelVersion> version(Snapshot s, String version) {
        if (!s.exists()) {
            return Optional.empty();
        }
        try {
            return blob(s.tree(), VERSIONS + "/" + version + ".json")
                    .map(b -> json.read(b, ModelVersion.class, s.model() + "@" + version));
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot read " + s.model() + "@" + version + ": " + e.getMessage(), e);
        }
    }

    List<ModelVersion> versions(Snapshot s) {
        List<ModelVersion> all = new ArrayList<>();
        if (!s.exists()) {
            return all;
        }
        try (ObjectReader reader = repo.newObjectReader();
             TreeWalk walk = TreeWalk.forPath(reader, VERSIONS, s.tree())) {
            if (walk == null) {
                return all;
            }
            walk.enterSubtree();
            while (walk.next()) {
                byte[] b = reader.open(walk.getObjectId(0)).getCachedBytes();
                all.add(json.read(b, ModelVersion.class, s.model() + "/" + walk.getPathString()));
            }
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot list versions of " + s.model() + ": " + e.getMessage(), e);
        }
        // Parsed once each, not once per comparison: a model may have thousands of versions.
        java.util.IdentityHashMap<ModelVersion, SemVer> parsed = new java.util.IdentityHashMap<>();
        all.forEach(v -> parsed.put(v, SemVer.parse(v.version())));
        all.sort(java.util.Comparator.comparing(parsed::get));
        return all;
    }

    /**
     * A registered version other than {@code version} with the same precedence, that is, one that
     * differs from it only in build metadata ({@code v1.0.0+a} for {@code v1.0.0+b} or {@code v1.0.0}).
     * Reads the names in the versions tree only, no version record.
     */
    Optional<String> samePrecedence(Snapshot s, String version) {
        if (!s.exists()) {
            return Optional.empty();
        }
        SemVer wanted = SemVer.parse(version);
        // Every candidate starts with the text before '+' (one SemVer has one spelling without its build).
        int plus = version.indexOf('+');
        String prefix = plus < 0 ? version : version.substring(0, plus);
        try (ObjectReader reader = repo.newObjectReader();
             TreeWalk walk = TreeWalk.forPath(reader, VERSIONS, s.tree())) {
            if (walk == null) {
                return Optional.empty();
            }
            for (CanonicalTreeParser p = new CanonicalTreeParser(null, reader, walk.getObjectId(0)); !p.eof(); p.next()) {
                String name = p.getEntryPathString();
                if (!name.startsWith(prefix) || !name.endsWith(".json")) {
                    continue;
                }
                String other = name.substring(0, name.length() - ".json".length());
                if (!other.equals(version) && SemVer.tryParse(other).filter(wanted::hasSamePrecedence).isPresent()) {
                    return Optional.of(other);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot list versions of " + s.model() + ": " + e.getMessage(), e);
        }
    }

    List<String> models() {
        if (!exists()) {
            return List.of();
        }
        try {
            return repo.getRefDatabase().getRefsByPrefix(MODELS).stream()
                    .map(r -> r.getName().substring(MODELS.length())).sorted().toList();
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot list models: " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> blob(ObjectId tree, String path) throws IOException {
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            return walk == null ? Optional.empty() : Optional.of(reader.open(walk.getObjectId(0)).getCachedBytes());
        }
    }

    /** Writes the objects of a change on top of {@code s} and returns the new commit; no ref moves. */
    ObjectId write(Snapshot s, Decision.Change change, PersonIdent author) throws IOException {
        RegistryInputs.checkStored(change);
        ensureCreated();
        try (ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader()) {
            TreeMap<String, ObjectId> versions = new TreeMap<>();
            if (s.exists()) {
                try (TreeWalk walk = TreeWalk.forPath(reader, VERSIONS, s.tree())) {
                    if (walk != null) {
                        CanonicalTreeParser p = new CanonicalTreeParser(null, reader, walk.getObjectId(0));
                        for (; !p.eof(); p.next()) {
                            versions.put(p.getEntryPathString(), p.getEntryObjectId());
                        }
                    }
                }
            }
            for (ModelVersion v : change.versions()) {
                versions.put(v.version() + ".json", ins.insert(Constants.OBJ_BLOB, json.write(v)));
            }
            TreeFormatter versionTree = new TreeFormatter();
            versions.forEach((name, id) -> versionTree.append(name, FileMode.REGULAR_FILE, id));
            // Entries in Git's order (by name): event.json, state.json, versions.
            TreeFormatter root = new TreeFormatter();
            root.append(EVENT, FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, json.write(change.event())));
            root.append(STATE, FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, json.write(change.after())));
            root.append(VERSIONS, FileMode.TREE, ins.insert(versionTree));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(ins.insert(root));
            if (s.exists()) {
                commit.setParentId(s.commit());
            }
            commit.setAuthor(author);
            commit.setCommitter(new PersonIdent("Modelgate", "modelgate@localhost", author.getWhenAsInstant(),
                    author.getZoneId()));
            commit.setMessage(message(change.event()));
            ObjectId id = ins.insert(commit);
            ins.flush();
            return id;
        }
    }

    /**
     * The commit message: a subject, the reason, and trailers for people reading {@code git log},
     * ending in the event as one line of JSON. Every piece is a checked name or escaped text (see
     * {@link RegistryInputs#checkStored}), so each is one line; the event itself is read from the
     * tree ({@link #event}).
     */
    private String message(RegistryEvent e) {
        StringBuilder m = new StringBuilder(e.describe()).append("\n\n");
        if (!e.reason().isEmpty()) {
            m.append("Reason: ").append(e.reason()).append("\n\n");
        }
        m.append("Modelgate-Seq: ").append(e.seq()).append('\n');
        if (!e.approver().isEmpty()) {
            m.append("Approved-By: ").append(e.approver()).append('\n');
        }
        if (!e.build().buildUrl().isEmpty()) {
            m.append("Modelgate-Build: ").append(e.build().buildUrl()).append('\n');
        }
        m.append(EVENT_TRAILER).append(json.writeLine(e)).append('\n');
        String message = m.toString();
        if (message.indexOf('\0') >= 0 || message.indexOf('\r') >= 0) {
            throw new IllegalStateException("a registry commit message would hold a NUL or carriage return");
        }
        return message;
    }

    /**
     * The event a commit records: its tree's {@code event.json}, the one place text cannot imitate.
     * A commit written before events were kept in the tree has only its message; then the event is
     * the message's last line, which must be the trailer (anything after it means the message was
     * not written by Modelgate).
     */
    RegistryEvent event(RevCommit c) {
        try {
            Optional<byte[]> stored = blob(c.getTree().getId(), EVENT);
            if (stored.isPresent()) {
                return json.read(stored.get(), RegistryEvent.class, "commit " + c.abbreviate(8).name() + ":" + EVENT);
            }
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot read commit " + c.abbreviate(8).name() + ": " + e.getMessage(), e);
        }
        return trailerEvent(c).orElseThrow(() -> new RegistryException("commit " + c.abbreviate(8).name()
                + " has no " + EVENT + " and does not end in a " + EVENT_TRAILER.trim()
                + " trailer: it was not written by Modelgate"));
    }

    /** Whether the commit keeps its event in its tree (every commit written by this version does). */
    boolean hasTreeEvent(RevCommit c) throws IOException {
        return blob(c.getTree().getId(), EVENT).isPresent();
    }

    /** The event in the last line of a commit's message, if that line is the trailer and the message ends there. */
    Optional<RegistryEvent> trailerEvent(RevCommit c) {
        String message = c.getFullMessage();
        if (!message.endsWith("\n")) {
            return Optional.empty();
        }
        String body = message.substring(0, message.length() - 1);
        String last = body.substring(body.lastIndexOf('\n') + 1);
        if (!last.startsWith(EVENT_TRAILER)) {
            return Optional.empty();
        }
        return Optional.of(json.read(last.substring(EVENT_TRAILER.length()), RegistryEvent.class,
                "commit " + c.abbreviate(8).name()));
    }

    /**
     * Moves refs (a model's, and GTO's tags with it; the configuration; a rollout's) together or not
     * at all, each only if it still has its expected value; false when another writer moved one.
     * Locks left by killed writers are removed ({@link RefStore#compareAndSwap}), except a lock path
     * that is another model's ref ({@link #keepLockThatIsAModel}).
     */
    boolean compareAndSwap(List<RefChange> changes, String reason) {
        ensureCreated();
        return refs.compareAndSwap(changes, reason, this::keepLockThatIsAModel);
    }

    /**
     * A registry written before model names ending in {@code .lock} were refused may hold a model
     * {@code x.lock}, whose ref is the path of the lock file of model {@code x}; removing it as a
     * stale lock would delete that model's history. Such a file holds the id of a commit of another
     * model; a lock holds nothing or the id of a commit of {@code x}.
     */
    private void keepLockThatIsAModel(String ref, Path lock) {
        if (ref.startsWith(MODELS) && isAnotherModelsRef(lock, ref.substring(MODELS.length()))) {
            String model = ref.substring(MODELS.length());
            throw new RegistryException(ref + ".lock is the ref of another model (a model named '" + model
                    + ".lock', written by an older version): Git takes that path for the lock of " + model
                    + ", so " + model + " cannot change until that model is renamed with plain Git");
        }
    }

    /** Whether {@code lock} holds the id of a commit of a model other than {@code model}: a ref, not a lock. */
    private boolean isAnotherModelsRef(Path lock, String model) {
        try {
            byte[] b = Files.readAllBytes(lock);
            String text = new String(b, 0, Math.min(b.length, 100), StandardCharsets.US_ASCII).trim();
            if (!ObjectId.isId(text)) {
                return false;
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit c = walk.parseCommit(ObjectId.fromString(text));
                Optional<byte[]> state = blob(c.getTree().getId(), STATE);
                return state.isPresent() && !model.equals(json.read(state.get(), ModelState.class, lock.toString()).model());
            }
        } catch (IOException | RuntimeException e) {
            return false; // not a readable commit of any model: a lock, or junk
        }
    }

    /**
     * Files in the models' ref folder named {@code NAME.lock} that hold a commit of a model other
     * than NAME: refs of models named {@code NAME.lock}, made by an older version. Git does not list
     * them as refs (it takes them for locks), so {@link #heads} cannot show them.
     */
    List<String> lockNamedRefs() {
        List<String> found = new ArrayList<>();
        if (!exists()) {
            return found;
        }
        Path models = repo.getDirectory().toPath().resolve(MODELS);
        if (!Files.isDirectory(models, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return found;
        }
        try (var files = Files.list(models)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".lock") && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && isAnotherModelsRef(f, name.substring(0, name.length() - ".lock".length()))) {
                    found.add(name);
                }
            }
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot list " + models + ": " + e.getMessage(), e);
        }
        return found;
    }

    Map<String, ObjectId> heads() throws IOException {
        Map<String, ObjectId> heads = new TreeMap<>();
        if (!exists()) {
            return heads;
        }
        for (Ref r : repo.getRefDatabase().getRefsByPrefix(MODELS)) {
            heads.put(r.getName().substring(MODELS.length()), r.getObjectId());
        }
        return heads;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        refs.close();
    }
}
