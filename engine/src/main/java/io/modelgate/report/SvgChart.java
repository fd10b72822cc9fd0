package io.modelgate.report;

import io.modelgate.common.Numbers;
import io.modelgate.gate.Evidence;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.RuleResult;
import io.modelgate.gate.Severity;
import io.modelgate.gate.Threshold;
import io.modelgate.metrics.Slices;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An inline SVG dot chart of one metric: per slice the candidate's value (a dot coloured by outcome),
 * the baseline (a hollow diamond, joined to the dot) and the value each threshold requires (a dashed
 * mark; a change threshold is drawn at baseline plus the required improvement). The x axis is scaled
 * from the data, so values outside [0, 1] and negative values fit; a value that is NaN or infinite
 * gets no dot, only its label.
 *
 * <p>Everything is drawn with SVG presentation attributes and CSS classes from {@code modelgate.css}:
 * no {@code style} attribute, no script, nothing fetched, so it renders under Jenkins' CSP.
 */
final class SvgChart {
    static final int WIDTH = 960;
    private static final int LABEL_WIDTH = 230;
    private static final int VALUE_WIDTH = 160;
    private static final int PLOT_X0 = LABEL_WIDTH + 12;
    private static final int PLOT_X1 = WIDTH - VALUE_WIDTH - 12;
    private static final int TOP = 54;
    private static final int ROW = 26;
    private static final int LABEL_CHARS = 34;

    static final String PASS = "#1a7f37";
    static final String WARN = "#bf8700";
    static final String FAIL = "#cf222e";
    static final String SKIPPED = "#8c959f";
    private static final String INK = "#24292f";
    private static final String MUTED = "#57606a";
    private static final String GRID = "#d8dee4";
    private static final String STRIPE = "#f6f8fa";

    private SvgChart() {
    }

    /** One slice of one metric: the candidate, the baseline and the bounds its checks require. */
    record Row(String slice, double value, double baseline, List<Mark> marks, Outcome outcome, double ciLow,
               double ciHigh) {
        Row(String slice, double value, double baseline, List<Mark> marks, Outcome outcome) {
            this(slice, value, baseline, marks, outcome, Double.NaN, Double.NaN);
        }

        boolean hasInterval() {
            return Double.isFinite(ciLow) && Double.isFinite(ciHigh);
        }
    }

    /** The value a check requires, and the severity of that check. */
    record Mark(double at, Severity severity, String label) {
    }

    /** The results grouped by metric, in order of first appearance. */
    static Map<String, List<RuleResult>> byMetric(List<RuleResult> results) {
        Map<String, List<RuleResult>> out = new LinkedHashMap<>();
        for (RuleResult r : results) {
            out.computeIfAbsent(r.metric(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** Rows for one metric's results: one per slice, {@code overall} first, then in order of appearance. */
    static List<Row> rows(List<RuleResult> results) {
        Map<String, List<RuleResult>> bySlice = new LinkedHashMap<>();
        if (results.stream().anyMatch(r -> Slices.OVERALL.equals(r.slice()))) {
            bySlice.put(Slices.OVERALL, new ArrayList<>());
        }
        results.forEach(r -> bySlice.computeIfAbsent(r.slice(), k -> new ArrayList<>()).add(r));
        List<Row> rows = new ArrayList<>();
        bySlice.forEach((slice, rs) -> {
            double value = rs.stream().mapToDouble(RuleResult::value).filter(Double::isFinite).findFirst()
                    .orElse(rs.get(0).value());
            double baseline = rs.stream().mapToDouble(RuleResult::baseline).filter(Double::isFinite).findFirst()
                    .orElse(Double.NaN);
            List<Mark> marks = new ArrayList<>();
            Outcome worst = Outcome.PASS;
            for (RuleResult r : rs) {
                double at = required(r.threshold(), baseline);
                if (Double.isFinite(at)) {
                    marks.add(new Mark(at, r.threshold().severity(), r.threshold().describe()));
                }
                if (Text.rank(r.outcome()) < Text.rank(worst)) {
                    worst = r.outcome();
                }
            }
            Evidence e = rs.stream().map(RuleResult::evidence).filter(x -> Double.isFinite(x.ciLow())).findFirst()
                    .orElse(Evidence.NONE);
            rows.add(new Row(slice, value, baseline, marks, worst, e.ciLow(), e.ciHigh()));
        });
        return rows;
    }

    /**
     * The candidate value a threshold requires: the bound of a value check; for a change check the
     * baseline moved by the required improvement (in the metric's better direction); NaN without baseline.
     */
    static double required(Threshold t, double baseline) {
        double sign = t.greaterIsBetter() ? 1 : -1;
        return switch (t.kind()) {
            case VALUE -> t.bound();
            case ABSOLUTE_CHANGE -> baseline + sign * t.bound();
            case RELATIVE_CHANGE -> baseline + sign * t.bound() * Math.abs(baseline);
        };
    }

    /** The SVG element for one metric. {@code id} must be a safe identifier (the caller makes it). */
    static String render(String metric, List<RuleResult> results, String id) {
        List<Row> rows = rows(results);
        boolean greaterIsBetter = results.isEmpty() || results.get(0).threshold().greaterIsBetter();
        Axis axis = Axis.of(rows);
        int plotBottom = TOP + rows.size() * ROW;
        int height = plotBottom + 52;

        StringBuilder s = new StringBuilder(4096);
        s.append("<svg class=\"chart-svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-labelledby=\"").append(id).append("-title\""
                        + " font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif\""
                        + " font-size=\"12\">\n");
        s.append("<title id=\"").append(id).append("-title\">")
                .append(Html.text(metric + " per slice: candidate, baseline and thresholds"))
                .append("</title>\n");

        legend(s, rows);
        s.append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(TOP - 8)
                .append("\" text-anchor=\"end\" fill=\"").append(MUTED).append("\" font-weight=\"600\">slice</text>\n");
        s.append("<text x=\"").append(PLOT_X1 + 12).append("\" y=\"").append(TOP - 8)
                .append("\" fill=\"").append(MUTED).append("\" font-weight=\"600\">value (baseline)</text>\n");

        // stripes and grid
        for (int i = 0; i < rows.size(); i++) {
            if (i % 2 == 0) {
                s.append("<rect x=\"0\" y=\"").append(TOP + i * ROW).append("\" width=\"").append(WIDTH)
                        .append("\" height=\"").append(ROW).append("\" fill=\"").append(STRIPE).append("\"/>\n");
            }
        }
        for (double tick : axis.ticks()) {
            String x = num(axis.x(tick));
            s.append("<line x1=\"").append(x).append("\" y1=\"").append(TOP).append("\" x2=\"").append(x)
                    .append("\" y2=\"").append(plotBottom).append("\" stroke=\"").append(GRID)
                    .append("\" stroke-width=\"1\"/>\n");
        }

        for (int i = 0; i < rows.size(); i++) {
            row(s, rows.get(i), TOP + i * ROW, axis);
        }

        // axis
        s.append("<line x1=\"").append(PLOT_X0).append("\" y1=\"").append(plotBottom).append("\" x2=\"")
                .append(PLOT_X1).append("\" y2=\"").append(plotBottom).append("\" stroke=\"").append(MUTED)
                .append("\" stroke-width=\"1\"/>\n");
        for (double tick : axis.ticks()) {
            String x = num(axis.x(tick));
            s.append("<line x1=\"").append(x).append("\" y1=\"").append(plotBottom).append("\" x2=\"").append(x)
                    .append("\" y2=\"").append(plotBottom + 5).append("\" stroke=\"").append(MUTED)
                    .append("\" stroke-width=\"1\"/>\n");
            s.append("<text x=\"").append(x).append("\" y=\"").append(plotBottom + 18)
                    .append("\" text-anchor=\"middle\" fill=\"").append(MUTED).append("\">")
                    .append(Html.text(Numbers.format(tick))).append("</text>\n");
        }
        s.append("<text x=\"").append(num((PLOT_X0 + PLOT_X1) / 2.0)).append("\" y=\"").append(plotBottom + 40)
                .append("\" text-anchor=\"middle\" fill=\"").append(INK).append("\" font-weight=\"600\">")
                .append(Html.text(Html.shorten(metric, 60)))
                .append(greaterIsBetter ? " (higher is better)" : " (lower is better)")
                .append("</text>\n");
        s.append("</svg>");
        return s.toString();
    }

    private static void legend(StringBuilder s, List<Row> rows) {
        boolean warnMarks = rows.stream().flatMap(r -> r.marks().stream()).anyMatch(m -> m.severity() == Severity.WARN);
        boolean failMarks = rows.stream().flatMap(r -> r.marks().stream()).anyMatch(m -> m.severity() == Severity.FAIL);
        int x = PLOT_X0;
        int y = 16;
        s.append("<g class=\"legend\">\n");
        String[][] dots = {{PASS, "pass"}, {WARN, "warn"}, {FAIL, "fail"}, {SKIPPED, "skipped"}};
        s.append(legendText(x, y, "candidate:"));
        x += 70;
        for (String[] d : dots) {
            s.append("<circle cx=\"").append(x + 5).append("\" cy=\"").append(y).append("\" r=\"5\" fill=\"")
                    .append(d[0]).append("\"/>\n");
            s.append(legendText(x + 14, y, d[1]));
            x += 22 + d[1].length() * 7;
        }
        x += 14;
        s.append(diamond(x + 6, y, 5));
        s.append(legendText(x + 16, y, "baseline"));
        x += 80;
        if (failMarks || !warnMarks) {
            s.append(dash(x + 6, y - 8, y + 8, FAIL));
            s.append(legendText(x + 14, y, "threshold (fail)"));
            x += 120;
        }
        if (warnMarks) {
            s.append(dash(x + 6, y - 8, y + 8, WARN));
            s.append(legendText(x + 14, y, "threshold (warn)"));
        }
        s.append("</g>\n");
    }

    private static String legendText(int x, int y, String text) {
        return "<text x=\"" + x + "\" y=\"" + (y + 4) + "\" fill=\"" + MUTED + "\">" + Html.text(text) + "</text>\n";
    }

    private static void row(StringBuilder s, Row row, int top, Axis axis) {
        int cy = top + ROW / 2;
        s.append("<g class=\"row\">\n");
        s.append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(cy + 4)
                .append("\" text-anchor=\"end\" fill=\"").append(INK).append("\">")
                .append("<title>").append(Html.text(row.slice())).append("</title>")
                .append(Html.text(Html.shorten(row.slice(), LABEL_CHARS))).append("</text>\n");

        for (Mark m : row.marks()) {
            s.append("<g><title>").append(Html.text("threshold " + m.label() + " requires "
                            + Numbers.format(m.at()) + " (" + m.severity().name().toLowerCase(Locale.ROOT) + ")"))
                    .append("</title>")
                    .append(dash(axis.x(m.at()), top + 3, top + ROW - 3, m.severity() == Severity.WARN ? WARN : FAIL))
                    .append("</g>\n");
        }

        boolean hasValue = Double.isFinite(row.value());
        boolean hasBaseline = Double.isFinite(row.baseline());
        if (hasValue && hasBaseline) {
            s.append("<line x1=\"").append(num(axis.x(row.baseline()))).append("\" y1=\"").append(cy)
                    .append("\" x2=\"").append(num(axis.x(row.value()))).append("\" y2=\"").append(cy)
                    .append("\" stroke=\"").append(SKIPPED).append("\" stroke-width=\"2\"/>\n");
        }
        if (hasBaseline) {
            s.append("<g><title>").append(Html.text("baseline " + Numbers.format(row.baseline()))).append("</title>")
                    .append(diamond(axis.x(row.baseline()), cy, 6)).append("</g>\n");
        }
        if (hasValue && row.hasInterval()) {
            // the error bar: the value's interval, capped, under the dot
            String x0 = num(axis.x(row.ciLow()));
            String x1 = num(axis.x(row.ciHigh()));
            String colour = colour(row.outcome());
            s.append("<g class=\"interval\"><title>").append(Html.text("interval " + Numbers.format(row.ciLow()) + " to "
                            + Numbers.format(row.ciHigh()))).append("</title>")
                    .append("<line x1=\"").append(x0).append("\" y1=\"").append(cy).append("\" x2=\"").append(x1)
                    .append("\" y2=\"").append(cy).append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>")
                    .append("<line x1=\"").append(x0).append("\" y1=\"").append(cy - 5).append("\" x2=\"").append(x0)
                    .append("\" y2=\"").append(cy + 5).append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>")
                    .append("<line x1=\"").append(x1).append("\" y1=\"").append(cy - 5).append("\" x2=\"").append(x1)
                    .append("\" y2=\"").append(cy + 5).append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>")
                    .append("</g>\n");
        }
        if (hasValue) {
            s.append("<circle cx=\"").append(num(axis.x(row.value()))).append("\" cy=\"").append(cy)
                    .append("\" r=\"6\" fill=\"").append(colour(row.outcome()))
                    .append("\" stroke=\"#ffffff\" stroke-width=\"1.5\"><title>")
                    .append(Html.text(row.slice() + ": " + Numbers.format(row.value()) + " (" + row.outcome() + ")"))
                    .append("</title></circle>\n");
        } else {
            s.append("<text x=\"").append(PLOT_X0 + 6).append("\" y=\"").append(cy + 4).append("\" fill=\"")
                    .append(MUTED).append("\" class=\"no-value\">no value: ")
                    .append(Html.text(Text.value(row.value()))).append("</text>\n");
        }

        s.append("<text x=\"").append(PLOT_X1 + 12).append("\" y=\"").append(cy + 4).append("\" fill=\"")
                .append(hasValue ? INK : MUTED).append("\" font-weight=\"600\">")
                .append(Html.text(Text.value(row.value()))).append("</text>");
        if (hasBaseline) {
            s.append("<text x=\"").append(PLOT_X1 + 72).append("\" y=\"").append(cy + 4).append("\" fill=\"")
                    .append(MUTED).append("\">(").append(Html.text(Numbers.format(row.baseline()))).append(")</text>");
        }
        s.append("\n</g>\n");
    }

    static String colour(Outcome o) {
        return switch (o) {
            case PASS -> PASS;
            case WARN -> WARN;
            case FAIL -> FAIL;
            case SKIPPED -> SKIPPED;
        };
    }

    private static String diamond(double x, double y, double r) {
        return "<polygon points=\"" + num(x) + "," + num(y - r) + " " + num(x + r) + "," + num(y) + " " + num(x) + ","
                + num(y + r) + " " + num(x - r) + "," + num(y) + "\" fill=\"#ffffff\" stroke=\"" + MUTED
                + "\" stroke-width=\"2\"/>";
    }

    private static String dash(double x, double y1, double y2, String colour) {
        return "<line x1=\"" + num(x) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x) + "\" y2=\"" + num(y2)
                + "\" stroke=\"" + colour + "\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>";
    }

    static String num(double v) {
        return Numbers.oneDecimal(v);
    }

    /** A linear x axis over the finite values of the rows, with round ticks. */
    record Axis(double lo, double hi, List<Double> ticks) {
        double x(double v) {
            double t = (v - lo) / (hi - lo);
            t = Math.max(-0.02, Math.min(1.02, t));
            return PLOT_X0 + t * (PLOT_X1 - PLOT_X0);
        }

        static Axis of(List<Row> rows) {
            List<Double> values = new ArrayList<>();
            for (Row r : rows) {
                values.add(r.value());
                values.add(r.baseline());
                values.add(r.ciLow());
                values.add(r.ciHigh());
                r.marks().forEach(m -> values.add(m.at()));
            }
            double min = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).min().orElse(0);
            double max = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).max().orElse(1);
            return between(min, max);
        }

        static Axis between(double min, double max) {
            if (!Double.isFinite(max - min) || Math.abs(max) > 1e300 || Math.abs(min) > 1e300) {
                return new Axis(min, max == min ? min + 1 : max, List.of(min, max));
            }
            double lo;
            double hi;
            if (max == min) {
                double pad = min == 0 ? 0.5 : Math.abs(min) * 0.1;
                lo = min - pad;
                hi = max + pad;
            } else {
                double pad = (max - min) * 0.08;
                lo = min - pad;
                hi = max + pad;
            }
            if (min >= 0 && lo < 0) {
                lo = 0;
            }
            if (min >= 0 && max <= 1 && hi > 1) {
                hi = 1;
            }
            double step = niceStep((hi - lo) / 5);
            lo = Math.floor(lo / step) * step;
            hi = Math.ceil(hi / step) * step;
            if (hi <= lo) {
                hi = lo + step;
            }
            List<Double> ticks = new ArrayList<>();
            long n = Math.round((hi - lo) / step);
            for (long i = 0; i <= n && i <= 20; i++) {
                double t = lo + i * step;
                ticks.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
            }
            return new Axis(lo, hi, ticks);
        }

        static double niceStep(double raw) {
            if (!(raw > 0) || !Double.isFinite(raw)) {
                return 1;
            }
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
            return nice * magnitude;
        }
    }
}
