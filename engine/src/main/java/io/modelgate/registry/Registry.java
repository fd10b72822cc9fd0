package io.modelgate.registry;

import io.modelgate.store.GitCredentials;
import io.modelgate.store.GitRemote;
import io.modelgate.store.RefChange;
import io.modelgate.store.RefStore;
import io.modelgate.common.Digests;
import io.modelgate.common.Redactor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The model registry backed by Git: a local bare repository, or a cache of a shared Git remote.
 * Every change is one commit on the model's ref, made with compare-and-swap and retried when
 * another writer got there first.
 */
public final class Registry implements AutoCloseable {
    /** Attempts lost to other writers before giving up; waiting for locks is bounded by the store (30 s). */
    private static final int ATTEMPTS = 200;

    private final GitStore store;
    private final RegistryConfig config;
    private final String location;
    /** Replaced by {@link #withHookEnvironment}, which a caller uses right after opening. */
    private volatile HookDelivery hooks;

    private Registry(GitStore store, RegistryConfig config, String location) {
        this.store = store;
        this.config = config;
        this.location = location;
        this.hooks = new HookDelivery(config.hooks(), System.getenv(), HookDelivery.DEFAULT_BASE_DELAY, store.json());
    }

    /**
     * Takes the hooks' secrets ({@code secret_env}) and the environment of command hooks from
     * {@code env} rather than this process's own environment: a Jenkins build's variables are not the
     * agent JVM's. Returns this registry.
     */
    public Registry withHookEnvironment(Map<String, String> env) {
        hooks = hooks.withEnvironment(env);
        return this;
    }

    /** Hooks retried after {@code base}, then twice as long each time; tests keep it short. */
    Registry withHookBaseDelay(java.time.Duration base) {
        hooks = hooks.withBaseDelay(base);
        return this;
    }

    /**
     * Opens the registry at {@code location} for reading and writing: a directory (created by the
     * first change, so a refused change leaves nothing on disk) or a Git URL, whose local cache is
     * kept under {@code cacheRoot}.
     */
    public static Registry open(String location, Path cacheRoot, RegistryConfig config) {
        return open(location, cacheRoot, config, Optional.empty());
    }

    /** As {@link #open(String, Path, RegistryConfig)}, with credentials for an HTTPS remote. */
    public static Registry open(String location, Path cacheRoot, RegistryConfig config,
                                Optional<GitCredentials> credentials) {
        return open(location, cacheRoot, config, credentials, GitStore::open);
    }

    /**
     * Opens a registry that must exist, for commands that only read: a directory that holds no
     * registry is "no registry at PATH" (bad input), and nothing is created, neither the registry
     * nor a directory. A Git URL is fetched into its cache as for {@link #open}; a cache is made
     * only once the first fetch succeeded.
     */
    public static Registry openExisting(String location, Path cacheRoot, RegistryConfig config,
                                        Optional<GitCredentials> credentials) {
        return open(location, cacheRoot, config, credentials, GitStore::openExisting);
    }

    /** The two openers differ only in how a directory is opened: {@code local}, which may or may not create it. */
    private static Registry open(String location, Path cacheRoot, RegistryConfig config,
                                 Optional<GitCredentials> credentials, BiFunction<Path, RegistryJson, GitStore> local) {
        if (GitRemote.isRemote(location)) {
            return remote(location, cacheRoot, config, credentials);
        }
        GitStore store = local.apply(Path.of(location), new RegistryJson());
        return new Registry(store, effective(store, config), location);
    }

    private static Registry remote(String location, Path cacheRoot, RegistryConfig config,
                                   Optional<GitCredentials> credentials) {
        // A new cache is filled before it is put in place, so a remote that cannot be reached leaves no
        // cache behind, and two processes that make the same cache at once both succeed.
        GitStore store = GitStore.of(RefStore.remote(location, cacheRoot, credentials), new RegistryJson());
        try {
            return new Registry(store, effective(store, config), Redactor.url(location));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** What {@link #acceptRewrite} followed, and the events it recorded for the models among them. */
    public record AcceptedRewrite(List<io.modelgate.store.RefRewrite> rewrites, List<Outcome> recorded) {
        public AcceptedRewrite {
            rewrites = List.copyOf(rewrites);
            recorded = List.copyOf(recorded);
        }
    }

    /**
     * Fetches a registry shared through a Git remote, following refs whose history the remote
     * rewrote or moved back (which every other fetch refuses), and records on each model so followed
     * an {@code accept-rewrite} event naming both commits, who accepted, and why, pushed on top of
     * the new history. The cache's reflog keeps the old commits. Refs other than models' (lineage,
     * configuration, rollouts) are followed and reported, and have no history of events to record in.
     */
    public static AcceptedRewrite acceptRewrite(String location, Path cacheRoot, RegistryConfig config,
                                                Optional<GitCredentials> credentials, String reason, Actor actor) {
        if (!GitRemote.isRemote(location)) {
            throw new RegistryException("--accept-rewrite: " + location + " is a directory, not a Git remote; only a "
                    + "registry shared through a remote is fetched");
        }
        String why = RegistryInputs.freeText(reason);
        if (why.isBlank()) {
            throw new RegistryException("--accept-rewrite needs a reason: who checked the new history, and why it is right");
        }
        io.modelgate.store.RefStore.Followed followed =
                io.modelgate.store.RefStore.remoteFollowingRewrites(location, cacheRoot, credentials);
        GitStore store = GitStore.of(followed.store(), new RegistryJson());
        try (Registry r = new Registry(store, effective(store, config), Redactor.url(location))) {
            List<Outcome> recorded = new java.util.ArrayList<>();
            for (io.modelgate.store.RefRewrite w : followed.rewrites()) {
                if (w.ref().startsWith(GitStore.MODELS)) {
                    String model = w.ref().substring(GitStore.MODELS.length());
                    String text = "history of " + w.ref() + " rewritten on the remote from " + w.from().substring(0, 12)
                            + " to " + w.to().substring(0, 12) + "; accepted: " + why;
                    recorded.add(r.update(model, s -> Changes.acceptRewrite(s.state(), text, actor), actor));
                }
            }
            return new AcceptedRewrite(followed.rewrites(), recorded);
        }
    }

    /**
     * The registry's own configuration wins over the workspace's, so every agent that shares a
     * registry enforces the same promotion rules; GTO tags are written if either asks for them. Hooks
     * are both: the registry's own, which every agent delivers to, then the workspace's, which only
     * this one does (a hook only hears of changes, so adding one cannot weaken a rule).
     */
    private static RegistryConfig effective(GitStore store, RegistryConfig workspace) {
        return store.storedConfig()
                .map(yaml -> RegistryConfigReader.parse("registry configuration (" + GitStore.CONFIG_REF + ")", yaml))
                .map(stored -> stored.gtoTags() || !workspace.gtoTags() ? stored : stored.withGtoTags(true))
                .map(stored -> stored.withHooks(java.util.stream.Stream.concat(stored.hooks().stream(),
                        workspace.hooks().stream()).distinct().toList()))
                .orElse(workspace);
    }

    /**
     * Stores {@code yaml} (a file with a {@code registry:} section, checked first) as the registry's
     * own configuration, an audited commit on {@code refs/modelgate/config}.
     */
    public RegistryConfig configure(String source, String yaml, Actor actor) {
        RegistryConfig parsed = RegistryConfigReader.parseToStore(source, yaml);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                store.fetch();
            }
            try {
                if (store.compareAndSwap(List.of(store.writeConfig(yaml, author(actor))), "configure")) {
                    return parsed;
                }
            } catch (IOException e) {
                throw RegistryException.unreachable("cannot write to the registry " + location + ": " + e.getMessage(), e);
            }
            backoff(attempt);
        }
        throw RegistryException.unreachable("gave up configuring the registry: other writers kept changing it", null);
    }

    public RegistryConfig config() {
        return config;
    }

    public String location() {
        return location;
    }

    public List<String> models() {
        return store.models();
    }

    public ModelState state(String model) {
        return existing(model).state();
    }

    public List<ModelVersion> versions(String model) {
        return store.versions(existing(model));
    }

    public ModelVersion version(String model, String version) {
        GitStore.Snapshot s = existing(model);
        RegistryInputs.version(version);
        return known(s, version);
    }

    /**
     * Resolves {@code NAME@X} where X is a version, a stage, an alias or {@code latest};
     * {@code NAME} alone means its latest version.
     */
    public ModelVersion resolve(String reference) {
        RegistryInputs.reference(reference);
        int at = reference.indexOf('@');
        String model = at < 0 ? reference : reference.substring(0, at);
        String what = at < 0 ? "latest" : reference.substring(at + 1);
        GitStore.Snapshot s = existing(model);
        ModelState st = s.state();
        String version;
        if (RegistryInputs.isVersion(what)) {
            version = what;
        } else if (what.equals("latest")) {
            version = st.latest();
        } else if (config.stages().containsKey(what)) {
            List<String> holders = st.holders(what);
            if (holders.isEmpty()) {
                throw new RegistryException(model + " has no version in " + what);
            }
            version = holders.get(0);
        } else if (st.aliases().containsKey(what)) {
            version = st.aliases().get(what);
        } else {
            throw new RegistryException("'" + what + "' in " + reference + " is not a version, stage or alias of " + model
                    + "; stages: " + String.join(", ", config.stages().keySet())
                    + (st.aliases().isEmpty() ? "" : "; aliases: " + String.join(", ", st.aliases().keySet())));
        }
        if (st.deregistered().contains(version)) {
            throw new RegistryException(model + "@" + version + " was deregistered"
                    + (what.equals(version) ? "" : " (it was " + what + ")"));
        }
        return store.version(s, version).orElseThrow(() -> unknownVersion(s, what));
    }

    /** What to register: the artifact is read and digested here, never trusted from the caller. */
    public record Registration(String model, Path artifact, String uri, String version, String bump,
                               String description, Map<String, String> tags) {
        public Registration {
            tags = Map.copyOf(tags);
        }
    }

    public Outcome register(Registration r, Actor actor) {
        // Every argument is checked before the artifact is read or anything is written.
        RegistryInputs.model(r.model());
        if (!r.version().isEmpty()) {
            RegistryInputs.version(r.version());
        }
        String description = RegistryInputs.freeText(r.description());
        Map<String, String> tags = RegistryInputs.tags(r.tags());
        String given = RegistryInputs.url("--uri", r.uri());
        if (given.isBlank()) {
            RegistryInputs.url("artifact path", r.artifact().toAbsolutePath().normalize().toString());
        }
        Digests.Digest digest;
        try {
            digest = Digests.of(r.artifact());
        } catch (NoSuchFileException e) {
            throw new RegistryException(r.artifact() + ": no such file or directory (the artifact must be local so its "
                    + "digest can be computed)");
        } catch (IOException e) {
            throw new RegistryException(r.artifact() + ": cannot read the artifact: " + e.getMessage());
        }
        String uri = given.isBlank() ? r.artifact().toAbsolutePath().normalize().toString() : given;
        Artifact artifact = new Artifact(uri, digest.sha256(), digest.size());
        return update(r.model(), s -> {
            if (s.state().deprecated()) {
                throw new RegistryException(r.model() + " is deprecated; register under a new model name");
            }
            String version = Changes.nextVersion(s.state(), r.version(), r.bump());
            if (store.version(s, version).isPresent()) {
                throw new RegistryException(r.model() + "@" + version + " is already registered");
            }
            refuseSamePrecedence(s, version);
            ModelVersion v = new ModelVersion(r.model(), version, artifact, actor.at(), actor.name(), actor.build(),
                    description, tags, "", actor.at(), List.of(), List.of(), List.of());
            return Changes.register(s.state(), v, actor);
        }, actor);
    }

    public Outcome promote(String model, String version, String stage, String approver, String reason, Actor actor) {
        return promote(model, version, stage, Approver.named(approver), reason, actor);
    }

    public Outcome promote(String model, String version, String stage, Approver approver, String reason, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        Changes.checkStage(config, RegistryInputs.stage(stage));
        RegistryInputs.approver(approver.name());
        approver.groups().forEach(g -> RegistryInputs.approver(g));
        String why = RegistryInputs.freeText(reason);
        return updateVersion(model, version, actor, (s, v) -> {
            if (config.rule(stage).verdict() != PromotionRule.RequiredVerdict.NONE && !stage.equals(config.archive())) {
                Optional<String> untrusted = Audit.verdictProvenance(store, s, config, v);
                if (untrusted.isPresent()) {
                    return new Decision.Refusal("promote " + v.ref() + " to " + stage, List.of(untrusted.get()));
                }
            }
            Map<String, ModelVersion> holders = registered(s, s.state().holders(stage));
            return Changes.promote(config, s.state(), v, holders, stage, approver, why, actor);
        });
    }

    public Outcome rollback(String model, String stage, Optional<String> to, String reason, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.stage(stage);
        to.ifPresent(RegistryInputs::version);
        String why = RegistryInputs.freeText(reason);
        return update(model, s -> {
            requireExisting(s);
            Map<String, ModelVersion> versions = registered(s, s.state().holders(stage));
            versions.putAll(registered(s, s.state().previous().getOrDefault(stage, List.of())));
            Optional<ModelVersion> target = to.map(t -> store.version(s, t).orElseThrow(() -> unknownVersion(s, t)));
            Decision d = Changes.rollback(config, s.state(), stage, target, versions, why, actor);
            if (d instanceof Decision.Change c && config.rule(stage).verdict() != PromotionRule.RequiredVerdict.NONE) {
                ModelVersion restored = versions.getOrDefault(c.event().version(), target.orElse(null));
                Optional<String> untrusted = restored == null ? Optional.empty()
                        : Audit.verdictProvenance(store, s, config, restored);
                if (untrusted.isPresent()) {
                    return new Decision.Refusal("roll " + model + " " + stage + " back to " + restored.version(),
                            List.of(untrusted.get()));
                }
            }
            return d;
        }, actor);
    }

    public Outcome setAlias(String model, String alias, String version, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.alias(alias);
        RegistryInputs.version(version);
        return updateVersion(model, version, actor, (s, v) ->
                Changes.setAlias(config, s.state(), alias, v, actor));
    }

    public Outcome removeAlias(String model, String alias, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.alias(alias);
        return update(model, s -> {
            requireExisting(s);
            return Changes.removeAlias(s.state(), alias, actor);
        }, actor);
    }

    public Outcome attachVerdict(String model, String version, VerdictRecord verdict, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        VerdictRecord clean = RegistryInputs.verdict(verdict);
        return updateVersion(model, version, actor, (s, v) ->
                Changes.attachVerdict(s.state(), v, clean, store.json().digest(clean), actor));
    }

    /**
     * Stores a gate verdict and its metrics against the version it judged: {@code NAME@VERSION}
     * (with {@code artifact}, its digest must be that version's), or {@code NAME}, which registers
     * {@code artifact} as the next version first.
     */
    public Outcome recordVerdict(String reference, Optional<Path> artifact, io.modelgate.gate.Verdict verdict,
                                 Actor actor) {
        RegistryInputs.reference(reference);
        int at = reference.indexOf('@');
        String model = at < 0 ? reference : reference.substring(0, at);
        String version;
        Outcome registered = null;
        if (at < 0) {
            Path file = artifact.orElseThrow(() -> new RegistryException("--register " + reference
                    + " registers a new version and needs --artifact; or name a version: " + reference + "@vX.Y.Z"));
            registered = register(new Registration(model, file, "", "", "patch",
                    "registered by validate (verdict " + verdict.status() + ")", Map.of()), actor);
            version = ((Decision.Change) registered.decision()).event().version();
        } else {
            version = resolve(reference).version();
        }
        ModelVersion v = version(model, version);
        String judged = v.artifact().sha256();
        if (artifact.isPresent() && at >= 0) {
            try {
                judged = Digests.of(artifact.get()).sha256();
            } catch (IOException e) {
                throw new RegistryException(artifact.get() + ": cannot read the artifact: " + e.getMessage());
            }
        }
        VerdictRecord record = new VerdictRecord(verdict.status().name(), verdict.summary(), verdict.evaluatedAt(),
                judged, verdict.candidate());
        Outcome attached = attachVerdict(model, version, record, actor);
        return registered == null ? attached : attached.withHookProblemsBefore(registered.hookProblems());
    }

    /** The metrics recorded with the latest verdict of {@code NAME@STAGE|ALIAS|VERSION}, to use as a gate's baseline. */
    public io.modelgate.metrics.MetricSet baselineMetrics(String reference) {
        ModelVersion v = resolve(reference);
        return v.latestVerdict().map(VerdictRecord::metrics).filter(m -> !m.isEmpty())
                .orElseThrow(() -> new RegistryException(reference + " (" + v.version() + ") has no recorded metrics; "
                        + "record them with validate --register " + v.ref()));
    }

    public Outcome linkLineage(String model, String version, String lineageId, Actor actor) {
        return updateVersion(model, version, lineageId, RegistryInputs::lineageId, Changes::linkLineage, actor);
    }

    public Outcome reject(String model, String version, String reason, Actor actor) {
        return updateVersion(model, version, reason, RegistryInputs::freeText, Changes::reject, actor);
    }

    /**
     * Sets a version's standing rejection aside, as an audited event of its own with who and why, so
     * it may be promoted or canaried again. Unchanged when no rejection stands.
     */
    public Outcome overrideReject(String model, String version, String reason, Actor actor) {
        return updateVersion(model, version, reason, RegistryInputs::freeText, Changes::overrideReject, actor);
    }

    /**
     * Sets ({@code set}) or removes tags of {@code NAME} (the model) or {@code NAME@VERSION}: an
     * audited event, as MLflow's registered-model and model-version tags.
     */
    public Outcome tags(String reference, Map<String, String> tags, boolean set, Actor actor) {
        Target t = target(reference);
        Map<String, String> clean = set ? RegistryInputs.tags(tags) : new java.util.TreeMap<>();
        if (!set) {
            tags.keySet().forEach(k -> clean.put(io.modelgate.common.Sanitizer.identifier("tag name", k), ""));
        }
        return update(t.model(), s -> {
            requireExisting(s);
            return Changes.tags(s.state(), t.version().map(v -> known(s, v)),
                    clean, set, actor);
        }, actor);
    }

    /** Replaces the description of {@code NAME} or {@code NAME@VERSION}, audited. */
    public Outcome describe(String reference, String description, Actor actor) {
        Target t = target(reference);
        String text = RegistryInputs.freeText(description);
        return update(t.model(), s -> {
            requireExisting(s);
            return Changes.describe(s.state(), t.version().map(v -> known(s, v)),
                    text, actor);
        }, actor);
    }

    /** Takes a version out of every stage and alias for good (GTO's deregister), audited with the reason. */
    public Outcome deregister(String model, String version, String reason, Actor actor) {
        return updateVersion(model, version, reason, RegistryInputs::freeText, Changes::deregister, actor);
    }

    /** Retires a whole model (GTO's deprecate): its stage holders are archived; nothing is registered or promoted again. */
    public Outcome deprecate(String model, String reason, Actor actor) {
        RegistryInputs.model(model);
        String why = RegistryInputs.freeText(reason);
        return update(model, s -> {
            requireExisting(s);
            Map<String, ModelVersion> holders = registered(s,
                    s.state().stages().values().stream().flatMap(List::stream).toList());
            return Changes.deprecate(config, s.state(), holders, why, actor);
        }, actor);
    }

    /**
     * Which versions {@link #list} returns: all filters must hold. {@code verdict} is the status of
     * the newest verdict for the version's artifact; deprecated models and deregistered versions are
     * left out unless {@code retired}.
     *
     * @param offset versions skipped (a page's start), in model then version order
     * @param limit  at most this many; 0 for all
     */
    public record Listing(Optional<String> model, Optional<String> stage, Map<String, String> tags,
                          Optional<String> verdict, boolean retired, int offset, int limit) {
        public Listing {
            tags = Map.copyOf(tags);
            if (offset < 0 || limit < 0) {
                throw new RegistryException("--offset and --limit must be 0 or more");
            }
        }
    }

    /** One page of versions matching {@code q}, and how many match in all. */
    public record Page(List<ModelVersion> versions, int total) {
        public Page {
            versions = List.copyOf(versions);
        }
    }

    public Page list(Listing q) {
        q.model().ifPresent(RegistryInputs::model);
        q.stage().ifPresent(st -> Changes.checkStage(config, st));
        q.verdict().ifPresent(v -> {
            if (!List.of("PASS", "WARN", "FAIL", "NONE").contains(v)) {
                throw new RegistryException("--verdict: expected PASS, WARN, FAIL or NONE, found '"
                        + io.modelgate.common.Sanitizer.escape(v) + "'");
            }
        });
        List<ModelVersion> page = new java.util.ArrayList<>();
        int total = 0;
        for (String model : q.model().map(List::of).orElseGet(this::models)) {
            GitStore.Snapshot s = existing(model);
            if (s.state().deprecated() && !q.retired()) {
                continue;
            }
            for (ModelVersion v : store.versions(s)) {
                if ((!q.retired() && s.state().deregistered().contains(v.version()))
                        || (q.stage().isPresent() && !q.stage().get().equals(v.stage()))
                        || !v.tags().entrySet().containsAll(q.tags().entrySet())
                        || (q.verdict().isPresent() && !q.verdict().get().equals(
                                v.latestVerdict().map(VerdictRecord::status).orElse("NONE")))) {
                    continue;
                }
                if (total >= q.offset() && (q.limit() == 0 || page.size() < q.limit())) {
                    page.add(v);
                }
                total++;
            }
        }
        return new Page(page, total);
    }

    private record Target(String model, Optional<String> version) {
    }

    private static Target target(String reference) {
        RegistryInputs.reference(reference);
        int at = reference.indexOf('@');
        if (at < 0) {
            return new Target(reference, Optional.empty());
        }
        String version = reference.substring(at + 1);
        RegistryInputs.version(version);
        return new Target(reference.substring(0, at), Optional.of(version));
    }

    boolean versionExists(String model, String version) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        GitStore.Snapshot s = store.read(model);
        return s.exists() && store.version(s, version).isPresent();
    }

    /** Imports a version whose artifact identity comes from elsewhere (GTO's tagged commit). */
    Outcome importVersion(String model, String version, Artifact artifact, String description, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        String about = RegistryInputs.freeText(description);
        Artifact clean = new Artifact(RegistryInputs.url("artifact uri", artifact.uri()), artifact.sha256(), artifact.size());
        return update(model, s -> {
            refuseSamePrecedence(s, version);
            return Changes.register(s.state(), new ModelVersion(model, version, clean, actor.at(), actor.name(),
                    actor.build(), about, Map.of(), "", actor.at(), List.of(), List.of(), List.of()), actor);
        }, actor);
    }

    /**
     * The registered version that {@code version} would duplicate: one differing only in build
     * metadata ({@code v1.0.0+b2} after {@code v1.0.0+b1}), if there is one.
     */
    Optional<String> registeredAs(String model, String version) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        return store.samePrecedence(store.read(model), version);
    }

    /**
     * Versions that differ only in build metadata have the same precedence (semver.org §10): neither
     * is the later one, so {@code latest} and rollback could not choose. The registry keeps one of them.
     */
    private void refuseSamePrecedence(GitStore.Snapshot s, String version) {
        Optional<String> other = store.samePrecedence(s, version);
        if (other.isPresent()) {
            throw new RegistryException(s.model() + "@" + version + " is the same version as the registered "
                    + other.get() + ": versions that differ only in build metadata (after '+') have the same"
                    + " precedence, and the registry keeps one of them");
        }
    }

    /** An imported assignment: history is replayed as it happened, so today's promotion rules do not apply. */
    Outcome importPromote(String model, String version, String stage, String reason, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        RegistryInputs.stage(stage);
        return promoteImported(model, version, stage, RegistryInputs.freeText(reason), actor);
    }

    private Outcome promoteImported(String model, String version, String stage, String reason, Actor actor) {
        RegistryConfig noRules = new RegistryConfig(config.stages(), config.archive(), Map.of(), config.gtoTags());
        return update(model, s -> {
            ModelVersion v = known(s, version);
            Map<String, ModelVersion> holders = registered(s, s.state().holders(stage));
            return Changes.promote(noRules, s.state(), v, holders, stage, Approver.NONE, reason, actor);
        }, actor);
    }

    /**
     * GTO shows the latest assignment still in effect, so unassigning the current holder brings the
     * previous one back: archive the version, then put the stage's previous holder back.
     */
    Outcome importUnassign(String model, String version, String stage, String text, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        RegistryInputs.stage(stage);
        String reason = RegistryInputs.freeText(text);
        Outcome archived = update(model, s -> {
            ModelVersion v = known(s, version);
            if (!stage.equals(v.stage())) {
                return new Decision.Unchanged(v.ref() + " is not in " + stage);
            }
            return Changes.promote(config, s.state(), v, Map.of(), config.archive(), Approver.NONE, reason, actor);
        }, actor);
        if (archived.applied()) {
            List<String> previous = archived.state().previous().getOrDefault(stage, List.of());
            if (!previous.isEmpty() && archived.state().holders(stage).isEmpty()) {
                Outcome back = promoteImported(model, previous.get(0), stage,
                        reason + " (the previous assignment is in effect again)", actor);
                return new Outcome(archived.decision(), archived.commit(), archived.state(),
                        java.util.stream.Stream.concat(archived.hookProblems().stream(), back.hookProblems().stream())
                                .toList());
            }
        }
        return archived;
    }

    /** Fetches what other agents changed, for a registry shared through a Git remote; nothing for a local one. */
    public void refresh() {
        store.fetch();
    }

    /** One file of a canary rollout's record kept in the registry, if there is one. */
    public Optional<byte[]> rolloutFile(String rollout, String file) {
        io.modelgate.common.Names.segment("rollout name", rollout);
        return store.rolloutFile(rollout, file);
    }

    /**
     * Sets (or, with {@code content} null, removes) one file of a rollout's record: a commit on
     * {@code refs/modelgate/rollouts/NAME}, made like every registry change — compare-and-swap,
     * pushed when the registry is shared — so every agent sees the rollout and can abort it.
     */
    public void writeRolloutFile(String rollout, String file, byte[] content, String message, Actor actor) {
        writeRolloutFileIf(rollout, file, current -> true, content, message, actor);
    }

    /**
     * {@link #writeRolloutFile} when the file as it stands passes {@code expected} (checked again
     * after every conflict with another writer); false, and nothing written, when it does not.
     */
    public boolean writeRolloutFileIf(String rollout, String file, java.util.function.Predicate<Optional<byte[]>> expected,
                                      byte[] content, String message, Actor actor) {
        io.modelgate.common.Names.segment("rollout name", rollout);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                store.fetch();
            }
            try {
                RefChange change = store.writeRolloutFileIf(rollout, file, expected, content, message, author(actor));
                if (change == null) {
                    return false;
                }
                if (store.compareAndSwap(List.of(change), message)) {
                    return true;
                }
            } catch (IOException e) {
                throw RegistryException.unreachable("cannot write to the registry " + location + ": " + e.getMessage(), e);
            }
            backoff(attempt);
        }
        throw RegistryException.unreachable("gave up saving rollout " + rollout + ": other writers kept changing it", null);
    }

    /** Replays the tags of a DVC GTO repository into this registry; see {@link GtoImport}. */
    public GtoImport.Report importGto(Path gtoRepository, Map<String, String> stageMap, Actor importer) {
        return GtoImport.run(this, config, gtoRepository, stageMap, importer);
    }

    /**
     * Imports the state of an MLflow Model Registry from its search responses saved in {@code file}
     * ({@code registered_models}, {@code model_versions}); see {@link MlflowImport}. {@code stageMap}
     * maps MLflow stages to registry stages (or {@code None}) where the defaults do not fit.
     */
    public MlflowImport.Report importMlflow(Path file, Map<String, String> stageMap, Actor actor) {
        return MlflowImport.run(this, config, file, stageMap, actor);
    }

    /**
     * What a change came to.
     *
     * @param decision     applied (a Change), refused or unchanged
     * @param commit       the commit that recorded it; empty unless applied
     * @param state        the model's state afterwards
     * @param hookProblems one line for each hook the committed event did not reach; the change
     *                     stands all the same
     */
    public record Outcome(Decision decision, String commit, ModelState state, List<String> hookProblems) {
        public Outcome {
            hookProblems = List.copyOf(hookProblems);
        }

        /** An outcome no hook was told of (nothing was applied, or no hook is configured). */
        public Outcome(Decision decision, String commit, ModelState state) {
            this(decision, commit, state, List.of());
        }

        /** This outcome, with the problems of an earlier change it made first (registering before a verdict). */
        Outcome withHookProblemsBefore(List<String> earlier) {
            return earlier.isEmpty() ? this : new Outcome(decision, commit, state,
                    java.util.stream.Stream.concat(earlier.stream(), hookProblems.stream()).toList());
        }

        public boolean applied() {
            return decision instanceof Decision.Change;
        }

        public boolean refused() {
            return decision instanceof Decision.Refusal;
        }
    }

    /** The audit trail of a model, newest first. */
    public List<AuditEntry> history(String model, int limit) {
        return Audit.history(store, existing(model), limit);
    }

    /** Checks every model's history; see {@link Audit#verify}. */
    public VerifyReport verify() {
        return verify(List.of());
    }

    /** {@link #verify()}, and {@code more} checks of what other capabilities keep in the repository. */
    public VerifyReport verify(List<io.modelgate.store.RepositoryCheck> more) {
        return Audit.verify(store, config, !store.isRemote(), more);
    }

    /**
     * A change to one version of an existing model: the model and the version are looked up again in
     * each attempt's snapshot, so a retry decides on what it read, and an unknown one is refused first.
     */
    private Outcome updateVersion(String model, String version, Actor actor,
                                  BiFunction<GitStore.Snapshot, ModelVersion, Decision> decide) {
        return update(model, s -> {
            requireExisting(s);
            return decide.apply(s, known(s, version));
        }, actor);
    }

    /**
     * A change to one version that carries a text (a reason, a lineage record id): the model, the
     * version and then the text are checked, in that order, before anything is read.
     */
    private Outcome updateVersion(String model, String version, String text, UnaryOperator<String> check,
                                  VersionChange change, Actor actor) {
        RegistryInputs.model(model);
        RegistryInputs.version(version);
        String clean = check.apply(text);
        return updateVersion(model, version, actor, (s, v) -> change.decide(s.state(), v, clean, actor));
    }

    /** How {@link Changes} decides a change to one version that carries a text. */
    @FunctionalInterface
    private interface VersionChange {
        Decision decide(ModelState state, ModelVersion v, String text, Actor actor);
    }

    private Outcome update(String model, Function<GitStore.Snapshot, Decision> decide, Actor actor) {
        RegistryInputs.model(model);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (attempt > 0) {
                store.fetch();
            }
            GitStore.Snapshot s = store.read(model);
            Decision d;
            try {
                d = decide.apply(s);
            } catch (RegistryException e) {
                if (attempt == 0 && store.isRemote()) {
                    continue; // decided on the cache as last fetched: fetch and decide again
                }
                throw e;
            }
            if (!(d instanceof Decision.Change change)) {
                if (attempt == 0 && store.isRemote()) {
                    continue; // idem: "unchanged" or "refused" must hold for the remote, not the cache
                }
                return new Outcome(d, "", s.state());
            }
            try {
                PersonIdent author = author(actor);
                ObjectId commit = store.write(s, change, author);
                List<RefChange> refs = new java.util.ArrayList<>();
                refs.add(new RefChange(GitStore.refName(model), s.commit(), commit));
                if (config.gtoTags()) {
                    refs.addAll(GtoTags.forEvent(store.repository(), change.event(), commit, author, config.archive()));
                }
                if (store.compareAndSwap(refs, change.event().describe())) {
                    // Committed: from here on nothing may fail the change, hooks least of all.
                    return new Outcome(d, commit.name(), change.after(),
                            hooks.deliver(location, commit.name(), change.event()));
                }
            } catch (IOException e) {
                throw RegistryException.unreachable("cannot write to the registry " + location + ": " + e.getMessage(), e);
            }
            backoff(attempt);
        }
        throw RegistryException.unreachable("gave up changing " + model + " after " + ATTEMPTS
                + " attempts: other writers kept changing it", null);
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 2 + Math.min(50, attempt * 3)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.unreachable("interrupted while waiting to retry a registry change", e);
        }
    }

    private static PersonIdent author(Actor actor) {
        String email = actor.name().contains("@") ? actor.name() : actor.name().replaceAll("[^A-Za-z0-9._-]", "_")
                + "@modelgate";
        return new PersonIdent(actor.name(), email, actor.at(), ZoneOffset.UTC);
    }

    private GitStore.Snapshot existing(String model) {
        RegistryInputs.model(model);
        GitStore.Snapshot s = store.read(model);
        requireExisting(s);
        return s;
    }

    private void requireExisting(GitStore.Snapshot s) {
        if (!s.exists()) {
            List<String> known = store.models();
            throw new RegistryException("unknown model '" + s.model() + "'" + (known.isEmpty()
                    ? "; the registry " + location + " has no models yet"
                    : "; models: " + String.join(", ", known.size() > 20 ? known.subList(0, 20) : known)
                    + (known.size() > 20 ? ", ..." : "")));
        }
    }

    /** The records of those of {@code versions} that are registered, by version; a map the caller may add to. */
    private Map<String, ModelVersion> registered(GitStore.Snapshot s, List<String> versions) {
        Map<String, ModelVersion> found = new HashMap<>();
        versions.forEach(v -> store.version(s, v).ifPresent(record -> found.put(v, record)));
        return found;
    }

    /** {@code version} of the model in {@code s}; "unknown version" naming the latest when there is none. */
    private ModelVersion known(GitStore.Snapshot s, String version) {
        return store.version(s, version).orElseThrow(() -> unknownVersion(s, version));
    }

    private RegistryException unknownVersion(GitStore.Snapshot s, String version) {
        return new RegistryException("unknown version '" + version + "' of " + s.model()
                + (s.state().latest().isEmpty() ? "" : "; latest is " + s.state().latest()));
    }

    /** For tests and tools that inspect the repository with plain Git. */
    Path directory() {
        return store.repository().getDirectory().toPath();
    }

    @Override
    public void close() {
        store.close();
    }
}
