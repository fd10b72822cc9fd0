package io.modelgate.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryConfigReaderTest {
    @Test
    void readsStagesAndRules() {
        RegistryConfig c = RegistryConfigReader.parse("modelgate.yaml", """
                registry:
                  gto_tags: true
                  stages:
                    staging: {capacity: 1}
                    canary: {capacity: 2}
                    production: {}
                  promotion:
                    production:
                      require_verdict: warn
                      require_lineage: true
                      require_approver: true
                      from: [staging, canary]
                      min_time_in_stage: 2h
                """);
        assertThat(c.stages()).containsExactly(Map.entry("staging", 1), Map.entry("canary", 2), Map.entry("production", 1));
        assertThat(c.gtoTags()).isTrue();
        assertThat(c.rule("production")).isEqualTo(new PromotionRule(PromotionRule.RequiredVerdict.WARN, true, true,
                List.of("staging", "canary"), Duration.ofHours(2)));
        assertThat(c.rule("canary")).isEqualTo(PromotionRule.NONE);
    }

    @Test
    void noSectionMeansTheSafeDefaults() {
        assertThat(RegistryConfigReader.parse("m.yaml", "other: 1\n")).isEqualTo(RegistryConfig.defaults());
        assertThat(RegistryConfig.defaults().rule("production").verdict()).isEqualTo(PromotionRule.RequiredVerdict.PASS);
        assertThat(RegistryConfig.defaults().rule("production").from()).containsExactly("staging");
    }

    @Test
    void rejectsUnknownKeysStagesAndValues() {
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {promotion: {production: {require_verdit: pass}}}"))
                .hasMessage("m.yaml: registry.promotion.production.require_verdit: unknown key 'require_verdit' (did you mean "
                        + "'require_verdict'?); allowed: approvers, from, min_time_in_stage, require_approver, require_lineage, require_verdict");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {stagse: {}}"))
                .hasMessageStartingWith("m.yaml: registry.stagse: unknown key 'stagse' (did you mean 'stages'?)");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {gto_tags: yes please}"))
                .hasMessage("m.yaml: registry.gto_tags: must be true or false, found 'yes please'");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {stages: {a: {capacity: lots}}}"))
                .hasMessage("m.yaml: registry.stages.a.capacity: must be a whole number >= 0, found 'lots'");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {stages: [a, b]}"))
                .hasMessage("m.yaml: registry.stages: must be a mapping of keys to values, found a list");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {promotion: {prod: {}}}"))
                .hasMessage("m.yaml: registry.promotion.prod: unknown stage 'prod'; stages: staging, production");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {promotion: {production: {require_verdict: maybe}}}"))
                .hasMessage("m.yaml: registry.promotion.production.require_verdict: must be 'pass', 'warn' or 'none', "
                        + "found 'maybe'");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {promotion: {production: {min_time_in_stage: soon}}}"))
                .hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {stages: {a: {capacity: -1}}}"))
                .hasMessageContaining("capacity: must be a whole number >= 0");
    }

    @Test
    void theRegistrysOwnConfigurationWinsOverTheWorkspaces(@TempDir Path dir) throws Exception {
        Path artifact = Files.writeString(dir.resolve("m.bin"), "w");
        Actor actor = new Actor("a", BuildInfo.NONE, Instant.now());
        RegistryConfig relaxed = RegistryConfigReader.parse("ws.yaml", "registry: {promotion: {production: {}}}");
        String location = dir.resolve("registry").toString();
        try (Registry r = Registry.open(location, dir, relaxed)) {
            r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), actor);
            r.configure("strict.yaml", "registry: {promotion: {production: {require_approver: true}}}", actor);
        }
        try (Registry r = Registry.open(location, dir, relaxed)) {
            assertThat(r.config().rule("production").requireApprover()).isTrue();
            assertThat(r.promote("churn", "v0.0.1", "production", "", "", actor).refused()).isTrue();
            assertThat(r.promote("churn", "v0.0.1", "production", "zoe", "", actor).applied()).isTrue();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"100000000000000000000d", "99999999999999s", "3651d",
            "PT87601H", "P99999999999D", "PT9999999999999999999S", "PT-10S", "-PT10S", "P-1D", "PT-0.5S"})
    void hugeAndNegativeDurationsAreOneLineErrors(String value) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {promotion: {production: {min_time_in_stage: '" + value + "'}}}"));
        assertThat(t).isInstanceOf(RegistryException.class);
        assertThat(t.getMessage()).startsWith("m.yaml: registry.promotion.production.min_time_in_stage: ")
                .contains("'" + value + "'").doesNotContain("\n");
        assertThat(t.getMessage()).endsWith(value.contains("-") ? "must not be negative, found '" + value + "'"
                : value.startsWith("PT99") ? "is not a duration like 250ms, 30s, 5m, 2h, 1d or PT1M"
                : "is longer than the maximum of 10 years (3650d)");
    }

    private static Duration duration(String text) {
        return RegistryConfigReader.parse("m.yaml", "registry: {promotion: {production: {min_time_in_stage: '" + text + "'}}}")
                .rule("production").minTimeInStage();
    }

    @Test
    void durationsUpToTenYearsAndZeroAreAccepted() {
        assertThat(duration("3650d")).isEqualTo(Duration.ofDays(3650));
        assertThat(duration("PT0S")).isEqualTo(Duration.ZERO);
        assertThat(duration("0m")).isEqualTo(Duration.ZERO);
        assertThat(duration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(duration(" 2h ")).isEqualTo(Duration.ofHours(2));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"x.lock", "a/b", "..", "a b", "-", ".hidden", "latest",
            "v1.0.0", "a\\nb", "a\\u001bb", "a\\u202eb", ""})
    void stageNamesThatCannotBeTagPartsOrWouldReadAsVersionsAreRefused(String stage) {
        String quoted = "\"" + stage + "\"";
        Throwable asStage = org.assertj.core.api.Assertions.catchThrowable(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {stages: {" + quoted + ": {}}}"));
        assertThat(asStage).as(stage).isInstanceOf(io.modelgate.common.ModelgateException.class);
        assertThat(asStage.getMessage()).startsWith("m.yaml: registry.stages").contains("stage").doesNotContain("\n");
        Throwable asArchive = org.assertj.core.api.Assertions.catchThrowable(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {archive: " + quoted + "}"));
        assertThat(asArchive).as(stage).isInstanceOf(io.modelgate.common.ModelgateException.class);
        assertThat(asArchive.getMessage()).startsWith("m.yaml: registry.archive");
    }

    @Test
    void withGtoTagsAStageMustBeAGtoName() {
        assertThat(RegistryConfigReader.parse("m.yaml", "registry: {stages: {pre.prod: {}}}").stages()).containsKey("pre.prod");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {gto_tags: true, stages: {pre.prod: {}}}"))
                .hasMessageStartingWith("m.yaml: registry.stages.pre.prod: 'pre.prod' cannot be part of a GTO tag");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {stages: {archived: {}}}"))
                .hasMessageContaining("also listed under stages");
    }

    @Test
    void aConfigurationWithABadStageIsNotStored(@TempDir Path dir) throws Exception {
        Actor actor = new Actor("a", BuildInfo.NONE, Instant.now());
        Path location = dir.resolve("registry");
        try (Registry r = Registry.open(location.toString(), dir, RegistryConfig.defaults())) {
            assertThatThrownBy(() -> r.configure("bad.yaml", "registry: {stages: {\"x.lock\": {}}}", actor))
                    .hasMessageStartingWith("bad.yaml: registry.stages: stage 'x.lock'");
            assertThatThrownBy(() -> r.configure("bad.yaml", "registry: {stages: {\"pro\\nduction\": {}}}", actor))
                    .hasMessageContaining("control character");
        }
        assertThat(location).doesNotExist();
    }
}
