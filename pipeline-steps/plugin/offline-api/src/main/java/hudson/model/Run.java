// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package hudson.model;

import java.io.File;
import java.io.IOException;

public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    public void setResult(Result r) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public RunT getPreviousBuild() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public File getRootDir() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException("signature mirror");
    }
}
