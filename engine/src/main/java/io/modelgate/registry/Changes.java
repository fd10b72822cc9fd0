package io.modelgate.registry;

import io.modelgate.common.Durations;
import io.modelgate.common.SemVer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's rules as pure functions: a state, the versions concerned and a request in; a
 * {@link Decision} out. No I/O, so every rule is tested without a repository.
 */
final class Changes {
    private Changes() {
    }

    static void checkStage(RegistryConfig config, String stage) {
        if (!config.isStage(stage)) {
            throw new RegistryException("unknown stage '" + stage + "'; stages: " + String.join(", ", config.allStages()));
        }
    }

    static String nextVersion(ModelState state, String requested, String bump) {
        if (!requested.isEmpty()) {
            RegistryInputs.version(requested);
            return requested;
        }
        if (state.latest().isEmpty()) {
            return "v0.0.1";
        }
        // The bumped part goes up, the ones after it go to 0, and pre-release and build metadata are dropped:
        // after v1.4.0-rc.2 a patch bump gives v1.4.1 (always above the latest, never a second v1.4.0).
        SemVer latest = SemVer.parse(state.latest());
        return (switch (bump) {
            case "major" -> latest.nextMajor();
            case "minor" -> latest.nextMinor();
            case "patch" -> latest.nextPatch();
            default -> throw new RegistryException("--bump: expected major, minor or patch, found '" + bump + "'");
        }).toString();
    }

    static Decision register(ModelState state, ModelVersion version, Actor actor) {
        RegistryEvent e = event(state, EventType.REGISTER, version.version(), "", "", List.of(), "", actor, "",
                version.description());
        return new Decision.Change(state.apply(e), List.of(version), e);
    }

    static Decision promote(RegistryConfig config, ModelState state, ModelVersion v, Map<String, ModelVersion> holders,
                            String stage, Approver approver, String reason, Actor actor) {
        checkStage(config, stage);
        String from = v.stage();
        if (stage.equals(from)) {
            return new Decision.Unchanged(v.ref() + " is already in " + stage);
        }
        if (stage.equals(config.archive())) {
            RegistryEvent e = event(state, EventType.ARCHIVE, v.version(), stage, from, List.of(), "", actor, approver.name(),
                    reason);
            return new Decision.Change(state.apply(e), List.of(v.inStage(stage, actor.at())), e);
        }
        List<String> unmet = new ArrayList<>(unmetRules(config.rule(stage), v, stage, approver, actor));
        retired(state, v.version()).ifPresent(r -> unmet.add(0, r));
        if (!unmet.isEmpty()) {
            return new Decision.Refusal("promote " + v.ref() + " to " + stage, unmet);
        }
        List<String> current = state.holders(stage);
        int capacity = config.capacity(stage);
        List<String> displaced = new ArrayList<>();
        if (capacity > 0) {
            for (int i = current.size() - 1; i >= 0 && current.size() - displaced.size() >= capacity; i--) {
                displaced.add(current.get(i));
            }
        }
        List<ModelVersion> changed = new ArrayList<>();
        changed.add(v.inStage(stage, actor.at()));
        for (String d : displaced) {
            changed.add(holder(holders, d, v.model()).inStage(config.archive(), actor.at()));
        }
        RegistryEvent e = event(state, EventType.PROMOTE, v.version(), stage, from, displaced, "", actor, approver.name(),
                reason);
        return new Decision.Change(state.apply(e), changed, e);
    }

    /** Every rule of the target stage the version does not meet, as sentences. */
    static List<String> unmetRules(PromotionRule rule, ModelVersion v, String stage, Approver approver, Actor actor) {
        java.time.Instant now = actor.at();
        List<String> unmet = new ArrayList<>();
        Optional<VerdictRecord> verdict = v.latestVerdict();
        switch (rule.verdict()) {
            case PASS, WARN -> {
                String need = rule.verdict() == PromotionRule.RequiredVerdict.PASS ? "PASS" : "PASS or WARN";
                if (verdict.isEmpty()) {
                    unmet.add(stage + " needs a " + need + " verdict from the gate for this artifact (sha256 "
                            + shortDigest(v) + "); " + v.ref() + " has none: run validate with --register");
                } else if (!accepted(rule.verdict(), verdict.get().status())) {
                    unmet.add(stage + " needs a " + need + " verdict; the latest for this artifact is "
                            + verdict.get().status() + ": " + verdict.get().summary());
                }
            }
            case NONE -> {
            }
        }
        v.standingRejection().ifPresent(r -> unmet.add(rejectedSentence(v, r)));
        if (rule.requireLineage() && v.lineage().isEmpty()) {
            unmet.add(stage + " needs a lineage record; " + v.ref() + " has none: record one with lineage record --model");
        }
        if (approver.present() && approver.name().equalsIgnoreCase(actor.name())) {
            // Four eyes: whoever asks for a promotion cannot also be the one who approves it.
            unmet.add(approver.name() + " cannot approve their own promotion; another person must approve");
        } else if (rule.needsApprover() && !approver.present()) {
            unmet.add(stage + " needs a named approver (--approver)"
                    + (rule.approvers().isAnyone() ? "" : ": one of " + rule.approvers().describe()));
        } else if (approver.present() && !rule.approvers().allow(approver)) {
            unmet.add(approver.name() + " may not approve promotions to " + stage + "; approvers: "
                    + rule.approvers().describe());
        }
        if (!rule.from().isEmpty() && !rule.from().contains(v.stage())) {
            unmet.add(stage + " takes versions from " + String.join(" or ", rule.from()) + " only; " + v.ref() + " is "
                    + (v.stage().isEmpty() ? "in no stage" : "in " + v.stage()));
        }
        if (!rule.minTimeInStage().isZero()) {
            Duration spent = Duration.between(v.stageSince(), now);
            if (spent.compareTo(rule.minTimeInStage()) < 0) {
                unmet.add(stage + " needs " + Durations.format(rule.minTimeInStage()) + " in "
                        + (v.stage().isEmpty() ? "the previous stage" : v.stage()) + "; " + v.ref() + " has been there "
                        + Durations.format(spent));
            }
        }
        return unmet;
    }

    /**
     * Why {@code target} may not be put back into {@code stage} by a rollback. A rollback skips the
     * promotion rules because it restores what held the stage before, so it takes only that: an
     * earlier holder that left the stage by being displaced (not rolled back), whose rejection does not
     * stand and whose newest verdict still meets the stage's rule. Anything else is a promotion.
     */
    private static List<String> rollbackUnmet(RegistryConfig config, ModelState state, String stage, ModelVersion target) {
        List<String> unmet = new ArrayList<>();
        if (!state.previous().getOrDefault(stage, List.of()).contains(target.version())) {
            unmet.add(target.ref() + " is not an earlier holder of " + stage + " (a rollback restores one of the last "
                    + ModelState.PREVIOUS_KEPT + " versions displaced from it, never one rolled back from it); use promote, "
                    + "which applies " + stage + "'s rules");
        }
        target.standingRejection().ifPresent(r -> unmet.add(rejectedSentence(target, r)));
        retired(state, target.version()).ifPresent(unmet::add);
        PromotionRule.RequiredVerdict needed = config.rule(stage).verdict();
        Optional<VerdictRecord> verdict = target.latestVerdict();
        if (needed != PromotionRule.RequiredVerdict.NONE
                && (verdict.isEmpty() || !accepted(needed, verdict.get().status()))) {
            unmet.add(stage + " needs a " + (needed == PromotionRule.RequiredVerdict.PASS ? "PASS" : "PASS or WARN")
                    + " verdict; the latest for " + target.ref() + " is "
                    + verdict.map(VerdictRecord::status).orElse("missing"));
        }
        return unmet;
    }

    private static String rejectedSentence(ModelVersion v, Rejection r) {
        return v.ref() + " was rejected (" + r.reason() + ") by " + r.by() + " at " + r.at()
                + "; it enters a stage or a canary again only with --override-reject REASON, which is audited";
    }

    private static boolean accepted(PromotionRule.RequiredVerdict needed, String status) {
        return switch (needed) {
            case PASS -> status.equals("PASS");
            case WARN -> status.equals("PASS") || status.equals("WARN");
            case NONE -> true;
        };
    }

    static Decision rollback(RegistryConfig config, ModelState state, String stage, Optional<ModelVersion> to,
                             Map<String, ModelVersion> versions, String reason, Actor actor) {
        checkStage(config, stage);
        if (stage.equals(config.archive())) {
            throw new RegistryException("cannot roll back the archive stage '" + stage + "'");
        }
        if (reason.isBlank()) {
            throw new RegistryException("a rollback needs a reason (--reason)");
        }
        List<String> holders = state.holders(stage);
        if (holders.isEmpty()) {
            throw new RegistryException(state.model() + " has no version in " + stage + " to roll back");
        }
        String current = holders.get(0);
        ModelVersion target;
        if (to.isPresent()) {
            target = to.get();
            if (target.version().equals(current)) {
                throw new RegistryException(target.ref() + " is the version in " + stage + "; name another with --to");
            }
            List<String> unmet = rollbackUnmet(config, state, stage, target);
            if (!unmet.isEmpty()) {
                return new Decision.Refusal("roll " + state.model() + " " + stage + " back to " + target.version(), unmet);
            }
        } else {
            List<String> why = new ArrayList<>();
            target = null;
            for (String p : state.previous().getOrDefault(stage, List.of())) {
                ModelVersion candidate = versions.get(p);
                if (p.equals(current) || candidate == null) {
                    continue;
                }
                List<String> unmet = rollbackUnmet(config, state, stage, candidate);
                if (unmet.isEmpty()) {
                    target = candidate;
                    break;
                }
                why.addAll(unmet);
            }
            if (target == null) {
                return new Decision.Refusal("roll " + state.model() + " " + stage + " back", why.isEmpty()
                        ? List.of("no earlier version of " + state.model() + " held " + stage
                                + " without being rolled back from it; promote a version instead, under " + stage + "'s rules")
                        : why);
            }
        }
        ModelVersion rolledBack = holder(versions, current, state.model())
                .rejected(new Rejection(reason, actor.name(), actor.at()))
                .inStage(config.archive(), actor.at());
        RegistryEvent e = event(state, EventType.ROLLBACK, target.version(), stage, target.stage(), List.of(current), "",
                actor, "", reason);
        return new Decision.Change(state.apply(e), List.of(target.inStage(stage, actor.at()), rolledBack), e);
    }

    static Decision setAlias(RegistryConfig config, ModelState state, String alias, ModelVersion v, Actor actor) {
        checkAlias(config, alias);
        if (v.version().equals(state.aliases().get(alias))) {
            return new Decision.Unchanged(v.model() + "@" + alias + " already points to " + v.version());
        }
        RegistryEvent e = event(state, EventType.ALIAS_SET, v.version(), "", "", List.of(), alias, actor, "", "");
        return new Decision.Change(state.apply(e), List.of(), e);
    }

    static Decision removeAlias(ModelState state, String alias, Actor actor) {
        String version = state.aliases().get(alias);
        if (version == null) {
            throw new RegistryException(state.model() + " has no alias '" + alias + "'"
                    + (state.aliases().isEmpty() ? "" : "; aliases: " + String.join(", ", state.aliases().keySet())));
        }
        RegistryEvent e = event(state, EventType.ALIAS_REMOVE, version, "", "", List.of(), alias, actor, "", "");
        return new Decision.Change(state.apply(e), List.of(), e);
    }

    static Decision attachVerdict(ModelState state, ModelVersion v, VerdictRecord verdict, String digest, Actor actor) {
        if (!verdict.artifactSha256().equals(v.artifact().sha256())) {
            throw new RegistryException("the verdict judged an artifact with sha256 " + verdict.artifactSha256()
                    + ", but " + v.ref() + " is " + v.artifact().sha256());
        }
        RegistryEvent base = event(state, EventType.ATTACH_VERDICT, v.version(), "", "", List.of(), "", actor, "",
                verdict.summary());
        RegistryEvent e = new RegistryEvent(base.seq(), base.type(), base.model(), base.version(), "", "", List.of(), "",
                base.actor(), "", base.reason(), base.at(), base.build(), digest);
        return new Decision.Change(state.apply(e), List.of(v.withVerdict(verdict)), e);
    }

    static Decision linkLineage(ModelState state, ModelVersion v, String lineageId, Actor actor) {
        if (v.lineage().contains(lineageId)) {
            return new Decision.Unchanged(v.ref() + " already links lineage " + lineageId);
        }
        RegistryEvent e = event(state, EventType.LINK_LINEAGE, v.version(), "", "", List.of(), "", actor, "", lineageId);
        return new Decision.Change(state.apply(e), List.of(v.withLineage(lineageId)), e);
    }

    static Decision reject(ModelState state, ModelVersion v, String reason, Actor actor) {
        if (reason.isBlank()) {
            throw new RegistryException("rejecting a version needs a reason");
        }
        RegistryEvent e = event(state, EventType.REJECT, v.version(), "", "", List.of(), "", actor, "", reason);
        return new Decision.Change(state.apply(e), List.of(v.rejected(new Rejection(reason, actor.name(), actor.at()))), e);
    }

    static Decision overrideReject(ModelState state, ModelVersion v, String reason, Actor actor) {
        if (reason.isBlank()) {
            throw new RegistryException("overriding a rejection needs a reason (--override-reject REASON)");
        }
        if (v.standingRejection().isEmpty()) {
            return new Decision.Unchanged(v.ref() + " has no standing rejection to override");
        }
        RegistryEvent e = event(state, EventType.OVERRIDE_REJECT, v.version(), "", "", List.of(), "", actor, "", reason);
        return new Decision.Change(state.apply(e), List.of(v.withOverride(new Rejection.Override(reason, actor.name(),
                actor.at()))), e);
    }

    /** Sets or removes tags of the model ({@code v} empty) or of one version; unchanged when nothing would change. */
    static Decision tags(ModelState state, Optional<ModelVersion> v, Map<String, String> tags, boolean set, Actor actor) {
        if (tags.isEmpty()) {
            throw new RegistryException("name at least one tag (" + (set ? "KEY=VALUE" : "KEY") + ")");
        }
        Map<String, String> current = v.map(ModelVersion::tags).orElse(state.tags());
        Map<String, String> next = new java.util.TreeMap<>(current);
        if (set) {
            next.putAll(tags);
        } else {
            List<String> missing = tags.keySet().stream().filter(k -> !current.containsKey(k)).sorted().toList();
            if (!missing.isEmpty()) {
                throw new RegistryException(v.map(ModelVersion::ref).orElse(state.model()) + " has no tag "
                        + String.join(", ", missing) + (current.isEmpty() ? "" : "; tags: " + String.join(", ",
                        new java.util.TreeSet<>(current.keySet()))));
            }
            tags.keySet().forEach(next::remove);
        }
        if (next.equals(new java.util.TreeMap<>(current))) {
            return new Decision.Unchanged(v.map(ModelVersion::ref).orElse(state.model()) + " already has these tags");
        }
        Map<String, String> recorded = new java.util.TreeMap<>();
        tags.forEach((k, val) -> recorded.put(k, set ? val : ""));
        RegistryEvent base = event(state, set ? EventType.TAG_SET : EventType.TAG_UNSET,
                v.map(ModelVersion::version).orElse(""), "", "", List.of(), "", actor, "", "");
        RegistryEvent e = withTags(base, recorded);
        return new Decision.Change(state.apply(e), v.map(x -> List.of(x.withTags(next))).orElse(List.of()), e);
    }

    static Decision describe(ModelState state, Optional<ModelVersion> v, String description, Actor actor) {
        String current = v.map(ModelVersion::description).orElse(state.description());
        if (current.equals(description)) {
            return new Decision.Unchanged(v.map(ModelVersion::ref).orElse(state.model()) + " already has this description");
        }
        RegistryEvent e = event(state, EventType.DESCRIBE, v.map(ModelVersion::version).orElse(""), "", "", List.of(), "",
                actor, "", description);
        return new Decision.Change(state.apply(e), v.map(x -> List.of(x.withDescription(description))).orElse(List.of()), e);
    }

    /** Records that the model's history was taken as a remote rewrote it: who accepted it, and why. */
    static Decision acceptRewrite(ModelState state, String reason, Actor actor) {
        RegistryEvent e = event(state, EventType.ACCEPT_REWRITE, "", "", "", List.of(), "", actor, "", reason);
        return new Decision.Change(state.apply(e), List.of(), e);
    }

    /** Takes a version out of every stage and alias for good: it is never promoted or canaried again. */
    static Decision deregister(ModelState state, ModelVersion v, String reason, Actor actor) {
        if (state.deregistered().contains(v.version())) {
            return new Decision.Unchanged(v.ref() + " is deregistered already");
        }
        if (reason.isBlank()) {
            throw new RegistryException("deregistering a version needs a reason (--reason)");
        }
        String from = state.stageOf(v.version()).orElse("");
        RegistryEvent e = event(state, EventType.DEREGISTER, v.version(), "", from, List.of(), "", actor, "", reason);
        return new Decision.Change(state.apply(e), from.isEmpty() ? List.of() : List.of(v.inStage("", actor.at())), e);
    }

    /** Retires the whole model: every holder of a stage goes to the archive; nothing is registered or promoted again. */
    static Decision deprecate(RegistryConfig config, ModelState state, Map<String, ModelVersion> holders, String reason,
                              Actor actor) {
        if (state.deprecated()) {
            return new Decision.Unchanged(state.model() + " is deprecated already");
        }
        if (reason.isBlank()) {
            throw new RegistryException("deprecating a model needs a reason (--reason)");
        }
        List<String> displaced = state.stages().values().stream().flatMap(List::stream).distinct().toList();
        List<ModelVersion> changed = new ArrayList<>();
        for (String d : displaced) {
            changed.add(holder(holders, d, state.model()).inStage(config.archive(), actor.at()));
        }
        RegistryEvent e = event(state, EventType.DEPRECATE, "", "", "", displaced, "", actor, "", reason);
        return new Decision.Change(state.apply(e), changed, e);
    }

    /** Why nothing may enter a stage of this model, or this version: deprecated, or deregistered. */
    static Optional<String> retired(ModelState state, String version) {
        if (state.deprecated()) {
            return Optional.of(state.model() + " is deprecated; nothing of it is registered or promoted any more");
        }
        if (state.deregistered().contains(version)) {
            return Optional.of(state.model() + "@" + version + " was deregistered; it is never promoted again");
        }
        return Optional.empty();
    }

    private static RegistryEvent withTags(RegistryEvent b, Map<String, String> tags) {
        return new RegistryEvent(b.seq(), b.type(), b.model(), b.version(), b.stage(), b.fromStage(), b.displaced(),
                b.alias(), b.actor(), b.approver(), b.reason(), b.at(), b.build(), b.digest(), tags);
    }

    private static void checkAlias(RegistryConfig config, String alias) {
        RegistryInputs.alias(alias);
        if (config.isStage(alias) || alias.equals("latest")) {
            throw new RegistryException("alias '" + alias + "' is a stage name or 'latest'; choose another name");
        }
    }

    private static ModelVersion holder(Map<String, ModelVersion> versions, String version, String model) {
        ModelVersion v = versions.get(version);
        if (v == null) {
            throw new RegistryException("registry inconsistent: " + model + "@" + version + " holds a stage but has no record;"
                    + " run registry verify");
        }
        return v;
    }

    private static String shortDigest(ModelVersion v) {
        return v.artifact().sha256().substring(0, Math.min(12, v.artifact().sha256().length()));
    }

    private static RegistryEvent event(ModelState state, EventType type, String version, String stage, String from,
                                       List<String> displaced, String alias, Actor actor, String approver, String reason) {
        return new RegistryEvent(state.seq() + 1, type, state.model(), version, stage, from, displaced, alias,
                actor.name(), approver, reason, actor.at(), actor.build());
    }
}
