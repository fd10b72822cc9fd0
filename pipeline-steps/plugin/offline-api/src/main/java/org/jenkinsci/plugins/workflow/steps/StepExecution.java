// Signature mirror of org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_, read from jenkinsci/workflow-step-api-plugin@0773c3c.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

public abstract class StepExecution implements Serializable {
    protected StepExecution(StepContext context) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public StepContext getContext() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception {
        throw new UnsupportedOperationException("signature mirror");
    }

    public void onResume() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public String getStatus() {
        throw new UnsupportedOperationException("signature mirror");
    }

    private static final long serialVersionUID = 1L;
}
