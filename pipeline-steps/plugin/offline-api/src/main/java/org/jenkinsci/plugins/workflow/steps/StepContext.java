// Signature mirror of org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_, read from jenkinsci/workflow-step-api-plugin@0773c3c.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import java.io.IOException;
import java.io.Serializable;

public abstract class StepContext implements FutureCallback<Object>, Serializable {
    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    @Override
    public abstract void onSuccess(Object result);

    private static final long serialVersionUID = 1L;
}
