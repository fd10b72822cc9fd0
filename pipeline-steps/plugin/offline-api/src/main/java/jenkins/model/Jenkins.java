// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package jenkins.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;
import org.springframework.security.core.Authentication;

public class Jenkins implements AccessControlled {
    public static final Permission ADMINISTER = null;

    private Jenkins() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static Authentication getAuthentication2() {
        throw new UnsupportedOperationException("signature mirror");
    }
}
