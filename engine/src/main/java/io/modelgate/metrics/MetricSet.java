package io.modelgate.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics of one model: overall, and per slice ({@code "region=eu"}).
 *
 * <p>Values may be NaN or infinite (a metric that is undefined on the data, such as ROC AUC of a
 * slice with only one class); the gate decides what that means. The number of examples, where it
 * is known, is the metric {@code example_count}, as in TFMA.
 *
 * @param overall metric name to value, over all examples
 * @param slices  slice key ({@code column=value}) to metric name to value, in a stable order
 */
public record MetricSet(Map<String, Double> overall, Map<String, Map<String, Double>> slices) {
    public MetricSet {
        overall = Collections.unmodifiableMap(new LinkedHashMap<>(overall));
        var copy = new LinkedHashMap<String, Map<String, Double>>();
        slices.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        slices = Collections.unmodifiableMap(copy);
    }

    public static MetricSet empty() {
        return new MetricSet(Map.of(), Map.of());
    }

    public boolean isEmpty() {
        return overall.isEmpty() && slices.isEmpty();
    }

    public static MetricSet of(Map<String, Double> overall) {
        return new MetricSet(overall, Map.of());
    }

    /** The metrics of one slice, or of all examples when {@code sliceKey} is {@link Slices#OVERALL}. */
    public Optional<Map<String, Double>> scope(String sliceKey) {
        if (Slices.OVERALL.equals(sliceKey)) {
            return Optional.of(overall);
        }
        return Optional.ofNullable(slices.get(sliceKey));
    }

    /** One value; empty when the slice or the metric is absent (NaN is present, and returned). */
    public Optional<Double> value(String sliceKey, String metric) {
        return scope(sliceKey).map(m -> m.get(metric));
    }
}
