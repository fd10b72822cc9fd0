package io.modelgate.demo;

import io.modelgate.metrics.MetricSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTest {
    @Test
    void runsEveryStageAndTheTrainedCandidateBeatsTheBaseline(@TempDir Path dir) {
        List<String> progress = new ArrayList<>();
        DemoResult result = Demo.run(dir, 42, progress::add);

        assertThat(result.stages()).extracting(DemoResult.StageRun::name)
                .containsExactly("Prepare data", "Train baseline and candidate", "Validate candidate (model gate)",
                        "Register candidate and promote to staging", "Record lineage of the training run",
                        "Canary rollout", "Export a production window", "Check drift");
        assertThat(progress).anyMatch(l -> l.startsWith("[1/8] Prepare data"));
        assertThat(dir.resolve("data/customers.csv")).exists();
        assertThat(dir.resolve("predictions/candidate.csv")).exists();
        assertThat(result.reports().html()).exists();
        assertThat(result.reports().json()).exists();
        // The build's index links every page the demo wrote, the registry page last of all.
        assertThat(result.reports().index()).content().contains("href=\"gate.html\"").contains("href=\"lineage.html\"")
                .contains("href=\"canary.html\"").contains("href=\"registry.html\"").contains("href=\"drift.html\"");
        // The production window was made to drift: prices, support calls and regions moved.
        assertThat(result.drift().status()).as(result.drift().summary()).isEqualTo(io.modelgate.gate.Status.FAIL);
        assertThat(result.drift().summary()).contains("support_calls", "monthly_charges", "region");

        MetricSet candidate = result.verdict().candidate();
        MetricSet baseline = result.verdict().baseline();
        double candidateAuc = candidate.value("overall", "roc_auc").orElseThrow();
        double baselineAuc = baseline.value("overall", "roc_auc").orElseThrow();
        // The candidate sees the features that drive churn; the baseline does not.
        assertThat(candidateAuc).isGreaterThan(baselineAuc + 0.05);
        assertThat(candidate.slices()).containsKeys("region=eu", "region=us", "region=apac", "region=latam", "region=mea");
        assertThat(result.verdict().results()).isNotEmpty();
        assertThat(result.canary().phase()).as(result.canary().reason())
                .isEqualTo(io.modelgate.rollout.RolloutState.Phase.PROMOTED);
        assertThat(result.model().aliases()).containsEntry("champion", "v0.0.1");
    }

    @Test
    void aBadCanaryIsRolledBackAndRejectedInTheRegistry(@TempDir Path dir) {
        DemoResult result = Demo.run(dir, 42, true, line -> { });
        assertThat(result.canary().phase()).as(result.canary().reason())
                .isEqualTo(io.modelgate.rollout.RolloutState.Phase.ROLLED_BACK);
        assertThat(result.model().aliases()).doesNotContainKey("champion");
        assertThat(result.history()).anyMatch(h -> h.event().type() == io.modelgate.registry.EventType.REJECT);
    }

    @Test
    void sameSeedGivesTheSameVerdict(@TempDir Path a, @TempDir Path b) {
        var first = Demo.run(a, 7, line -> { }).verdict();
        var second = Demo.run(b, 7, line -> { }).verdict();
        assertThat(second.status()).isEqualTo(first.status());
        assertThat(second.candidate()).isEqualTo(first.candidate());
    }
}
