package io.modelgate.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelgate.common.Numbers;
import io.modelgate.drift.ColumnDrift;
import io.modelgate.drift.DriftVerdict;
import io.modelgate.metrics.MetricSet;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A drift check as {@value #JSON} (schema {@value #SCHEMA}, the contract the Jenkins step reads),
 * {@value #JUNIT}, {@value #MARKDOWN} and {@value #HTML} with one SVG histogram overlay per column.
 * The names do not collide with the gate's, so both can share {@code modelgate-reports/}. The page
 * obeys Jenkins' CSP like the gate's: style sheet only, SVG presentation attributes, no script,
 * every string escaped.
 */
public final class DriftReport {
    public static final String JSON = "drift.json";
    public static final String JUNIT = "drift-junit.xml";
    public static final String MARKDOWN = "drift.md";
    public static final String HTML = "drift.html";
    static final String SCHEMA = "modelgate/drift/v1";
    static final String SUITE = "modelgate.drift";
    private static final int MAX_BINS = 30;

    private DriftReport() {
    }

    /** The files written. */
    public record Written(Path json, Path junit, Path markdown, Path html) {
    }

    public static Written write(DriftVerdict verdict, Path reportDir) {
        Path dir = reportDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw GateReport.failure(dir, e);
        }
        Written files = new Written(dir.resolve(JSON), dir.resolve(JUNIT), dir.resolve(MARKDOWN), dir.resolve(HTML));
        GateReport.writeFile(files.junit(), junit(verdict).getBytes(StandardCharsets.UTF_8));
        GateReport.writeFile(files.markdown(), markdown(verdict).getBytes(StandardCharsets.UTF_8));
        // The page last, with drift.json beside it: the build's index reads its status and summary.
        GateReport.writePage(dir, HTML, html(verdict), JSON, json(verdict));
        return files;
    }

    // ---------------------------------------------------------------- JSON

    public static String json(DriftVerdict v) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(document(v));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render drift JSON", e);
        }
    }

    /** The result's JSON document as a tree ({@link #json}'s content): every URL's credentials hidden. */
    public static ObjectNode document(DriftVerdict v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("schema", SCHEMA);
        root.put("status", v.status().name());
        root.put("summary", v.summary());
        root.put("evaluated_at", v.evaluatedAt().toString());
        ObjectNode in = root.putObject("inputs");
        in.put("reference", v.inputs().reference());
        in.put("current", v.inputs().current());
        in.put("policy", v.inputs().policy());
        in.put("reference_rows", v.inputs().referenceRows());
        in.put("current_rows", v.inputs().currentRows());
        ObjectNode ds = root.putObject("dataset");
        ds.put("drift", v.datasetDrift());
        ds.put("drifted_columns", v.drifted());
        ds.put("evaluated_columns", v.evaluated());
        ds.put("drifted_share", v.driftedShare());
        ds.put("drift_share_threshold", v.driftShareThreshold());
        if (v.prediction().isPresent()) {
            ColumnDrift p = v.prediction().get();
            ObjectNode pn = root.putObject("prediction");
            pn.put("column", p.column());
            pn.put("drift", p.drifted());
            pn.put("outcome", p.outcome().name());
            pn.put("message", p.message());
        } else {
            root.putNull("prediction");
        }
        ObjectNode counts = root.putObject("counts");
        for (ColumnDrift.Outcome o : ColumnDrift.Outcome.values()) {
            counts.put(o.name().toLowerCase(Locale.ROOT), v.count(o));
        }
        var cols = root.putArray("columns");
        for (ColumnDrift c : v.columns()) {
            ObjectNode o = cols.addObject();
            o.put("name", c.column());
            o.put("role", c.role().id());
            o.put("type", c.type().id());
            o.put("method", c.method().id());
            number(o, "statistic", c.statistic());
            number(o, "p_value", c.pValue());
            number(o, "threshold", c.threshold());
            o.put("reference_size", c.referenceSize());
            o.put("current_size", c.currentSize());
            o.put("reference_missing", c.referenceMissing());
            o.put("current_missing", c.currentMissing());
            o.put("outcome", c.outcome().name());
            o.put("drift", c.drifted());
            o.put("message", c.message());
        }
        ObjectNode metrics = root.putObject("metrics");
        metrics(metrics, "reference", v.referenceMetrics());
        metrics(metrics, "current", v.currentMetrics());
        return (ObjectNode) Text.redact(root);
    }

    private static void metrics(ObjectNode parent, String name, MetricSet set) {
        if (set.isEmpty()) {
            parent.putNull(name);
            return;
        }
        ObjectNode o = parent.putObject(name);
        set.overall().forEach((k, val) -> number(o, k, val == null ? Double.NaN : val));
    }

    private static void number(ObjectNode o, String field, double v) {
        if (Double.isFinite(v)) {
            o.put(field, v);
        } else {
            o.putNull(field);
        }
    }

    // ---------------------------------------------------------------- JUnit

    /** One test case per column: DRIFT a failure, NOT_ENOUGH_DATA skipped, WARN a passed test saying WARN (as the gate's). */
    static String junit(DriftVerdict v) {
        return JunitReport.document("drift", xml -> {
            JunitReport.startSuite(xml, SUITE, v.columns().size(), v.count(ColumnDrift.Outcome.DRIFT),
                    v.count(ColumnDrift.Outcome.NOT_ENOUGH_DATA));
            xml.writeCharacters("\n  ");
            xml.writeStartElement("properties");
            JunitReport.property(xml, "modelgate.status", v.status().name());
            JunitReport.property(xml, "modelgate.summary", v.summary());
            JunitReport.property(xml, "modelgate.reference", v.inputs().reference());
            JunitReport.property(xml, "modelgate.current", v.inputs().current());
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
            for (ColumnDrift c : v.columns()) {
                xml.writeCharacters("\n  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", SUITE + "." + Text.oneLine(c.role().id()));
                xml.writeAttribute("name", Text.oneLine(c.column()));
                xml.writeAttribute("time", "0");
                if (c.drifted()) {
                    xml.writeCharacters("\n    ");
                    xml.writeStartElement("failure");
                    xml.writeAttribute("message", Text.oneLine(c.message()));
                    xml.writeAttribute("type", "modelgate.drift");
                    xml.writeCharacters(Text.clean(c.message()));
                    xml.writeEndElement();
                } else if (c.outcome() == ColumnDrift.Outcome.NOT_ENOUGH_DATA) {
                    xml.writeCharacters("\n    ");
                    xml.writeEmptyElement("skipped");
                    xml.writeAttribute("message", Text.oneLine(c.message()));
                }
                xml.writeCharacters("\n    ");
                xml.writeStartElement("system-out");
                xml.writeCharacters(Text.clean(c.outcome().name() + ": " + c.message()));
                xml.writeEndElement();
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
            }
        });
    }

    // ---------------------------------------------------------------- Markdown

    static String markdown(DriftVerdict v) {
        StringBuilder md = new StringBuilder();
        md.append("## Modelgate drift: ").append(v.status().name()).append("\n\n")
                .append(MarkdownReport.inline(v.summary())).append("\n\n")
                .append("Reference: ").append(MarkdownReport.inline(v.inputs().reference())).append(" (")
                .append(v.inputs().referenceRows()).append(" rows) \u00b7 Current: ")
                .append(MarkdownReport.inline(v.inputs().current())).append(" (").append(v.inputs().currentRows())
                .append(" rows)\n\n");
        md.append("| Outcome | Column | Type | Method | Statistic | p-value | Threshold | Why |\n")
                .append("|---|---|---|---|--:|--:|--:|---|\n");
        for (ColumnDrift c : worstFirst(v.columns()).subList(0, Math.min(v.columns().size(), MarkdownReport.MAX_ROWS))) {
            md.append("| ").append(c.drifted() ? "**DRIFT**" : c.outcome().name().replace('_', ' '))
                    .append(" | ").append(MarkdownReport.cell(c.column()))
                    .append(" | ").append(c.type().id())
                    .append(" | ").append(MarkdownReport.cell(c.method().display()))
                    .append(" | ").append(MarkdownReport.cell(num(c.statistic())))
                    .append(" | ").append(MarkdownReport.cell(num(c.pValue())))
                    .append(" | ").append(MarkdownReport.cell(num(c.threshold())))
                    .append(" | ").append(MarkdownReport.cell(c.message())).append(" |\n");
        }
        return md.toString();
    }

    static List<ColumnDrift> worstFirst(List<ColumnDrift> columns) {
        return columns.stream().sorted(Comparator.comparingInt(c -> switch (c.outcome()) {
            case DRIFT -> 0;
            case WARN -> 1;
            case NOT_ENOUGH_DATA -> 2;
            case NO_DRIFT -> 3;
        })).toList();
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "\u2013";
        }
        return v != 0 && Math.abs(v) < 1e-4 ? String.format(Locale.ROOT, "%.3g", v) : Numbers.format(v);
    }

    // ---------------------------------------------------------------- HTML

    static String html(DriftVerdict v) {
        String status = v.status().name();
        StringBuilder h = new StringBuilder(32768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Modelgate drift: ").append(status).append("</title>\n")
                .append("<link rel=\"stylesheet\" href=\"").append(GateReport.CSS).append("\">\n")
                .append("</head>\n<body>\n<main class=\"page\">\n")
                .append("<header id=\"status\" class=\"banner banner-").append(status.toLowerCase(Locale.ROOT)).append("\">\n")
                .append("<div class=\"banner-status\">").append(status).append("</div>\n")
                .append("<div class=\"banner-text\"><h1>Modelgate drift check</h1>\n<p class=\"summary\">")
                .append(Html.text(v.summary())).append("</p></div>\n</header>\n");
        h.append("<section class=\"inputs\">\n<h2>Inputs</h2>\n<dl>\n")
                .append("<dt>Reference</dt><dd><code>").append(Html.text(v.inputs().reference())).append("</code> (")
                .append(v.inputs().referenceRows()).append(" rows)</dd>\n")
                .append("<dt>Current</dt><dd><code>").append(Html.text(v.inputs().current())).append("</code> (")
                .append(v.inputs().currentRows()).append(" rows)</dd>\n")
                .append("<dt>Policy</dt><dd><code>").append(Html.text(v.inputs().policy())).append("</code></dd>\n")
                .append("<dt>Evaluated at</dt><dd>").append(Html.text(v.evaluatedAt().toString())).append("</dd>\n")
                .append("</dl>\n</section>\n");
        h.append("<section class=\"results\">\n<h2>Columns</h2>\n<div class=\"table-wrap\"><table class=\"results-table\">\n")
                .append("<thead><tr><th>Outcome</th><th>Column</th><th>Type</th><th>Method</th><th class=\"num\">Statistic</th>")
                .append("<th class=\"num\">p-value</th><th class=\"num\">Threshold</th><th class=\"num\">Reference</th>")
                .append("<th class=\"num\">Current</th><th>Why</th></tr></thead>\n<tbody>\n");
        for (ColumnDrift c : worstFirst(v.columns())) {
            String o = outcomeClass(c);
            h.append("<tr class=\"row-").append(o).append("\"><td><span class=\"outcome outcome-").append(o).append("\">")
                    .append(c.outcome().name().replace('_', ' ')).append("</span></td><td class=\"column-name\"><code>")
                    .append(Html.text(c.column())).append("</code></td><td>").append(c.type().id()).append("</td><td>")
                    .append(Html.text(c.method().display())).append("</td><td class=\"num\">").append(Html.text(num(c.statistic())))
                    .append("</td><td class=\"num\">").append(Html.text(num(c.pValue()))).append("</td><td class=\"num\">")
                    .append(Html.text(num(c.threshold()))).append("</td><td class=\"num\">").append(c.referenceSize())
                    .append("</td><td class=\"num\">").append(c.currentSize()).append("</td><td class=\"why\">")
                    .append(Html.text(c.message())).append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n</section>\n");
        h.append("<section class=\"charts\">\n<h2>Distributions</h2>\n");
        int i = 0;
        for (ColumnDrift c : worstFirst(v.columns())) {
            h.append("<figure class=\"chart\">\n<figcaption>").append(Html.text(c.column())).append(" \u2014 ")
                    .append(Html.text(c.outcome().name().replace('_', ' '))).append("</figcaption>\n");
            histogram(h, c, "drift-chart-" + i++);
            h.append("</figure>\n");
        }
        h.append("</section>\n<footer class=\"footer\">Generated by Modelgate \u00b7 also as ")
                .append("<a href=\"").append(JSON).append("\">").append(JSON).append("</a>, <a href=\"").append(JUNIT)
                .append("\">").append(JUNIT).append("</a> and <a href=\"").append(MARKDOWN).append("\">").append(MARKDOWN)
                .append("</a></footer>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static String outcomeClass(ColumnDrift c) {
        return switch (c.outcome()) {
            case DRIFT -> "fail";
            case WARN -> "warn";
            case NOT_ENOUGH_DATA -> "skipped";
            case NO_DRIFT -> "pass";
        };
    }

    /** Reference (blue) and current (orange) shares per bin as overlaid, half-transparent bars. */
    static void histogram(StringBuilder h, ColumnDrift c, String id) {
        int w = 960;
        int height = 220;
        int left = 56;
        int right = 16;
        int top = 16;
        int bottom = 48;
        ColumnDrift.Histogram hist = c.histogram();
        int bins = Math.min(hist.labels().size(), MAX_BINS);
        h.append("<svg class=\"chart-svg drift-histogram\" id=\"").append(id)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
                .append(Html.text("histogram of " + c.column())).append("\">\n");
        int plotW = w - left - right;
        int plotH = height - top - bottom;
        h.append("<rect x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"#ffffff\" stroke=\"#d0d7de\"/>\n");
        if (bins == 0) {
            h.append("<text x=\"").append(w / 2).append("\" y=\"").append(height / 2)
                    .append("\" text-anchor=\"middle\" font-size=\"13\" fill=\"#57606a\">no histogram: not enough data</text></svg>\n");
            return;
        }
        double max = 1e-12;
        for (int b = 0; b < bins; b++) {
            max = Math.max(max, Math.max(hist.reference()[b], hist.current()[b]));
        }
        double bw = (double) plotW / bins;
        for (int b = 0; b < bins; b++) {
            double x = left + b * bw;
            bar(h, x + 1, bw - 2, hist.reference()[b] / max * plotH, top + plotH, "#0969da",
                    "reference " + hist.labels().get(b) + ": " + pct(hist.reference()[b]));
            bar(h, x + 1, bw - 2, hist.current()[b] / max * plotH, top + plotH, "#fb8500",
                    "current " + hist.labels().get(b) + ": " + pct(hist.current()[b]));
        }
        h.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + 10)
                .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">").append(Html.text(pct(max))).append("</text>\n");
        h.append("<text x=\"").append(left).append("\" y=\"").append(top + plotH + 14)
                .append("\" font-size=\"11\" fill=\"#57606a\">").append(Html.text(Html.shorten(hist.labels().get(0), 40)))
                .append("</text>\n<text x=\"").append(left + plotW).append("\" y=\"").append(top + plotH + 14)
                .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">")
                .append(Html.text(Html.shorten(hist.labels().get(bins - 1), 40))).append("</text>\n");
        if (hist.labels().size() > bins) {
            h.append("<text x=\"").append(w / 2).append("\" y=\"").append(top + plotH + 14)
                    .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#57606a\">first ").append(bins).append(" of ")
                    .append(hist.labels().size()).append(" categories</text>\n");
        }
        int ly = height - 8;
        h.append("<rect x=\"").append(left).append("\" y=\"").append(ly - 10).append("\" width=\"12\" height=\"10\" fill=\"#0969da\" fill-opacity=\"0.5\"/>")
                .append("<text x=\"").append(left + 18).append("\" y=\"").append(ly).append("\" font-size=\"11\" fill=\"#1f2328\">reference</text>")
                .append("<rect x=\"").append(left + 100).append("\" y=\"").append(ly - 10).append("\" width=\"12\" height=\"10\" fill=\"#fb8500\" fill-opacity=\"0.5\"/>")
                .append("<text x=\"").append(left + 118).append("\" y=\"").append(ly).append("\" font-size=\"11\" fill=\"#1f2328\">current</text>\n");
        h.append("</svg>\n");
    }

    private static void bar(StringBuilder h, double x, double width, double barH, double base, String colour, String title) {
        h.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(base - barH)).append("\" width=\"")
                .append(f(Math.max(width, 1))).append("\" height=\"").append(f(barH)).append("\" fill=\"").append(colour)
                .append("\" fill-opacity=\"0.5\"><title>").append(Html.text(title)).append("</title></rect>\n");
    }

    private static String pct(double share) {
        return Numbers.oneDecimal(share * 100) + "%";
    }

    private static String f(double v) {
        return Numbers.oneDecimal(v);
    }
}
