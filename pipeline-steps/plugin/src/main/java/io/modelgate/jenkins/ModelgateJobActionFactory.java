package io.modelgate.jenkins;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/** Adds the trend page to every job. */
@Extension
@SuppressWarnings("rawtypes")
public final class ModelgateJobActionFactory extends TransientActionFactory<Job> {
    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @Override
    public Collection<? extends Action> createFor(Job target) {
        return List.of(new ModelgateJobAction((Job<?, ?>) target));
    }
}
