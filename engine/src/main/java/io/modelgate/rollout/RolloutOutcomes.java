package io.modelgate.rollout;

/**
 * What the end of a rollout does outside the traffic: record it in the model registry, or nothing
 * when the plan names no model.
 */
public interface RolloutOutcomes {
    /** The canary won: move the plan's stage or alias to it. Returns a sentence for the report. */
    String promoted(RolloutPlan plan, String reason);

    /** The canary lost: mark its version rejected, leaving stages and aliases as they are. */
    String rolledBack(RolloutPlan plan, String reason);

    RolloutOutcomes NONE = new RolloutOutcomes() {
        @Override
        public String promoted(RolloutPlan plan, String reason) {
            return "no registry model in the plan";
        }

        @Override
        public String rolledBack(RolloutPlan plan, String reason) {
            return "no registry model in the plan";
        }
    };
}
