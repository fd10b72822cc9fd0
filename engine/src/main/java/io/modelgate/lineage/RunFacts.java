package io.modelgate.lineage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a run says about itself when its lineage is recorded: who it is, what it read and wrote,
 * what it was given and what it produced.
 *
 * @param job       the job's name; empty for the Jenkins job ({@code JOB_NAME}) or the work tree's name
 * @param namespace the job's namespace; empty for the Jenkins instance ({@code JENKINS_URL}'s host) or "modelgate"
 * @param inputs    files or directories read
 * @param outputs   files or directories written
 * @param params    parameters
 * @param metrics   metrics files (JSON or CSV, as for the gate); their overall metrics are recorded
 * @param parents   record ids of upstream runs
 * @param models    model versions produced, NAME@VERSION
 */
public record RunFacts(String job, String namespace, List<Path> inputs, List<Path> outputs, Map<String, String> params,
                       List<Path> metrics, List<String> parents, List<String> models) {
    public RunFacts {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        params = Map.copyOf(params);
        metrics = List.copyOf(metrics);
        parents = List.copyOf(parents);
        models = List.copyOf(models);
    }

    /** The same facts with every path passed through {@code resolve} (e.g. against the workspace). */
    RunFacts withPaths(UnaryOperator<Path> resolve) {
        return new RunFacts(job, namespace, inputs.stream().map(resolve).toList(), outputs.stream().map(resolve).toList(),
                params, metrics.stream().map(resolve).toList(), parents, models);
    }
}
