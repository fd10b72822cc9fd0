package io.modelgate.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelgate.common.ModelgateException;
import io.modelgate.metrics.MetricSet;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16: {@code registry verify} said OK after an attacker with write access to the repository
 * (and no Modelgate) forged a PASS verdict, overwrote an object, rewrote history with its reflog, or
 * moved a shared remote back; and a promotion then relied on the forged verdict. Each attack here is
 * made the way such an attacker would, with plain Git (JGit's object layer, no Modelgate code).
 */
class RegistryForgeryTest {
    @TempDir
    Path dir;
    Path bare;
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    final ObjectMapper mapper = io.modelgate.common.RecordJson.mapper();

    private Actor actor(String name) {
        now = now.plusSeconds(60);
        return new Actor(name, BuildInfo.NONE, now);
    }

    private Registry open() {
        return Registry.open(bare.toString(), dir.resolve("cache"), RegistryConfig.defaults());
    }

    /** v0.0.1 in production; v0.0.2 in staging with a FAIL verdict: the one an attacker wants in production. */
    @BeforeEach
    void history() throws IOException {
        bare = dir.resolve("registry");
        try (Registry r = open()) {
            for (String content : List.of("one", "two")) {
                Path a = Files.writeString(dir.resolve(content + ".bin"), content);
                r.register(new Registry.Registration("churn", a, "", "", "patch", "", Map.of()), actor("alice"));
            }
            r.promote("churn", "v0.0.1", "staging", "", "", actor("alice"));
            verdict(r, "v0.0.1", "PASS");
            r.promote("churn", "v0.0.1", "production", "", "", actor("alice"));
            r.promote("churn", "v0.0.2", "staging", "", "", actor("alice"));
            verdict(r, "v0.0.2", "FAIL");
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    private void verdict(Registry r, String version, String status) {
        r.attachVerdict("churn", version, new VerdictRecord(status, status + ": 3 checks", now,
                r.version("churn", version).artifact().sha256(), MetricSet.of(Map.of("roc_auc", 0.9))), actor("jenkins"));
    }

    private Repository repo() throws IOException {
        return new FileRepository(bare.toFile());
    }

    private static byte[] blob(Repository repo, ObjectId tree, String path) throws IOException {
        try (TreeWalk w = TreeWalk.forPath(repo, path, tree)) {
            return repo.open(w.getObjectId(0)).getBytes();
        }
    }

    /** {@code v0.0.2.json} with a PASS verdict appended, as an attacker would write it. */
    private byte[] withForgedPass(byte[] record) throws IOException {
        ObjectNode v = (ObjectNode) mapper.readTree(record);
        ObjectNode pass = ((ObjectNode) v.get("verdicts").get(0)).deepCopy();
        pass.put("status", "PASS");
        pass.put("summary", "PASS: 3 checks");
        ((ArrayNode) v.get("verdicts")).add(pass);
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(v);
    }

    /** A commit on the model's ref made without Modelgate: event, state and one version file replaced. */
    private ObjectId appendCommit(Repository repo, ObjectId parent, Map<String, byte[]> files) throws IOException {
        try (RevWalk walk = new RevWalk(repo); ObjectInserter ins = repo.newObjectInserter()) {
            RevCommit tip = walk.parseCommit(parent);
            TreeMap<String, ObjectId> versions = new TreeMap<>();
            try (TreeWalk w = TreeWalk.forPath(repo, "versions", tip.getTree())) {
                w.enterSubtree();
                while (w.next()) {
                    versions.put(w.getNameString(), w.getObjectId(0));
                }
            }
            Map<String, ObjectId> root = new TreeMap<>();
            for (String top : List.of("event.json", "state.json")) {
                root.put(top, files.containsKey(top) ? ins.insert(Constants.OBJ_BLOB, files.get(top))
                        : ObjectId.fromRaw(blobId(repo, tip.getTree(), top)));
            }
            files.forEach((path, bytes) -> {
                if (path.startsWith("versions/")) {
                    try {
                        versions.put(path.substring("versions/".length()), ins.insert(Constants.OBJ_BLOB, bytes));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            TreeFormatter vt = new TreeFormatter();
            versions.forEach((n, id) -> vt.append(n, FileMode.REGULAR_FILE, id));
            TreeFormatter t = new TreeFormatter();
            t.append("event.json", FileMode.REGULAR_FILE, root.get("event.json"));
            t.append("state.json", FileMode.REGULAR_FILE, root.get("state.json"));
            t.append("versions", FileMode.TREE, ins.insert(vt));
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(t));
            c.setParentId(parent);
            PersonIdent who = new PersonIdent("jenkins", "jenkins@localhost", now.plusSeconds(30), java.time.ZoneOffset.UTC);
            c.setAuthor(who);
            c.setCommitter(new PersonIdent("Modelgate", "modelgate@localhost", now.plusSeconds(30), java.time.ZoneOffset.UTC));
            String event = new String(files.get("event.json"), StandardCharsets.UTF_8);
            c.setMessage("attach verdict to churn@v0.0.2\n\nModelgate-Event: " + mapper.readTree(event) + "\n");
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    private static byte[] blobId(Repository repo, ObjectId tree, String path) throws IOException {
        try (TreeWalk w = TreeWalk.forPath(repo, path, tree)) {
            byte[] raw = new byte[20];
            w.getObjectId(0).copyRawTo(raw, 0);
            return raw;
        }
    }

    /** The event and state an attacker writes for an attach-verdict: the next seq, a copied digest or none. */
    private Map<String, byte[]> forgedAttach(Repository repo, RevCommit tip, boolean copyDigest) throws IOException {
        ObjectNode event = (ObjectNode) mapper.readTree(blob(repo, tip.getTree(), "event.json"));
        long seq = event.get("seq").asLong() + 1;
        event.put("seq", seq);
        event.put("type", "ATTACH_VERDICT");
        event.put("version", "v0.0.2");
        event.put("reason", "PASS: 3 checks");
        if (!copyDigest) {
            event.remove("digest");
        }
        ObjectNode state = (ObjectNode) mapper.readTree(blob(repo, tip.getTree(), "state.json"));
        state.put("seq", seq);
        Map<String, byte[]> files = new TreeMap<>();
        files.put("event.json", mapper.writeValueAsBytes(event));
        files.put("state.json", mapper.writeValueAsBytes(state));
        files.put("versions/v0.0.2.json", withForgedPass(blob(repo, tip.getTree(), "versions/v0.0.2.json")));
        return files;
    }

    private static void move(Repository repo, String ref, ObjectId to, boolean force) throws IOException {
        RefUpdate u = repo.updateRef(ref);
        u.setNewObjectId(to);
        u.setForceUpdate(force);
        u.setRefLogMessage("commit: attach verdict", false);
        RefUpdate.Result result = u.update();
        assertThat(result).isIn(RefUpdate.Result.FAST_FORWARD, RefUpdate.Result.FORCED, RefUpdate.Result.NEW);
    }

    @Test
    void anAppendedCommitWithAForgedPassIsFoundAndNoPromotionReliesOnIt() throws IOException {
        for (boolean copyDigest : List.of(true, false)) { // copied from the genuine attach-verdict at the tip first
            try (Repository repo = repo(); RevWalk walk = new RevWalk(repo)) {
                RevCommit tip = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
                move(repo, "refs/modelgate/models/churn", appendCommit(repo, tip, forgedAttach(repo, tip, copyDigest)), false);
            }
            try (Registry r = open()) {
                assertThat(r.version("churn", "v0.0.2").latestVerdict().orElseThrow().status()).isEqualTo("PASS");
                VerifyReport report = r.verify();
                assertThat(report.ok()).isFalse();
                assertThat(report.problems()).as("digest copied: " + copyDigest).anyMatch(p -> p.contains(copyDigest
                        ? "is not the one its event recorded" : "records no digest of the verdict it adds"));

                var promote = r.promote("churn", "v0.0.2", "production", "", "", actor("mallory"));
                assertThat(promote.refused()).isTrue();
                assertThat(((Decision.Refusal) promote.decision()).unmet()).singleElement().asString()
                        .startsWith("the PASS verdict of churn@v0.0.2 cannot be trusted: ").endsWith("; run registry verify");
                assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
            }
        }
    }

    @Test
    void aVerdictWrittenIntoTheRecordUnderAnotherEventIsFound() throws IOException {
        // The forged verdict rides on an event that concerns something else (an alias).
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo)) {
            RevCommit tip = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
            Map<String, byte[]> files = forgedAttach(repo, tip, true);
            ObjectNode event = (ObjectNode) mapper.readTree(files.get("event.json"));
            event.put("type", "LINK_LINEAGE");
            event.put("reason", "a".repeat(64));
            files.put("event.json", mapper.writeValueAsBytes(event));
            move(repo, "refs/modelgate/models/churn", appendCommit(repo, tip, files), false);
        }
        try (Registry r = open()) {
            assertThat(r.verify().problems()).anyMatch(p -> p.contains("changes the verdicts of churn@v0.0.2 without an "
                    + "attach-verdict event"));
            var promote = r.promote("churn", "v0.0.2", "production", "", "", actor("mallory"));
            assertThat(((Decision.Refusal) promote.decision()).unmet()).singleElement().asString()
                    .contains("which does not attach it: it was written outside the registry");
        }
    }

    @Test
    void aLooseObjectOverwrittenInPlaceIsFound() throws IOException {
        ObjectId record;
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo)) {
            RevCommit tip = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
            try (TreeWalk w = TreeWalk.forPath(repo, "versions/v0.0.2.json", tip.getTree())) {
                record = w.getObjectId(0);
            }
            byte[] forged = withForgedPass(repo.open(record).getBytes());
            Path file = bare.resolve("objects").resolve(record.name().substring(0, 2)).resolve(record.name().substring(2));
            assertThat(file).as("JGit writes loose objects").exists();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw)) {
                z.write(("blob " + forged.length + "\0").getBytes(StandardCharsets.US_ASCII));
                z.write(forged);
            }
            file.toFile().setWritable(true);
            Files.write(file, raw.toByteArray());
        }
        try (Registry r = open()) {
            assertThat(r.version("churn", "v0.0.2").latestVerdict().orElseThrow().status())
                    .as("Git believes the overwritten object").isEqualTo("PASS");
            String hashesTo = new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, readLoose(record)).abbreviate(8).name();
            assertThat(r.verify().problems()).anyMatch(p -> p.equals("blob " + record.abbreviate(8).name()
                    + " is corrupt: its content hashes to " + hashesTo + "; the object was changed on disk"));
            assertThat(r.promote("churn", "v0.0.2", "production", "", "", actor("mallory")).refused()).isTrue();
        }
    }

    private byte[] readLoose(ObjectId id) throws IOException {
        try (Repository repo = repo()) {
            return repo.open(id).getBytes();
        }
    }

    @Test
    void aRewrittenHistoryWithAMatchingReflogIsFound() throws IOException {
        // Rewrite the FAIL verdict of v0.0.2 into a PASS in the commit that attached it (the tip), keep its
        // event, and write the reflog to match the new history.
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo)) {
            RevCommit tip = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
            RevCommit parent = walk.parseCommit(tip.getParent(0));
            ObjectNode v = (ObjectNode) mapper.readTree(blob(repo, tip.getTree(), "versions/v0.0.2.json"));
            ((ObjectNode) v.get("verdicts").get(0)).put("status", "PASS");
            Map<String, byte[]> files = new TreeMap<>();
            files.put("event.json", blob(repo, tip.getTree(), "event.json"));
            files.put("state.json", blob(repo, tip.getTree(), "state.json"));
            files.put("versions/v0.0.2.json", mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(v));
            ObjectId rewritten = appendCommit(repo, parent, files);
            move(repo, "refs/modelgate/models/churn", rewritten, true);
            Path log = bare.resolve("logs/refs/modelgate/models/churn");
            List<String> lines = new ArrayList<>(Files.readAllLines(log));
            lines.remove(lines.size() - 1); // the forced move
            String last = lines.remove(lines.size() - 1); // the genuine attach, now replaced
            lines.add(last.replace(tip.name(), rewritten.name()));
            Files.write(log, lines);
        }
        try (Registry r = open()) {
            assertThat(r.version("churn", "v0.0.2").latestVerdict().orElseThrow().status()).isEqualTo("PASS");
            assertThat(r.verify().problems()).anyMatch(p -> p.contains("is not the one its event recorded"));
            assertThat(r.promote("churn", "v0.0.2", "production", "", "", actor("mallory")).refused()).isTrue();
        }
    }

    @Test
    void aSharedRemoteMovedBackIsRefusedNotFollowed() throws IOException {
        String url = bare.toUri().toString();
        ObjectId before;
        try (Repository repo = repo()) {
            before = repo.resolve("refs/modelgate/models/churn");
        }
        try (Registry remote = Registry.open(url, dir.resolve("agent"), RegistryConfig.defaults())) {
            assertThat(remote.state("churn").holders("staging")).containsExactly("v0.0.2");
            remote.rollback("churn", "production", java.util.Optional.empty(), "test", actor("a")); // refused: none earlier
        }
        ObjectId older;
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo)) {
            older = walk.parseCommit(walk.parseCommit(before).getParent(0)).getParent(0).copy();
            move(repo, "refs/modelgate/models/churn", older, true);
        }
        assertThatThrownBy(() -> {
            try (Registry again = Registry.open(url, dir.resolve("agent"), RegistryConfig.defaults())) {
                again.state("churn");
            }
        }).isInstanceOf(ModelgateException.class)
                .satisfies(e -> assertThat(((ModelgateException) e).kind()).isEqualTo(ModelgateException.Kind.EXTERNAL))
                .hasMessageContaining("refs/modelgate/models/churn moved from " + before.abbreviate(8).name() + " to "
                        + older.abbreviate(8).name() + ", which does not descend from it")
                .hasMessageContaining("--accept-rewrite REASON");

        // A person who checked the new history takes it, by name and with a reason, in the history itself.
        assertThatThrownBy(() -> Registry.acceptRewrite(url, dir.resolve("agent"), RegistryConfig.defaults(),
                java.util.Optional.empty(), " ", actor("oncall"))).isInstanceOf(RegistryException.class)
                .hasMessageContaining("needs a reason");
        Registry.AcceptedRewrite accepted = Registry.acceptRewrite(url, dir.resolve("agent"), RegistryConfig.defaults(),
                java.util.Optional.empty(), "restored from the backup of 2026-12-01", actor("oncall"));
        assertThat(accepted.rewrites()).singleElement().satisfies(w -> {
            assertThat(w.ref()).isEqualTo("refs/modelgate/models/churn");
            assertThat(w.from()).isEqualTo(before.name());
            assertThat(w.to()).isEqualTo(older.name());
        });
        assertThat(accepted.recorded()).singleElement().satisfies(o -> assertThat(o.applied()).isTrue());
        try (Registry after = Registry.open(url, dir.resolve("agent"), RegistryConfig.defaults())) {
            AuditEntry last = after.history("churn", 1).get(0);
            assertThat(last.event().type()).isEqualTo(EventType.ACCEPT_REWRITE);
            assertThat(last.event().actor()).isEqualTo("oncall");
            assertThat(last.event().reason()).contains(before.name().substring(0, 12), older.name().substring(0, 12),
                    "restored from the backup of 2026-12-01");
            assertThat(after.verify().problems()).isEmpty();
        }
        // The event went to the remote too: another agent, with a fresh cache, sees it.
        try (Registry other = Registry.open(url, dir.resolve("agent2"), RegistryConfig.defaults())) {
            assertThat(other.history("churn", 1).get(0).event().type()).isEqualTo(EventType.ACCEPT_REWRITE);
        }
        // Nothing left to accept: a second run follows nothing and records nothing.
        assertThat(Registry.acceptRewrite(url, dir.resolve("agent"), RegistryConfig.defaults(), java.util.Optional.empty(),
                "again", actor("oncall")).recorded()).isEmpty();
        assertThatThrownBy(() -> Registry.acceptRewrite(bare.toString(), dir.resolve("agent"), RegistryConfig.defaults(),
                java.util.Optional.empty(), "local", actor("oncall"))).isInstanceOf(RegistryException.class)
                .hasMessageContaining("not a Git remote");
    }
}
