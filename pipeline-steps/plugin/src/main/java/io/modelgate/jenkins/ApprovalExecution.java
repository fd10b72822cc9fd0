package io.modelgate.jenkins;

import hudson.AbortException;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.modelgate.common.ModelgateException;
import io.modelgate.step.Approval;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import jenkins.model.CauseOfInterruption;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * promoteModel with {@code approvers}: asks on the build's approval page ({@link ApprovalAction}) and
 * waits without holding a thread; an approval runs the promotion with {@code approver} set to who
 * approved, a rejection ends the step ABORTED, as a rejected input step does. The question is in
 * build.xml and this execution in the program's state, so a controller restart keeps the wait; a
 * promotion cut by the restart after its approval runs again (a registry change is idempotent or refused).
 */
final class ApprovalExecution extends StepExecution {
    private static final long serialVersionUID = 1L;

    private final LinkedHashMap<String, Object> params;
    private final String id = UUID.randomUUID().toString();

    ApprovalExecution(StepContext context, LinkedHashMap<String, Object> params) {
        super(context);
        this.params = params;
    }

    @Override
    public boolean start() throws Exception {
        Approval approval;
        try {
            approval = Approval.of(params).orElseThrow();
        } catch (ModelgateException e) {
            throw new AbortException(e.getMessage());
        }
        Run<?, ?> run = getContext().get(Run.class);
        ApprovalAction.of(run).ask(id, approval, this);
        getContext().get(TaskListener.class).getLogger().println("Modelgate: " + approval.question() + " Waiting for "
                + String.join(", ", approval.approvers()) + " to answer on the build's 'Modelgate approval' page ("
                + run.getUrl() + ApprovalAction.URL + "/)");
        return false;
    }

    @Override
    public void onResume() {
        try {
            ApprovalAction.Request r = ApprovalAction.of(getContext().get(Run.class)).attach(id, this);
            if (r == null) {
                getContext().onFailure(new AbortException("promoteModel: the approval request was lost in the restart; "
                        + "run the build again"));
            } else if (!r.isPending()) {
                if (r.approved()) {
                    approved(r.decidedBy(), r.decidedByGroups());
                } else {
                    rejected(r.decidedBy());
                }
            }
        } catch (Exception e) {
            getContext().onFailure(e);
        }
    }

    /** The build was aborted while it waited. */
    @Override
    public void stop(Throwable cause) throws Exception {
        ApprovalAction.of(getContext().get(Run.class)).forget(id);
        getContext().onFailure(cause);
    }

    /** Runs the promotion on the agent, off the request thread that carried the approval. */
    void approved(String userId, List<String> groups) {
        LinkedHashMap<String, Object> approvedParams = new LinkedHashMap<>(params);
        approvedParams.put("approver", userId);
        approvedParams.put("approverGroups", String.join(",", groups));
        StepContext context = getContext();
        CanaryRolloutExecution.THREADS.submit(() -> {
            try {
                context.onSuccess(StepRuns.perform(ModelgateExecution.context(context), "promoteModel", approvedParams,
                        true));
            } catch (Throwable x) {
                context.onFailure(x);
            }
        });
    }

    void rejected(String userId) {
        getContext().onFailure(new FlowInterruptedException(Result.ABORTED, true,
                new CauseOfInterruption.UserInterruption(userId)));
    }
}
