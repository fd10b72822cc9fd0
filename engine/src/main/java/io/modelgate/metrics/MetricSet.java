package io.modelgate.metrics;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The metrics of one model: overall, and per slice ({@code "region=eu"}), with their sampling
 * uncertainty where it is known.
 *
 * <p>Values may be NaN or infinite (a metric that is undefined on the data, such as ROC AUC of a
 * slice with only one class); the gate decides what that means. The number of examples, where it
 * is known, is the metric {@code example_count}, as in TFMA.
 *
 * <p>{@code intervals} is empty for metrics read from a file that gives none; it is left out of
 * the stored form when empty, so records written before intervals existed keep their bytes.
 *
 * @param overall   metric name to value, over all examples
 * @param slices    slice key ({@code column=value}) to metric name to value, in a stable order
 * @param intervals scope ({@link Slices#OVERALL} or a slice key) to metric name to its estimate
 */
public record MetricSet(Map<String, Double> overall, Map<String, Map<String, Double>> slices,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Map<String, Estimate>> intervals) {
    public MetricSet {
        overall = Collections.unmodifiableMap(new LinkedHashMap<>(overall));
        slices = copy(slices);
        intervals = intervals == null ? Map.of() : copy(intervals);
    }

    public MetricSet(Map<String, Double> overall, Map<String, Map<String, Double>> slices) {
        this(overall, slices, Map.of());
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

    /** These metrics with the estimates of {@code u} (which replace any already there). */
    public MetricSet withIntervals(Uncertainties u) {
        return new MetricSet(overall, slices, u.scopes());
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

    /** The estimate of one value; empty when none was computed or recorded. */
    public Optional<Estimate> interval(String sliceKey, String metric) {
        Map<String, Estimate> m = intervals.get(sliceKey);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(metric));
    }

    private static <V> Map<String, Map<String, V>> copy(Map<String, Map<String, V>> nested) {
        var copy = new LinkedHashMap<String, Map<String, V>>();
        nested.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        return Collections.unmodifiableMap(copy);
    }
}
