package io.modelgate.jenkins;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * canaryRollout: minutes to hours of shifting traffic, so it runs on a thread of its own (never the
 * CPS thread) and survives a controller restart. The rollout's state is the engine's, persisted
 * after every step in the workspace or the registry; on resume this execution runs the step again,
 * and the engine's {@code canary run} goes on from that state: it continues a running rollout, or
 * reports the one that ended (rolled back when the restart cut the agent's run).
 * Aborting the build rolls the canary back first, as the shared library's step does.
 */
final class CanaryRolloutExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(CanaryRolloutExecution.class.getName());
    /** The threads of the steps that outlast a request or the CPS thread: rollouts, approved promotions. */
    static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "Modelgate step");
        t.setDaemon(true);
        return t;
    });

    private final LinkedHashMap<String, Object> params;
    private transient volatile Future<?> task;
    private transient volatile Throwable stopCause;

    CanaryRolloutExecution(StepContext context, LinkedHashMap<String, Object> params) {
        super(context);
        this.params = params;
    }

    @Override
    public boolean start() {
        launch(false);
        return false;
    }

    @Override
    public void onResume() {
        launch(true);
    }

    private void launch(boolean resumed) {
        StepContext context = getContext();
        task = THREADS.submit(() -> {
            try {
                StepRuns.Context c = ModelgateExecution.context(context);
                if (resumed) {
                    c.listener().getLogger().println("Modelgate: Jenkins restarted during the rollout; "
                            + "going on from its saved state");
                }
                Map<String, Object> value = StepRuns.perform(c, "canaryRollout", params, true);
                context.onSuccess(value);
            } catch (Throwable x) {
                if (stopCause == null) {
                    context.onFailure(x);
                } else {
                    stopCause.addSuppressed(x);
                }
            }
        });
    }

    /** The build was aborted: stop the run, then roll the canary back on the agent before failing the step. */
    @Override
    public void stop(Throwable cause) throws Exception {
        stopCause = cause;
        Future<?> running = task;
        if (running != null) {
            running.cancel(true);
        }
        StepContext context = getContext();
        THREADS.submit(() -> {
            try {
                StepRuns.Context c = ModelgateExecution.context(context);
                c.listener().getLogger().println("Modelgate: the build was aborted; rolling the canary back");
                LinkedHashMap<String, Object> abort = new LinkedHashMap<>(params);
                abort.put("abort", true);
                abort.put("reason", "the Jenkins build was aborted");
                StepRuns.perform(c, "canaryRollout", abort, false);
            } catch (Throwable x) {
                LOGGER.log(Level.WARNING, "could not roll the canary back after the build was aborted", x);
                cause.addSuppressed(x);
            } finally {
                context.onFailure(cause);
            }
        });
    }

    @Override
    public String getStatus() {
        Future<?> running = task;
        return running == null ? "not running" : running.isDone() ? "finished" : "rolling out";
    }
}
