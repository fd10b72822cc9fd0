package io.modelgate.registry;

import java.time.Duration;
import java.util.List;

/**
 * What a version needs before it may enter one stage.
 *
 * @param verdict         the weakest gate verdict accepted: PASS, WARN, or NONE (no verdict needed)
 * @param requireLineage  whether a lineage record must be linked
 * @param requireApprover whether the caller must name an approver
 * @param from            the stages a version may come from; empty allows any, including none
 * @param minTimeInStage  how long the version must have been in its current stage
 */
public record PromotionRule(RequiredVerdict verdict, boolean requireLineage, boolean requireApprover,
                            List<String> from, Duration minTimeInStage) {
    public PromotionRule {
        from = List.copyOf(from);
    }

    public static final PromotionRule NONE = new PromotionRule(RequiredVerdict.NONE, false, false, List.of(), Duration.ZERO);

    /** The weakest verdict a rule accepts. */
    public enum RequiredVerdict { PASS, WARN, NONE }
}
