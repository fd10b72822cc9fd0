package io.modelgate.rollout;

import io.modelgate.registry.Actor;
import io.modelgate.registry.Decision;
import io.modelgate.registry.Registry;

import java.time.Instant;
import java.util.function.Function;

/**
 * The end of a rollout, recorded in the model registry: a promotion moves the plan's stage (through
 * its promotion rules) or alias to the canary; a rollback marks the canary's version rejected with
 * the reason and leaves stages and aliases untouched. Both are audited events.
 */
public final class RegistryOutcomes implements RolloutOutcomes {
    private final Registry registry;
    private final Function<Instant, Actor> actor;

    public RegistryOutcomes(Registry registry, Function<Instant, Actor> actor) {
        this.registry = registry;
        this.actor = actor;
    }

    /**
     * Fails fast, before any traffic moves, when the plan names a version the registry does not have,
     * or one whose rejection stands (a rolled-back version is not given traffic again by re-running
     * its plan). {@code overrideReject}, when not blank, first sets such a rejection aside as an
     * audited registry event.
     */
    public void check(RolloutPlan plan, String overrideReject) {
        if (plan.model().isEmpty()) {
            return;
        }
        if (plan.version().isEmpty()) {
            throw new RolloutException(plan.source() + ": canary_version: required with model");
        }
        if (registry.version(plan.model(), plan.version()).standingRejection().isPresent() && !overrideReject.isBlank()) {
            registry.overrideReject(plan.model(), plan.version(), overrideReject, actor.apply(Instant.now()));
        }
        var v = registry.version(plan.model(), plan.version());
        v.standingRejection().ifPresent(r -> {
            throw new RolloutException(plan.source() + ": " + v.ref() + " was rejected (" + r.reason() + ") by " + r.by()
                    + " at " + r.at() + "; it is canaried again only with --override-reject REASON, which is audited");
        });
    }

    public void check(RolloutPlan plan) {
        check(plan, "");
    }

    @Override
    public String promoted(RolloutPlan plan, String reason) {
        if (plan.model().isEmpty()) {
            return "no registry model in the plan";
        }
        if (plan.promoteTo().isEmpty()) {
            return "no promote_to in the plan, stages unchanged";
        }
        Actor who = actor.apply(Instant.now());
        String target = plan.promoteTo();
        Registry.Outcome o = registry.config().isStage(target)
                ? registry.promote(plan.model(), plan.version(), target, "", "canary passed: " + reason, who)
                : registry.setAlias(plan.model(), target, plan.version(), who);
        Decision d = o.decision();
        if (d instanceof Decision.Change c) {
            return c.event().describe();
        }
        if (d instanceof Decision.Refusal r) {
            return "the registry refused to " + r.request() + ": " + String.join("; ", r.unmet());
        }
        return ((Decision.Unchanged) d).message();
    }

    @Override
    public String rolledBack(RolloutPlan plan, String reason) {
        if (plan.model().isEmpty()) {
            return "no registry model in the plan";
        }
        Registry.Outcome o = registry.reject(plan.model(), plan.version(), "canary rolled back: " + reason,
                actor.apply(Instant.now()));
        return o.applied() ? "marked " + plan.model() + "@" + plan.version() + " rejected" : "unchanged";
    }
}
