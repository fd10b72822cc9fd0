package io.modelgate.step;

import java.util.List;
import java.util.function.BiFunction;

/**
 * A pipeline step: its name in a Jenkinsfile, the parameters it takes, and how they become
 * {@code modelgate} commands (given the parameters and the report folder).
 */
public record StepDefinition(String name, String description, List<StepParam> params, String defaultCheckName,
                             BiFunction<StepArguments, String, List<StepCommand>> commands) {
    public StepDefinition {
        params = List.copyOf(params);
    }
}
