package io.modelgate.gate;

import io.modelgate.metrics.MetricSet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gate's decision on a candidate model, with every check that led to it.
 *
 * @param status      PASS, WARN or FAIL: FAIL when a check of severity fail failed, WARN when only
 *                    checks of severity warn did
 * @param summary     one line for logs and check titles
 * @param results     one per threshold and slice, in policy order
 * @param candidate   the candidate's metrics
 * @param baseline    the baseline's metrics; empty when there was no baseline
 * @param inputs      where the inputs came from
 * @param evaluatedAt when the gate ran
 */
public record Verdict(Status status, String summary, List<RuleResult> results, MetricSet candidate,
                      MetricSet baseline, GateInputs inputs, Instant evaluatedAt) {
    public Verdict {
        results = List.copyOf(results);
    }

    public Optional<MetricSet> baselineMetrics() {
        return baseline.isEmpty() ? Optional.empty() : Optional.of(baseline);
    }

    public long count(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** Whether a build should fail on this verdict; with {@code failOnWarn} a WARN fails it too. */
    public boolean failsBuild(boolean failOnWarn) {
        return status == Status.FAIL || (failOnWarn && status == Status.WARN);
    }
}
