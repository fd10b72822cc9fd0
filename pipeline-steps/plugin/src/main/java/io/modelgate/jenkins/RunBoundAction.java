package io.modelgate.jenkins;

import hudson.model.Run;
import jenkins.model.RunAction2;

/**
 * An action of one build that needs the build (to save it, to serve its archived files). The
 * reference is not persisted with the action: Jenkins hands it over when the action is attached
 * and again each time the build is loaded.
 */
public abstract class RunBoundAction implements RunAction2 {
    private transient Run<?, ?> run;

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }
}
