package io.modelgate.report;

import io.modelgate.rollout.Counts;
import io.modelgate.rollout.JudgeOutcome;
import io.modelgate.rollout.Judgement;
import io.modelgate.rollout.RolloutState;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CanaryReportTest {
    static RolloutState rolledBack() {
        Instant t = Instant.parse("2026-11-26T10:00:00Z");
        List<RolloutState.Interval> intervals = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            int weight = i <= 4 ? 10 : 50;
            JudgeOutcome o = i == 8 ? JudgeOutcome.FAIL : JudgeOutcome.PASS;
            intervals.add(new RolloutState.Interval(t.plusSeconds(i * 10L), i <= 4 ? 0 : 1, weight,
                    new Counts(1000L * i, 10L * i), new Counts(100L * i * weight / 10, (long) (i * i * 1.5)),
                    List.of(new Judgement("sequential", o, "likelihood ratio", i * 3.0,
                            "canary \"><img src=x onerror=alert(1)> error rate")), i == 8 ? "roll back" : "continue"));
        }
        return new RolloutState("plan.yaml", RolloutState.Phase.ROLLED_BACK, 1, t, 1, intervals,
                "canary error rate 5.2% vs stable 1.0% <b>bold</b>", t.plusSeconds(90), "", "", java.time.Duration.ZERO, 0, java.util.List.of());
    }

    @Test
    void showsTheOutcomeATimelineAndEveryAnalysisEscaped() {
        String html = CanaryReport.render(rolledBack(), "Canary of churn@v0.0.2");
        Document doc = Jsoup.parse(html);
        assertThat(doc.select("script, style, img")).isEmpty();
        assertThat(doc.getAllElements()).allSatisfy(e -> e.attributes().forEach(a ->
                assertThat(a.getKey()).doesNotStartWith("on").isNotEqualTo("style")));
        assertThat(doc.select(".banner-fail")).hasSize(1);
        assertThat(doc.select("svg.canary-timeline path")).hasSize(3);
        assertThat(doc.select("tbody tr")).hasSize(8);
        assertThat(html).contains("&lt;b&gt;bold&lt;/b&gt;").contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void anEmptyRolloutStillRenders() {
        RolloutState fresh = new RolloutState("p", RolloutState.Phase.RUNNING, 0, Instant.EPOCH, 0, List.of(), "", Instant.EPOCH, "", "", java.time.Duration.ZERO, 0, java.util.List.of());
        String html = CanaryReport.render(fresh, "Canary");
        assertThat(html).contains("no analysis yet").contains("banner-warn");
    }
}
