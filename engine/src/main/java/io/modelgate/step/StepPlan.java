package io.modelgate.step;

import java.util.List;

/**
 * What a step will do: the commands it runs, in order, and how its result is presented.
 *
 * @param step      the step's name ({@code validateModel})
 * @param commands  the commands, exactly one of them {@link StepCommand.Role#MAIN}
 * @param reportDir where the commands write their reports
 * @param checkName the name of the check published for the step
 * @param failBuild whether a failed result (FAIL verdict, drifted data) fails the build; otherwise it
 *                  makes the build UNSTABLE, so the pipeline can respond to it (e.g. start a retraining)
 */
public record StepPlan(String step, List<StepCommand> commands, String reportDir, String checkName, boolean failBuild) {
    public StepPlan {
        commands = List.copyOf(commands);
        if (commands.stream().filter(c -> c.role() == StepCommand.Role.MAIN).count() != 1) {
            throw new IllegalArgumentException("a step has exactly one main command: " + commands);
        }
    }

    /** The command whose exit code and JSON output are the step's result. */
    public StepCommand main() {
        return commands.stream().filter(c -> c.role() == StepCommand.Role.MAIN).findFirst().orElseThrow();
    }
}
