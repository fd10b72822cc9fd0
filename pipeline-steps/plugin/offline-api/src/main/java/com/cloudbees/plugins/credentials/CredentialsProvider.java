// Signature mirror of org.jenkins-ci.plugins:credentials:1511.v2e3cb_0008ef0, read from jenkinsci/credentials-plugin@d96751b.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;

// Upstream: extends Descriptor<CredentialsProvider> implements ExtensionPoint, Describable<CredentialsProvider>, IconSpec;
// the plugin uses only the static lookup below, so the supertypes are left out.
public abstract class CredentialsProvider {
    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run) {
        throw new UnsupportedOperationException("signature mirror");
    }
}
