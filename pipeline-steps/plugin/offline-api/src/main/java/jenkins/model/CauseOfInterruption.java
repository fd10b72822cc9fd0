// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package jenkins.model;

import java.io.Serializable;

public abstract class CauseOfInterruption implements Serializable {
    public static final class UserInterruption extends CauseOfInterruption {
        public UserInterruption(String userId) {
            throw new UnsupportedOperationException("signature mirror");
        }
    }
}
