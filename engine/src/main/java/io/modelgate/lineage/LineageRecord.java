package io.modelgate.lineage;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What went into and came out of one run (a training job, a data preparation step). Records are
 * content-addressed: the id is the SHA-256 of everything else, so the same run recorded twice is
 * the same record, and a record cannot be changed without changing its id.
 *
 * @param id          hex SHA-256 of the record's canonical JSON without the id
 * @param job         the job's name (by default the Jenkins job)
 * @param namespace   the job's namespace (by default the Jenkins instance)
 * @param runId       a UUID for the run, as OpenLineage wants
 * @param startedAt   when the run started
 * @param endedAt     when it was recorded
 * @param succeeded   whether the run succeeded (OpenLineage COMPLETE) or failed (FAIL)
 * @param inputs      data read
 * @param outputs     data written (model files among them)
 * @param params      parameters, as given
 * @param metrics     metrics, as read from a metrics file
 * @param parents     ids of runs this one continues (upstream runs)
 * @param models      model versions this run produced, as NAME@VERSION
 * @param code        the code version
 * @param environment where it ran
 */
public record LineageRecord(String id, String job, String namespace, String runId, Instant startedAt, Instant endedAt,
                            boolean succeeded, List<Dataset> inputs, List<Dataset> outputs, Map<String, String> params,
                            Map<String, Double> metrics, List<String> parents, List<String> models, CodeVersion code,
                            RunEnvironment environment) {
    public LineageRecord {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        params = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(params));
        metrics = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(metrics));
        parents = List.copyOf(parents);
        models = List.copyOf(models);
    }

    LineageRecord withId(String newId) {
        return new LineageRecord(newId, job, namespace, runId, startedAt, endedAt, succeeded, inputs, outputs, params,
                metrics, parents, models, code, environment);
    }
}
