package io.modelgate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.modelgate.server.LoadGenerator;
import io.modelgate.server.ModelServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * A promotion waiting for its approvers keeps waiting across a restart. And canaryRollout across a controller restart: the rollout's state is persisted by the engine, and the
 * resumed step goes on from it (continues, or reports the roll-back the restart caused), never
 * starting the rollout over. Runs wherever the Jenkins repository is reachable; not here.
 */
class CanaryRolloutRestartTest {
    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void aRolloutGoesOnFromItsSavedStateAfterARestart() throws Throwable {
        int routerPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            routerPort = s.getLocalPort();
        }
        ExecutorService load = Executors.newSingleThreadExecutor();
        try (ModelServer stable = new ModelServer("stable", ModelServer.Behaviour.healthy(), 1).start();
             ModelServer canary = new ModelServer("canary", ModelServer.Behaviour.healthy(), 2).start()) {
            String plan = """
                    stable: http://127.0.0.1:%d
                    canary: http://127.0.0.1:%d
                    router: {port: %d}
                    steps: [{weight: 20, bake: 6s}, {weight: 100}]
                    analysis: {interval: 250ms, judge: threshold, inconclusive: continue, thresholds: {error_rate: {max: 0.2}}}
                    """.formatted(stable.port(), canary.port(), routerPort);
            int port = routerPort;
            load.submit(() -> new LoadGenerator().run(LoadGenerator.Plan.forDuration(
                    URI.create("http://127.0.0.1:" + port + "/predict"), Duration.ofSeconds(60), 2)));
            sessions.then(j -> {
                WorkflowJob p = j.createProject(WorkflowJob.class, "canary");
                p.setDefinition(new CpsFlowDefinition("node {\n  writeFile file: 'canary.yaml', text: '''" + plan + "'''\n"
                        + "  def r = canaryRollout plan: 'canary.yaml'\n  echo \"phase=${r.phase}\"\n}", true));
                WorkflowRun b = p.scheduleBuild2(0).waitForStart();
                j.waitForMessage("step 1/2", b);
            });
            sessions.then(j -> {
                WorkflowRun b = j.jenkins.getItemByFullName("canary", WorkflowJob.class).getBuildByNumber(1);
                j.waitForCompletion(b);
                j.assertLogContains("Jenkins restarted during the rollout; going on from its saved state", b);
                // The engine's `canary run` never starts a saved rollout over: it continued, or reports how it ended.
                assertThat(b.getResult()).isIn(Result.SUCCESS, Result.FAILURE);
                assertThat(b.getLog()).containsAnyOf("phase=PROMOTED", "rolled back");
                assertThat(b.getActions(ModelgateAction.class)).isNotEmpty();
            });
        } finally {
            load.shutdownNow();
        }
    }

    @Test
    void aPromotionWaitingForApprovalKeepsWaitingAcrossARestart() throws Throwable {
        String[] id = new String[1];
        sessions.then(j -> {
            ModelgateStepsTest.people(j);
            WorkflowJob p = j.createProject(WorkflowJob.class, "approval");
            p.setDefinition(new CpsFlowDefinition(ModelgateStepsTest.ASK, true));
            WorkflowRun b = p.scheduleBuild2(0).waitForStart();
            id[0] = ModelgateStepsTest.waitForQuestion(j, b);
        });
        sessions.then(j -> {
            WorkflowRun b = j.jenkins.getItemByFullName("approval", WorkflowJob.class).getBuildByNumber(1);
            assertThat(b.isBuilding()).isTrue();
            assertThat(ModelgateStepsTest.answer(j, b, "carol", "approve", id[0])).isLessThan(400);
            j.assertBuildStatusSuccess(j.waitForCompletion(b));
            j.assertLogContains("approver=carol", b);
        });
    }
}
