package io.modelgate.registry.gto;

import java.io.IOException;

import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevWalk;

/** Creates GTO tags exactly as GTO would (gto/tag.py {@code create_tag}, {@code name_tag}). */
public final class GtoWriter {
    private GtoWriter() {
    }

    /**
     * Creates the annotated tag {@code tag.tagName()} on {@code target} with GTO's default message.
     *
     * @throws GtoException if the tag already exists (also when created concurrently), or the target is missing
     */
    public static void write(Repository repo, GtoTag tag, AnyObjectId target, PersonIdent tagger) {
        String refName = Constants.R_TAGS + tag.tagName();
        if (!Repository.isValidRefName(refName)) {
            throw new GtoException("'" + tag.tagName() + "' is a GTO tag name but not a valid Git tag name");
        }
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            if (repo.exactRef(refName) != null) {
                throw new GtoException("Tag '" + tag.tagName() + "' already exists");
            }
            walk.parseAny(target);
            ObjectId tagId = insert(inserter, tag, target, tagger);
            inserter.flush();
            RefUpdate update = repo.updateRef(refName);
            update.setNewObjectId(tagId);
            update.setExpectedOldObjectId(ObjectId.zeroId()); // create only: never move an existing tag
            RefUpdate.Result result = update.update(walk);
            if (result != RefUpdate.Result.NEW) {
                throw new GtoException("Tag '" + tag.tagName() + "' was not created: "
                        + (result == RefUpdate.Result.LOCK_FAILURE ? "it already exists" : result));
            }
        } catch (org.eclipse.jgit.errors.MissingObjectException e) {
            throw new GtoException("Cannot tag '" + tag.tagName() + "': object " + target.name() + " not found", e);
        } catch (IOException e) {
            throw new GtoException("Cannot create tag '" + tag.tagName() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The counter GTO appends to a non-simple tag of {@code artifact}: one more than the highest {@code #N} on
     * any tag of that artifact, whatever its kind or stage, lightweight tags included (gto/tag.py name_tag).
     * GTO's CLI uses it for assign and unassign by default ({@code --simple auto}); register, deregister and
     * deprecate stay simple unless forced.
     */
    /**
     * Writes the annotated tag object only, so a caller can move its ref together with others in
     * one atomic update.
     */
    public static ObjectId insert(ObjectInserter inserter, GtoTag tag, AnyObjectId target, PersonIdent tagger)
            throws IOException {
        TagBuilder builder = new TagBuilder();
        builder.setTag(tag.tagName());
        builder.setObjectId(target, Constants.OBJ_COMMIT);
        builder.setTagger(tagger);
        // GTO creates tags through dulwich's porcelain.tag_create, which appends "\n" (as `git tag -m` does).
        builder.setMessage(tag.message(target) + "\n");
        return inserter.insert(builder);
    }

    public static int nextCounter(Repository repo, String artifact) {
        int max = 0;
        try {
            // Only this artifact's tags (and those of names it prefixes): reading every tag is what makes GTO slow.
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + artifact.replace(':', '='))) {
                var match = GtoTag.match(ref.getName().substring(Constants.R_TAGS.length()));
                if (match.isPresent() && match.get().group("counter") != null
                        && match.get().group("artifact").replace('=', ':').equals(artifact)) {
                    max = Math.max(max, Integer.parseInt(match.get().group("counter")));
                }
            }
        } catch (IOException e) {
            throw new GtoException("Cannot read tags of " + repo.getDirectory() + ": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new GtoException("A tag of '" + artifact + "' has a counter beyond " + Integer.MAX_VALUE, e);
        }
        return max + 1;
    }
}
