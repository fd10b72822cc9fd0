package io.modelgate.step;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a step did and how Jenkins should show it: the build result, the one-line message for
 * {@code error} or {@code unstable}, the check, the reports to publish, and the command's JSON
 * result, which the step returns to the Jenkinsfile. It is written as {@code --result FILE} by
 * {@code modelgate step}; docs/jenkins.md documents the shape. Serializable: the Jenkins plugin brings it back
 * from the agent.
 *
 * @param result   {@code SUCCESS}, {@code UNSTABLE} or {@code FAILURE}
 * @param exitCode the main command's exit code
 * @param value    the main command's JSON output; empty when it could not run
 * @param reports  where the reports are
 * @param notes    things that went wrong without deciding the result (a page that could not be written)
 * @param commands the commands run, each as its arguments
 */
public record StepOutcome(String schema, String step, String result, int exitCode, String message, Map<String, Object> value,
                          Check check, Reports reports, List<String> notes, List<List<String>> commands)
        implements Serializable {
    public static final String SCHEMA = "modelgate/step-outcome/v1";

    public StepOutcome {
        value = value == null ? Map.of() : value;
        notes = List.copyOf(notes);
        commands = List.copyOf(commands);
    }

    /**
     * The reports a step leaves for Jenkins.
     *
     * @param dir     the report folder, relative to the workspace when it was given so
     * @param index   the page to open, in {@code dir}
     * @param name    the name to publish the folder under ({@code publishHTML}'s reportName); the build's link
     * @param junit   JUnit XML files to publish with {@code junit}, relative to the workspace
     * @param archive an {@code archiveArtifacts} pattern for everything the step wrote
     */
    public record Reports(String dir, String index, String name, List<String> junit, String archive) implements Serializable {
        public Reports {
            junit = List.copyOf(junit);
        }
    }
}
