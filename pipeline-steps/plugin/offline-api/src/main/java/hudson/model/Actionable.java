// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package hudson.model;

import java.util.List;

public abstract class Actionable extends AbstractModelObject {
    public <T extends Action> List<T> getActions(Class<T> type) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public void addAction(Action a) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public boolean addOrReplaceAction(Action a) {
        throw new UnsupportedOperationException("signature mirror");
    }
}
