package io.modelgate.jenkins;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.checks.api.ChecksConclusion;
import io.jenkins.plugins.checks.api.ChecksDetails;
import io.jenkins.plugins.checks.api.ChecksOutput;
import io.jenkins.plugins.checks.api.ChecksPublisherFactory;
import io.jenkins.plugins.checks.api.ChecksStatus;
import io.modelgate.step.Check;
import io.modelgate.step.MetricTrend;
import io.modelgate.step.StepOutcome;
import io.modelgate.step.StepSummary;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/**
 * What every Modelgate step does around the engine: environment and credentials in, the engine on
 * the agent, then the outcome onto Jenkins (reports archived in the build, a build-page action, a
 * check, the build result). Which result, which check text and which summary lines is decided by
 * the engine (StepOutcomes, StepSummary); this class only applies them.
 */
final class StepRuns {
    /** Where a build keeps the reports of its Modelgate steps, under its own directory. */
    static final String ARCHIVE = "modelgate";

    private StepRuns() {
    }

    /** The context a step runs in. */
    record Context(Run<?, ?> run, FilePath workspace, TaskListener listener, EnvVars env, FlowNode node) {
    }

    /**
     * Runs a step on the agent and applies its outcome.
     *
     * @param mapResult false for the roll-back a canary runs when its build is aborted: no result, no exception
     * @return the engine's result, as plain maps and lists for the Jenkinsfile
     * @throws AbortException with the engine's sentence when the step FAILED
     */
    static Map<String, Object> perform(Context c, String step, LinkedHashMap<String, Object> params, boolean mapResult)
            throws IOException, InterruptedException {
        HashMap<String, String> env = environment(c);
        StepOutcome outcome = c.workspace().act(new RunOnAgent(step, params, env, c.listener()));
        apply(c, outcome, mapResult);
        return plain(outcome.value());
    }

    /** The build's environment, plus the global configuration and its credentials where the build sets none. */
    static HashMap<String, String> environment(Context c) throws AbortException {
        HashMap<String, String> env = new HashMap<>(c.env());
        ModelgateConfiguration config = ModelgateConfiguration.get();
        putIfAbsent(env, "MODELGATE_REGISTRY", config.getRegistry());
        putIfAbsent(env, "OPENLINEAGE_URL", config.getOpenLineageUrl());
        String git = config.getGitCredentialsId();
        if (git != null && !git.isBlank() && !env.containsKey("MODELGATE_GIT_USERNAME")) {
            StandardUsernamePasswordCredentials u = CredentialsProvider.findCredentialById(git,
                    StandardUsernamePasswordCredentials.class, c.run());
            if (u == null) {
                throw new AbortException("Modelgate: no username/password credentials with ID '" + git
                        + "' (Manage Jenkins > System > Modelgate > Git credentials)");
            }
            env.put("MODELGATE_GIT_USERNAME", u.getUsername());
            env.put("MODELGATE_GIT_PASSWORD", u.getPassword().getPlainText());
        }
        String key = config.getOpenLineageCredentialsId();
        if (key != null && !key.isBlank() && !env.containsKey("OPENLINEAGE_API_KEY")) {
            StringCredentials s = CredentialsProvider.findCredentialById(key, StringCredentials.class, c.run());
            if (s == null) {
                throw new AbortException("Modelgate: no secret text credentials with ID '" + key
                        + "' (Manage Jenkins > System > Modelgate > OpenLineage API key)");
            }
            env.put("OPENLINEAGE_API_KEY", s.getSecret().getPlainText());
        }
        return env;
    }

    private static void putIfAbsent(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank() && (env.get(name) == null || env.get(name).isBlank())) {
            env.put(name, value);
        }
    }

    /** Archives the reports, adds the build-page action, publishes the check and sets the result. */
    static void apply(Context c, StepOutcome outcome, boolean mapResult) throws IOException, InterruptedException {
        Run<?, ?> run = c.run();
        String id = nextId(run, outcome.step());
        boolean archived = archive(c, outcome, id);
        StepSummary summary = StepSummary.of(outcome);
        Map<String, Double> metrics = outcome.step().equals("validateModel")
                ? MetricTrend.gatedMetrics(outcome.value()) : Map.of();
        run.addAction(new ModelgateAction(id, summary, metrics, archived ? outcome.reports().index() : null));
        publishCheck(c, outcome.check());
        if (!mapResult) {
            return;
        }
        switch (outcome.result()) {
            case "UNSTABLE" -> {
                // As Jenkins' own unstable step: the flow node is marked, the build's result set.
                c.node().addOrReplaceAction(new WarningAction(Result.UNSTABLE).withMessage(outcome.message()));
                run.setResult(Result.UNSTABLE);
                c.listener().getLogger().println("WARNING: " + outcome.message());
            }
            case "FAILURE" -> throw new AbortException(outcome.message());
            default -> {
            }
        }
    }

    /** {@code validateModel}, then {@code validateModel-2}, ... within one build. */
    private static String nextId(Run<?, ?> run, String step) {
        int n = 1;
        for (ModelgateAction a : run.getActions(ModelgateAction.class)) {
            if (a.getStep().equals(step)) {
                n++;
            }
        }
        return n == 1 ? step : step + "-" + n;
    }

    /** Copies the step's report folder from the workspace into the build's own directory. */
    private static boolean archive(Context c, StepOutcome outcome, String id) throws IOException, InterruptedException {
        // The engine names what to archive; a step that could not start (bad parameters) names nothing.
        if (outcome.reports().archive().isEmpty() || outcome.exitCode() == 2) {
            return false;
        }
        FilePath reports = c.workspace().child(outcome.reports().dir());
        if (!reports.isDirectory()) {
            return false;
        }
        FilePath target = new FilePath(new File(new File(c.run().getRootDir(), ARCHIVE), id));
        return reports.copyRecursiveTo("**/*", target) > 0;
    }

    private static void publishCheck(Context c, Check check) {
        ChecksOutput output = new ChecksOutput.ChecksOutputBuilder()
                .withTitle(check.title())
                .withSummary(check.summary())
                .withText(check.text())
                .build();
        ChecksDetails.ChecksDetailsBuilder details = new ChecksDetails.ChecksDetailsBuilder()
                .withName(check.name())
                .withStatus(ChecksStatus.COMPLETED)
                .withConclusion(conclusion(check.conclusion()))
                .withOutput(output);
        if (!check.detailsUrl().isBlank()) {
            details.withDetailsURL(check.detailsUrl());
        }
        ChecksPublisherFactory.fromRun(c.run(), c.listener()).publish(details.build());
    }

    private static ChecksConclusion conclusion(String engine) {
        return switch (engine) {
            case "SUCCESS" -> ChecksConclusion.SUCCESS;
            case "NEUTRAL" -> ChecksConclusion.NEUTRAL;
            default -> ChecksConclusion.FAILURE;
        };
    }

    /** A deep copy in LinkedHashMap and ArrayList, which the Pipeline program can keep across a restart. */
    static LinkedHashMap<String, Object> plain(Map<?, ?> map) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), plainValue(v)));
        return out;
    }

    private static Object plainValue(Object v) {
        if (v instanceof CharSequence cs) {
            // A Groovy GString ("data/${name}.csv") is a string to the engine.
            return cs.toString();
        }
        if (v instanceof Map<?, ?> m) {
            return plain(m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(o -> out.add(plainValue(o)));
            return out;
        }
        return v;
    }
}
