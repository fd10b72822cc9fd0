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
    static VerifyReport verify(GitStore store, RegistryConfig config, boolean checkReflog) {
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
        for (String lockNamed : store.lockNamedRefs()) {
            problems.add(GitStore.MODELS + lockNamed + " is the ref of a model named '" + lockNamed + "' (written by an"
                    + " older version); Git takes it for a lock file, so it is not listed, and "
                    + lockNamed.substring(0, lockNamed.length() - ".lock".length()) + " cannot change until it is renamed");
        }
        return new VerifyReport(heads.size(), events, problems);
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
