package io.modelgate.store;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Commits, tags and lock files in real repositories, and {@code git fsck}, for the store's tests. */
final class GitFixtures {
    static final PersonIdent WHO = new PersonIdent("Test", "test@localhost", Instant.parse("2026-11-26T10:00:00Z"),
            java.time.ZoneOffset.UTC);

    private GitFixtures() {
    }

    /** A new commit whose tree holds one file with {@code text}, on top of {@code parent} (zero id: none). */
    static ObjectId commit(Repository repo, ObjectId parent, String text) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            TreeFormatter tree = new TreeFormatter();
            tree.append("file", org.eclipse.jgit.lib.FileMode.REGULAR_FILE,
                    ins.insert(Constants.OBJ_BLOB, text.getBytes(StandardCharsets.UTF_8)));
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(tree));
            if (!parent.equals(ObjectId.zeroId())) {
                c.setParentId(parent);
            }
            c.setAuthor(WHO);
            c.setCommitter(WHO);
            c.setMessage(text + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    /** An annotated tag object named {@code name} on {@code target} (its ref is the caller's). */
    static ObjectId tag(Repository repo, String name, ObjectId target) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            TagBuilder t = new TagBuilder();
            t.setTag(name);
            t.setObjectId(target, Constants.OBJ_COMMIT);
            t.setTagger(WHO);
            t.setMessage("tag " + name + "\n");
            ObjectId id = ins.insert(t);
            ins.flush();
            return id;
        }
    }

    static ObjectId value(Repository repo, String ref) throws IOException {
        Ref r = repo.exactRef(ref);
        return r == null ? ObjectId.zeroId() : r.getObjectId();
    }

    /** What a writer killed inside its lock window leaves: a lock file, here {@code ageSeconds} old. */
    static Path staleLock(Path lock, long ageSeconds) throws IOException {
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "0123456789abcdef0123456789abcdef01234567\n", StandardCharsets.US_ASCII);
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(ageSeconds)));
        return lock;
    }

    /** {@code git fsck --strict} exits 0 and reports nothing broken (dangling objects are fine). */
    static void assertFsckClean(Path gitDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "--git-dir=" + gitDir, "fsck", "--strict", "--no-dangling"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("broken")
                .doesNotContainIgnoringCase("missing").doesNotContainIgnoringCase("bad");
    }
}
