package io.modelgate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelgate.gate.Evidence;
import io.modelgate.gate.GateInputs;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.RuleResult;
import io.modelgate.gate.Verdict;
import io.modelgate.metrics.Estimate;
import io.modelgate.metrics.MetricSet;

import java.util.Locale;
import java.util.Map;

/**
 * The verdict as JSON, schema {@value #SCHEMA}: the public contract the Jenkins shared library reads.
 * See {@code docs/reports.md} for every field. Non-finite numbers are written as {@code null}.
 */
final class JsonReport {
    static final String SCHEMA = "modelgate/verdict/v1";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = new ObjectMapper().writer(new DefaultPrettyPrinter()
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    private JsonReport() {
    }

    static String render(Verdict verdict) {
        return write(document(verdict));
    }

    /** The verdict's document as {@code verdict.json} holds it: every URL's credentials hidden. */
    static ObjectNode document(Verdict verdict) {
        return (ObjectNode) Text.redact(tree(verdict));
    }

    static String write(ObjectNode document) {
        try {
            return WRITER.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serialises; this would be a bug in Jackson.
            throw new IllegalStateException("cannot render verdict as JSON", e);
        }
    }

    static ObjectNode tree(Verdict verdict) {
        ObjectNode root = NODES.objectNode();
        root.put("schema", SCHEMA);
        root.put("status", verdict.status().name());
        root.put("summary", Text.orEmpty(verdict.summary()));
        if (verdict.evaluatedAt() == null) {
            root.putNull("evaluated_at");
        } else {
            root.put("evaluated_at", verdict.evaluatedAt().toString());
        }

        GateInputs in = verdict.inputs();
        ObjectNode inputs = root.putObject("inputs");
        putOptional(inputs, "policy", in == null ? null : in.policy());
        putOptional(inputs, "candidate", in == null ? null : in.candidate());
        putOptional(inputs, "baseline", in == null ? null : in.baseline());

        ObjectNode counts = root.putObject("counts");
        counts.put("pass", verdict.count(Outcome.PASS));
        counts.put("warn", verdict.count(Outcome.WARN));
        counts.put("fail", verdict.count(Outcome.FAIL));
        counts.put("skipped", verdict.count(Outcome.SKIPPED));

        var results = root.putArray("results");
        for (RuleResult r : verdict.results()) {
            ObjectNode o = results.addObject();
            o.put("name", r.name());
            o.put("metric", r.metric());
            o.put("slice", r.slice());
            o.put("check", r.threshold().kind().name().toLowerCase(Locale.ROOT));
            putNumber(o, "threshold", r.threshold().bound());
            o.put("greater_is_better", r.threshold().greaterIsBetter());
            o.put("severity", r.threshold().severity().name().toLowerCase(Locale.ROOT));
            putNumber(o, "value", r.value());
            putNumber(o, "baseline", r.baseline());
            putNumber(o, "change", r.change());
            o.put("outcome", r.outcome().name());
            o.put("message", Text.orEmpty(r.message()));
            putEvidence(o, r.evidence());
        }

        ObjectNode metrics = root.putObject("metrics");
        metrics.set("candidate", metricSet(verdict.candidate()));
        MetricSet baseline = verdict.baseline();
        if (baseline == null || baseline.isEmpty()) {
            metrics.putNull("baseline");
        } else {
            metrics.set("baseline", metricSet(baseline));
        }
        return root;
    }

    private static ObjectNode metricSet(MetricSet set) {
        ObjectNode node = NODES.objectNode();
        ObjectNode overall = node.putObject("overall");
        ObjectNode slices = node.putObject("slices");
        ObjectNode intervals = node.putObject("intervals");
        if (set != null) {
            putValues(overall, set.overall());
            set.slices().forEach((slice, values) -> putValues(slices.putObject(slice), values));
            set.intervals().forEach((scope, estimates) -> {
                ObjectNode s = intervals.putObject(scope);
                estimates.forEach((metric, e) -> putEstimate(s.putObject(metric), e));
            });
        }
        return node;
    }

    private static void putEstimate(ObjectNode o, Estimate e) {
        o.put("n", e.n());
        putNumber(o, "se", e.se());
        putNumber(o, "ci_low", e.ciLow());
        putNumber(o, "ci_high", e.ciHigh());
        o.put("method", e.method());
        putNumber(o, "df", e.df());
    }

    /** What a check rests on; fields that do not apply are null. */
    private static void putEvidence(ObjectNode o, Evidence e) {
        putCount(o, "n", e.n());
        putNumber(o, "ci_low", e.ciLow());
        putNumber(o, "ci_high", e.ciHigh());
        putText(o, "method", e.method());
        putCount(o, "baseline_n", e.baselineN());
        putNumber(o, "change_ci_low", e.changeLow());
        putNumber(o, "change_ci_high", e.changeHigh());
        putText(o, "change_method", e.changeMethod());
        putNumber(o, "p_value", e.pValue());
        putNumber(o, "level", e.level());
        putNumber(o, "confidence", e.confidence());
    }

    private static void putCount(ObjectNode o, String field, long v) {
        if (v >= 0) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static void putText(ObjectNode o, String field, String v) {
        if (v == null || v.isEmpty()) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    private static void putValues(ObjectNode target, Map<String, Double> values) {
        values.forEach((name, v) -> putNumber(target, name, v == null ? Double.NaN : v));
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    private static void putOptional(ObjectNode o, String field, String value) {
        String v = Text.optional(value);
        if (v.isEmpty()) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }
}
