// Signature mirror of io.jenkins.plugins:checks-api:415.vf022234a_931d, read from jenkinsci/checks-api-plugin@9397079.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package io.jenkins.plugins.checks.api;

import hudson.ExtensionPoint;
import hudson.model.Run;
import hudson.model.TaskListener;

public abstract class ChecksPublisherFactory implements ExtensionPoint {
    public static ChecksPublisher fromRun(final Run<?, ?> run, final TaskListener listener) {
        throw new UnsupportedOperationException("signature mirror");
    }
}
