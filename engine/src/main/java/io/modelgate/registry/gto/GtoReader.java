package io.modelgate.registry.gto;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/** Reads the GTO events stored as tags in a Git repository, the way gto/tag.py {@code find} does. */
public final class GtoReader {
    private GtoReader() {
    }

    /**
     * All GTO events, oldest first, ordered like {@code gto history --ascending}: by tagger time (whole
     * seconds), then GTO's event priority, then tag name. Lightweight tags are skipped, as GTO skips them
     * ("remove lightweight tags" in {@code find}). ASSIGN/UNASSIGN get the version registered at their target.
     *
     * @throws GtoException if the tags cannot be read, or GTO itself could not index them
     */
    public static List<GtoEvent> read(Repository repo) {
        List<GtoEvent> events = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                String name = ref.getName().substring(Constants.R_TAGS.length());
                if (GtoTag.parse(name).isEmpty()) {
                    continue;
                }
                RevObject object = walk.parseAny(ref.getObjectId());
                if (object instanceof RevTag tag) {
                    events.add(toEvent(name, tag));
                }
            }
        } catch (IOException e) {
            throw new GtoException("Cannot read tags of " + repo.getDirectory() + ": " + e.getMessage(), e);
        }
        events.sort(Comparator.comparing((GtoEvent e) -> e.time().getEpochSecond())
                .thenComparingInt(e -> e.kind().priority())
                .thenComparing(GtoEvent::tag, GtoTag::compareCodePoints));
        return resolveVersions(events);
    }

    private static GtoEvent toEvent(String refName, RevTag tag) {
        // GTO parses the name stored in the tag object (GitTag.name), which normally equals the ref name.
        GtoTag parsed = GtoTag.parse(tag.getTagName()).orElseThrow(() -> new GtoException("Tag '" + refName
                + "' holds a tag object named '" + tag.getTagName() + "', which is not a GTO tag name"));
        PersonIdent tagger = tag.getTaggerIdent();
        if (tagger == null) {
            throw new GtoException("Tag '" + refName + "' has no tagger; GTO needs the tagger time to order it");
        }
        return new GtoEvent(parsed.kind(), parsed.artifact(), parsed.version(), parsed.stage(), parsed.counter(),
                refName, tagger.getWhenAsInstant(), tagger.getName(), tagger.getEmailAddress(),
                tag.getFullMessage().strip(), tag.getObject().name());
    }

    /**
     * GTO indexes all (de)registrations before any assignment and gives an assignment the version registered
     * at the same commit, or the commit id itself when there is none (gto/tag.py index_tag,
     * base.py Artifact.find_version).
     */
    static List<GtoEvent> resolveVersions(List<GtoEvent> events) {
        Map<List<String>, Set<String>> versionsAtCommit = new HashMap<>();
        for (GtoEvent e : events) {
            if (e.kind() == GtoTag.Kind.REGISTER || e.kind() == GtoTag.Kind.DEREGISTER) {
                versionsAtCommit.computeIfAbsent(List.of(e.artifact(), e.target()), k -> new TreeSet<>())
                        .add(e.version());
            }
        }
        List<GtoEvent> resolved = new ArrayList<>(events.size());
        for (GtoEvent e : events) {
            if (e.kind() == GtoTag.Kind.ASSIGN || e.kind() == GtoTag.Kind.UNASSIGN) {
                Set<String> versions = versionsAtCommit.getOrDefault(List.of(e.artifact(), e.target()), Set.of());
                if (versions.size() > 1) {
                    throw new GtoException("Tag '" + e.tag() + "' points at " + e.target() + ", where '"
                            + e.artifact() + "' has several versions " + versions + "; GTO cannot tell which");
                }
                e = e.withVersion(versions.isEmpty() ? e.target() : versions.iterator().next());
            }
            resolved.add(e);
        }
        return List.copyOf(resolved);
    }
}
