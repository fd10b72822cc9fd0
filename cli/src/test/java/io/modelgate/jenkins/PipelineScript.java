package io.modelgate.jenkins;

import groovy.lang.Script;

/**
 * Base class of every script the Jenkins step recorder runs (vars/ and Jenkinsfiles): a call to a
 * method the script does not define is a Jenkins step or a library step, as in Jenkins.
 */
public abstract class PipelineScript extends Script {
    /** Groovy calls this for a method the script does not have: {@code sh(...)}, {@code validateModel(...)}. */
    public Object methodMissing(String name, Object args) {
        return recorder().invoke(name, args instanceof Object[] a ? a : new Object[]{args});
    }

    private JenkinsStepRecorder recorder() {
        return (JenkinsStepRecorder) getBinding().getVariable(JenkinsStepRecorder.SELF);
    }
}
