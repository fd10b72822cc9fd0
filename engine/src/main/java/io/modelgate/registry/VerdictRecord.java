package io.modelgate.registry;

import io.modelgate.metrics.MetricSet;

import java.time.Instant;

/**
 * A gate verdict stored against the model version it judged.
 *
 * @param status         PASS, WARN or FAIL
 * @param summary        the verdict's one-line summary
 * @param evaluatedAt    when the gate ran
 * @param artifactSha256 the digest of the artifact that was judged
 * @param metrics        the candidate's metrics, so a later gate can use them as its baseline
 */
public record VerdictRecord(String status, String summary, Instant evaluatedAt, String artifactSha256,
                            MetricSet metrics) {
}
