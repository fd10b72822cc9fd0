package io.modelgate.store;

import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code git fsck} checks, for the objects Modelgate's refs reach: each is present, well
 * formed, and its content still hashes to its name. Git never re-hashes an object it reads, so an
 * object file overwritten in place would otherwise be believed; and the refs' leftover lock files,
 * which a killed writer leaves behind.
 */
public final class ObjectIntegrity {
    /** The largest object read whole: Modelgate's blobs are small JSON records; anything larger is reported, not read. */
    static final long MAX_OBJECT_BYTES = 64L << 20;

    private ObjectIntegrity() {
    }

    /** One sentence per problem with the objects reachable from refs under {@code prefix}; empty when all are sound. */
    public static List<String> check(Repository repo, String prefix) {
        List<String> problems = new ArrayList<>();
        List<Ref> refs;
        try {
            refs = repo.getRefDatabase().getRefsByPrefix(prefix);
        } catch (IOException e) {
            problems.add("cannot list " + prefix + "*: " + e.getMessage());
            return problems;
        }
        ObjectChecker checker = new ObjectChecker();
        ObjectInserter.Formatter hasher = new ObjectInserter.Formatter();
        try (ObjectReader reader = repo.newObjectReader(); ObjectWalk walk = new ObjectWalk(reader)) {
            for (Ref r : refs) {
                if (r.getObjectId() == null) {
                    continue;
                }
                try {
                    RevObject start = walk.parseAny(r.getObjectId());
                    walk.markStart(start);
                } catch (IOException e) {
                    problems.add(r.getName() + " points to " + r.getObjectId().abbreviate(8).name() + ", which "
                            + describe(e));
                }
            }
            String phase = "a commit";
            try {
                for (RevObject o = walk.next(); o != null; o = walk.next()) {
                    checkOne(reader, checker, hasher, o, problems);
                }
                phase = "a tree or file";
                for (RevObject o = walk.nextObject(); o != null; o = walk.nextObject()) {
                    checkOne(reader, checker, hasher, o, problems);
                }
            } catch (IOException e) {
                problems.add("the history under " + prefix + " cannot be walked: " + phase + " " + describe(e));
            }
        }
        return problems;
    }

    private static void checkOne(ObjectReader reader, ObjectChecker checker, ObjectInserter.Formatter hasher,
                                 RevObject o, List<String> problems) {
        String name = Constants.typeString(o.getType()) + " " + o.abbreviate(8).name();
        try {
            var loader = reader.open(o, o.getType());
            if (loader.getSize() > MAX_OBJECT_BYTES) {
                problems.add(name + " is " + loader.getSize() + " bytes, larger than any object Modelgate writes");
                return;
            }
            byte[] content = loader.getCachedBytes();
            ObjectId actual = hasher.idFor(o.getType(), content);
            if (!actual.equals(o)) {
                problems.add(name + " is corrupt: its content hashes to " + actual.abbreviate(8).name()
                        + "; the object was changed on disk");
                return;
            }
            checker.check(o, o.getType(), content);
        } catch (IOException e) {
            problems.add(name + " " + describe(e));
        }
    }

    private static String describe(IOException e) {
        if (e instanceof MissingObjectException) {
            return "is missing";
        }
        if (e instanceof CorruptObjectException) {
            return "is corrupt: " + e.getMessage();
        }
        return "cannot be read: " + e.getMessage();
    }

    /** Lock files left in the repository's ref storage ({@code *.lock}, {@code packed-refs.lock}), relative to it. */
    public static List<String> leftoverLocks(Repository repo) {
        Path dir = repo.getDirectory().toPath();
        List<String> found = new ArrayList<>();
        if (Files.exists(StaleLocks.packedRefsLock(dir), LinkOption.NOFOLLOW_LINKS)) {
            found.add("packed-refs.lock");
        }
        Path refs = dir.resolve("refs");
        if (Files.isDirectory(refs, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> all = Files.walk(refs)) {
                all.filter(p -> p.getFileName().toString().endsWith(".lock"))
                        .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .map(p -> dir.relativize(p).toString()).sorted().forEach(found::add);
            } catch (IOException e) {
                found.add("refs/ (cannot be listed: " + e.getMessage() + ")");
            }
        }
        return found;
    }
}
