// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package hudson;

import hudson.remoting.VirtualChannel;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import org.jenkinsci.remoting.RoleSensitive;

public final class FilePath {
    public FilePath(File localPath) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("signature mirror");
    }

    public boolean isDirectory() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("signature mirror");
    }

    public int copyRecursiveTo(String fileMask, FilePath target) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("signature mirror");
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("signature mirror");
    }

    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
