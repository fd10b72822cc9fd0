package io.modelgate.gate;

import io.modelgate.metrics.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyReaderTest {
    private static Policy parse(String yaml) {
        return PolicyReader.parse("policy.yaml", yaml);
    }

    private static void rejects(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(GateException.class).hasMessage(message);
    }

    @Test
    void readsEveryKindOfCheckInFileOrderWithDirectionsFromTheMetric() {
        Policy p = parse("""
                version: 1
                min_slice_size: 50
                metrics:
                  auc:
                    threshold: 0.8
                    min_absolute_change: -0.01
                    min_relative_change: -0.02
                    slices:
                      "region=*": {threshold: 0.7, severity: warn}
                      "plan=pro": {threshold: 0.75, min_size: 10}
                  log_loss:
                    threshold: 0.4
                    severity: warn
                """);
        assertThat(p.thresholds()).containsExactly(
                new Threshold("roc_auc", "overall", CheckKind.VALUE, 0.8, true, Severity.FAIL, 0, CheckMode.SIGNIFICANCE, 0.95),
                new Threshold("roc_auc", "overall", CheckKind.ABSOLUTE_CHANGE, -0.01, true, Severity.FAIL, 0, CheckMode.SIGNIFICANCE, 0.95),
                new Threshold("roc_auc", "overall", CheckKind.RELATIVE_CHANGE, -0.02, true, Severity.FAIL, 0, CheckMode.SIGNIFICANCE, 0.95),
                new Threshold("roc_auc", "region=*", CheckKind.VALUE, 0.7, true, Severity.WARN, 50, CheckMode.SIGNIFICANCE, 0.95),
                new Threshold("roc_auc", "plan=pro", CheckKind.VALUE, 0.75, true, Severity.FAIL, 10, CheckMode.SIGNIFICANCE, 0.95),
                new Threshold("log_loss", "overall", CheckKind.VALUE, 0.4, false, Severity.WARN, 0, CheckMode.SIGNIFICANCE, 0.95));
        assertThat(p.requireBaseline()).isFalse();
    }

    @Test
    void readsModeConfidenceAndSliceCorrectionGloballyAndPerMetric() {
        Policy p = parse("""
                version: 1
                confidence: 0.9
                slice_correction: bh
                metrics:
                  roc_auc: {threshold: 0.8}
                  accuracy: {threshold: 0.7, confidence: 0.99}
                  log_loss: {threshold: 0.4, mode: point}
                """);
        assertThat(p.confidence()).isEqualTo(0.9);
        assertThat(p.sliceCorrection()).isEqualTo(SliceCorrection.BH);
        assertThat(p.thresholds()).extracting(Threshold::mode, Threshold::confidence).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CheckMode.SIGNIFICANCE, 0.9),
                org.assertj.core.groups.Tuple.tuple(CheckMode.SIGNIFICANCE, 0.99),
                org.assertj.core.groups.Tuple.tuple(CheckMode.POINT, Double.NaN));
        Policy defaults = parse("metrics: {roc_auc: {threshold: 0.8}}");
        assertThat(defaults.sliceCorrection()).isEqualTo(SliceCorrection.HOLM);
        assertThat(defaults.thresholds().get(0).mode()).isEqualTo(CheckMode.SIGNIFICANCE);
        assertThat(defaults.thresholds().get(0).confidence()).isEqualTo(0.95);
        assertThat(defaults.thresholds().get(0).level()).isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void rejectsAConfidenceOutsideItsRangeOrWithPointMode() {
        rejects("confidence: 1\nmetrics: {roc_auc: {threshold: 0.8}}",
                "policy.yaml: confidence: must be above 0.5 and below 1 (0.95 is usual), found '1'");
        assertThatThrownBy(() -> parse("metrics: {roc_auc: {threshold: 0.8, mode: point, confidence: 0.9}}"))
                .hasMessageStartingWith("policy.yaml: metrics.roc_auc.confidence: has no effect with mode: point");
        assertThatThrownBy(() -> parse("mode: signifcance\nmetrics: {roc_auc: {threshold: 0.8}}"))
                .hasMessageContaining("(did you mean 'significance'?)");
        assertThatThrownBy(() -> parse("slice_correction: hol\nmetrics: {roc_auc: {threshold: 0.8}}"))
                .hasMessageContaining("(did you mean 'holm'?)");
    }

    @Test
    void customMetricsNeedToBeDeclaredWithADirection() {
        Policy p = parse("metrics: {p95_latency_ms: {custom: true, greater_is_better: false, threshold: 120}}");
        assertThat(p.thresholds().get(0).greaterIsBetter()).isFalse();
        rejects("metrics: {p95_latency_ms: {custom: true, threshold: 120}}",
                "policy.yaml: metrics.p95_latency_ms.greater_is_better: required for the custom metric 'p95_latency_ms' (true or false)");
    }

    @Test
    void rejectsAnUnknownKeyNamingItAndSuggestingTheRightOne() {
        rejects("metrics: {roc_auc: {treshold: 0.8}}",
                "policy.yaml: metrics.roc_auc.treshold: unknown key 'treshold' (did you mean 'threshold'?); allowed: "
                        + "confidence, custom, greater_is_better, min_absolute_change, min_relative_change, min_slice_size, mode, "
                        + "severity, slices, threshold");
        assertThatThrownBy(() -> parse("metric: {roc_auc: {threshold: 0.8}}"))
                .hasMessageStartingWith("policy.yaml: metric: unknown key 'metric' (did you mean 'metrics'?)");
        assertThatThrownBy(() -> parse("metrics: {roc_auc: {slices: {'*': {min_slice: 3, threshold: 1}}}}"))
                .hasMessageStartingWith("policy.yaml: metrics.roc_auc.slices.*.min_slice: unknown key 'min_slice'");
    }

    @Test
    void rejectsAnUnknownMetricWithASuggestion() {
        assertThatThrownBy(() -> parse("metrics: {rocauc: {threshold: 0.8}}"))
                .isInstanceOf(GateException.class)
                .hasMessageStartingWith("policy.yaml: metrics.rocauc: unknown metric 'rocauc' (did you mean 'roc_auc'?); known: accuracy,");
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirLine() {
        assertThatThrownBy(() -> parse("metrics:\n  roc_auc: {threshold: 0.8\n  log_loss: [\n"))
                .isInstanceOf(GateException.class)
                .hasMessageMatching("policy\\.yaml line \\d+, column \\d+: not valid YAML: .+")
                .hasMessageNotContaining("\n");
    }

    @Test
    void rejectsWrongTypesAndValues() {
        rejects("metrics: {roc_auc: {threshold: high}}", "policy.yaml: metrics.roc_auc.threshold: must be a number, found 'high'");
        assertThatThrownBy(() -> parse("metrics: {roc_auc: {threshold: .nan}}"))
                .isInstanceOf(GateException.class).hasMessageContaining("'.nan'");
        rejects("metrics: {roc_auc: {threshold: 0.8, severity: fatal}}",
                "policy.yaml: metrics.roc_auc.severity: must be 'fail' or 'warn', found 'fatal' (did you mean 'fail'?)");
        rejects("min_slice_size: -3\nmetrics: {roc_auc: {threshold: 0.8}}",
                "policy.yaml: min_slice_size: must be a whole number >= 0, found '-3'");
        rejects("require_baseline: yes please\nmetrics: {roc_auc: {threshold: 0.8}}",
                "policy.yaml: require_baseline: must be true or false, found 'yes please'");
        rejects("version: 2\nmetrics: {roc_auc: {threshold: 0.8}}",
                "policy.yaml: version: unsupported version '2'; this Modelgate reads version 1");
        rejects("metrics: [roc_auc]", "policy.yaml: metrics: must be a mapping of keys to values, found a list");
    }

    @Test
    void rejectsPoliciesThatCheckNothing() {
        rejects("", "policy.yaml: the policy is empty; it needs a 'metrics' section");
        rejects("metrics: {}", "policy.yaml: metrics: no metrics: a policy needs at least one metric with a threshold");
        rejects("metrics: {roc_auc: {severity: warn}}",
                "policy.yaml: metrics.roc_auc: no check: set threshold, min_absolute_change or min_relative_change");
        rejects("metrics: {roc_auc: {slices: {'region=eu': {min_size: 3}}}}",
                "policy.yaml: metrics.roc_auc.slices.region=eu: no check: set threshold, min_absolute_change or min_relative_change");
    }

    @Test
    void rejectsMalformedSliceSelectorsAndDuplicateKeys() {
        rejects("metrics: {roc_auc: {slices: {eu: {threshold: 0.7}}}}",
                "policy.yaml: metrics.roc_auc.slices.eu: a slice is written column=value, column=* or *; found 'eu'");
        assertThatThrownBy(() -> parse("metrics:\n  roc_auc: {threshold: 0.8}\n  roc_auc: {threshold: 0.7}\n"))
                .isInstanceOf(GateException.class).hasMessageContaining("roc_auc");
    }

    @Test
    void namesAFileThatDoesNotExist(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> PolicyReader.read(missing)).isInstanceOf(GateException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void readsAFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("p.yaml"), "metrics:\n  accuracy:\n    threshold: 0.7\n");
        assertThat(PolicyReader.read(file).source()).isEqualTo(file.toString());
    }

    @Test
    void refusesMetricsThatPredictionsOfTheTaskCannotGive() {
        assertThatThrownBy(() -> parse("metrics: {rmse: {threshold: 1}}").checkComputable(Task.CLASSIFICATION))
                .hasMessage("policy.yaml: metrics.rmse: not computed for classification predictions (see --task)");
        assertThatThrownBy(() -> parse("metrics: {x: {custom: true, greater_is_better: true, threshold: 1}}")
                .checkComputable(Task.CLASSIFICATION))
                .hasMessageContaining("a custom metric cannot be computed from predictions");
        parse("metrics: {rmse: {threshold: 1}, example_count: {threshold: 10}}").checkComputable(Task.REGRESSION);
    }
}
