package io.modelgate.jenkins;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A Modelgate pipeline step: its named parameters, exactly as the Jenkinsfile gave them. It decides
 * nothing: the engine's StepCatalog checks the parameters and Steps runs the step on the agent.
 * The step classes in {@code io.modelgate.jenkins.steps} are generated from the catalog; the optional
 * parameters every step takes are here, as Stapler finds {@code @DataBoundSetter}s of superclasses too.
 */
public abstract class ModelgateStep extends Step {
    private final String function;
    private final LinkedHashMap<String, Object> params = new LinkedHashMap<>();

    protected ModelgateStep(String function) {
        this.function = function;
    }

    /** The step's name in a Jenkinsfile, e.g. {@code validateModel}. */
    public final String function() {
        return function;
    }

    /** The parameters given, by name; a parameter set to null is not given. */
    public final Map<String, Object> parameters() {
        return Collections.unmodifiableMap(params);
    }

    protected final void set(String name, Object value) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            params.remove(name);
        } else {
            params.put(name, value);
        }
    }

    public String getReportDir() {
        return (String) get("reportDir");
    }

    @DataBoundSetter
    public void setReportDir(String reportDir) {
        set("reportDir", reportDir);
    }

    public String getCheckName() {
        return (String) get("checkName");
    }

    @DataBoundSetter
    public void setCheckName(String checkName) {
        set("checkName", checkName);
    }

    protected final Object get(String name) {
        return params.get(name);
    }

    protected final boolean flag(String name) {
        return Boolean.TRUE.equals(params.get(name));
    }

    @SuppressWarnings("unchecked")
    protected final Map<String, Object> map(String name) {
        Object v = params.get(name);
        return v instanceof Map ? (Map<String, Object>) v : null;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        LinkedHashMap<String, Object> given = StepRuns.plain(params);
        if (function.equals("canaryRollout")) {
            return new CanaryRolloutExecution(context, given);
        }
        if (function.equals("promoteModel") && given.containsKey("approvers")) {
            // Asked every time, whatever 'approver' says: the shared library asks with the input step,
            // the plugin on the build's approval page.
            return new ApprovalExecution(context, given);
        }
        return new ModelgateExecution(context, function, given);
    }
}
