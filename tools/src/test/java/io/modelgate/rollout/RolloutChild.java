package io.modelgate.rollout;

import java.nio.file.Path;

/**
 * A rollout in a process of its own, as {@code canary run} runs one, for tests that kill it with
 * SIGKILL: {@code RolloutChild PLAN STATE_DIR NAME}. Its router is the plan's (HAProxy here), its
 * metrics the router's counters.
 */
public final class RolloutChild {
    private RolloutChild() {
    }

    public static void main(String[] args) {
        RolloutPlan plan = PlanReader.read(Path.of(args[0]));
        try (TrafficRouter router = Routers.forPlan(plan)) {
            RolloutState end = new Rollout(plan, router, (MetricsProvider) router, Judges.forPlan(plan),
                    new StateFile(Path.of(args[1]), args[2]), RolloutOutcomes.NONE, line -> {
                        System.out.println(line);
                        System.out.flush();
                    }).run();
            System.out.println("ended " + end.phase());
        }
    }
}
