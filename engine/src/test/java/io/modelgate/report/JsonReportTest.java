package io.modelgate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JsonReportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode parse(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void writesDocumentedTopLevelFieldsInOrder() throws Exception {
        JsonNode root = parse(GateReport.json(Verdicts.mixed()));

        List<String> fields = new ArrayList<>();
        root.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("schema", "status", "summary", "evaluated_at", "inputs", "counts",
                "results", "metrics");
        assertThat(root.get("schema").asText()).isEqualTo("modelgate/verdict/v1");
        assertThat(root.get("status").asText()).isEqualTo("FAIL");
        assertThat(root.get("summary").asText()).startsWith("FAIL: 2 of 7");
        assertThat(root.get("evaluated_at").asText()).isEqualTo("2026-03-01T12:34:56Z");
        assertThat(root.at("/inputs/policy").asText()).isEqualTo("policies/<gate>.yaml");
        assertThat(root.at("/inputs/candidate").asText()).isEqualTo("out/candidate-metrics.json");
        assertThat(root.at("/inputs/baseline").asText()).isEqualTo("out/baseline & co.json");
    }

    @Test
    void countsEveryOutcome() throws Exception {
        JsonNode counts = parse(GateReport.json(Verdicts.mixed())).get("counts");

        assertThat(counts.get("pass").asInt()).isEqualTo(3);
        assertThat(counts.get("warn").asInt()).isEqualTo(1);
        assertThat(counts.get("fail").asInt()).isEqualTo(2);
        assertThat(counts.get("skipped").asInt()).isEqualTo(1);
    }

    @Test
    void describesEachResultWithItsCheck() throws Exception {
        JsonNode results = parse(GateReport.json(Verdicts.mixed())).get("results");

        assertThat(results).hasSize(7);
        JsonNode eu = results.get(1);
        List<String> fields = new ArrayList<>();
        eu.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("name", "metric", "slice", "check", "threshold", "greater_is_better",
                "severity", "value", "baseline", "change", "outcome", "message", "n", "ci_low", "ci_high", "method",
                "baseline_n", "change_ci_low", "change_ci_high", "change_method", "p_value", "level", "confidence");
        assertThat(eu.get("name").asText()).isEqualTo("roc_auc[region=eu] threshold");
        assertThat(eu.get("n").isNull()).as("no interval known: the evidence fields are null").isTrue();
        assertThat(eu.get("p_value").isNull()).isTrue();
        assertThat(eu.get("metric").asText()).isEqualTo("roc_auc");
        assertThat(eu.get("slice").asText()).isEqualTo("region=eu");
        assertThat(eu.get("check").asText()).isEqualTo("value");
        assertThat(eu.get("threshold").asDouble()).isEqualTo(0.8);
        assertThat(eu.get("greater_is_better").asBoolean()).isTrue();
        assertThat(eu.get("severity").asText()).isEqualTo("fail");
        assertThat(eu.get("value").asDouble()).isEqualTo(0.78);
        assertThat(eu.get("baseline").asDouble()).isEqualTo(0.81);
        assertThat(eu.get("change").isNull()).isTrue();
        assertThat(eu.get("outcome").asText()).isEqualTo("FAIL");
        assertThat(eu.get("message").asText()).isEqualTo("roc_auc in region=eu is 0.78, below 0.8");

        JsonNode warn = results.get(5);
        assertThat(warn.get("severity").asText()).isEqualTo("warn");
        assertThat(warn.get("greater_is_better").asBoolean()).isFalse();
        JsonNode change = results.get(6);
        assertThat(change.get("check").asText()).isEqualTo("absolute_change");
        assertThat(change.get("threshold").asDouble()).isEqualTo(-0.01);
        assertThat(change.get("change").asDouble()).isEqualTo(0.01);
    }

    @Test
    void writesNullForNaNAndInfinityEverywhere() throws Exception {
        String json = GateReport.json(Verdicts.mixed());
        JsonNode root = parse(json);

        JsonNode missing = root.get("results").get(2);
        assertThat(missing.get("slice").asText()).isEqualTo(Verdicts.SCRIPT_SLICE);
        assertThat(missing.get("value").isNull()).isTrue();
        assertThat(missing.get("baseline").isNull()).isTrue();
        assertThat(root.at("/metrics/candidate/overall/r2").isNull()).isTrue();
        assertThat(root.at("/metrics/candidate/slices").get(Verdicts.SCRIPT_SLICE).get("roc_auc").isNull()).isTrue();
        assertThat(json).doesNotContain("NaN").doesNotContain("Infinity");
    }

    @Test
    void writesBothMetricSets() throws Exception {
        JsonNode metrics = parse(GateReport.json(Verdicts.mixed())).get("metrics");

        assertThat(metrics.at("/candidate/overall/roc_auc").asDouble()).isEqualTo(0.84);
        assertThat(metrics.at("/candidate/overall/example_count").asDouble()).isEqualTo(10000);
        assertThat(metrics.at("/candidate/slices/region=eu/roc_auc").asDouble()).isEqualTo(0.78);
        assertThat(metrics.at("/baseline/overall/log_loss").asDouble()).isEqualTo(0.41);
        assertThat(metrics.at("/baseline/slices/region=eu/roc_auc").asDouble()).isEqualTo(0.81);
    }

    @Test
    void writesNullBaselineWhenThereIsNone() throws Exception {
        JsonNode root = parse(GateReport.json(Verdicts.empty()));

        assertThat(root.at("/inputs/baseline").isNull()).isTrue();
        assertThat(root.at("/metrics/baseline").isNull()).isTrue();
        assertThat(root.at("/metrics/candidate/overall").isObject()).isTrue();
        assertThat(root.at("/metrics/candidate/slices").isObject()).isTrue();
        assertThat(root.get("results").isArray()).isTrue();
        assertThat(root.get("results")).isEmpty();
        assertThat(root.at("/counts/pass").asInt()).isZero();
    }

    @Test
    void isPrettyPrintedAndStable() {
        String json = GateReport.json(Verdicts.mixed());

        assertThat(json).startsWith("{\n  \"schema\": \"modelgate/verdict/v1\",\n  \"status\": \"FAIL\",");
        assertThat(json).doesNotContain("\r");
        assertThat(GateReport.json(Verdicts.mixed())).isEqualTo(json);
    }
}
