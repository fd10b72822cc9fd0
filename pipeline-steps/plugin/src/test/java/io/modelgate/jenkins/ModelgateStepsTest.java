package io.modelgate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.checks.api.ChecksConclusion;
import io.jenkins.plugins.checks.api.ChecksDetails;
import io.jenkins.plugins.checks.util.CapturingChecksPublisher;
import io.modelgate.step.MetricTrend;
import java.util.List;
import org.htmlunit.Page;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The native steps in a real Jenkins: build results, the build page's action, the archived reports
 * (served under Jenkins' CSP), the job's trend, the checks, and a run on an agent. Runs wherever the
 * Jenkins repository is reachable (mvn -f pipeline-steps/plugin/pom.xml verify); not here.
 */
@WithJenkins
class ModelgateStepsTest {
    @TestExtension
    public static final CapturingChecksPublisher.Factory CHECKS = new CapturingChecksPublisher.Factory();

    @AfterEach
    void clearChecks() {
        CHECKS.getPublishedChecks().clear();
    }

    private static final String GATE = """
            writeFile file: 'gate.yaml', text: '''metrics:
              roc_auc: {threshold: 0.7}
              accuracy: {threshold: 0.9, severity: warn}
            '''
            """;

    private static String metrics(double auc, double accuracy) {
        return "writeFile file: 'm.json', text: '{\"roc_auc\": " + auc + ", \"accuracy\": " + accuracy + "}'\n";
    }

    private static WorkflowJob job(JenkinsRule j, String name, String script) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, name);
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    @Test
    void passingGateReturnsTheVerdictAddsThePageAndPublishesACheck(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "pass", "node {\n" + GATE + metrics(0.85, 0.95)
                + "def v = validateModel policy: 'gate.yaml', metrics: 'm.json'\necho \"status=${v.status}\"\n}");
        WorkflowRun b = j.assertBuildStatusSuccess(p.scheduleBuild2(0));
        j.assertLogContains("status=PASS", b);
        j.assertLogContains("+ modelgate validate", b);

        ModelgateAction a = b.getAction(ModelgateAction.class);
        assertThat(a.getStep()).isEqualTo("validateModel");
        assertThat(a.getResult()).isEqualTo("SUCCESS");
        assertThat(a.getFacts()).containsEntry("Verdict", "PASS");
        assertThat(a.getMetrics()).containsEntry("roc_auc", 0.85);
        assertThat(a.isHasReports()).isTrue();

        List<ChecksDetails> checks = CHECKS.getPublishedChecks();
        assertThat(checks).hasSize(1);
        assertThat(checks.get(0).getName()).contains("Modelgate: gate");
        assertThat(checks.get(0).getConclusion()).isEqualTo(ChecksConclusion.SUCCESS);
        assertThat(checks.get(0).getOutput().flatMap(o -> o.getText()).orElse("")).contains("roc_auc");
    }

    @Test
    void archivedReportsAreServedUnderJenkinsContentSecurityPolicy(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "reports", "node {\n" + GATE + metrics(0.85, 0.95)
                + "validateModel policy: 'gate.yaml', metrics: 'm.json'\n}");
        WorkflowRun b = j.assertBuildStatusSuccess(p.scheduleBuild2(0));
        JenkinsRule.WebClient wc = j.createWebClient();
        Page page = wc.goTo(b.getUrl() + "modelgate-validateModel/report/verdict.json", "application/json");
        assertThat(page.getWebResponse().getContentAsString()).contains("\"status\"");
        assertThat(page.getWebResponse().getResponseHeaderValue("Content-Security-Policy")).contains("sandbox");
        wc.goTo(b.getUrl() + "modelgate-validateModel/");
    }

    @Test
    void warningsMarkTheStepAndBuildUnstable(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "warn", "node {\n" + GATE + metrics(0.85, 0.8)
                + "def v = validateModel policy: 'gate.yaml', metrics: 'm.json'\necho \"after=${v.status}\"\n}");
        WorkflowRun b = j.assertBuildStatus(Result.UNSTABLE, p.scheduleBuild2(0));
        j.assertLogContains("WARNING: WARN: 1 of 2 checks passed", b);
        j.assertLogContains("after=WARN", b);
        assertThat(CHECKS.getPublishedChecks().get(0).getConclusion()).isEqualTo(ChecksConclusion.NEUTRAL);
    }

    @Test
    void aFailedGateEndsTheStepWithTheEnginesSentence(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "fail", "node {\n" + GATE + metrics(0.6, 0.95)
                + "validateModel policy: 'gate.yaml', metrics: 'm.json'\necho 'not reached'\n}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("FAIL: ", b);
        j.assertLogContains("roc_auc is 0.6", b);
        j.assertLogNotContains("not reached", b);
        j.assertLogNotContains("\tat io.modelgate", b);
        assertThat(CHECKS.getPublishedChecks().get(0).getConclusion()).isEqualTo(ChecksConclusion.FAILURE);
    }

    @Test
    void badParametersFailNamingThem(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "bad", "node {\nvalidateModel policy: 'gate.yaml', metrics: 'm.json', predictions: 'p.csv'\n}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("give exactly one of 'metrics' and 'predictions'", b);
    }

    @Test
    void registryStepsReturnTheRegistrysOutcome(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "registry", """
                node {
                  writeFile file: 'model.bin', text: 'weights'
                  def r = registerModel name: 'churn', artifact: 'model.bin', tags: [team: 'risk']
                  echo "registered=${r.versions[0].version}"
                  def pr = promoteModel name: 'churn', version: r.versions[0].version, alias: 'champion'
                  echo "promoted=${pr.status}"
                }
                """);
        WorkflowRun b = j.assertBuildStatusSuccess(p.scheduleBuild2(0));
        j.assertLogContains("registered=v0.0.1", b);
        j.assertLogContains("promoted=applied", b);
        assertThat(b.getActions(ModelgateAction.class)).extracting(ModelgateAction::getStep)
                .containsExactly("registerModel", "promoteModel");
    }

    @Test
    void approversAreTheSharedLibrarysAndSaySo(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "approvers", "node {\npromoteModel name: 'churn', version: 'v1.0.0', stage: 'production', approvers: 'leads'\n}");
        WorkflowRun b = j.assertBuildStatus(Result.FAILURE, p.scheduleBuild2(0));
        j.assertLogContains("submitterParameter: 'approver'", b);
    }

    @Test
    void theEngineRunsOnTheAgentWhereTheWorkspaceIs(JenkinsRule j) throws Exception {
        DumbSlave agent = j.createOnlineSlave(j.jenkins.getLabel("modelgate-agent"));
        WorkflowJob p = job(j, "agent", """
                node('modelgate-agent') {
                  writeFile file: 'data/train.csv', text: 'a,b\\n1,2\\n'
                  def r = recordLineage inputs: 'data/train.csv', job: 'train'
                  echo "input=${r.inputs[0].uri}"
                }
                """);
        WorkflowRun b = j.assertBuildStatusSuccess(p.scheduleBuild2(0));
        j.assertLogContains("input=" + agent.getRemoteFS(), b);
    }

    @Test
    void theJobPageShowsTheTrendOfEachGatedMetric(JenkinsRule j) throws Exception {
        WorkflowJob p = job(j, "trend", "node {\n" + GATE
                + "writeFile file: 'm.json', text: '{\"roc_auc\": ' + (0.8 + currentBuild.number / 100.0) + ', \"accuracy\": 0.95}'\n"
                + "validateModel policy: 'gate.yaml', metrics: 'm.json'\n}");
        j.assertBuildStatusSuccess(p.scheduleBuild2(0));
        j.assertBuildStatusSuccess(p.scheduleBuild2(0));
        ModelgateJobAction trend = p.getAction(ModelgateJobAction.class);
        MetricTrend t = trend.getTrend();
        assertThat(t.builds()).containsExactly(1, 2);
        assertThat(t.series()).extracting(MetricTrend.Series::metric).containsExactly("accuracy", "roc_auc");
        assertThat(t.series().get(1).values()).containsExactly(0.81, 0.82);
        j.createWebClient().goTo(p.getUrl() + "modelgate-trends/");
    }
}
