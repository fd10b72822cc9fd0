package io.modelgate.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Estimate}s per scope, shaped like {@link MetricSet}: scope ({@link Slices#OVERALL} or a
 * slice key {@link Slices#key}) to metric id to estimate, in the order {@link MetricsCalculator}
 * reports them.
 */
public record Uncertainties(Map<String, Map<String, Estimate>> scopes) {
    public Uncertainties {
        var copy = new LinkedHashMap<String, Map<String, Estimate>>();
        scopes.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        scopes = Collections.unmodifiableMap(copy);
    }

    /** No estimates at all: for callers that did not ask for intervals. */
    public static Uncertainties none() {
        return new Uncertainties(Map.of());
    }

    /** One estimate; empty when the scope or the metric is absent. */
    public Optional<Estimate> get(String scope, String metric) {
        Map<String, Estimate> m = scopes.get(scope);
        return m == null ? Optional.empty() : Optional.ofNullable(m.get(metric));
    }
}
