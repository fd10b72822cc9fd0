package io.modelgate.jenkins;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.modelgate.step.StepContext;
import io.modelgate.step.StepLog;
import io.modelgate.step.StepOutcome;
import io.modelgate.step.Steps;
import java.io.File;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs a step on the agent that holds the workspace, in the workspace, with the build's environment,
 * through the engine's typed entry point ({@link Steps}); the engine's progress goes to the build log.
 * Only the outcome travels back.
 */
final class RunOnAgent extends MasterToSlaveFileCallable<StepOutcome> {
    private static final long serialVersionUID = 1L;

    private final String step;
    private final LinkedHashMap<String, Object> params;
    /** The build's environment, with the configured credentials; never printed. */
    private final HashMap<String, String> env;
    private final TaskListener listener;

    RunOnAgent(String step, LinkedHashMap<String, Object> params, HashMap<String, String> env, TaskListener listener) {
        this.step = step;
        this.params = params;
        this.env = env;
        this.listener = listener;
    }

    @Override
    public StepOutcome invoke(File workspace, VirtualChannel channel) {
        PrintWriter log = new PrintWriter(new OutputStreamWriter(listener.getLogger(), StandardCharsets.UTF_8), true);
        try {
            return Steps.run(step, params, StepContext.of(workspace.toPath(), env, StepLog.to(log)));
        } finally {
            log.flush();
        }
    }
}
