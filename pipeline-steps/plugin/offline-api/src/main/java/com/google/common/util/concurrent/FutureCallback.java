// Signature mirror of com.google.guava:guava:33.5.0-jre (as managed by jenkins-core 2.555.3), read from google/guava, FutureCallback's two methods as StepContext inherits them.
// Only the members the plugin's main sources use; no behaviour (bodies throw). Compiled by scripts/test to
// check the plugin against the engine offline; never packaged, never on a test's classpath.
package com.google.common.util.concurrent;

public interface FutureCallback<V> {
    void onSuccess(V result);

    void onFailure(Throwable t);
}
