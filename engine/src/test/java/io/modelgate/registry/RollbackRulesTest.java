package io.modelgate.registry;

import io.modelgate.metrics.MetricSet;
import io.modelgate.rollout.RegistryOutcomes;
import io.modelgate.rollout.RolloutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16: a rollback is a way around the promotion rules only for what held the stage before. It
 * put a FAIL version (and one never in production) into production and rejected the good one; a
 * rolled-back version could be promoted again by attaching a new PASS verdict.
 */
class RollbackRulesTest {
    @TempDir
    Path dir;
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    Registry r;

    @BeforeEach
    void open() {
        r = Registry.open(dir.resolve("registry").toString(), dir.resolve("cache"), RegistryConfig.defaults());
    }

    private Actor actor(String name) {
        now = now.plusSeconds(60);
        return new Actor(name, new BuildInfo("https://ci/job/churn/7/", "churn", "7", "abc123"), now);
    }

    private String register(String content) throws IOException {
        Path a = Files.writeString(dir.resolve("model-" + content + ".bin"), content);
        var out = r.register(new Registry.Registration("churn", a, "", "", "patch", "", Map.of()), actor("alice"));
        return ((Decision.Change) out.decision()).versions().get(0).version();
    }

    private void verdict(String version, String status) {
        ModelVersion v = r.version("churn", version);
        r.attachVerdict("churn", version, new VerdictRecord(status, status + ": judged", now, v.artifact().sha256(),
                MetricSet.of(Map.of("roc_auc", 0.9))), actor("jenkins"));
    }

    private void toProduction(String version) {
        r.promote("churn", version, "staging", "", "", actor("alice"));
        verdict(version, "PASS");
        assertThat(r.promote("churn", version, "production", "", "", actor("alice")).applied()).isTrue();
    }

    /** Three versions: v0.0.1 and v0.0.2 held production in turn (v0.0.2 now); v0.0.3 failed the gate. */
    private void history() throws IOException {
        toProduction(register("one"));
        toProduction(register("two"));
        register("three");
        verdict("v0.0.3", "FAIL");
    }

    @Test
    void aVersionThatFailedTheGateIsNotRolledIntoProduction() throws IOException {
        history();
        long events = r.state("churn").seq();
        var out = r.rollback("churn", "production", Optional.of("v0.0.3"), "bad", actor("oncall"));
        assertThat(out.refused()).isTrue();
        assertThat(((Decision.Refusal) out.decision()).unmet())
                .anyMatch(m -> m.startsWith("churn@v0.0.3 is not an earlier holder of production"))
                .anyMatch(m -> m.equals("production needs a PASS verdict; the latest for churn@v0.0.3 is FAIL"));
        assertThat(r.state("churn").holders("production")).containsExactly("v0.0.2");
        assertThat(r.state("churn").seq()).isEqualTo(events);
        assertThat(r.version("churn", "v0.0.2").rejections()).as("the good version is not marked rejected").isEmpty();
    }

    @Test
    void aPassingVersionThatNeverHeldTheStageGoesThroughPromoteInstead() throws IOException {
        history();
        String four = register("four");
        verdict(four, "PASS");
        var out = r.rollback("churn", "production", Optional.of(four), "bad", actor("oncall"));
        assertThat(((Decision.Refusal) out.decision()).unmet()).singleElement().asString()
                .contains("is not an earlier holder of production").contains("use promote");
        assertThat(r.state("churn").holders("production")).containsExactly("v0.0.2");
    }

    @Test
    void anEarlierHolderIsRestoredUnlessItHasFailedTheGateSince() throws IOException {
        history();
        var out = r.rollback("churn", "production", Optional.of("v0.0.1"), "latency", actor("oncall"));
        assertThat(out.applied()).isTrue();
        assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
        assertThat(r.version("churn", "v0.0.2").standingRejection()).isPresent();

        // v0.0.1 is now the holder; put v0.0.2 back would be a rolled-back version: refused.
        var back = r.rollback("churn", "production", Optional.of("v0.0.2"), "undo", actor("oncall"));
        assertThat(((Decision.Refusal) back.decision()).unmet())
                .anyMatch(m -> m.startsWith("churn@v0.0.2 was rejected (latency) by oncall"));
    }

    @Test
    void anEarlierHolderJudgedFailSinceIsSkippedByTheDefaultRollback() throws IOException {
        toProduction(register("one"));
        toProduction(register("two"));
        toProduction(register("three"));
        verdict("v0.0.2", "FAIL"); // re-judged on new data after it left production
        var out = r.rollback("churn", "production", Optional.empty(), "errors", actor("oncall"));
        assertThat(out.applied()).isTrue();
        assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
    }

    @Test
    void withNoEarlierHolderLeftTheRollbackIsRefusedAndNothingIsRejected() throws IOException {
        toProduction(register("one"));
        toProduction(register("two"));
        verdict("v0.0.1", "FAIL");
        var out = r.rollback("churn", "production", Optional.empty(), "errors", actor("oncall"));
        assertThat(((Decision.Refusal) out.decision()).unmet()).containsExactly(
                "production needs a PASS verdict; the latest for churn@v0.0.1 is FAIL");
        assertThat(r.version("churn", "v0.0.2").rejections()).isEmpty();
    }

    @Test
    void aRejectionStandsThroughANewPassVerdictUntilItIsOverriddenWithAReason() throws IOException {
        history();
        r.rollback("churn", "production", Optional.empty(), "error rate doubled", actor("oncall"));
        verdict("v0.0.2", "PASS");
        var again = r.promote("churn", "v0.0.2", "staging", "", "", actor("alice"));
        assertThat(((Decision.Refusal) again.decision()).unmet()).singleElement().asString()
                .startsWith("churn@v0.0.2 was rejected (error rate doubled) by oncall at ")
                .endsWith("; it enters a stage or a canary again only with --override-reject REASON, which is audited");

        assertThatThrownBy(() -> r.overrideReject("churn", "v0.0.2", " ", actor("lead")))
                .isInstanceOf(RegistryException.class).hasMessageContaining("needs a reason");
        assertThat(r.overrideReject("churn", "v0.0.2", "fixed the feature join; see INC-42", actor("lead")).applied()).isTrue();
        assertThat(r.overrideReject("churn", "v0.0.2", "again", actor("lead")).applied()).as("nothing stands").isFalse();
        assertThat(r.promote("churn", "v0.0.2", "staging", "", "", actor("alice")).applied()).isTrue();

        List<AuditEntry> h = r.history("churn", 0);
        RegistryEvent override = h.stream().map(AuditEntry::event).filter(e -> e.type() == EventType.OVERRIDE_REJECT)
                .findFirst().orElseThrow();
        assertThat(override.actor()).isEqualTo("lead");
        assertThat(override.reason()).isEqualTo("fixed the feature join; see INC-42");
        Rejection kept = r.version("churn", "v0.0.2").rejections().get(0);
        assertThat(kept.reason()).isEqualTo("error rate doubled");
        assertThat(kept.override().by()).isEqualTo("lead");
        assertThat(r.verify().ok()).as(r.verify().toString()).isTrue();
    }

    @Test
    void aCanaryOfARejectedVersionIsRefusedUnlessTheRejectionIsOverridden() throws IOException {
        history();
        r.reject("churn", "v0.0.2", "canary rolled back: error rate", actor("modelgate"));
        Path planFile = Files.writeString(dir.resolve("plan.yaml"), """
                stable: http://127.0.0.1:1
                canary: http://127.0.0.1:2
                model: churn
                canary_version: v0.0.2
                """);
        var plan = io.modelgate.rollout.PlanReader.read(planFile);
        RegistryOutcomes outcomes = new RegistryOutcomes(r, at -> new Actor("sre", BuildInfo.NONE, at));
        assertThatThrownBy(() -> outcomes.check(plan)).isInstanceOf(RolloutException.class)
                .hasMessageStartingWith(planFile + ": churn@v0.0.2 was rejected (canary rolled back: error rate)")
                .hasMessageEndingWith("it is canaried again only with --override-reject REASON, which is audited");
        outcomes.check(plan, "retrying with the cache warmed");
        assertThat(r.version("churn", "v0.0.2").standingRejection()).isEmpty();
        assertThat(r.history("churn", 1).get(0).event().type()).isEqualTo(EventType.OVERRIDE_REJECT);
    }
}
