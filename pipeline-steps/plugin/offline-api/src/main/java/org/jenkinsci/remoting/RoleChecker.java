// Signature mirror of org.jenkins-ci.main:remoting:3355.v388858a_47b_33, read from jenkinsci/remoting tag 3355.v388858a_47b_33.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.jenkinsci.remoting;

public abstract class RoleChecker {
}
