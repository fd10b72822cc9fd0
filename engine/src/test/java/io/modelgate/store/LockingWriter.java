package io.modelgate.store;

import org.eclipse.jgit.internal.storage.file.LockFile;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A writer in its own JVM, for {@link RefStoreCrashIT} to kill with SIGKILL.
 *
 * <pre>
 * LockingWriter hold GITDIR REF...   takes the locks JGit's atomic update takes (each REF's, then
 *                                    packed-refs), half-writes them, prints "locked", waits forever
 * LockingWriter loop GITDIR          moves refs/modelgate/models/churn and creates a tag with it, and
 *                                    moves refs/modelgate/lineage, through RefStore, until killed;
 *                                    prints "written N" after each round
 * </pre>
 */
final class LockingWriter {
    static final String MODEL = "refs/modelgate/models/churn";
    static final String LINEAGE = "refs/modelgate/lineage";

    private LockingWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path gitDir = Path.of(args[1]);
        if (args[0].equals("hold")) {
            hold(gitDir, List.of(args).subList(2, args.length));
        } else {
            loop(gitDir);
        }
    }

    private static void hold(Path gitDir, List<String> refs) throws Exception {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            ObjectId next = GitFixtures.commit(repo, ObjectId.zeroId(), "never applied");
            for (String ref : refs) {
                LockFile lock = new LockFile(gitDir.resolve(ref).toFile());
                if (!lock.lock()) {
                    throw new IllegalStateException("cannot lock " + ref);
                }
                lock.write(next); // the new value is written; the rename that would apply it never comes
            }
            LockFile packed = new LockFile(new File(gitDir.toFile(), "packed-refs"));
            if (!packed.lock()) {
                throw new IllegalStateException("cannot lock packed-refs");
            }
            // Half of a packed-refs file: what a writer killed while writing it leaves in the lock.
            Path current = gitDir.resolve("packed-refs");
            byte[] old = Files.exists(current) ? Files.readAllBytes(current) : new byte[0];
            Files.write(gitDir.resolve("packed-refs.lock"), java.util.Arrays.copyOf(old, old.length / 2));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void loop(Path gitDir) throws Exception {
        try (RefStore store = RefStore.open(gitDir)) {
            Repository repo = store.create();
            for (long n = 0; ; n++) {
                ObjectId old = GitFixtures.value(repo, MODEL);
                ObjectId next = GitFixtures.commit(repo, old, "model " + n);
                String tag = "refs/tags/churn@v0.0." + n + "-" + next.name().substring(0, 8);
                ObjectId tagged = GitFixtures.tag(repo, tag.substring("refs/tags/".length()), next);
                if (!store.compareAndSwap(List.of(new RefChange(MODEL, old, next), new RefChange(tag, ObjectId.zeroId(),
                        tagged)), "round " + n)) {
                    throw new IllegalStateException("lost a race with no other writer");
                }
                ObjectId lineage = GitFixtures.value(repo, LINEAGE);
                if (!store.compareAndSwap(List.of(new RefChange(LINEAGE, lineage, GitFixtures.commit(repo, lineage,
                        "lineage " + n))), "lineage " + n)) {
                    throw new IllegalStateException("lost a race with no other writer");
                }
                System.out.println("written " + n);
                System.out.flush();
            }
        }
    }
}
