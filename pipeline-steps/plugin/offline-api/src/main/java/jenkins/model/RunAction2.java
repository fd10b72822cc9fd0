// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
