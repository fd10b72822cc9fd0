// Signature mirror of org.jenkins-ci.plugins.workflow:workflow-api:1413.v2ff1a_5e720fa_, read from jenkinsci/workflow-api-plugin@cbc88d9.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.jenkinsci.plugins.workflow.actions;

import hudson.model.Action;

public interface PersistentAction extends Action {
}
