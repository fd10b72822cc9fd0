package io.modelgate.registry;

import io.modelgate.store.RefChange;
import io.modelgate.registry.gto.GtoTag;
import io.modelgate.registry.gto.GtoWriter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * DVC GTO's tags for a registry event, so GTO's tools show the same versions and stages: a
 * registration tag {@code name@vX.Y.Z} on the version's commit, and an assignment tag
 * {@code name#stage#N} on the same commit (GTO finds the version of an assignment by the commit
 * both tags point at). The tags are created with the event's ref update, atomically.
 */
final class GtoTags {
    private GtoTags() {
    }

    /**
     * The tags of one event. GTO derives a version's stages from its assignments that were not
     * unassigned since, so every departure from a stage is written too: a promotion unassigns the
     * version from the stage it left and the versions it displaced from the target stage; a rollback
     * unassigns the rolled-back version; an archive unassigns the stage the version left. Without
     * them GTO kept a rolled-back version in production and an archived one in staging.
     *
     * @param archive the registry's archive stage, which GTO does not see (leaving for it is leaving)
     */
    static List<RefChange> forEvent(Repository repo, RegistryEvent e, ObjectId commit, PersonIdent tagger,
                                    String archive) throws IOException {
        List<RefChange> refs = new ArrayList<>();
        switch (e.type()) {
            case REGISTER -> {
                check(e);
                refs.add(tag(repo, GtoTag.register(e.model(), e.version()), commit, tagger));
            }
            case PROMOTE, ROLLBACK, ARCHIVE -> {
                check(e);
                int n = GtoWriter.nextCounter(repo, e.model());
                ObjectId target = registrationCommit(repo, e.model(), e.version());
                if (target == null) {
                    // Registered before GTO tags were turned on: register it here so the assignment has a version.
                    target = commit;
                    refs.add(tag(repo, GtoTag.register(e.model(), e.version()), commit, tagger));
                }
                if (!e.fromStage().isEmpty() && !e.fromStage().equals(archive) && !e.fromStage().equals(e.stage())) {
                    refs.add(tag(repo, GtoTag.unassign(e.model(), e.fromStage(), e.version(), n++), target, tagger));
                }
                if (e.type() != EventType.ARCHIVE) {
                    for (String d : e.displaced()) {
                        ObjectId displaced = registrationCommit(repo, e.model(), d);
                        if (displaced != null) {
                            refs.add(tag(repo, GtoTag.unassign(e.model(), e.stage(), d, n++), displaced, tagger));
                        }
                    }
                    refs.add(tag(repo, GtoTag.assign(e.model(), e.stage(), e.version(), n), target, tagger));
                }
            }
            case DEREGISTER -> {
                check(e);
                ObjectId target = registrationCommit(repo, e.model(), e.version());
                if (target != null) {
                    int n = GtoWriter.nextCounter(repo, e.model());
                    if (!e.fromStage().isEmpty()) {
                        refs.add(tag(repo, GtoTag.unassign(e.model(), e.fromStage(), e.version(), n++), target, tagger));
                    }
                    refs.add(tag(repo, GtoTag.deregister(e.model(), e.version()).withCounter(n), target, tagger));
                }
            }
            case DEPRECATE -> {
                check(e);
                // GTO's deprecate tag hides the whole artifact from gto show; it points at the model's event commit.
                refs.add(tag(repo, GtoTag.deprecate(e.model()).withCounter(GtoWriter.nextCounter(repo, e.model())),
                        commit, tagger));
            }
            default -> {
                // GTO has no notion of aliases, verdicts, lineage, rejections, tags or descriptions.
            }
        }
        return refs;
    }

    private static void check(RegistryEvent e) {
        if (!GtoTag.isValidName(e.model())) {
            throw new RegistryException("model name '" + e.model() + "' cannot be written as a GTO tag (GTO allows letters, "
                    + "digits, '-', '_' and '/'); turn gto_tags off or rename the model");
        }
        if (!e.stage().isEmpty() && !GtoTag.isValidStage(e.stage())) {
            throw new RegistryException("stage '" + e.stage() + "' cannot be written as a GTO tag");
        }
    }

    private static ObjectId registrationCommit(Repository repo, String model, String version) throws IOException {
        Ref ref = repo.exactRef(Constants.R_TAGS + GtoTag.register(model, version).tagName());
        if (ref == null) {
            return null;
        }
        Ref peeled = repo.getRefDatabase().peel(ref);
        return peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
    }

    private static RefChange tag(Repository repo, GtoTag tag, ObjectId target, PersonIdent tagger) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId id = GtoWriter.insert(ins, tag, target, tagger);
            ins.flush();
            return new RefChange(Constants.R_TAGS + tag.tagName(), ObjectId.zeroId(), id);
        }
    }
}
