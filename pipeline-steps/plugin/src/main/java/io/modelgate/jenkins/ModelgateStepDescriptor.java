package io.modelgate.jenkins;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.modelgate.step.StepCatalog;
import io.modelgate.step.StepDefinition;
import java.util.Set;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/** A Modelgate step's descriptor: its function name and display name come from the engine's StepCatalog. */
public abstract class ModelgateStepDescriptor extends StepDescriptor {
    private final String function;

    protected ModelgateStepDescriptor(String function) {
        this.function = function;
    }

    @Override
    public String getFunctionName() {
        return function;
    }

    @Override
    public String getDisplayName() {
        return StepCatalog.find(function).map(StepDefinition::description).orElse(function);
    }

    /** The engine runs where the workspace is: the step needs a node (FilePath) and reports to the run and flow node. */
    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, FilePath.class, TaskListener.class, EnvVars.class, FlowNode.class);
    }
}
