// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package hudson.model;

public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends AbstractItem {
    public RunT getLastBuild() {
        throw new UnsupportedOperationException("signature mirror");
    }
}
