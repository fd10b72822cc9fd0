package io.modelgate.jenkins;

import hudson.model.Run;
import io.modelgate.step.Approval;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The build's "Modelgate approval" page: each promoteModel with {@code approvers} waiting for an
 * answer, with Approve and Reject buttons. Who may answer is the engine's rule ({@link Approval#allows}:
 * a user or group in the list; administrators too, as with the input step). The questions are kept
 * in build.xml; the waiting step executions find their question again after a restart ({@link #attach}).
 */
public final class ApprovalAction extends RunBoundAction {
    static final String URL = "modelgate-approval";

    private final List<Request> requests = new ArrayList<>();
    private transient Map<String, ApprovalExecution> waiting;

    /** One question; plain fields, for build.xml. */
    public static final class Request {
        private final String id;
        private final String question;
        private final List<String> approvers;
        /** Who answered, and how; null while nobody has. */
        private String decidedBy;
        /** The groups Jenkins authenticated the answerer with: the registry's approver lists may name groups. */
        private List<String> decidedByGroups;
        private boolean approved;

        Request(String id, Approval approval) {
            this.id = id;
            this.question = approval.question();
            this.approvers = new ArrayList<>(approval.approvers());
        }

        public String getId() {
            return id;
        }

        public String getQuestion() {
            return question;
        }

        public String getApprovers() {
            return String.join(", ", approvers);
        }

        public boolean isPending() {
            return decidedBy == null;
        }

        public String getDecision() {
            return decidedBy == null ? "waiting" : (approved ? "approved by " : "rejected by ") + decidedBy;
        }

        String decidedBy() {
            return decidedBy;
        }

        List<String> decidedByGroups() {
            return decidedByGroups == null ? List.of() : decidedByGroups;
        }

        boolean approved() {
            return approved;
        }
    }

    /** The run's approval page, added when its first question is asked. */
    static synchronized ApprovalAction of(Run<?, ?> run) {
        ApprovalAction a = run.getAction(ApprovalAction.class);
        if (a == null) {
            a = new ApprovalAction();
            run.addAction(a);
        }
        return a;
    }

    /** Asks a new question, for the execution that waits on it. */
    synchronized void ask(String id, Approval approval, ApprovalExecution execution) throws IOException {
        requests.add(new Request(id, approval));
        waiting().put(id, execution);
        getRun().save();
    }

    /** After a restart: the execution waiting on question {@code id} again; the question, or null when it is unknown. */
    synchronized Request attach(String id, ApprovalExecution execution) {
        waiting().put(id, execution);
        return find(id);
    }

    /** The execution no longer waits (the build was aborted, or the answer was acted on). */
    synchronized void forget(String id) {
        waiting().remove(id);
    }

    @POST
    public HttpResponse doApprove(@QueryParameter String id) throws IOException {
        return answer(id, true);
    }

    @POST
    public HttpResponse doReject(@QueryParameter String id) throws IOException {
        return answer(id, false);
    }

    private HttpResponse answer(String id, boolean approve) throws IOException {
        Authentication who = Jenkins.getAuthentication2();
        ApprovalExecution execution;
        List<String> groups = new ArrayList<>();
        for (GrantedAuthority g : who.getAuthorities()) {
            groups.add(g.getAuthority());
        }
        synchronized (this) {
            Request r = find(id);
            if (r == null) {
                return HttpResponses.notFound();
            }
            if (!new Approval(r.question, r.approvers).allows(who.getName(), groups)
                    && !Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return HttpResponses.forbidden();
            }
            if (!r.isPending()) {
                return HttpResponses.errorWithoutStack(409, "Already " + r.getDecision());
            }
            execution = waiting().get(id);
            if (execution == null) {
                return HttpResponses.errorWithoutStack(409, "The build is not waiting for this answer any more");
            }
            r.decidedBy = who.getName();
            r.decidedByGroups = new ArrayList<>(groups);
            r.approved = approve;
            waiting().remove(id);
            getRun().save();
        }
        if (approve) {
            execution.approved(who.getName(), groups);
        } else {
            execution.rejected(who.getName());
        }
        return HttpResponses.redirectToDot();
    }

    private Request find(String id) {
        for (Request r : requests) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    private Map<String, ApprovalExecution> waiting() {
        if (waiting == null) {
            waiting = new ConcurrentHashMap<>();
        }
        return waiting;
    }

    public synchronized List<Request> getRequests() {
        return new ArrayList<>(requests);
    }

    @Override
    public String getIconFileName() {
        return "symbol-person";
    }

    @Override
    public String getDisplayName() {
        return "Modelgate approval";
    }

    @Override
    public String getUrlName() {
        return URL;
    }
}
