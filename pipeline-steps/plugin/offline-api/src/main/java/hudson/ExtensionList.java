// Signature mirror of org.jenkins-ci.main:jenkins-core:2.555.3, read from jenkinsci/jenkins tag jenkins-2.555.3.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package hudson;

import java.util.AbstractList;

public class ExtensionList<T> extends AbstractList<T> {
    private ExtensionList() {
        throw new UnsupportedOperationException("signature mirror");
    }

    public static <U> U lookupSingleton(Class<U> type) {
        throw new UnsupportedOperationException("signature mirror");
    }

    @Override
    public T get(int index) {
        throw new UnsupportedOperationException("signature mirror");
    }

    @Override
    public int size() {
        throw new UnsupportedOperationException("signature mirror");
    }
}
