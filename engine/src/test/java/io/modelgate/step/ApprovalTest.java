package io.modelgate.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may approve a promotion, what they are asked, and that a promotion with approvers needs an approver. */
class ApprovalTest {

    @Test
    void asksAboutTheStageOrTheAlias() {
        Approval stage = Approval.of(Map.of("name", "churn", "version", "1.4.0", "stage", "production",
                "approvers", " alice, ml-leads ,")).orElseThrow();
        assertThat(stage.question()).isEqualTo("Promote churn 1.4.0 to stage production?");
        assertThat(stage.approvers()).containsExactly("alice", "ml-leads");
        assertThat(Approval.of(Map.of("name", "churn", "version", "1.4.0", "alias", "champion", "approvers", "bob"))
                .orElseThrow().question()).isEqualTo("Promote churn 1.4.0 to alias champion?");
        assertThat(Approval.of(Map.of("name", "churn", "version", "1.4.0", "stage", "staging"))).isEmpty();
    }

    @Test
    void aMistakeFailsBeforeAnybodyIsAsked() {
        assertThatThrownBy(() -> Approval.of(Map.of("name", "churn", "version", "1", "stage", "p", "approvers", "a",
                "aprover", "x"))).isInstanceOf(StepException.class)
                .hasMessageStartingWith("promoteModel: unknown parameter 'aprover' (did you mean 'approver'?)");
        assertThatThrownBy(() -> Approval.of(Map.of("name", "churn", "version", "1", "stage", "p", "approvers", " , ")))
                .hasMessageStartingWith("promoteModel: parameter 'approvers' names nobody");
        assertThatThrownBy(() -> Approval.of(Map.of("name", "churn", "version", "1", "approvers", "a")))
                .hasMessage("promoteModel: give exactly one of 'stage' and 'alias'");
    }

    @Test
    void aUserOrOneOfTheirGroupsMayApproveRegardlessOfCase() {
        Approval a = new Approval("q", List.of("alice", "ML-Leads"));
        assertThat(a.allows("Alice", List.of())).isTrue();
        assertThat(a.allows("carol", List.of("authenticated", "ml-leads"))).isTrue();
        assertThat(a.allows("bob", List.of("authenticated", "data-science"))).isFalse();
        assertThat(a.allows(null, List.of())).isFalse();
    }

    /** A face that forgot to ask must not promote: the engine fails closed. */
    @Test
    void aPromotionWithApproversButNoApproverIsRefused() {
        Map<String, Object> asked = Map.of("name", "churn", "version", "1.4.0", "stage", "production",
                "approvers", "ml-leads");
        assertThatThrownBy(() -> StepCatalog.plan("promoteModel", asked, Map.of())).isInstanceOf(StepException.class)
                .hasMessageStartingWith("promoteModel: 'approvers' (ml-leads) must approve first, and no 'approver' was given");
        Map<String, Object> approved = new java.util.HashMap<>(asked);
        approved.put("approver", "alice");
        assertThat(StepCatalog.plan("promoteModel", approved, Map.of()).main().argv())
                .containsSubsequence("--to", "production", "--approver", "alice");
    }
}
