// Signature mirror of org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_, read from jenkinsci/workflow-step-api-plugin@0773c3c.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Result;
import jenkins.model.CauseOfInterruption;

public final class FlowInterruptedException extends InterruptedException {
    public FlowInterruptedException(Result result, boolean actualInterruption, CauseOfInterruption... causes) {
        throw new UnsupportedOperationException("signature mirror");
    }
}
