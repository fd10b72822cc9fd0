// Signature mirror of io.jenkins.plugins:checks-api:415.vf022234a_931d, read from jenkinsci/checks-api-plugin@9397079.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package io.jenkins.plugins.checks.api;

public enum ChecksConclusion {
    NONE, ACTION_REQUIRED, SKIPPED, CANCELED, TIME_OUT, FAILURE, NEUTRAL, SUCCESS
}
