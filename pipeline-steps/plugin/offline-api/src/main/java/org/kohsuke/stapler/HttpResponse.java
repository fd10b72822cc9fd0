// Signature mirror of org.kohsuke.stapler:stapler:2076.v1b_a_c12445eb_e, read from jenkinsci/stapler tag 2076.v1b_a_c12445eb_e.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package org.kohsuke.stapler;

// Upstream declares two default generateResponse methods (StaplerRequest2/StaplerResponse2 and the deprecated
// pair); the plugin returns responses and never calls them, so they are left out.
public interface HttpResponse {}
