package io.modelgate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Item;
import hudson.model.Result;
import hudson.slaves.DumbSlave;
import io.jenkins.plugins.checks.api.ChecksConclusion;
import io.jenkins.plugins.checks.api.ChecksDetails;
import io.jenkins.plugins.checks.util.CapturingChecksPublisher;
import io.modelgate.step.MetricTrend;
import java.net.URL;
import java.util.List;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
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

    static final String ASK = """
            node {
              writeFile file: 'model.bin', text: 'weights'
              def r = registerModel name: 'churn', artifact: 'model.bin'
              def pr = promoteModel name: 'churn', version: r.versions[0].version, stage: 'staging', approvers: 'leads'
              echo "approver=${pr.event.approver}"
            }
            """;

    /** carol is in the group 'leads', bob is not; everybody may read. */
    static void people(JenkinsRule j) {
        JenkinsRule.DummySecurityRealm realm = j.createDummySecurityRealm();
        realm.addGroups("carol", "leads");
        j.jenkins.setSecurityRealm(realm);
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().toEveryone());
    }

    /** The question the build waits on, once it is asked. */
    static String waitForQuestion(JenkinsRule j, WorkflowRun b) throws Exception {
        j.waitForMessage("Waiting for leads to answer", b);
        ApprovalAction a = b.getAction(ApprovalAction.class);
        assertThat(a.getRequests()).singleElement().satisfies(r -> {
            assertThat(r.getQuestion()).isEqualTo("Promote churn v0.0.1 to stage staging?");
            assertThat(r.isPending()).isTrue();
        });
        return a.getRequests().get(0).getId();
    }

    static int answer(JenkinsRule j, WorkflowRun b, String user, String verb, String id) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withThrowExceptionOnFailingStatusCode(false);
        wc.login(user);
        WebRequest req = new WebRequest(new URL(j.getURL(), b.getUrl() + ApprovalAction.URL + "/" + verb + "?id=" + id),
                HttpMethod.POST);
        wc.addCrumb(req);
        return wc.getPage(req).getWebResponse().getStatusCode();
    }

    @Test
    void approversAreAskedOnTheBuildsApprovalPageAndOnlyTheyMayAnswer(JenkinsRule j) throws Exception {
        people(j);
        WorkflowRun b = job(j, "approve", ASK).scheduleBuild2(0).waitForStart();
        String id = waitForQuestion(j, b);
        assertThat(answer(j, b, "bob", "approve", id)).isEqualTo(403);
        assertThat(b.isBuilding()).isTrue();
        assertThat(answer(j, b, "carol", "approve", id)).isLessThan(400);
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("approver=carol", b);
        assertThat(b.getAction(ApprovalAction.class).getRequests().get(0).getDecision()).isEqualTo("approved by carol");
        assertThat(answer(j, b, "carol", "reject", id)).isEqualTo(409); // answered once, for good
    }

    @Test
    void aRejectedPromotionAbortsTheBuildAndPromotesNothing(JenkinsRule j) throws Exception {
        people(j);
        WorkflowRun b = job(j, "reject", ASK).scheduleBuild2(0).waitForStart();
        String id = waitForQuestion(j, b);
        assertThat(answer(j, b, "carol", "reject", id)).isLessThan(400);
        j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(b));
        j.assertLogNotContains("approver=", b);
        assertThat(b.getActions(ModelgateAction.class)).extracting(ModelgateAction::getStep).containsExactly("registerModel");
    }

    @Test
    void aGivenApproverDoesNotSkipTheQuestion(JenkinsRule j) throws Exception {
        people(j);
        WorkflowRun b = job(j, "self", ASK.replace("approvers: 'leads'", "approvers: 'leads', approver: 'mallory'"))
                .scheduleBuild2(0).waitForStart();
        String id = waitForQuestion(j, b);
        assertThat(answer(j, b, "carol", "approve", id)).isLessThan(400);
        j.waitForCompletion(b);
        j.assertLogContains("approver=carol", b);
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
