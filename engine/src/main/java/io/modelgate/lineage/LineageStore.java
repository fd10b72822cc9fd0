package io.modelgate.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.common.Digests;
import io.modelgate.common.Names;
import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.store.GitCredentials;
import io.modelgate.store.GitRemote;
import io.modelgate.store.RefChange;
import io.modelgate.store.RefStore;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Lineage records in the registry's Git repository, on their own ref {@code refs/modelgate/lineage}.
 * One commit per record; the tree holds the record and the indexes the questions need, each a path
 * lookup, so answering does not read all records:
 * <pre>
 * records/ab/&lt;id&gt;.json                  the record
 * by-input/ab/&lt;digest&gt;/&lt;id&gt;            runs that read a data set
 * by-output/ab/&lt;digest&gt;/&lt;id&gt;           runs that wrote it
 * by-model/&lt;name&gt;/&lt;version&gt;/&lt;id&gt;      runs that produced a model version
 * by-parent/ab/&lt;parent&gt;/&lt;id&gt;           runs that continue a run
 * </pre>
 */
public final class LineageStore implements AutoCloseable {
    static final String REF = "refs/modelgate/lineage";
    private static final int ATTEMPTS = 200;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** The registry's repository and the one way its refs change; created by the first record saved. */
    private final RefStore refs;
    /** {@code refs}' repository once it exists: a refused record leaves nothing on disk. */
    private Repository repo;
    private final ObjectMapper json = mapper();

    private LineageStore(RefStore refs) {
        this.refs = refs;
        this.repo = refs.repository().orElse(null);
    }

    /**
     * Opens the lineage store of a registry: a directory, or a Git URL whose local cache (shared
     * with the registry) lives under {@code cacheRoot}; records are then pushed with the expected
     * old value of the lineage ref, like registry changes.
     */
    public static LineageStore open(String location, Path cacheRoot, Optional<GitCredentials> credentials) {
        return new LineageStore(GitRemote.isRemote(location) ? RefStore.remote(location, cacheRoot, credentials)
                : RefStore.open(Path.of(location)));
    }

    /**
     * Opens the lineage store of a registry that must exist, for commands that only read:
     * "no registry at PATH" (bad input) when the directory holds none, and nothing is created.
     */
    public static LineageStore openExisting(String location, Path cacheRoot, Optional<GitCredentials> credentials) {
        return new LineageStore(GitRemote.isRemote(location) ? RefStore.remote(location, cacheRoot, credentials)
                : RefStore.openExisting(Path.of(location)));
    }

    /**
     * Opens the bare repository at {@code dir} (the registry's, by default); one that does not
     * exist yet is created by the first record saved.
     */
    public static LineageStore open(Path dir) {
        return new LineageStore(RefStore.open(dir));
    }

    private Repository ensureCreated() {
        if (repo == null) {
            repo = refs.create();
        }
        return repo;
    }

    static ObjectMapper mapper() {
        return io.modelgate.common.RecordJson.mapper();
    }

    /** The content address of a record: SHA-256 of its canonical JSON with an empty id. */
    static String idOf(LineageRecord r, ObjectMapper json) {
        try {
            return Digests.sha256(json.writeValueAsBytes(r.withId("")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a lineage record", e);
        }
    }

    /** Stores a record (its id is computed here); storing the same record again changes nothing. */
    public LineageRecord save(LineageRecord unsaved) {
        LineageRecord clean = clean(unsaved);
        LineageRecord r = clean.withId(idOf(clean, json));
        ensureCreated();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                refs.fetch();
            }
            try {
                Ref ref = repo.exactRef(REF);
                ObjectId old = ref == null ? ObjectId.zeroId() : ref.getObjectId();
                ObjectId oldTree = null;
                if (ref != null) {
                    try (RevWalk walk = new RevWalk(repo)) {
                        oldTree = walk.parseCommit(old).getTree().getId();
                    }
                    if (blob(oldTree, recordPath(r.id())).isPresent()) {
                        return r;
                    }
                }
                ObjectId commit = write(r, old, oldTree);
                // Waits for a lock held by another writer (at most 30 s) and removes one a killed writer left.
                if (refs.compareAndSwap(List.of(new RefChange(REF, old, commit)), "record lineage " + r.id())) {
                    return r;
                }
            } catch (IOException e) {
                throw new LineageException(LineageException.Kind.EXTERNAL, "cannot write to the lineage store "
                        + repo.getDirectory() + ": " + e.getMessage(), e);
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 2 + Math.min(50, attempt * 3)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LineageException(LineageException.Kind.EXTERNAL, "interrupted", e);
            }
        }
        throw new LineageException(LineageException.Kind.EXTERNAL, "gave up storing lineage: too many concurrent writers", null);
    }

    private ObjectId write(LineageRecord r, ObjectId old, ObjectId oldTree) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader()) {
            ObjectId empty = ins.insert(Constants.OBJ_BLOB, new byte[0]);
            Map<String, ObjectId> paths = new LinkedHashMap<>();
            paths.put(recordPath(r.id()), ins.insert(Constants.OBJ_BLOB,
                    json.writerWithDefaultPrettyPrinter().writeValueAsBytes(r)));
            for (Dataset d : r.inputs()) {
                paths.put(indexPath("by-input", d.sha256()) + "/" + r.id(), empty);
            }
            for (Dataset d : r.outputs()) {
                paths.put(indexPath("by-output", d.sha256()) + "/" + r.id(), empty);
            }
            for (String m : r.models()) {
                paths.put("by-model/" + m.replace('@', '/') + "/" + r.id(), empty);
            }
            for (String p : r.parents()) {
                paths.put(indexPath("by-parent", p) + "/" + r.id(), empty);
            }
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(TreeEdits.put(reader, ins, oldTree, paths));
            if (!old.equals(ObjectId.zeroId())) {
                c.setParentId(old);
            }
            PersonIdent who = new PersonIdent("Modelgate", "modelgate@localhost", r.endedAt(), java.time.ZoneOffset.UTC);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage("record lineage of " + r.namespace() + "/" + r.job() + "\n\nModelgate-Lineage: " + r.id() + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    /**
     * Checks the names a record would write into Git, before anything is digested or stored: the
     * job and namespace (in the commit message), model references and parent ids (paths in the
     * tree), parameter and metric names. Each is refused with a one-line error naming it.
     */
    public static void checkNames(String job, String namespace, Map<String, String> params,
                                  java.util.Collection<String> metricNames, List<String> models) {
        Sanitizer.identifier("job", job);
        Sanitizer.identifier("namespace", namespace);
        params.keySet().forEach(k -> Sanitizer.identifier("parameter name", k));
        metricNames.forEach(k -> Sanitizer.identifier("metric name", k));
        for (String m : models) {
            Sanitizer.identifier("model", m);
            int at = m.indexOf('@');
            if (at <= 0 || at == m.length() - 1) {
                throw new LineageException("model '" + m + "': expected NAME@VERSION, e.g. churn@v1.4.0");
            }
            Names.ref("model name", m.substring(0, at));
            Names.ref("model version", m.substring(at + 1));
        }
    }

    /**
     * The record as stored: its names checked ({@link #checkNames}), digests and ids that are hex
     * (they become paths in the tree), every URL's credentials hidden (data set URIs, the code's
     * remote, the build's URL, parameter values), and any control character in other text written
     * as an escape, so nothing in a record can add a line to its commit or reveal a password.
     */
    static LineageRecord clean(LineageRecord r) {
        checkNames(r.job(), r.namespace(), r.params(), r.metrics().keySet(), r.models());
        for (String p : r.parents()) {
            if (!SHA256.matcher(p).matches()) {
                throw new LineageException("parent '" + Sanitizer.escape(p) + "' is not a lineage record id (64 hex characters)");
            }
        }
        Map<String, String> params = new java.util.TreeMap<>();
        r.params().forEach((k, v) -> params.put(k, text(v)));
        CodeVersion code = r.code() == null ? CodeVersion.NONE : new CodeVersion(text(r.code().commit()),
                text(r.code().branch()), text(r.code().remoteUrl()), r.code().dirty(), text(r.code().diffSha256()));
        RunEnvironment env = r.environment();
        if (env != null) {
            Map<String, String> build = new java.util.TreeMap<>();
            env.build().forEach((k, v) -> build.put(text(k), text(v)));
            Map<String, String> locks = new java.util.TreeMap<>();
            env.lockFiles().forEach((k, v) -> locks.put(text(k), text(v)));
            env = new RunEnvironment(text(env.java()), text(env.os()), env.cpus(), locks, build);
        }
        return new LineageRecord(r.id(), r.job(), r.namespace(), text(r.runId()), r.startedAt(), r.endedAt(), r.succeeded(),
                datasets(r.inputs()), datasets(r.outputs()), params, r.metrics(), r.parents(), r.models(), code, env);
    }

    private static List<Dataset> datasets(List<Dataset> in) {
        List<Dataset> out = new ArrayList<>();
        for (Dataset d : in) {
            if (!SHA256.matcher(d.sha256()).matches()) {
                throw new LineageException("data set " + text(d.uri()) + ": digest '" + Sanitizer.escape(d.sha256())
                        + "' is not a SHA-256 (64 hex characters)");
            }
            out.add(new Dataset(text(d.uri()), d.sha256(), d.size(), d.files(), d.csvHeader().stream()
                    .map(LineageStore::text).toList(), d.csvRows()));
        }
        return out;
    }

    /** Text as stored: URL credentials hidden, control characters escaped (both harmless to repeat). */
    private static String text(String s) {
        return s == null ? "" : Sanitizer.terminal(Redactor.redactUrls(s));
    }

    private static String recordPath(String id) {
        return "records/" + id.substring(0, 2) + "/" + id + ".json";
    }

    private static String indexPath(String index, String key) {
        return index + "/" + key.substring(0, Math.min(2, key.length())) + "/" + key;
    }

    /** A record by its id or a unique prefix of at least 6 characters. */
    public Optional<LineageRecord> find(String idOrPrefix) {
        String p = idOrPrefix.trim().toLowerCase(java.util.Locale.ROOT);
        if (p.length() < 6 || !p.matches("[0-9a-f]+")) {
            throw new LineageException("'" + idOrPrefix + "' is not a lineage record id (hex, at least 6 characters)");
        }
        try {
            Optional<ObjectId> tree = tree();
            if (tree.isEmpty()) {
                return Optional.empty();
            }
            if (p.length() == 64) {
                return blob(tree.get(), recordPath(p)).map(this::parse);
            }
            List<String> matches = names(tree.get(), "records/" + p.substring(0, 2)).stream()
                    .filter(n -> n.startsWith(p)).toList();
            if (matches.size() > 1) {
                throw new LineageException("'" + idOrPrefix + "' matches " + matches.size() + " records; give more characters");
            }
            return matches.isEmpty() ? Optional.empty()
                    : blob(tree.get(), "records/" + p.substring(0, 2) + "/" + matches.get(0)).map(this::parse);
        } catch (IOException e) {
            throw new LineageException(LineageException.Kind.EXTERNAL, "cannot read the lineage store: " + e.getMessage(), e);
        }
    }

    public List<String> producersOf(String digest) {
        return index(indexPath("by-output", digest));
    }

    public List<String> consumersOf(String digest) {
        return index(indexPath("by-input", digest));
    }

    public List<String> producersOfModel(String model, String version) {
        return index("by-model/" + model + "/" + version);
    }

    public List<String> childrenOf(String id) {
        return index(indexPath("by-parent", id));
    }

    /**
     * Checks every lineage record in {@code repo}: each file is named by the content address of
     * what it holds (its id recomputed from its fields), so a parameter or digest rewritten inside a
     * stored record shows. One sentence per problem; empty when the lineage ref is sound or absent.
     */
    public static List<String> verify(Repository repo) {
        List<String> problems = new ArrayList<>();
        ObjectMapper json = mapper();
        try {
            Ref ref = repo.exactRef(REF);
            if (ref == null) {
                return problems;
            }
            try (RevWalk rw = new RevWalk(repo); ObjectReader reader = repo.newObjectReader();
                 TreeWalk walk = new TreeWalk(reader)) {
                walk.addTree(rw.parseCommit(ref.getObjectId()).getTree());
                walk.setRecursive(true);
                walk.setFilter(org.eclipse.jgit.treewalk.filter.PathFilter.create("records"));
                while (walk.next()) {
                    String file = walk.getNameString();
                    String named = file.endsWith(".json") ? file.substring(0, file.length() - ".json".length()) : file;
                    LineageRecord r;
                    try {
                        r = json.readValue(reader.open(walk.getObjectId(0)).getCachedBytes(), LineageRecord.class);
                    } catch (IOException e) {
                        problems.add(REF + ":" + walk.getPathString() + " is not a lineage record: "
                                + e.getMessage().lines().findFirst().orElse(""));
                        continue;
                    }
                    String actual = idOf(r, json);
                    if (!actual.equals(named) || !actual.equals(r.id())) {
                        problems.add("lineage record " + named.substring(0, Math.min(12, named.length())) + " was changed "
                                + "after it was recorded: its content hashes to " + actual.substring(0, 12)
                                + " (a record's id is the digest of its fields)");
                    }
                }
            }
        } catch (IOException e) {
            problems.add(REF + " cannot be read: " + e.getMessage());
        }
        return problems;
    }

    LineageRecord get(String id) {
        return find(id).orElseThrow(() -> new LineageException("unknown lineage record " + id));
    }

    private List<String> index(String path) {
        try {
            Optional<ObjectId> tree = tree();
            return tree.isEmpty() ? List.of() : names(tree.get(), path);
        } catch (IOException e) {
            throw new LineageException(LineageException.Kind.EXTERNAL, "cannot read the lineage store: " + e.getMessage(), e);
        }
    }

    private Optional<ObjectId> tree() throws IOException {
        if (repo == null) {
            // Created since this store was opened (by the registry on the same directory, or another process)?
            repo = refs.repository().orElse(null);
        }
        if (repo == null) {
            return Optional.empty();
        }
        Ref ref = repo.exactRef(REF);
        if (ref == null) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repo)) {
            return Optional.of(walk.parseCommit(ref.getObjectId()).getTree().getId());
        }
    }

    private List<String> names(ObjectId tree, String path) throws IOException {
        List<String> out = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            if (walk == null || !walk.isSubtree()) {
                return out;
            }
            for (CanonicalTreeParser p = new CanonicalTreeParser(null, reader, walk.getObjectId(0)); !p.eof(); p.next()) {
                out.add(p.getEntryPathString());
            }
        }
        return out;
    }

    private Optional<byte[]> blob(ObjectId tree, String path) throws IOException {
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = TreeWalk.forPath(reader, path, tree)) {
            return walk == null ? Optional.empty() : Optional.of(reader.open(walk.getObjectId(0)).getCachedBytes());
        }
    }

    private LineageRecord parse(byte[] bytes) {
        try {
            return json.readValue(bytes, LineageRecord.class);
        } catch (IOException e) {
            throw new LineageException("unreadable lineage record: " + new String(bytes, 0, Math.min(60, bytes.length),
                    StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        refs.close();
    }
}
