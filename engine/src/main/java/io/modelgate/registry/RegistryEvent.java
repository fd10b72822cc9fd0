package io.modelgate.registry;

import java.time.Instant;
import java.util.List;

/**
 * One audited change, stored in the commit that made it; the history of a model is the list of
 * its events, and replaying them must give its current stages and aliases.
 *
 * @param seq       1 for the model's first event, then one more for each
 * @param type      what happened
 * @param model     the model
 * @param version   the version it concerns (for a rollback: the version put back)
 * @param stage     the target stage (promote, rollback), or empty
 * @param fromStage the stage the version left, or empty
 * @param displaced versions moved out of the stage to the archive (for a rollback: the rolled-back one)
 * @param alias     the alias (alias-set, alias-remove), or empty
 * @param actor     who did it
 * @param approver  who approved it, or empty
 * @param reason    why, or empty
 * @param at        when
 * @param build     the build that did it
 * @param digest    attach-verdict: the SHA-256 of the verdict record it adds, so a verdict written
 *                  into a version's file any other way shows in {@code verify}; else empty
 * @param tags      tag-set: the tags set; tag-unset: the names removed (values empty); else empty.
 *                  With an empty {@code version} they are the model's, else the version's
 */
public record RegistryEvent(long seq, EventType type, String model, String version, String stage, String fromStage,
                            List<String> displaced, String alias, String actor, String approver, String reason,
                            Instant at, BuildInfo build, String digest, java.util.Map<String, String> tags) {
    public RegistryEvent {
        displaced = List.copyOf(displaced);
        digest = digest == null ? "" : digest; // events written before verdicts were digested
        tags = tags == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
    }

    public RegistryEvent(long seq, EventType type, String model, String version, String stage, String fromStage,
                         List<String> displaced, String alias, String actor, String approver, String reason,
                         Instant at, BuildInfo build, String digest) {
        this(seq, type, model, version, stage, fromStage, displaced, alias, actor, approver, reason, at, build, digest,
                java.util.Map.of());
    }

    public RegistryEvent(long seq, EventType type, String model, String version, String stage, String fromStage,
                         List<String> displaced, String alias, String actor, String approver, String reason,
                         Instant at, BuildInfo build) {
        this(seq, type, model, version, stage, fromStage, displaced, alias, actor, approver, reason, at, build, "");
    }

    private String subject() {
        return version.isEmpty() ? model : model + "@" + version;
    }

    /** One line for logs and commit subjects. */
    public String describe() {
        return switch (type) {
            case REGISTER -> "register " + model + "@" + version;
            case PROMOTE -> "promote " + model + "@" + version + " to " + stage
                    + (fromStage.isEmpty() ? "" : " from " + fromStage)
                    + (displaced.isEmpty() ? "" : " (archived " + String.join(", ", displaced) + ")");
            case ARCHIVE -> "archive " + model + "@" + version + (fromStage.isEmpty() ? "" : " from " + fromStage);
            case ROLLBACK -> "roll back " + model + " " + stage + " from " + String.join(", ", displaced) + " to " + version;
            case ALIAS_SET -> "set alias " + model + "@" + alias + " -> " + version;
            case ALIAS_REMOVE -> "remove alias " + model + "@" + alias + " (was " + version + ")";
            case ATTACH_VERDICT -> "attach verdict to " + model + "@" + version;
            case LINK_LINEAGE -> "link lineage to " + model + "@" + version;
            case REJECT -> "reject " + model + "@" + version;
            case OVERRIDE_REJECT -> "override the rejection of " + model + "@" + version;
            case TAG_SET -> "tag " + subject() + " " + String.join(", ", tags.entrySet().stream()
                    .map(t -> t.getKey() + "=" + t.getValue()).toList());
            case TAG_UNSET -> "untag " + subject() + " " + String.join(", ", tags.keySet());
            case DESCRIBE -> "describe " + subject();
            case DEREGISTER -> "deregister " + model + "@" + version
                    + (fromStage.isEmpty() ? "" : " (left " + fromStage + ")");
            case DEPRECATE -> "deprecate " + model;
            case ACCEPT_REWRITE -> "accept the rewritten history of " + model;
        };
    }
}
