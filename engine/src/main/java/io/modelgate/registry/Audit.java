package io.modelgate.registry;

import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.ReflogReader;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the audit trail, and checks that the registry's state follows from it. */
final class Audit {
    private Audit() {
    }

    static List<AuditEntry> history(GitStore store, GitStore.Snapshot s, int limit) {
        List<AuditEntry> out = new ArrayList<>();
        try (RevWalk walk = new RevWalk(store.repository())) {
            walk.markStart(walk.parseCommit(s.commit()));
            for (RevCommit c : walk) {
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
                out.add(new AuditEntry(c.name(), store.event(c)));
            }
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot read the history of " + s.model() + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * For each model: the commits form one line from the first event; sequence numbers run 1, 2,
     * 3...; each commit's stages and aliases are exactly what its event makes of its parent's; no
     * stage ever holds more versions than allowed; and (for a local registry, whose reflog is the
     * witness) the ref only ever moved one commit forward, so a rewritten commit or a ref moved by
     * hand shows.
     */
    static VerifyReport verify(GitStore store, RegistryConfig config, boolean checkReflog,
                               List<io.modelgate.store.RepositoryCheck> more) {
        List<String> problems = new ArrayList<>();
        long events = 0;
        Map<String, ObjectId> heads;
        try {
            heads = store.heads();
        } catch (IOException e) {
            throw RegistryException.unreachable("cannot list models: " + e.getMessage(), e);
        }
        for (var head : heads.entrySet()) {
            String model = head.getKey();
            try {
                RegistryInputs.model(model);
            } catch (io.modelgate.common.ModelgateException e) {
                problems.add(GitStore.refName(model) + " is not a model's ref: " + e.getMessage());
                continue;
            }
            try {
                events += verifyModel(store, config, model, head.getValue(), checkReflog, problems);
            } catch (IOException | RegistryException e) {
                problems.add(model + ": cannot be read: " + e.getMessage());
            }
        }
        List<String> lockNamed = store.lockNamedRefs();
        for (String name : lockNamed) {
            problems.add(GitStore.MODELS + name + " is the ref of a model named '" + name + "' (written by an"
                    + " older version); Git takes it for a lock file, so it is not listed, and "
                    + name.substring(0, name.length() - ".lock".length()) + " cannot change until it is renamed");
        }
        List<String> locks = new ArrayList<>();
        if (store.hasRepository()) {
            // Objects first: a changed object file is believed by every reader above, which never re-hashes.
            problems.addAll(io.modelgate.store.ObjectIntegrity.check(store.repository(), "refs/modelgate/"));
            for (io.modelgate.store.RepositoryCheck check : more) {
                problems.addAll(check.check(store.repository()));
            }
            io.modelgate.store.ObjectIntegrity.leftoverLocks(store.repository()).stream()
                    .filter(l -> lockNamed.stream().noneMatch(n -> l.equals(GitStore.MODELS + n)))
                    .forEach(locks::add);
        }
        return new VerifyReport(heads.size(), events, problems, locks);
    }

    private static long verifyModel(GitStore store, RegistryConfig config, String model, ObjectId head,
                                    boolean checkReflog, List<String> problems) throws IOException {
        List<RevCommit> chain = new ArrayList<>();
        try (RevWalk walk = new RevWalk(store.repository())) {
            RevCommit c = walk.parseCommit(head);
            while (true) {
                chain.add(c);
                if (c.getParentCount() > 1) {
                    problems.add(model + ": commit " + abbrev(c) + " has " + c.getParentCount()
                            + " parents; registry history is a single line");
                }
                if (c.getParentCount() == 0) {
                    break;
                }
                c = walk.parseCommit(c.getParent(0));
            }
        }
        ModelState expected = ModelState.empty(model);
        boolean treeEvents = false;
        for (int i = chain.size() - 1; i >= 0; i--) {
            RevCommit c = chain.get(i);
            RegistryEvent e;
            try {
                e = store.event(c);
            } catch (RegistryException ex) {
                problems.add(model + ": " + ex.getMessage());
                return chain.size();
            }
            // The event is the tree's; the message's trailer is a copy for people, and must say the same.
            if (store.hasTreeEvent(c)) {
                treeEvents = true;
                Optional<RegistryEvent> trailer;
                try {
                    trailer = store.trailerEvent(c);
                } catch (RegistryException ex) {
                    trailer = Optional.empty();
                }
                if (trailer.isEmpty() || !trailer.get().equals(e)) {
                    problems.add(model + ": commit " + abbrev(c) + " (" + e.describe() + "): its message "
                            + (trailer.isEmpty() ? "does not end in the " + GitStore.EVENT_TRAILER.trim() + " trailer"
                            : "ends in a " + GitStore.EVENT_TRAILER.trim() + " trailer that differs from its "
                            + GitStore.EVENT) + "; the message was changed after the registry wrote it");
                }
            } else if (treeEvents) {
                problems.add(model + ": commit " + abbrev(c) + " keeps no " + GitStore.EVENT + " though an earlier one"
                        + " does; it was not written by Modelgate");
            }
            if (!model.equals(e.model())) {
                problems.add(model + ": commit " + abbrev(c) + " records an event of model '" + e.model() + "'");
            }
            if (e.seq() != expected.seq() + 1) {
                problems.add(model + ": commit " + abbrev(c) + " is event " + e.seq() + " but follows event "
                        + expected.seq() + "; events are missing or were reordered");
            }
            expected = expected.apply(e);
            try {
                problems.addAll(VersionReplay.check(model + ": commit " + abbrev(c), e, store.versionChanges(model, c),
                        config.archive(), store.json()));
            } catch (RegistryException ex) {
                problems.add(model + ": commit " + abbrev(c) + ": a version record cannot be read: " + ex.getMessage());
            }
            ModelState stored = store.snapshotAt(model, c).state();
            if (!stored.stages().equals(expected.stages()) || !stored.aliases().equals(expected.aliases())) {
                problems.add(model + ": at commit " + abbrev(c) + " (" + e.describe() + ") the stored stages "
                        + stored.stages() + " and aliases " + stored.aliases() + " do not follow from the history, which gives "
                        + expected.stages() + " and " + expected.aliases() + "; a stage or alias was moved outside the registry");
                expected = stored;
            }
            for (var stage : stored.stages().entrySet()) {
                int capacity = config.capacity(stage.getKey());
                if (capacity > 0 && stage.getValue().size() > capacity) {
                    problems.add(model + ": at commit " + abbrev(c) + " " + stage.getKey() + " holds "
                            + stage.getValue().size() + " versions " + stage.getValue() + ", more than its " + capacity);
                }
            }
        }
        if (checkReflog) {
            checkReflog(store, model, head, chain, problems);
        }
        return chain.size();
    }

    /**
     * Why the newest verdict of {@code version} cannot be trusted, if it cannot: the commit that
     * first holds it must be the attach-verdict event that wrote it, adding it and nothing else, with
     * its digest. A promotion asks before it relies on a verdict, so one written into the version's
     * file outside the registry (by plain Git, or by overwriting an object) is never acted on. Reads
     * one record per commit back to that event, usually a few.
     */
    static Optional<String> verdictProvenance(GitStore store, GitStore.Snapshot s, RegistryConfig config,
                                             ModelVersion v) {
        Optional<VerdictRecord> latest = v.latestVerdict();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        RegistryJson json = store.json();
        String wanted = json.digest(latest.get());
        try (RevWalk walk = new RevWalk(store.repository())) {
            RevCommit introduced = walk.parseCommit(s.commit());
            while (introduced.getParentCount() > 0) {
                RevCommit parent = walk.parseCommit(introduced.getParent(0));
                Optional<ModelVersion> before = store.version(store.snapshotAt(s.model(), parent), v.version());
                if (before.isEmpty() || before.get().verdicts().stream().noneMatch(x -> json.digest(x).equals(wanted))) {
                    break;
                }
                introduced = parent;
            }
            RegistryEvent e = store.event(introduced);
            String where = "commit " + abbrev(introduced);
            if (e.type() != EventType.ATTACH_VERDICT || !e.version().equals(v.version())) {
                return Optional.of("the " + latest.get().status() + " verdict of " + v.ref() + " first appears in " + where
                        + " (" + e.describe() + "), which does not attach it: it was written outside the registry; run "
                        + "registry verify");
            }
            List<String> problems = VersionReplay.check(where, e, store.versionChanges(s.model(), introduced),
                    config.archive(), json);
            return problems.isEmpty() ? Optional.empty() : Optional.of("the " + latest.get().status() + " verdict of "
                    + v.ref() + " cannot be trusted: " + problems.get(0) + "; run registry verify");
        } catch (IOException e) {
            return Optional.of("the verdict of " + v.ref() + " cannot be traced to the event that attached it: "
                    + e.getMessage());
        }
    }

    private static void checkReflog(GitStore store, String model, ObjectId head, List<RevCommit> chain,
                                    List<String> problems) throws IOException {
        ReflogReader reflog = store.repository().getRefDatabase().getReflogReader(GitStore.refName(model));
        if (reflog == null) {
            return;
        }
        List<ReflogEntry> entries = reflog.getReverseEntries();
        if (entries.isEmpty()) {
            return;
        }
        Set<ObjectId> inChain = new HashSet<>(chain);
        // Entries are newest first. JGit writes a reflog entry just before it moves the ref; a writer
        // killed in between leaves an entry for a commit the ref never reached. The ref then still
        // points at the entry's old id, so the next entry (or the ref itself) starts from there.
        List<ReflogEntry> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ReflogEntry e = entries.get(i);
            ObjectId after = i == 0 ? head : entries.get(i - 1).getOldId();
            boolean neverApplied = !inChain.contains(e.getNewId()) && e.getComment().startsWith("modelgate: ")
                    && after.equals(e.getOldId());
            if (!neverApplied) {
                kept.add(e);
            }
        }
        if (kept.isEmpty()) {
            return;
        }
        if (!kept.get(0).getNewId().equals(head)) {
            problems.add(model + ": the ref points to " + head.abbreviate(8).name() + " but the registry last moved it to "
                    + kept.get(0).getNewId().abbreviate(8).name() + "; it was moved by hand");
        }
        try (RevWalk walk = new RevWalk(store.repository())) {
            for (ReflogEntry entry : kept) {
                if (!inChain.contains(entry.getNewId())) {
                    problems.add(model + ": commit " + entry.getNewId().abbreviate(8).name() + " (" + entry.getComment()
                            + ") is no longer in the history; the history was rewritten");
                    continue;
                }
                if (!entry.getComment().startsWith("modelgate: ")) {
                    problems.add(model + ": the ref was moved to " + entry.getNewId().abbreviate(8).name()
                            + " outside Modelgate (" + entry.getComment() + ")");
                }
                RevCommit c = walk.parseCommit(entry.getNewId());
                ObjectId parent = c.getParentCount() == 0 ? ObjectId.zeroId() : c.getParent(0).getId();
                if (!parent.equals(entry.getOldId())) {
                    problems.add(model + ": the ref jumped from " + entry.getOldId().abbreviate(8).name() + " to "
                            + entry.getNewId().abbreviate(8).name() + " instead of moving one event forward");
                }
            }
        }
    }

    private static String abbrev(RevCommit c) {
        return c.abbreviate(8).name();
    }
}
