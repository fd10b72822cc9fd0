package io.modelgate.step;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricTrendTest {
    @Test
    void gatedMetricsAreTheOverallValuesTheRulesJudged() {
        Map<String, Object> verdict = Map.of("results", List.of(
                Map.of("metric", "roc_auc", "slice", "overall", "value", 0.85),
                Map.of("metric", "roc_auc", "slice", "region=eu", "value", 0.7),
                Map.of("metric", "accuracy", "slice", "overall", "value", 0.8),
                Map.of("metric", "log_loss", "slice", "overall", "outcome", "SKIPPED")));
        assertThat(MetricTrend.gatedMetrics(verdict)).containsExactly(Map.entry("roc_auc", 0.85), Map.entry("accuracy", 0.8));
        assertThat(MetricTrend.gatedMetrics(Map.of())).isEmpty();
    }

    @Test
    void seriesFollowTheBuildsInOrderWithNaNWhereAMetricWasNotGated() {
        MetricTrend t = MetricTrend.of(List.of(
                new MetricTrend.Point(3, Map.of("roc_auc", 0.9)),
                new MetricTrend.Point(1, Map.of("roc_auc", 0.8, "accuracy", 0.7)),
                new MetricTrend.Point(2, Map.of("roc_auc", 0.85))));
        assertThat(t.builds()).containsExactly(1, 2, 3);
        assertThat(t.series()).extracting(MetricTrend.Series::metric).containsExactly("accuracy", "roc_auc");
        assertThat(t.series().get(0).values()).containsExactly(0.7, Double.NaN, Double.NaN);
        assertThat(t.series().get(0).latest()).isEqualTo(0.7);
        assertThat(t.series().get(1).values()).containsExactly(0.8, 0.85, 0.9);
    }

    @Test
    void pointsScaleTheSeriesIntoTheBoxAndSkipGaps() {
        MetricTrend.Series s = new MetricTrend.Series("m", List.of(0.0, Double.NaN, 1.0));
        assertThat(s.points(100, 50)).isEqualTo("0.0,50.0 100.0,0.0");
        assertThat(new MetricTrend.Series("m", List.of(0.5)).points(100, 50)).isEqualTo("50.0,25.0");
        assertThat(new MetricTrend.Series("m", List.of(Double.NaN)).points(100, 50)).isEmpty();
    }
}
