package io.modelgate.registry;

import io.modelgate.common.ModelgateException;
import io.modelgate.metrics.MetricSet;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Hostile text against every name and free-text field of the registry's Java API: names are refused
 * with one line naming the field, before anything is written; free text is stored as one escaped
 * line; no commit holds a control character; {@code git fsck --strict} stays clean; and a forged
 * {@code Modelgate-Event:} trailer fools neither history nor verify.
 */
class RegistryHostileInputTest {
    /** Names no identifier may be: control characters of every kind, ref tricks, blanks, lengths. */
    static final Map<String, String> HOSTILE = hostile();

    static Map<String, String> hostile() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("NUL", "a\u0000b");
        m.put("CR", "a\rb");
        m.put("LF", "a\nb");
        m.put("ESC", "a\u001b[31mb");
        m.put("TAB", "a\tb");
        m.put("DEL", "a\u007fb");
        m.put("C1", "a\u0085b");
        m.put("U+2028", "a\u2028b");
        m.put("bidi override", "a\u202eb");
        m.put("empty", "");
        m.put("blank", "   ");
        m.put("300 chars", "a".repeat(300));
        return m;
    }

    /** Names that are printable but cannot be a model's ref or a stage's tag part. */
    static final List<String> BAD_REF_NAMES = List.of("x.lock", "a/../b", "..", "a b", "-x", ".hidden", "a..b", "a/b",
            "a@{1}", "a~1", "a^", "a:b", "a?", "a*", "a[b", "a\\b", "a" + "b".repeat(299));

    @TempDir
    Path dir;
    Path location;
    Path artifact;
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @BeforeEach
    void setUp() throws IOException {
        location = dir.resolve("registry");
        artifact = Files.writeString(dir.resolve("m.bin"), "weights");
        try (Registry r = open()) {
            r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), actor("alice"));
            r.promote("churn", "v0.0.1", "staging", "", "", actor("alice"));
        }
    }

    private Registry open() {
        return Registry.open(location.toString(), dir.resolve("cache"),
                RegistryConfigReader.parse("t", "registry: {promotion: {}}"));
    }

    private Actor actor(String name) {
        now = now.plusSeconds(60);
        return new Actor(name, BuildInfo.NONE, now);
    }

    static Stream<Map.Entry<String, String>> hostileNames() {
        return HOSTILE.entrySet().stream();
    }

    /** Each call with a hostile value in one field; the field's name is what the error must say. */
    private Map<String, BiConsumer<Registry, String>> fields() {
        Map<String, BiConsumer<Registry, String>> f = new java.util.LinkedHashMap<>();
        f.put("model name", (r, v) -> r.register(new Registry.Registration(v, artifact, "", "", "patch", "", Map.of()),
                actor("alice")));
        f.put("version", (r, v) -> r.register(new Registry.Registration("churn", artifact, "", v, "patch", "", Map.of()),
                actor("alice")));
        f.put("stage", (r, v) -> r.promote("churn", "v0.0.1", v, "", "", actor("alice")));
        f.put("alias", (r, v) -> r.setAlias("churn", v, "v0.0.1", actor("alice")));
        f.put("approver", (r, v) -> r.promote("churn", "v0.0.1", "production", v, "", actor("alice")));
        f.put("actor", (r, v) -> r.promote("churn", "v0.0.1", "production", "", "", new Actor(v, BuildInfo.NONE, now)));
        f.put("tag name", (r, v) -> r.register(new Registry.Registration("churn", artifact, "", "", "patch", "",
                Map.of(v, "x")), actor("alice")));
        f.put("metric name", (r, v) -> r.attachVerdict("churn", "v0.0.1", new VerdictRecord("PASS", "ok", now,
                sha(), MetricSet.of(Map.of(v, 0.9))), actor("alice")));
        f.put("model reference", (r, v) -> r.resolve(v));
        return f;
    }

    private String sha() {
        try {
            return io.modelgate.common.Digests.of(artifact).sha256();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileNames")
    void everyNameFieldRefusesHostileTextWithOneLineNamingTheFieldAndWritesNothing(Map.Entry<String, String> hostile)
            throws Exception {
        for (var field : fields().entrySet()) {
            if (hostile.getValue().isEmpty() && (field.getKey().equals("approver") || field.getKey().equals("version"))) {
                continue; // no approver, and no version (the next one), are valid answers
            }
            String before = snapshot();
            Throwable t;
            try (Registry r = open()) {
                t = catchThrowable(() -> field.getValue().accept(r, hostile.getValue()));
            }
            assertThat(t).as(field.getKey() + " with " + hostile.getKey()).isInstanceOf(ModelgateException.class);
            assertThat(((ModelgateException) t).kind()).isEqualTo(ModelgateException.Kind.BAD_INPUT);
            assertThat(t.getMessage()).as(field.getKey() + " with " + hostile.getKey())
                    .contains(field.getKey()).doesNotContain("\n", "\r", "\u0000", "\u001b", "\u0085", "\u2028", "\u202e");
            assertThat(snapshot()).as("registry after " + field.getKey() + " with " + hostile.getKey()).isEqualTo(before);
        }
    }

    @Test
    void namesThatCannotBeRefsOrTagPartsAreRefused() throws Exception {
        String before = snapshot();
        try (Registry r = open()) {
            for (String name : BAD_REF_NAMES) {
                assertThatThrownBy(() -> r.register(new Registry.Registration(name, artifact, "", "", "patch", "", Map.of()),
                        actor("alice"))).as(name).isInstanceOf(ModelgateException.class).hasMessageContaining("model name");
                assertThatThrownBy(() -> r.promote("churn", "v0.0.1", name, "", "", actor("alice")))
                        .as(name).isInstanceOf(ModelgateException.class).hasMessageContaining("stage");
                assertThatThrownBy(() -> r.setAlias("churn", name, "v0.0.1", actor("alice")))
                        .as(name).isInstanceOf(ModelgateException.class).hasMessageContaining("alias");
            }
            for (String version : List.of("v1.0.0-rc.lock", "v1.0.0-a..b", "v1.0.0-", "v1.0.0-.x", "1.0.0", "v1.0")) {
                assertThatThrownBy(() -> r.register(new Registry.Registration("churn", artifact, "", version, "patch", "",
                        Map.of()), actor("alice"))).as(version).isInstanceOf(ModelgateException.class)
                        .hasMessageContaining("version");
            }
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void freeTextIsStoredAsOneEscapedLineAndNoCommitHoldsAControlCharacter() throws Exception {
        String reason = "canary ok\nApproved-By: mallory\r\n\u0000\u001b[2J\u2028\u202eend \\ done";
        try (Registry r = open()) {
            r.register(new Registry.Registration("churn", artifact, "", "", "patch", "about\nit\u0000",
                    Map.of("team", "ds\nModelgate-Event: {}")), actor("alice"));
            r.promote("churn", "v0.0.2", "production", "carol", reason, actor("alice"));
            RegistryEvent e = r.history("churn", 1).get(0).event();
            assertThat(e.reason()).isEqualTo(io.modelgate.common.Sanitizer.freeText(reason))
                    .doesNotContain("\n", "\r", "\u0000", "\u001b", "\u2028", "\u202e");
            assertThat(io.modelgate.common.Sanitizer.unescape(e.reason())).isEqualTo(reason);
            ModelVersion v = r.version("churn", "v0.0.2");
            assertThat(v.description()).isEqualTo("about\\nit\\u0000");
            assertThat(v.tags()).containsEntry("team", "ds\\nModelgate-Event: {}");
            assertThat(r.verify().problems()).isEmpty();
        }
        for (RevCommit c : commits("churn")) {
            String raw = new String(c.getRawBuffer(), StandardCharsets.UTF_8);
            assertThat(raw.chars().filter(ch -> ch < 0x20 && ch != '\n').count()).as(c.name()).isZero();
            assertThat(raw).doesNotContain("\u2028", "\u202e", "\u0085");
            assertThat(raw.lines().filter(l -> l.startsWith("Modelgate-Event:"))).as(c.getFullMessage()).hasSize(1);
            assertThat(raw.lines().filter(l -> l.startsWith("Approved-By:")).count()).isLessThanOrEqualTo(1);
        }
        fsckStrict();
    }

    @Test
    void hostileButPrintableActorsAndBuildValuesKeepGitFsckStrictClean() throws Exception {
        BuildInfo build = new BuildInfo("https://alice:p%40ss:w@rd@ci.example.com/job/x/1/", "job\nModelgate-Event: {}",
                "7\u0000", "abc\u001b");
        try (Registry r = open()) {
            for (String name : List.of("<mallory@evil>", "a > b", "eve <e@x> 1 +0000", "\u00e9ve \u4e2d", "x@y@z",
                    " padded ", "\"quoted\"")) {
                r.promote("churn", "v0.0.1", "production", "lead " + name, "by " + name,
                        new Actor(name, build, now = now.plusSeconds(1)));
                r.promote("churn", "v0.0.1", "staging", "", "", new Actor(name, build, now = now.plusSeconds(1)));
            }
            assertThat(r.verify().problems()).isEmpty();
            RegistryEvent e = r.history("churn", 1).get(0).event();
            assertThat(e.build().buildUrl()).isEqualTo("https://***@ci.example.com/job/x/1/");
            assertThat(e.build().jobName()).isEqualTo("job\\nModelgate-Event: {}");
        }
        fsckStrict();
        assertThat(allObjects()).doesNotContain("p%40ss", "w@rd");
    }

    /**
     * The attack of issue 14, as a user could try it: a line feed and a second trailer in
     * {@code --approver}, back-dated and in someone else's name. The Java API refuses it (so does
     * every face on top of it); the same text as a reason is stored escaped, and neither history
     * nor verify sees a second event.
     */
    @Test
    void aForgedEventTrailerInTheApproverIsRefusedAndInTheReasonIsInert() throws Exception {
        String forged = "carol\nModelgate-Event: {\"seq\":3,\"type\":\"PROMOTE\",\"model\":\"churn\",\"version\":\"v0.0.1\","
                + "\"stage\":\"production\",\"from_stage\":\"staging\",\"displaced\":[],\"alias\":\"\",\"actor\":\"ceo\","
                + "\"approver\":\"ceo\",\"reason\":\"approved\",\"at\":\"2020-01-01T00:00:00Z\",\"build\":{}}";
        String before = snapshot();
        try (Registry r = open()) {
            assertThatThrownBy(() -> r.promote("churn", "v0.0.1", "production", forged, "ok", actor("alice")))
                    .isInstanceOf(ModelgateException.class).hasMessageContaining("approver")
                    .hasMessageContaining("control character");
            assertThat(snapshot()).isEqualTo(before);
            r.promote("churn", "v0.0.1", "production", "carol", forged, actor("alice"));
            List<AuditEntry> history = r.history("churn", 0);
            assertThat(history).hasSize(3);
            RegistryEvent e = history.get(0).event();
            assertThat(e.actor()).isEqualTo("alice");
            assertThat(e.approver()).isEqualTo("carol");
            assertThat(e.at()).isEqualTo(now);
            assertThat(history).noneMatch(h -> h.event().actor().equals("ceo"));
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    /**
     * Someone with write access to the repository appends a forged trailer to a commit's message
     * (keeping its tree) and moves the ref to it with plain Git: history still shows the event in
     * the tree, and verify says the message no longer matches it.
     */
    @Test
    void aMessageRewrittenToEndInAForgedTrailerIsCaughtAndHistoryShowsTheTreesEvent() throws Exception {
        ObjectId forgedId;
        RegistryEvent real;
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo); ObjectInserter ins = repo.newObjectInserter()) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
            try (Registry r = open()) {
                real = r.history("churn", 1).get(0).event();
            }
            String fake = new RegistryJson().writeLine(new RegistryEvent(real.seq(), EventType.PROMOTE, "churn", "v0.0.1",
                    "production", "staging", List.of(), "", "ceo", "ceo", "approved", Instant.parse("2020-01-01T00:00:00Z"),
                    BuildInfo.NONE));
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(head.getTree());
            c.setParentIds(head.getParents());
            c.setAuthor(head.getAuthorIdent());
            c.setCommitter(head.getCommitterIdent());
            c.setMessage(head.getFullMessage() + GitStore.EVENT_TRAILER + fake + "\n");
            forgedId = ins.insert(c);
            ins.flush();
        }
        git("update-ref", "refs/modelgate/models/churn", forgedId.name());
        try (Registry r = open()) {
            assertThat(r.history("churn", 1).get(0).event()).isEqualTo(real);
            assertThat(r.verify().problems()).anyMatch(p -> p.contains("differs from its event.json"));
        }
    }

    /**
     * A registry written before events were kept in the tree: the event is the message's last line,
     * so a forged trailer written earlier in the message (through a reason, as older versions
     * allowed) is not read, and a message with text after its trailer is not Modelgate's.
     */
    @Test
    void aCommitWithoutEventJsonIsReadFromTheLastLineOfItsMessageOnly() throws Exception {
        RegistryJson json = new RegistryJson();
        RegistryEvent real = new RegistryEvent(1, EventType.REGISTER, "old", "v0.0.1", "", "", List.of(), "", "alice", "",
                "", Instant.parse("2025-01-01T00:00:00Z"), BuildInfo.NONE);
        RegistryEvent fake = new RegistryEvent(1, EventType.REGISTER, "old", "v0.0.1", "", "", List.of(), "", "ceo", "",
                "", Instant.parse("2020-01-01T00:00:00Z"), BuildInfo.NONE);
        ObjectId first;
        try (Repository repo = repo(); ObjectInserter ins = repo.newObjectInserter();
             RevWalk walk = new RevWalk(repo)) {
            // The tree of an older registry: state.json and versions/, no event.json.
            RevCommit churn = walk.parseCommit(repo.resolve("refs/modelgate/models/churn"));
            org.eclipse.jgit.lib.TreeFormatter root = new org.eclipse.jgit.lib.TreeFormatter();
            ModelState state = ModelState.empty("old").apply(real);
            root.append(GitStore.STATE, org.eclipse.jgit.lib.FileMode.REGULAR_FILE,
                    ins.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, json.write(state)));
            root.append(GitStore.VERSIONS, org.eclipse.jgit.lib.FileMode.TREE,
                    org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, GitStore.VERSIONS, churn.getTree()).getObjectId(0));
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(ins.insert(root));
            c.setAuthor(churn.getAuthorIdent());
            c.setCommitter(churn.getCommitterIdent());
            c.setMessage("register old@v0.0.1\n\nReason: x\n" + GitStore.EVENT_TRAILER + json.writeLine(fake) + "\n\n"
                    + GitStore.EVENT_TRAILER + json.writeLine(real) + "\n");
            first = ins.insert(c);
            ins.flush();
        }
        git("update-ref", "refs/modelgate/models/old", first.name());
        try (Registry r = open()) {
            assertThat(r.history("old", 0)).extracting(AuditEntry::event).containsExactly(real);
        }
        // The same message with a line after the trailer: not written by Modelgate.
        try (Repository repo = repo(); ObjectInserter ins = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
            RevCommit c0 = walk.parseCommit(first);
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(c0.getTree());
            c.setAuthor(c0.getAuthorIdent());
            c.setCommitter(c0.getCommitterIdent());
            c.setMessage(c0.getFullMessage() + "trailing text\n");
            ObjectId bad = ins.insert(c);
            ins.flush();
            git("update-ref", "refs/modelgate/models/old", bad.name());
        }
        try (Registry r = open()) {
            assertThatThrownBy(() -> r.history("old", 0)).hasMessageContaining("not written by Modelgate");
            assertThat(r.verify().problems()).anyMatch(p -> p.startsWith("old: ") && p.contains("not written by Modelgate"));
        }
    }

    /**
     * Issue 14: a model named {@code x.lock} collided with Git's lock file for model {@code x}, and
     * the next write to {@code x} deleted its history. The name is refused now; and a registry
     * written by an older version that holds such a ref keeps it: the write to {@code x} stops with
     * a message instead of taking the ref for a stale lock.
     */
    @Test
    void aModelNamedXLockCanNeitherBeMadeNorLoseItsHistoryToWritesOfX() throws Exception {
        try (Registry r = open()) {
            assertThatThrownBy(() -> r.register(new Registry.Registration("x.lock", artifact, "", "", "patch", "", Map.of()),
                    actor("alice"))).isInstanceOf(ModelgateException.class).hasMessageContaining("'.lock'");
            r.register(new Registry.Registration("old-x", artifact, "", "", "patch", "", Map.of()), actor("alice"));
        }
        // An older version's model "x.lock" (its commit is old-x's: a commit of another model than x).
        String legacy;
        try (Repository repo = repo()) {
            legacy = repo.resolve("refs/modelgate/models/old-x").name();
        }
        Path lockRef = location.resolve("refs/modelgate/models/x.lock");
        Files.writeString(lockRef, legacy + "\n");
        Files.setLastModifiedTime(lockRef, FileTime.from(Instant.now().minusSeconds(3600)));
        long t0 = System.nanoTime();
        try (Registry r = open()) {
            assertThatThrownBy(() -> r.register(new Registry.Registration("x", artifact, "", "", "patch", "", Map.of()),
                    actor("alice"))).isInstanceOf(ModelgateException.class).hasMessageContaining("x.lock");
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(10);
        assertThat(lockRef).hasContent(legacy + "\n");
        try (Registry r = open()) {
            assertThat(r.verify().problems()).anyMatch(p -> p.contains("x.lock"));
        }
    }

    @Test
    void aStaleLockLeftByAKilledWriterIsStillCleared() throws Exception {
        Path lock = location.resolve("refs/modelgate/models/churn.lock");
        Files.writeString(lock, "");
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(3600)));
        try (Registry r = open()) {
            assertThat(r.promote("churn", "v0.0.1", "production", "", "", actor("alice")).applied()).isTrue();
        }
        assertThat(lock).doesNotExist();
    }

    @Test
    void aLockThatIsALinkIsNeverFollowed() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep me");
        Path lock = location.resolve("refs/modelgate/models/churn.lock");
        Files.createSymbolicLink(lock, victim);
        Files.setLastModifiedTime(victim, FileTime.from(Instant.now().minusSeconds(3600)));
        try (Registry r = open()) {
            assertThat(r.promote("churn", "v0.0.1", "production", "", "", actor("alice")).applied()).isTrue();
        }
        assertThat(victim).hasContent("keep me");
        assertThat(DiskSnapshot.exists(lock)).isFalse();
    }

    private Repository repo() throws IOException {
        return new FileRepositoryBuilder().setGitDir(location.toFile()).build();
    }

    private List<RevCommit> commits(String model) throws IOException {
        List<RevCommit> out = new ArrayList<>();
        try (Repository repo = repo(); RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(repo.resolve("refs/modelgate/models/" + model)));
            walk.forEach(out::add);
        }
        return out;
    }

    private void git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "--git-dir=" + location));
        cmd.addAll(List.of(args));
        var result = WorkerProcesses.run(dir, 60, cmd.toArray(String[]::new));
        assertThat(result.code()).as(result.out()).isZero();
    }

    private void fsckStrict() throws Exception {
        var result = WorkerProcesses.run(dir, 120, "git", "--git-dir=" + location, "fsck", "--strict", "--no-dangling");
        assertThat(result.code()).as(result.out()).isZero();
        assertThat(result.out()).doesNotContain("warning", "error");
    }

    private String allObjects() throws Exception {
        Process cat = new ProcessBuilder("git", "--git-dir=" + location, "cat-file", "--batch-all-objects", "--batch")
                .redirectErrorStream(true).start();
        String objects = new String(cat.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(cat.waitFor()).isZero();
        return objects;
    }

    /** Every file under the registry with its size and modification time, and its content's digest. */
    private String snapshot() throws IOException {
        return DiskSnapshot.of(dir);
    }
}
