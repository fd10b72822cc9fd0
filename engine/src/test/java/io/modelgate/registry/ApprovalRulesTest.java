package io.modelgate.registry;

import io.modelgate.metrics.MetricSet;
import io.modelgate.step.StepException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 16: {@code --actor bob --approver bob} approved bob's own promotion, and any non-blank string approved. */
class ApprovalRulesTest {
    @TempDir
    Path dir;
    Instant now = Instant.parse("2026-12-01T10:00:00Z");

    private Registry open(String config) {
        RegistryConfig c = config.isEmpty() ? RegistryConfig.defaults() : RegistryConfigReader.parse("modelgate.yaml", config);
        return Registry.open(dir.resolve("registry").toString(), dir.resolve("cache"), c);
    }

    private Actor actor(String name) {
        now = now.plusSeconds(60);
        return new Actor(name, BuildInfo.NONE, now);
    }

    private void staged(Registry r) throws IOException {
        Path a = Files.writeString(dir.resolve("m.bin"), "weights");
        r.register(new Registry.Registration("churn", a, "", "", "patch", "", Map.of()), actor("alice"));
        r.promote("churn", "v0.0.1", "staging", "", "", actor("bob"));
        r.attachVerdict("churn", "v0.0.1", new VerdictRecord("PASS", "PASS", now, r.version("churn", "v0.0.1").artifact()
                .sha256(), MetricSet.empty()), actor("jenkins"));
    }

    private List<String> refusal(Registry.Outcome o) {
        assertThat(o.refused()).as(String.valueOf(o.decision())).isTrue();
        return ((Decision.Refusal) o.decision()).unmet();
    }

    @Test
    void nobodyApprovesTheirOwnPromotionWhateverTheRule() throws IOException {
        try (Registry r = open("")) {
            staged(r);
            assertThat(refusal(r.promote("churn", "v0.0.1", "production", "bob", "", actor("bob"))))
                    .containsExactly("bob cannot approve their own promotion; another person must approve");
            assertThat(refusal(r.promote("churn", "v0.0.1", "production", "BOB", "", actor("bob")))).hasSize(1);
            assertThat(r.promote("churn", "v0.0.1", "production", "carol", "", actor("bob")).applied()).isTrue();
            assertThat(r.history("churn", 1).get(0).event().approver()).isEqualTo("carol");
        }
    }

    @Test
    void aStagesApproverListAdmitsItsUsersAndTheMembersOfItsGroupsOnly() throws IOException {
        String config = """
                registry:
                  promotion:
                    production:
                      require_verdict: pass
                      approvers: {users: [alice], groups: [ml-leads]}
                """;
        try (Registry r = open(config)) {
            staged(r);
            assertThat(refusal(r.promote("churn", "v0.0.1", "production", "", "", actor("bob"))))
                    .containsExactly("production needs a named approver (--approver): one of users alice; groups ml-leads");
            assertThat(refusal(r.promote("churn", "v0.0.1", "production", "mallory", "", actor("bob"))))
                    .containsExactly("mallory may not approve promotions to production; approvers: users alice; groups ml-leads");
            assertThat(refusal(r.promote("churn", "v0.0.1", "production", new Approver("mallory", List.of("devs")), "",
                    actor("bob")))).hasSize(1);
            assertThat(r.promote("churn", "v0.0.1", "production", new Approver("dave", List.of("ML-Leads")), "",
                    actor("bob")).applied()).isTrue();
            r.promote("churn", "v0.0.1", "staging", "", "", actor("bob"));
            assertThat(r.promote("churn", "v0.0.1", "production", "Alice", "", actor("bob")).applied()).isTrue();
        }
    }

    @Test
    void anApproverListThatNamesNobodyOrAnUnknownKeyIsRefused() {
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml", "registry: {promotion: {production: {approvers: {}}}}"))
                .hasMessage("m.yaml: registry.promotion.production.approvers: names nobody; give users: [...] and/or "
                        + "groups: [...], or leave approvers out");
        assertThatThrownBy(() -> RegistryConfigReader.parse("m.yaml",
                "registry: {promotion: {production: {approvers: {user: [a]}}}}"))
                .hasMessageStartingWith("m.yaml: registry.promotion.production.approvers.user: unknown key 'user' "
                        + "(did you mean 'users'?)");
    }

    @Test
    void aJenkinsfileCannotNameTheApproverItself() {
        for (String key : List.of("approver", "approverGroups")) {
            assertThatThrownBy(() -> io.modelgate.step.StepCatalog.plan("promoteModel",
                    Map.of("name", "churn", "version", "v0.0.1", "stage", "production", key, "boss"), Map.of()))
                    .isInstanceOf(StepException.class)
                    .hasMessage("promoteModel: 'approver' is set by the approval prompt, not by the Jenkinsfile; give "
                            + "'approvers' (who may approve) and Jenkins asks them");
        }
    }
}
