package io.modelgate.step;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The trend of each gated metric across builds, for a job's page: which metrics a gate judged
 * (from its verdict), and per metric one value per build. Jenkins-free; the plugin collects the
 * points from its builds and lays the series out.
 *
 * @param builds the build numbers, oldest first
 * @param series one per metric, by name
 */
public record MetricTrend(List<Integer> builds, List<Series> series) {
    public MetricTrend {
        builds = List.copyOf(builds);
        series = List.copyOf(series);
    }

    /** One build's gated metrics, overall (not per slice). */
    public record Point(int build, Map<String, Double> metrics) {
        public Point {
            metrics = Map.copyOf(metrics);
        }
    }

    /**
     * One metric across the builds.
     *
     * @param values one per build, in the order of {@link MetricTrend#builds()}; {@code NaN} where the
     *               build's gate did not judge the metric
     */
    public record Series(String metric, List<Double> values) {
        public Series {
            values = List.copyOf(values);
        }

        /** The latest value that is a number, or NaN. */
        public double latest() {
            for (int i = values.size() - 1; i >= 0; i--) {
                if (!Double.isNaN(values.get(i))) {
                    return values.get(i);
                }
            }
            return Double.NaN;
        }

        /**
         * The series as an SVG {@code polyline}'s {@code points} in a {@code width} x {@code height} box,
         * scaled from the series' own range; builds without a value are skipped.
         */
        public String points(int width, int height) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double d : values) {
                if (Double.isFinite(d)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
            if (lo > hi) {
                return "";
            }
            double span = hi - lo == 0 ? 1 : hi - lo;
            int n = values.size();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                double d = values.get(i);
                if (!Double.isFinite(d)) {
                    continue;
                }
                double x = n == 1 ? width / 2.0 : i * (double) width / (n - 1);
                double y = hi - lo == 0 ? height / 2.0 : height - (d - lo) / span * height;
                b.append(b.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            return b.toString();
        }
    }

    /**
     * The overall value of each metric a verdict's rules judged (its {@code results} with slice
     * {@code overall}), by metric, in the order of the rules.
     *
     * @param verdict a verdict as validateModel returns it (verdict.json's shape)
     */
    public static Map<String, Double> gatedMetrics(Map<String, Object> verdict) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (verdict.get("results") instanceof List<?> results) {
            for (Object o : results) {
                if (o instanceof Map<?, ?> r && "overall".equals(r.get("slice")) && r.get("metric") != null
                        && r.get("value") instanceof Number n) {
                    out.putIfAbsent(r.get("metric").toString(), n.doubleValue());
                }
            }
        }
        return out;
    }

    /** The trend of the given points (in any order; a build given twice keeps its last point). */
    public static MetricTrend of(List<Point> points) {
        Map<Integer, Map<String, Double>> byBuild = new LinkedHashMap<>();
        points.stream().sorted((a, b) -> Integer.compare(a.build(), b.build()))
                .forEach(p -> byBuild.put(p.build(), p.metrics()));
        TreeSet<String> metrics = new TreeSet<>();
        byBuild.values().forEach(m -> metrics.addAll(m.keySet()));
        List<Integer> builds = new ArrayList<>(byBuild.keySet());
        List<Series> series = new ArrayList<>();
        for (String metric : metrics) {
            List<Double> values = new ArrayList<>();
            for (Map<String, Double> m : byBuild.values()) {
                values.add(m.getOrDefault(metric, Double.NaN));
            }
            series.add(new Series(metric, values));
        }
        return new MetricTrend(Collections.unmodifiableList(builds), series);
    }
}
