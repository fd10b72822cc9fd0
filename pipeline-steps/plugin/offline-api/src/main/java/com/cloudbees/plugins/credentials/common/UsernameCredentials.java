// Signature mirror of org.jenkins-ci.plugins:credentials:1511.v2e3cb_0008ef0, read from jenkinsci/credentials-plugin@d96751b.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

public interface UsernameCredentials extends Credentials {
    String getUsername();
}
