package io.modelgate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.metrics.MetricSet;
import io.modelgate.registry.Artifact;
import io.modelgate.registry.AuditEntry;
import io.modelgate.registry.BuildInfo;
import io.modelgate.registry.EventType;
import io.modelgate.registry.ModelState;
import io.modelgate.registry.ModelVersion;
import io.modelgate.registry.RegistryEvent;
import io.modelgate.registry.VerdictRecord;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryReportTest {
    static final String HOSTILE = "<img src=x onerror=alert(1)>";

    /**
     * A model's history with hostile free text where the registry allows it: model names are
     * validated (letters, digits, '.', '_', '-'), so the hostile string goes into the actor, the
     * reasons, a tag, the description and the build's job name; the build URL is a javascript: URL.
     */
    static RegistryReport.Input hostileHistory() {
        Instant t = Instant.parse("2026-11-26T09:00:00Z");
        BuildInfo jenkins = new BuildInfo("https://ci.example.com/job/churn/42/", "churn-train", "42", "abc123");
        BuildInfo evil = new BuildInfo("javascript:alert(1)", HOSTILE, "7", "");
        List<RegistryEvent> events = new ArrayList<>();
        events.add(event(1, EventType.REGISTER, "v0.0.1", "", "", List.of(), "", "alice", "", "", t, jenkins));
        events.add(event(2, EventType.ATTACH_VERDICT, "v0.0.1", "", "", List.of(), "", "alice", "",
                "PASS: 3 of 3 checks passed", t.plusSeconds(60), jenkins));
        events.add(event(3, EventType.PROMOTE, "v0.0.1", "production", "", List.of(), "", "bob", "carol",
                "weekly release", t.plusSeconds(3600), jenkins));
        events.add(event(4, EventType.REGISTER, "v0.0.2", "", "", List.of(), "", HOSTILE, "", "", t.plusSeconds(7200), evil));
        events.add(event(5, EventType.ATTACH_VERDICT, "v0.0.2", "", "", List.of(), "", HOSTILE, "",
                "FAIL: roc_auc below 0.8", t.plusSeconds(7260), evil));
        events.add(event(6, EventType.PROMOTE, "v0.0.2", "staging", "", List.of(), "", "bob", "",
                "reason " + HOSTILE, t.plusSeconds(7300), jenkins));
        events.add(event(7, EventType.ALIAS_SET, "v0.0.1", "", "", List.of(), "champion", "bob", "", "", t.plusSeconds(7400),
                jenkins));
        events.add(event(8, EventType.ROLLBACK, "v0.0.1", "staging", "", List.of("v0.0.2"), "", "canary-bot", "",
                "canary error rate 5.2% vs 1.0%", t.plusSeconds(7500), BuildInfo.NONE));
        List<AuditEntry> history = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            history.add(new AuditEntry("c0ffee" + i + "00deadbeef", events.get(i)));
        }
        ModelState state = new ModelState("churn", 8, "v0.0.2", Map.of("production", List.of("v0.0.1")), Map.of(),
                Map.of("champion", "v0.0.1"));
        ModelVersion v1 = new ModelVersion("churn", "v0.0.1", new Artifact("s3://models/churn-1.bin", "aa", 10), t, "alice",
                jenkins, "first model", Map.of("team", "risk"), "production", t.plusSeconds(3600),
                List.of(new VerdictRecord("PASS", "PASS: 3 of 3 checks passed", t, "aa", MetricSet.empty())), List.of(),
                List.of());
        ModelVersion v2 = new ModelVersion("churn", "v0.0.2", new Artifact("s3://models/churn-2.bin", "bb", 10),
                t.plusSeconds(7200), HOSTILE, evil, "description " + HOSTILE, Map.of("owner", HOSTILE), "",
                t.plusSeconds(7200), List.of(new VerdictRecord("FAIL", "FAIL: roc_auc below 0.8", t, "bb", MetricSet.empty())),
                List.of(), List.of());
        return new RegistryReport.Input(state, history, List.of(v1, v2));
    }

    private static RegistryEvent event(long seq, EventType type, String version, String stage, String from,
                                       List<String> displaced, String alias, String actor, String approver, String reason,
                                       Instant at, BuildInfo build) {
        return new RegistryEvent(seq, type, "churn", version, stage, from, displaced, alias, actor, approver, reason, at, build);
    }

    @Test
    void showsTheCurrentStateAndEveryEventNewestFirstEscaped() {
        String html = RegistryReport.render(hostileHistory());
        Document doc = Jsoup.parse(html);

        assertThat(doc.select("script, style, img")).isEmpty();
        assertThat(doc.getAllElements()).allSatisfy(e -> e.attributes().forEach(a ->
                assertThat(a.getKey()).doesNotStartWith("on").isNotEqualTo("style")));
        assertThat(doc.select(".registry-state").text()).contains("production v0.0.1").contains("@champion v0.0.1");
        assertThat(doc.select(".history-table tbody tr")).hasSize(8);
        assertThat(doc.select(".history-table tbody tr").first().text()).contains("rollback")
                .contains("staging: v0.0.2 \u2192 v0.0.1").contains("canary-bot");
        assertThat(doc.text()).contains(HOSTILE).contains("reason " + HOSTILE).contains("approved by carol");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void eachEventShowsTheVerdictItsVersionHadThen() {
        var status = RegistryReport.verdictAtEvent(hostileHistory());

        assertThat(status).doesNotContainKey(1L).containsEntry(2L, "PASS").containsEntry(3L, "PASS")
                .doesNotContainKey(4L).containsEntry(5L, "FAIL").containsEntry(6L, "FAIL").containsEntry(7L, "PASS");
    }

    @Test
    void linksOnlyWebBuildUrls() {
        Document doc = Jsoup.parse(RegistryReport.render(hostileHistory()));

        assertThat(doc.select("a[href^=https://ci.example.com]")).isNotEmpty();
        assertThat(doc.select("a[href^=javascript]")).isEmpty();
        assertThat(doc.text()).contains("javascript:alert(1)");
    }

    @Test
    void writesThePageItsSummaryAndRefreshesTheIndex(@TempDir Path dir) throws Exception {
        Path page = RegistryReport.write(hostileHistory(), dir);

        assertThat(page).isEqualTo(dir.resolve("registry.html"));
        JsonNode json = new ObjectMapper().readTree(dir.resolve("registry.json").toFile());
        assertThat(json.get("schema").asText()).isEqualTo("modelgate/registry-page/v1");
        assertThat(json.get("status").isNull()).isTrue();
        assertThat(json.get("summary").asText()).startsWith("churn: latest v0.0.2; production v0.0.1; @champion v0.0.1; 8 events")
                .contains("last: roll back churn staging from v0.0.2 to v0.0.1");
        assertThat(json.at("/state/aliases/champion").asText()).isEqualTo("v0.0.1");
        assertThat(json.at("/history/events")).hasSize(8);
        assertThat(Files.readString(dir.resolve("index.html"))).contains("href=\"registry.html\"")
                .contains("Registry history of churn");
    }
}
