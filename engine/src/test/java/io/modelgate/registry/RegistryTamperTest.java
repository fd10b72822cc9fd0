package io.modelgate.registry;

import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes made behind the registry's back, with plain Git, are reported by verify. */
class RegistryTamperTest {
    @TempDir
    Path dir;
    Path location;
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    private Actor actor() {
        now = now.plusSeconds(30);
        return new Actor("alice", BuildInfo.NONE, now);
    }

    private Registry open() {
        return Registry.open(location.toString(), dir, RegistryConfigReader.parse("t", "registry: {promotion: {}}"));
    }

    @BeforeEach
    void history() throws IOException {
        location = dir.resolve("registry");
        Path artifact = Files.writeString(dir.resolve("m.bin"), "w");
        try (Registry r = open()) {
            r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), actor());
            r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), actor());
            r.promote("churn", "v0.0.1", "production", "", "", actor());
            r.promote("churn", "v0.0.2", "production", "", "", actor());
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    private Repository repo() throws IOException {
        return new FileRepositoryBuilder().setGitDir(location.toFile()).build();
    }

    private static void git(Path gitDir, String... args) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of("git", "--git-dir=" + gitDir));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    @Test
    void aRefMovedBackByHandIsReported() throws Exception {
        git(location, "update-ref", "refs/modelgate/models/churn", "refs/modelgate/models/churn~1");
        try (Registry r = open()) {
            assertThat(r.verify().problems()).anyMatch(p -> p.contains("moved by hand") || p.contains("outside Modelgate"))
                    .anyMatch(p -> p.contains("no longer in the history"));
        }
    }

    @Test
    void aStageChangedInACommitThatIsNotItsEventIsReported() throws Exception {
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo); ObjectInserter ins = repo.newObjectInserter()) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
            TreeWalk tw = TreeWalk.forPath(repo, "state.json", head.getTree());
            String state = new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8)
                    .replace("\"v0.0.2\"", "\"v0.0.1\"");
            TreeWalk versions = TreeWalk.forPath(repo, "versions", head.getTree());
            TreeFormatter root = new TreeFormatter();
            root.append("state.json", FileMode.REGULAR_FILE, ins.insert(Constants.OBJ_BLOB, state.getBytes(StandardCharsets.UTF_8)));
            root.append("versions", FileMode.TREE, versions.getObjectId(0));
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(root));
            c.setParentId(head.getParent(0));
            c.setAuthor(new PersonIdent("mallory", "m@x"));
            c.setCommitter(new PersonIdent("mallory", "m@x"));
            c.setMessage(head.getFullMessage());
            ObjectId forged = ins.insert(c);
            ins.flush();
            git(location, "update-ref", "refs/modelgate/models/churn", forged.name());
        }
        try (Registry r = open()) {
            var problems = r.verify().problems();
            assertThat(problems).anyMatch(p -> p.contains("do not follow from the history"));
            assertThat(problems).anyMatch(p -> p.contains("no longer in the history"));
        }
    }

    @Test
    void aConsistentlyRewrittenHistoryIsStillCaughtByTheReflog() throws Exception {
        // Rewrite the first commit's author and rebuild the line on top: every state still follows from its event.
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo); ObjectInserter ins = repo.newObjectInserter()) {
            java.util.List<RevCommit> chain = new java.util.ArrayList<>();
            for (RevCommit c = walk.parseCommit(repo.resolve("refs/modelgate/models/churn")); ;
                 c = walk.parseCommit(c.getParent(0))) {
                chain.add(0, c);
                if (c.getParentCount() == 0) {
                    break;
                }
            }
            ObjectId parent = null;
            for (RevCommit c : chain) {
                CommitBuilder b = new CommitBuilder();
                b.setTreeId(c.getTree());
                if (parent != null) {
                    b.setParentId(parent);
                }
                b.setAuthor(new PersonIdent("mallory", "m@x", c.getAuthorIdent().getWhenAsInstant(), java.time.ZoneOffset.UTC));
                b.setCommitter(c.getCommitterIdent());
                b.setMessage(c.getFullMessage());
                parent = ins.insert(b);
            }
            ins.flush();
            git(location, "update-ref", "refs/modelgate/models/churn", parent.name());
        }
        try (Registry r = open()) {
            assertThat(r.verify().problems()).isNotEmpty().anyMatch(p -> p.contains("the history was rewritten"));
        }
    }

    @Test
    void aWriterKilledBetweenItsReflogEntryAndTheRefUpdateIsNotTampering() throws Exception {
        // JGit appends the reflog entry, then renames the ref's lock into place; SIGKILL in between
        // leaves an entry for a commit the ref never reached.
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo); ObjectInserter ins = repo.newObjectInserter()) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(head.getTree());
            c.setParentId(head);
            c.setAuthor(head.getAuthorIdent());
            c.setCommitter(head.getCommitterIdent());
            c.setMessage(head.getFullMessage());
            ObjectId lost = ins.insert(c);
            ins.flush();
            Path log = location.resolve("logs/refs/modelgate/models/churn");
            Files.writeString(log, head.name() + " " + lost.name() + " Modelgate <modelgate@localhost> 1764150000 +0000\t"
                    + "modelgate: promote churn@v0.0.1 to production\n", java.nio.file.StandardOpenOption.APPEND);
        }
        try (Registry r = open()) {
            assertThat(r.verify().problems()).isEmpty();
            // and the registry goes on working from where the ref really is
            assertThat(r.promote("churn", "v0.0.1", "production", "", "", actor()).applied()).isTrue();
            assertThat(r.verify().problems()).isEmpty();
        }
    }
}
