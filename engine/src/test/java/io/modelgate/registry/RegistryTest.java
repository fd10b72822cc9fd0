package io.modelgate.registry;

import io.modelgate.metrics.MetricSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryTest {
    @TempDir
    Path dir;
    Path artifact;
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    @BeforeEach
    void artifact() throws IOException {
        artifact = Files.writeString(dir.resolve("model.bin"), "weights v1");
    }

    private Registry open() {
        return Registry.open(dir.resolve("registry").toString(), dir.resolve("cache"), RegistryConfig.defaults());
    }

    private Actor actor(String name) {
        now = now.plusSeconds(60);
        return new Actor(name, new BuildInfo("https://ci/job/train/7/", "train", "7", "abc123"), now);
    }

    private ModelVersion register(Registry r, String model) {
        var out = r.register(new Registry.Registration(model, artifact, "", "", "patch", "churn model", Map.of("team", "ds")),
                actor("alice"));
        return ((Decision.Change) out.decision()).versions().get(0);
    }

    private void pass(Registry r, ModelVersion v) {
        r.attachVerdict(v.model(), v.version(), new VerdictRecord("PASS", "PASS: 3 of 3 checks passed", now,
                v.artifact().sha256(), MetricSet.of(Map.of("roc_auc", 0.91))), actor("jenkins"));
    }

    @Test
    void registersVersionsWithTheEnginesDigestAndNextSemVer() throws IOException {
        try (Registry r = open()) {
            ModelVersion v1 = register(r, "churn");
            assertThat(v1.version()).isEqualTo("v0.0.1");
            assertThat(v1.artifact().sha256()).isEqualTo(io.modelgate.common.Digests.of(artifact).sha256());
            assertThat(v1.artifact().size()).isEqualTo(10);
            assertThat(v1.build().buildUrl()).isEqualTo("https://ci/job/train/7/");
            assertThat(register(r, "churn").version()).isEqualTo("v0.0.2");
            r.register(new Registry.Registration("churn", artifact, "", "v1.4.0", "patch", "", Map.of()), actor("bob"));
            assertThat(r.state("churn").latest()).isEqualTo("v1.4.0");
            assertThat(r.versions("churn")).extracting(ModelVersion::version).containsExactly("v0.0.1", "v0.0.2", "v1.4.0");
            assertThatThrownBy(() -> r.register(new Registry.Registration("churn", artifact, "", "v1.4.0", "patch", "", Map.of()),
                    actor("bob"))).hasMessage("churn@v1.4.0 is already registered");
        }
    }

    /** Issue 15: pre-release identifiers were compared as text, so rc.2 stayed the latest after rc.10. */
    @Test
    void theLatestVersionFollowsSemVerPrecedenceSoRc10IsAfterRc2() {
        try (Registry r = open()) {
            for (String v : List.of("v1.0.0-rc.2", "v1.0.0-rc.10", "v1.0.0-rc.9", "v1.0.0-beta.11")) {
                r.register(new Registry.Registration("churn", artifact, "", v, "patch", "", Map.of()), actor("alice"));
            }
            assertThat(r.state("churn").latest()).isEqualTo("v1.0.0-rc.10");
            assertThat(r.resolve("churn").version()).isEqualTo("v1.0.0-rc.10");
            assertThat(r.resolve("churn@latest").version()).isEqualTo("v1.0.0-rc.10");
            assertThat(r.versions("churn")).extracting(ModelVersion::version)
                    .containsExactly("v1.0.0-beta.11", "v1.0.0-rc.2", "v1.0.0-rc.9", "v1.0.0-rc.10");
            r.register(new Registry.Registration("churn", artifact, "", "v1.0.0", "patch", "", Map.of()), actor("alice"));
            assertThat(r.state("churn").latest()).isEqualTo("v1.0.0");
            // The next patch after the latest: always above it.
            assertThat(register(r, "churn").version()).isEqualTo("v1.0.1");
        }
    }

    @Test
    void buildMetadataIsAcceptedButOneVersionWithoutItIsOneVersion() {
        try (Registry r = open()) {
            r.register(new Registry.Registration("churn", artifact, "", "v1.0.0-rc.1+build.7", "patch", "", Map.of()),
                    actor("alice"));
            assertThat(r.version("churn", "v1.0.0-rc.1+build.7").version()).isEqualTo("v1.0.0-rc.1+build.7");
            r.register(new Registry.Registration("churn", artifact, "", "v1.0.0+build.8", "patch", "", Map.of()),
                    actor("alice"));
            assertThat(r.state("churn").latest()).isEqualTo("v1.0.0+build.8");
            for (String same : List.of("v1.0.0", "v1.0.0+build.9", "v1.0.0-rc.1", "v1.0.0-rc.1+other")) {
                assertThatThrownBy(() -> r.register(new Registry.Registration("churn", artifact, "", same, "patch", "",
                        Map.of()), actor("alice"))).as(same).isInstanceOf(RegistryException.class)
                        .hasMessageContaining("churn@" + same + " is the same version as the registered ")
                        .hasMessageContaining("differ only in build metadata");
            }
            assertThat(r.versions("churn")).hasSize(2);
            assertThat(register(r, "churn").version()).isEqualTo("v1.0.1");
        }
    }

    @Test
    void versionsNeedALeadingVAndAreSemVer() {
        try (Registry r = open()) {
            assertThatThrownBy(() -> r.register(new Registry.Registration("churn", artifact, "", "1.0.0", "patch", "",
                    Map.of()), actor("alice"))).hasMessage("version '1.0.0' needs a leading 'v', like v1.4.0 (registry and"
                    + " GTO versions are written with one)");
            assertThatThrownBy(() -> r.register(new Registry.Registration("churn", artifact, "", "v1.0.0-..", "patch", "",
                    Map.of()), actor("alice"))).hasMessageStartingWith("version 'v1.0.0-..' is not a Semantic Version 2.0.0");
            assertThatThrownBy(() -> r.register(new Registry.Registration("churn", artifact, "", "v1.0.0-rc.01", "patch",
                    "", Map.of()), actor("alice"))).hasMessageContaining("leading zero");
            assertThat(r.models()).isEmpty();
        }
    }

    @Test
    void productionNeedsAPassVerdictAndStagingFirstAndListsEveryUnmetRule() {
        try (Registry r = open()) {
            ModelVersion v = register(r, "churn");
            var refused = r.promote("churn", v.version(), "production", "", "", actor("alice"));
            assertThat(refused.refused()).isTrue();
            assertThat(((Decision.Refusal) refused.decision()).unmet()).hasSize(2)
                    .anyMatch(m -> m.contains("needs a PASS verdict"))
                    .anyMatch(m -> m.contains("takes versions from staging only"));
            assertThat(r.promote("churn", v.version(), "staging", "", "ready", actor("alice")).applied()).isTrue();
            pass(r, v);
            var ok = r.promote("churn", v.version(), "production", "carol", "canary passed", actor("alice"));
            assertThat(ok.applied()).isTrue();
            assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
            assertThat(r.state("churn").holders("staging")).isEmpty();
            assertThat(r.resolve("churn@production").version()).isEqualTo("v0.0.1");
        }
    }

    @Test
    void aFailedVerdictOrAVerdictForAnotherArtifactDoesNotCount() {
        try (Registry r = open()) {
            ModelVersion v = register(r, "churn");
            r.promote("churn", v.version(), "staging", "", "", actor("a"));
            r.attachVerdict("churn", v.version(), new VerdictRecord("FAIL", "FAIL: auc too low", now, v.artifact().sha256(),
                    MetricSet.empty()), actor("j"));
            var refused = (Decision.Refusal) r.promote("churn", v.version(), "production", "", "", actor("a")).decision();
            assertThat(refused.unmet()).singleElement().asString().contains("the latest for this artifact is FAIL");
            assertThatThrownBy(() -> r.attachVerdict("churn", v.version(), new VerdictRecord("PASS", "", now, "beef",
                    MetricSet.empty()), actor("j"))).hasMessageContaining("judged an artifact with sha256 beef");
        }
    }

    @Test
    void promotingIntoAFullStageArchivesThePreviousHolderAndRollbackPutsItBack() {
        try (Registry r = open()) {
            ModelVersion v1 = register(r, "churn");
            ModelVersion v2 = register(r, "churn");
            for (ModelVersion v : List.of(v1, v2)) {
                r.promote("churn", v.version(), "staging", "", "", actor("a"));
                pass(r, v);
                r.promote("churn", v.version(), "production", "", "", actor("a"));
            }
            assertThat(r.state("churn").holders("production")).containsExactly("v0.0.2");
            assertThat(r.version("churn", "v0.0.1").stage()).isEqualTo("archived");

            var back = r.rollback("churn", "production", Optional.empty(), "error rate doubled", actor("oncall"));
            assertThat(back.applied()).isTrue();
            assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
            ModelVersion rolledBack = r.version("churn", "v0.0.2");
            assertThat(rolledBack.stage()).isEqualTo("archived");
            assertThat(rolledBack.rejections()).singleElement().extracting(Rejection::reason).isEqualTo("error rate doubled");
            var again = (Decision.Refusal) r.promote("churn", "v0.0.2", "staging", "", "", actor("a")).decision();
            assertThat(again.unmet()).anyMatch(m -> m.contains("was rejected (error rate doubled)"));
            assertThatThrownBy(() -> r.rollback("churn", "production", Optional.empty(), "", actor("x")))
                    .hasMessage("a rollback needs a reason (--reason)");
        }
    }

    @Test
    void aliasesPointAtOneVersionAndResolve() {
        try (Registry r = open()) {
            register(r, "churn");
            register(r, "churn");
            r.setAlias("churn", "champion", "v0.0.1", actor("a"));
            assertThat(r.resolve("churn@champion").version()).isEqualTo("v0.0.1");
            r.setAlias("churn", "champion", "v0.0.2", actor("a"));
            assertThat(r.state("churn").aliases()).containsExactly(Map.entry("champion", "v0.0.2"));
            r.removeAlias("churn", "champion", actor("a"));
            assertThatThrownBy(() -> r.resolve("churn@champion")).hasMessageContaining("is not a version, stage or alias");
            assertThatThrownBy(() -> r.setAlias("churn", "production", "v0.0.1", actor("a")))
                    .hasMessageContaining("is a stage name");
        }
    }

    @Test
    void unknownModelVersionOrStageAreNamed() {
        try (Registry r = open()) {
            register(r, "churn");
            assertThatThrownBy(() -> r.state("fraud")).hasMessage("unknown model 'fraud'; models: churn");
            assertThatThrownBy(() -> r.version("churn", "v9.9.9"))
                    .hasMessage("unknown version 'v9.9.9' of churn; latest is v0.0.1");
            assertThatThrownBy(() -> r.promote("churn", "v0.0.1", "prod", "", "", actor("a")))
                    .hasMessage("unknown stage 'prod'; stages: staging, production, archived");
            assertThatThrownBy(() -> r.register(new Registry.Registration("bad name", artifact, "", "", "patch", "", Map.of()),
                    actor("a"))).hasMessageStartingWith("model name 'bad name' is not allowed");
            assertThatThrownBy(() -> r.register(new Registry.Registration("churn", dir.resolve("nope.bin"), "", "", "patch", "",
                    Map.of()), actor("a"))).hasMessageContaining("nope.bin: no such file");
        }
    }

    @Test
    void everyChangeIsOneAuditedCommitAndVerifyPasses() {
        try (Registry r = open()) {
            ModelVersion v = register(r, "churn");
            r.promote("churn", v.version(), "staging", "", "first deploy", actor("alice"));
            List<AuditEntry> history = r.history("churn", 0);
            assertThat(history).extracting(h -> h.event().type()).containsExactly(EventType.PROMOTE, EventType.REGISTER);
            RegistryEvent promote = history.get(0).event();
            assertThat(promote.actor()).isEqualTo("alice");
            assertThat(promote.reason()).isEqualTo("first deploy");
            assertThat(promote.build().buildUrl()).isEqualTo("https://ci/job/train/7/");
            assertThat(promote.seq()).isEqualTo(2);
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    @Test
    void minimumTimeInThePreviousStageIsEnforced() {
        RegistryConfig config = new RegistryConfig(RegistryConfig.defaults().stages(), "archived", Map.of("production",
                new PromotionRule(PromotionRule.RequiredVerdict.NONE, false, true, List.of("staging"), Duration.ofHours(1))),
                false);
        try (Registry r = Registry.open(dir.resolve("registry").toString(), dir, config)) {
            ModelVersion v = register(r, "churn");
            r.promote("churn", v.version(), "staging", "", "", actor("a"));
            var refused = (Decision.Refusal) r.promote("churn", v.version(), "production", "", "", actor("a")).decision();
            assertThat(refused.unmet()).containsExactly("production needs a named approver (--approver)",
                    "production needs 1h in staging; churn@v0.0.1 has been there 1m");
            now = now.plus(Duration.ofHours(2));
            assertThat(r.promote("churn", v.version(), "production", "dave", "", actor("a")).applied()).isTrue();
        }
    }
}
