package io.modelgate.jenkins;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.modelgate.step.MetricTrend;
import java.util.ArrayList;
import java.util.List;

/** The job's page: the trend of each metric its gates judged, across the last builds. */
public final class ModelgateJobAction implements Action {
    /** How many builds the trend reads, newest first. */
    static final int BUILDS = 30;

    private final Job<?, ?> job;

    ModelgateJobAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    /** The trend; the series are computed by the engine (MetricTrend) from each build's gated metrics. */
    public MetricTrend getTrend() {
        List<MetricTrend.Point> points = new ArrayList<>();
        int seen = 0;
        for (Run<?, ?> r = job.getLastBuild(); r != null && seen < BUILDS; r = r.getPreviousBuild()) {
            seen++;
            for (ModelgateAction a : r.getActions(ModelgateAction.class)) {
                if (!a.getMetrics().isEmpty()) {
                    points.add(new MetricTrend.Point(r.getNumber(), a.getMetrics()));
                }
            }
        }
        return MetricTrend.of(points);
    }

    @Override
    public String getIconFileName() {
        return getTrend().series().isEmpty() ? null : "symbol-trending-up";
    }

    @Override
    public String getDisplayName() {
        return "Modelgate trends";
    }

    @Override
    public String getUrlName() {
        return "modelgate-trends";
    }
}
