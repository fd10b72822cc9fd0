package io.modelgate.registry.gto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.modelgate.registry.gto.GtoTag.Kind;

class GtoStateTest {
    private static GtoEvent event(Kind kind, String version, String stage, String tag, String time, String commit) {
        return new GtoEvent(kind, "churn", version, stage, 0, tag, OffsetDateTime.parse(time).toInstant(),
                "Alexander Guschin", "1aguschin@gmail.com", "", commit);
    }

    // iterative/gto tests/resources/sample_remote_repo_expected_history_churn.json (example-gto-frozen) and
    // sample_remote_repo_expected_registry.json: churn latest v3.1.0, prod v3.0.0, staging v3.1.0
    @Test
    void reproducesGtoShowOfTheExampleRepository() {
        String c300 = "e19353d623660452e97a351ab0ba56a92126bd70";
        String c310 = "299e82a7b3244899a84e715a39b786a4451c25cd";
        List<GtoEvent> events = GtoReader.resolveVersions(List.of(
                event(Kind.REGISTER, "v3.0.0", "", "churn@v3.0.0", "2022-05-20T04:09:52+03:00", c300),
                event(Kind.REGISTER, "v3.1.0", "", "churn@v3.1.0", "2022-05-24T19:16:32+03:00", c310),
                event(Kind.ASSIGN, "", "staging", "churn#staging#1", "2022-05-25T23:03:12+03:00", c310),
                event(Kind.ASSIGN, "", "prod", "churn#prod#2", "2022-05-27T02:49:52+03:00", c300)));
        assertThat(events.get(3).version()).isEqualTo("v3.0.0");

        GtoState.ArtifactState churn = GtoState.of(events).artifacts().get("churn");
        assertThat(churn.latestVersion()).isEqualTo("v3.1.0");
        assertThat(churn.active()).isTrue();
        assertThat(churn.stages()).isEqualTo(Map.of("prod", List.of("v3.0.0"), "staging", List.of("v3.1.0")));
    }

    @Test
    void theLatestVersionIsTheHighestBySemVerPrecedence() {
        String c1 = "e19353d623660452e97a351ab0ba56a92126bd70";
        String c2 = "299e82a7b3244899a84e715a39b786a4451c25cd";
        GtoState state = GtoState.of(List.of(
                event(Kind.REGISTER, "v1.0.0-rc.10", "", "churn@v1.0.0-rc.10", "2022-05-20T00:00:00Z", c1),
                event(Kind.REGISTER, "v1.0.0-rc.2", "", "churn@v1.0.0-rc.2", "2022-05-21T00:00:00Z", c2)));
        GtoState.ArtifactState churn = state.artifacts().get("churn");
        assertThat(churn.latestVersion()).isEqualTo("v1.0.0-rc.10");
        assertThat(churn.versions()).extracting(GtoState.VersionState::version)
                .containsExactly("v1.0.0-rc.10", "v1.0.0-rc.2");
    }

    @Test
    void letsARemovalWinASameSecondTieAsGtoDoes() {
        String c = "e19353d623660452e97a351ab0ba56a92126bd70";
        String t = "2022-05-20T04:09:52Z";
        GtoState state = GtoState.of(List.of(
                event(Kind.REGISTER, "v1.0.0", "", "churn@v1.0.0", t, c),
                event(Kind.ASSIGN, "v1.0.0", "prod", "churn#prod#1", t, c),
                event(Kind.UNASSIGN, "v1.0.0", "prod", "churn#prod!#2", t, c)));
        assertThat(state.artifacts().get("churn").stages()).isEmpty();
    }

    @Test
    void ignoresEventOrderOfTheInput() {
        String c1 = "e19353d623660452e97a351ab0ba56a92126bd70";
        String c2 = "299e82a7b3244899a84e715a39b786a4451c25cd";
        List<GtoEvent> events = List.of(
                event(Kind.ASSIGN, "", "prod", "churn#prod#1", "2022-05-21T00:00:00Z", c1),
                event(Kind.ASSIGN, "", "prod", "churn#prod#2", "2022-05-22T00:00:00Z", c2),
                event(Kind.REGISTER, "v1.0.0", "", "churn@v1.0.0", "2022-05-23T00:00:00Z", c1),
                event(Kind.REGISTER, "v2.0.0", "", "churn@v2.0.0", "2022-05-23T00:00:00Z", c2));
        // registrations are indexed first even when newer, so both assignments find their versions
        assertThat(GtoState.of(events).artifacts().get("churn").stages())
                .isEqualTo(Map.of("prod", List.of("v2.0.0")));
        assertThat(GtoState.of(List.of(events.get(3), events.get(1), events.get(2), events.get(0))))
                .isEqualTo(GtoState.of(events));
    }
}
