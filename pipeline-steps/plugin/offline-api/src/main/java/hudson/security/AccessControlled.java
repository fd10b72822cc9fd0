// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package hudson.security;

// checkPermission throws org.springframework.security.access.AccessDeniedException, unchecked: left out of the mirror.
public interface AccessControlled {
    default void checkPermission(Permission permission) {
        throw new UnsupportedOperationException("signature mirror");
    }

    default boolean hasPermission(Permission permission) {
        throw new UnsupportedOperationException("signature mirror");
    }
}
