package io.modelgate.registry;

import io.modelgate.registry.gto.GtoTag;
import io.modelgate.registry.gto.GtoWriter;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GtoImportTest {
    @TempDir
    Path dir;

    private static PersonIdent tagger(int second) {
        return new PersonIdent("gto-user", "gto@example.com", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second),
                ZoneOffset.UTC);
    }

    @Test
    void replaysAGtoRepositoryIntoTheRegistryAndAgreesWithGtoShow() throws Exception {
        Path gtoRepo = dir.resolve("project");
        try (Git git = Git.init().setDirectory(gtoRepo.toFile()).call()) {
            Files.writeString(gtoRepo.resolve("model.pkl"), "one");
            git.add().addFilepattern(".").call();
            RevCommit c1 = git.commit().setMessage("model one").setSign(false).call();
            Files.writeString(gtoRepo.resolve("model.pkl"), "two");
            git.add().addFilepattern(".").call();
            RevCommit c2 = git.commit().setMessage("model two").setSign(false).call();
            var repo = git.getRepository();
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.1"), c1, tagger(1));
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.1", 1), c1, tagger(2));
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.2"), c2, tagger(3));
            GtoWriter.write(repo, GtoTag.assign("churn", "prod", "v0.0.2", 2), c2, tagger(4));
            GtoWriter.write(repo, GtoTag.unassign("churn", "prod", "v0.0.2", 3), c2, tagger(5));
            Files.writeString(gtoRepo.resolve("model.pkl"), "three");
            git.add().addFilepattern(".").call();
            RevCommit c3 = git.commit().setMessage("model three").setSign(false).call();
            GtoWriter.write(repo, GtoTag.register("churn", "v0.0.3"), c3, tagger(6));
            GtoWriter.write(repo, GtoTag.assign("churn", "staging", "v0.0.3", 4), c3, tagger(7));
        }
        RegistryConfig config = RegistryConfig.defaults();
        Actor importer = new Actor("jenkins", BuildInfo.NONE, Instant.now());
        try (Registry r = Registry.open(dir.resolve("registry").toString(), dir, config)) {
            assertThatThrownBy(() -> r.importGto(gtoRepo, Map.of(), importer))
                    .hasMessageContaining("GTO stages [prod] are not registry stages").hasMessageContaining("--stage prod=production");
            var report = r.importGto(gtoRepo, Map.of("prod", "production"), importer);
            assertThat(report.skipped()).isEmpty();
            assertThat(report.mismatches()).isEmpty();
            assertThat(r.versions("churn")).extracting(ModelVersion::version).containsExactly("v0.0.1", "v0.0.2", "v0.0.3");
            ModelVersion v1 = r.version("churn", "v0.0.1");
            assertThat(v1.artifact().uri()).startsWith("git:").endsWith("#" + v1.artifact().uri().substring(v1.artifact().uri().indexOf('#') + 1));
            assertThat(v1.createdBy()).isEqualTo("gto-user");
            assertThat(v1.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
            assertThat(r.state("churn").holders("staging")).containsExactly("v0.0.3");
            // v0.0.2 was assigned prod, then unassigned: GTO's latest assignment in effect is v0.0.1's again.
            assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
            assertThat(r.verify().problems()).isEmpty();
            int events = r.history("churn", 0).size();
            var again = r.importGto(gtoRepo, Map.of("prod", "production"), importer);
            assertThat(again.applied()).isZero();
            assertThat(r.history("churn", 0)).hasSize(events);
        }
    }

    @Test
    void reportsWhereGtoStateCannotBeMirroredBecauseAVersionHoldsTwoStages() throws Exception {
        Path gtoRepo = dir.resolve("project");
        try (Git git = Git.init().setDirectory(gtoRepo.toFile()).call()) {
            Files.writeString(gtoRepo.resolve("model.pkl"), "one");
            git.add().addFilepattern(".").call();
            RevCommit c1 = git.commit().setMessage("model one").setSign(false).call();
            GtoWriter.write(git.getRepository(), GtoTag.register("churn", "v0.0.1"), c1, tagger(1));
            GtoWriter.write(git.getRepository(), GtoTag.assign("churn", "staging", "v0.0.1", 1), c1, tagger(2));
            GtoWriter.write(git.getRepository(), GtoTag.assign("churn", "production", "v0.0.1", 2), c1, tagger(3));
        }
        try (Registry r = Registry.open(dir.resolve("registry").toString(), dir, RegistryConfig.defaults())) {
            var report = r.importGto(gtoRepo, Map.of(), new Actor("jenkins", BuildInfo.NONE, Instant.now()));
            assertThat(report.mismatches()).containsExactly("churn staging: registry [], gto show [v0.0.1]");
            assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
        }
    }

    private Path gtoProject(java.util.function.BiConsumer<org.eclipse.jgit.lib.Repository, RevCommit> tags) throws Exception {
        Path gtoRepo = dir.resolve("project");
        try (Git git = Git.init().setDirectory(gtoRepo.toFile()).call()) {
            Files.writeString(gtoRepo.resolve("model.pkl"), "one");
            git.add().addFilepattern(".").call();
            tags.accept(git.getRepository(), git.commit().setMessage("model").setSign(false).call());
        }
        return gtoRepo;
    }

    /** Issue 16: import-gto stopped on a GTO-valid version with build metadata. */
    @Test
    void aVersionWithBuildMetadataIsImported() throws Exception {
        Path gtoRepo = gtoProject((repo, c) -> {
            GtoWriter.write(repo, GtoTag.register("churn", "v2.0.0+build.7"), c, tagger(1));
            GtoWriter.write(repo, GtoTag.assign("churn", "staging", "v2.0.0+build.7", 1), c, tagger(2));
        });
        try (Registry r = Registry.open(dir.resolve("registry").toString(), dir, RegistryConfig.defaults())) {
            var report = r.importGto(gtoRepo, Map.of(), new Actor("jenkins", BuildInfo.NONE, Instant.now()));
            assertThat(report.mismatches()).isEmpty();
            assertThat(r.state("churn").holders("staging")).containsExactly("v2.0.0+build.7");
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    /** Issue 16: a/b and a-b were imported as one model, and then the wrong artifact was promoted. */
    @Test
    void gtoNamesThatWouldMeetOnOneModelAreKeptApartOrRefused() throws Exception {
        assertThat(GtoImport.modelName("a/b")).isEqualTo("a.b");
        assertThat(GtoImport.modelName("a-b")).isEqualTo("a-b");
        assertThat(GtoImport.modelName("models/x:churn")).isEqualTo("models.x..churn");
        Path gtoRepo = gtoProject((repo, c) -> {
            GtoWriter.write(repo, GtoTag.register("a/b", "v1.0.0"), c, tagger(1));
            GtoWriter.write(repo, GtoTag.register("a-b", "v1.0.0"), c, tagger(2));
        });
        try (Registry r = Registry.open(dir.resolve("registry").toString(), dir, RegistryConfig.defaults())) {
            r.importGto(gtoRepo, Map.of(), new Actor("jenkins", BuildInfo.NONE, Instant.now()));
            assertThat(r.models()).containsExactly("a-b", "a.b");
        }
        Path clash = dir.resolve("clash");
        try (Git git = Git.init().setDirectory(clash.toFile()).call()) {
            Files.writeString(clash.resolve("m"), "x");
            git.add().addFilepattern(".").call();
            RevCommit c = git.commit().setMessage("m").setSign(false).call();
            GtoWriter.write(git.getRepository(), GtoTag.register("x:a.b", "v1.0.0"), c, tagger(1));
            GtoWriter.write(git.getRepository(), GtoTag.register("x:a/b", "v1.0.0"), c, tagger(2));
        } catch (RuntimeException invalid) {
            return; // GTO itself refuses '.' in a name, so the clash cannot even be written
        }
        try (Registry r = Registry.open(dir.resolve("registry2").toString(), dir, RegistryConfig.defaults())) {
            assertThatThrownBy(() -> r.importGto(clash, Map.of(), new Actor("jenkins", BuildInfo.NONE, Instant.now())))
                    .hasMessageContaining("would both be registry model");
            assertThat(r.models()).isEmpty();
        }
    }
}
