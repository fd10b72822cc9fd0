package io.modelgate.registry.gto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.modelgate.registry.gto.GtoState.Options;
import io.modelgate.registry.gto.GtoTag.Kind;

class GtoRepositoryTest {
    private static final long T0 = 1_650_000_000L;

    @TempDir
    Path dir;

    private static PersonIdent gto(long second) {
        return new PersonIdent("GTO", "gto@iterative.ai", Instant.ofEpochSecond(second), ZoneOffset.UTC);
    }

    private static ObjectId commit(Git git, String message, long second) throws Exception {
        return git.commit().setMessage(message).setAllowEmpty(true).setAuthor(gto(second)).setCommitter(gto(second))
                .setSign(false).call().getId();
    }

    /** `git tag -a` as GTO runs it through scmrepo: the tagger comes from GIT_COMMITTER_* (gto/tag.py create_tag). */
    private static void gitTag(File workTree, String name, String message, ObjectId target, long second)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("git", "-c", "tag.gpgSign=false", "tag", "-a", name, "-m", message,
                target.name()).directory(workTree).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_COMMITTER_NAME", "GTO");
        env.put("GIT_COMMITTER_EMAIL", "gto@iterative.ai");
        env.put("GIT_COMMITTER_DATE", second + " +0000");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }

    private static Map<String, List<String>> stages(Repository repo, Options options) {
        return GtoState.of(GtoReader.read(repo), options).artifacts().get("churn").stages();
    }

    @Test
    void lastAssignmentWinsInGtoShowAndHighestVersionWinsInWhich() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Repository repo = git.getRepository();
            ObjectId c1 = commit(git, "model 1", T0);
            ObjectId c2 = commit(git, "model 2", T0 + 1);
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.1"), c1, gto(T0 + 10));
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.2"), c2, gto(T0 + 20));
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.1", GtoWriter.nextCounter(repo, "churn")), c1,
                    gto(T0 + 30));
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.2", GtoWriter.nextCounter(repo, "churn")), c2,
                    gto(T0 + 40));

            assertThat(stages(repo, Options.SHOW)).containsExactly(Map.entry("prod", List.of("v0.0.2")));
            assertThat(stages(repo, new Options(GtoState.VersionSort.TIMESTAMP, -1, -1, false)))
                    .containsExactly(Map.entry("prod", List.of("v0.0.2", "v0.0.1")));

            // re-assigning the older version (GTO needs --force for this, and writes #3)
            assertThat(GtoWriter.nextCounter(repo, "churn")).isEqualTo(3);
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.1", 3), c1, gto(T0 + 50));
            assertThat(stages(repo, Options.SHOW)).containsExactly(Map.entry("prod", List.of("v0.0.1")));
            assertThat(stages(repo, Options.WHICH)).containsExactly(Map.entry("prod", List.of("v0.0.2")));
            assertThat(GtoState.of(GtoReader.read(repo)).artifacts().get("churn").latestVersion()).isEqualTo("v0.0.2");
        }
    }

    @Test
    void unassigningFallsBackToTheOtherVersionStillInTheStage() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Repository repo = git.getRepository();
            ObjectId c1 = commit(git, "model 1", T0);
            ObjectId c2 = commit(git, "model 2", T0 + 1);
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.1"), c1, gto(T0 + 10));
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.2"), c2, gto(T0 + 20));
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.1", 1), c1, gto(T0 + 30));
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.2", 2), c2, gto(T0 + 40));
            GtoWriter.write(repo, GtoTag.unassign("churn", "prod", "v0.0.2", 3), c2, gto(T0 + 50));

            assertThat(stages(repo, Options.SHOW)).containsExactly(Map.entry("prod", List.of("v0.0.1")));
            GtoWriter.write(repo, GtoTag.unassign("churn", "prod", "v0.0.1", 4), c1, gto(T0 + 60));
            assertThat(stages(repo, Options.SHOW)).isEmpty();
        }
    }

    @Test
    void deregisteringAVersionDropsItsStagesAndDeprecatingHidesTheArtifact() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Repository repo = git.getRepository();
            ObjectId c1 = commit(git, "model 1", T0);
            ObjectId c2 = commit(git, "model 2", T0 + 1);
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.1"), c1, gto(T0 + 10));
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.2"), c2, gto(T0 + 20));
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.2", 1), c2, gto(T0 + 30));
            GtoWriter.write(repo, GtoTag.deregister("churn", "v0.0.2"), c2, gto(T0 + 40));

            GtoState.ArtifactState churn = GtoState.of(GtoReader.read(repo)).artifacts().get("churn");
            assertThat(churn.latestVersion()).isEqualTo("v0.0.1");
            assertThat(churn.stages()).isEmpty();
            assertThat(churn.versions()).containsExactly(
                    new GtoState.VersionState("v0.0.2", c2.name(), true, false),
                    new GtoState.VersionState("v0.0.1", c1.name(), true, true));
            assertThat(churn.active()).isTrue();

            // gto deprecate churn: tags the commit of the artifact's newest event (registry.py L446)
            GtoWriter.write(repo, GtoTag.deprecate("churn"), c2, gto(T0 + 50));
            assertThat(GtoState.of(GtoReader.read(repo)).artifacts().get("churn").active()).isFalse();
            // a later registration revives it, as in GTO (Artifact.is_active looks at the newest event)
            ObjectId c3 = commit(git, "model 3", T0 + 2);
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.3"), c3, gto(T0 + 60));
            assertThat(GtoState.of(GtoReader.read(repo)).artifacts().get("churn").active()).isTrue();

            // two versions at the commit of an assignment: GTO fails with ManyVersions, and so do we
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.4"), c2, gto(T0 + 70));
            assertThatThrownBy(() -> GtoReader.read(repo)).isInstanceOf(GtoException.class)
                    .hasMessageContaining("several versions [v0.0.2, v0.0.4]");
        }
    }

    @Test
    void writesTagObjectsByteForByteLikeGitTagWithTheSameTagger() throws Exception {
        File viaCli = dir.resolve("cli").toFile();
        File viaJava = dir.resolve("java").toFile();
        try (Git cli = Git.init().setDirectory(viaCli).setInitialBranch("main").call();
                Git java = Git.init().setDirectory(viaJava).setInitialBranch("main").call()) {
            ObjectId c = commit(cli, "model", T0);
            assertThat(commit(java, "model", T0)).isEqualTo(c);
            GtoTag tag = GtoTag.assign("models:churn", "prod", "v1.0.0", 1);
            gitTag(viaCli, tag.tagName(), tag.message(), c, T0 + 5);
            GtoWriter.write(java.getRepository(), tag, c, gto(T0 + 5));

            ObjectId expected = cli.getRepository().exactRef("refs/tags/models=churn#prod#1").getObjectId();
            assertThat(java.getRepository().exactRef("refs/tags/models=churn#prod#1").getObjectId())
                    .isEqualTo(expected);
        }
    }

    @Test
    void readsTagsMadeByTheGitCommandLine() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Repository repo = git.getRepository();
            ObjectId c1 = commit(git, "model 1", T0);
            gitTag(dir.toFile(), "churn@v1.0.0", "Registering artifact churn version v1.0.0", c1, T0 + 10);
            gitTag(dir.toFile(), "churn#prod#1", "Assigning stage prod to artifact churn version v1.0.0", c1, T0 + 20);
            gitTag(dir.toFile(), "v1.0.0", "not a GTO tag", c1, T0 + 30);
            git.tag().setName("churn#dev#7").setAnnotated(false).setObjectId(git.getRepository().parseCommit(c1))
                    .call(); // lightweight: GTO ignores it for state ...

            List<GtoEvent> events = GtoReader.read(repo);
            assertThat(events).containsExactly(
                    new GtoEvent(Kind.REGISTER, "churn", "v1.0.0", "", 0, "churn@v1.0.0", Instant.ofEpochSecond(T0 + 10),
                            "GTO", "gto@iterative.ai", "Registering artifact churn version v1.0.0", c1.name()),
                    new GtoEvent(Kind.ASSIGN, "churn", "v1.0.0", "prod", 1, "churn#prod#1",
                            Instant.ofEpochSecond(T0 + 20), "GTO", "gto@iterative.ai",
                            "Assigning stage prod to artifact churn version v1.0.0", c1.name()));
            // ... but counts it for the next counter (name_tag lists all tags)
            assertThat(GtoWriter.nextCounter(repo, "churn")).isEqualTo(8);
            assertThat(GtoWriter.nextCounter(repo, "other")).isEqualTo(1);
        }
    }

    @Test
    void refusesToOverwriteAnExistingTag() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Repository repo = git.getRepository();
            ObjectId c1 = commit(git, "model 1", T0);
            ObjectId c2 = commit(git, "model 2", T0 + 1);
            GtoWriter.write(repo, GtoTag.register("churn", "v1.0.0"), c1, gto(T0 + 10));
            assertThatThrownBy(() -> GtoWriter.write(repo, GtoTag.register("churn", "v1.0.0"), c2, gto(T0 + 20)))
                    .isInstanceOf(GtoException.class).hasMessage("Tag 'churn@v1.0.0' already exists");
            assertThat(repo.getRefDatabase().peel(repo.exactRef("refs/tags/churn@v1.0.0")).getPeeledObjectId())
                    .isEqualTo(c1);
        }
    }

    @Test
    void givesAnUnregisteredCommitItsIdAsVersionAndKeepsGtoQuirkThatUnassignDoesNotCancelThere() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Repository repo = git.getRepository();
            ObjectId c1 = commit(git, "model 1", T0);
            GtoTag assign = GtoTag.assign("churn", "dev", "", 1);
            GtoWriter.write(repo, assign, c1, gto(T0 + 10)); // gto assign --sr: no registration
            assertThat(GtoReader.read(repo).get(0).message())
                    .isEqualTo("Assigning stage dev to artifact churn commit " + c1.name());
            assertThat(GtoReader.read(repo).get(0).version()).isEqualTo(c1.name());

            GtoWriter.write(repo, GtoTag.unassign("churn", "dev", c1.name(), 2), c1, gto(T0 + 20));
            // base.py find_version skips "discovered" versions, so each event lands in a version of its own
            assertThat(stages(repo, Options.SHOW)).containsExactly(Map.entry("dev", List.of(c1.name())));
            assertThat(stages(repo, new Options(GtoState.VersionSort.TIMESTAMP, 1, -1, true))).isEmpty();
        }
    }
}
