package io.modelgate.registry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a version needs before it may enter one stage.
 *
 * @param verdict         the weakest gate verdict accepted: PASS, WARN, or NONE (no verdict needed)
 * @param requireLineage  whether a lineage record must be linked
 * @param requireApprover whether the caller must name an approver
 * @param from            the stages a version may come from; empty allows any, including none
 * @param minTimeInStage  how long the version must have been in its current stage
 * @param approvers       who may approve; empty lists allow anyone but the actor
 */
public record PromotionRule(RequiredVerdict verdict, boolean requireLineage, boolean requireApprover,
                            List<String> from, Duration minTimeInStage, Approvers approvers) {
    public PromotionRule {
        from = List.copyOf(from);
        approvers = approvers == null ? Approvers.ANYONE : approvers; // rules stored before approver lists existed
    }

    public PromotionRule(RequiredVerdict verdict, boolean requireLineage, boolean requireApprover, List<String> from,
                         Duration minTimeInStage) {
        this(verdict, requireLineage, requireApprover, from, minTimeInStage, Approvers.ANYONE);
    }

    public static final PromotionRule NONE = new PromotionRule(RequiredVerdict.NONE, false, false, List.of(), Duration.ZERO);

    /** The weakest verdict a rule accepts. */
    public enum RequiredVerdict { PASS, WARN, NONE }

    /** Whether an approver is needed: asked for, or implied by a list of who may approve. */
    public boolean needsApprover() {
        return requireApprover || !approvers.isAnyone();
    }

    /**
     * The people and groups who may approve a promotion into a stage. Compared without regard to
     * case, as Jenkins' default security realms compare user ids and group names.
     */
    public record Approvers(List<String> users, List<String> groups) {
        public static final Approvers ANYONE = new Approvers(List.of(), List.of());

        public Approvers {
            users = users == null ? List.of() : List.copyOf(users);
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        public boolean isAnyone() {
            return users.isEmpty() && groups.isEmpty();
        }

        public boolean allow(Approver a) {
            if (isAnyone()) {
                return true;
            }
            String name = a.name().toLowerCase(Locale.ROOT);
            if (users.stream().anyMatch(u -> u.toLowerCase(Locale.ROOT).equals(name))) {
                return true;
            }
            return a.groups().stream().map(g -> g.toLowerCase(Locale.ROOT))
                    .anyMatch(g -> groups.stream().anyMatch(allowed -> allowed.toLowerCase(Locale.ROOT).equals(g)));
        }

        public String describe() {
            return (users.isEmpty() ? "" : "users " + String.join(", ", users))
                    + (users.isEmpty() || groups.isEmpty() ? "" : "; ")
                    + (groups.isEmpty() ? "" : "groups " + String.join(", ", groups));
        }
    }
}
