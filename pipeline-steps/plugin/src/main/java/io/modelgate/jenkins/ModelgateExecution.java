package io.modelgate.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * Runs validateModel, recordLineage, registerModel, promoteModel and rollbackModel off the CPS
 * thread (as workflow-basic-steps' non-blocking steps do). They take seconds and are not resumed
 * after a controller restart; run them again (registry changes are idempotent or refused).
 */
final class ModelgateExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final LinkedHashMap<String, Object> params;

    ModelgateExecution(StepContext context, String step, LinkedHashMap<String, Object> params) {
        super(context);
        this.step = step;
        this.params = params;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
        return StepRuns.perform(context(getContext()), step, params, true);
    }

    static StepRuns.Context context(StepContext c) throws Exception {
        return new StepRuns.Context(c.get(Run.class), c.get(FilePath.class), c.get(TaskListener.class), c.get(EnvVars.class),
                c.get(FlowNode.class));
    }
}
