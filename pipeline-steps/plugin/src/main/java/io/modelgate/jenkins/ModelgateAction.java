package io.modelgate.jenkins;

import hudson.FilePath;
import hudson.model.DirectoryBrowserSupport;
import io.modelgate.step.StepSummary;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Modelgate step's result on its build: a block on the build page (summary.jelly: verdict,
 * version, rollout outcome), a sidebar link to its page (index.jelly) and the engine's report folder,
 * archived in the build's directory and served by {@link DirectoryBrowserSupport} under Jenkins'
 * Content-Security-Policy. Kept in build.xml: plain fields only.
 */
public final class ModelgateAction extends RunBoundAction {
    private final String id;
    private final String step;
    private final String result;
    private final String headline;
    private final LinkedHashMap<String, String> facts = new LinkedHashMap<>();
    /** The gated metrics (validateModel), for the job's trend. */
    private final LinkedHashMap<String, Double> metrics = new LinkedHashMap<>();
    /** The page to open in the archived folder; null when the step left no reports. */
    private final String index;

    ModelgateAction(String id, StepSummary summary, Map<String, Double> metrics, String index) {
        this.id = id;
        this.step = summary.step();
        this.result = summary.result();
        this.headline = summary.headline();
        summary.facts().forEach(f -> facts.put(f.label(), f.value()));
        this.metrics.putAll(metrics);
        this.index = index;
    }

    public String getStep() {
        return step;
    }

    /** SUCCESS, UNSTABLE or FAILURE. */
    public String getResult() {
        return result;
    }

    public String getHeadline() {
        return headline;
    }

    public Map<String, String> getFacts() {
        return facts;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public boolean isHasReports() {
        return index != null;
    }

    public String getIndex() {
        return index;
    }

    @Override
    public String getIconFileName() {
        return "symbol-analytics";
    }

    @Override
    public String getDisplayName() {
        return "Modelgate " + id;
    }

    @Override
    public String getUrlName() {
        return "modelgate-" + id;
    }

    /** The engine's report folder of this step: {@code modelgate-ID/report/index.html}. */
    public DirectoryBrowserSupport doReport() {
        FilePath base = new FilePath(new File(new File(getRun().getRootDir(), StepRuns.ARCHIVE), id));
        DirectoryBrowserSupport dbs = new DirectoryBrowserSupport(getRun(), base, "Modelgate " + id, "symbol-analytics", false);
        dbs.setIndexFileName(index == null ? "index.html" : index);
        return dbs;
    }
}
