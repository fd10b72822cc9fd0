package io.modelgate.registry;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One registered version of a model. Immutable; a change makes a new value.
 *
 * @param model       the model's name
 * @param version     SemVer with a leading v, e.g. {@code v1.4.0}
 * @param artifact    the artifact and its digest
 * @param createdAt   when it was registered
 * @param createdBy   who registered it
 * @param build       the build that registered it
 * @param description free text
 * @param tags        free key/value tags
 * @param stage       the stage it is in, or empty
 * @param stageSince  when it entered that stage (its creation time when it has none)
 * @param verdicts    gate verdicts recorded for it, oldest first
 * @param lineage     lineage record ids linked to it
 * @param rejections  rollbacks of it, oldest first
 */
public record ModelVersion(String model, String version, Artifact artifact, Instant createdAt, String createdBy,
                           BuildInfo build, String description, Map<String, String> tags, String stage,
                           Instant stageSince, List<VerdictRecord> verdicts, List<String> lineage,
                           List<Rejection> rejections) {
    public ModelVersion {
        tags = Map.copyOf(tags);
        verdicts = List.copyOf(verdicts);
        lineage = List.copyOf(lineage);
        rejections = List.copyOf(rejections);
    }

    public Optional<String> currentStage() {
        return stage.isEmpty() ? Optional.empty() : Optional.of(stage);
    }

    /** The newest verdict that judged this version's artifact (same digest). */
    public Optional<VerdictRecord> latestVerdict() {
        for (int i = verdicts.size() - 1; i >= 0; i--) {
            if (verdicts.get(i).artifactSha256().equals(artifact.sha256())) {
                return Optional.of(verdicts.get(i));
            }
        }
        return Optional.empty();
    }

    /** The rejection that keeps this version out of stages and canaries, if one stands. */
    public Optional<Rejection> standingRejection() {
        return rejections.isEmpty() || !rejections.get(rejections.size() - 1).standing()
                ? Optional.empty() : Optional.of(rejections.get(rejections.size() - 1));
    }

    public String ref() {
        return model + "@" + version;
    }

    ModelVersion inStage(String newStage, Instant since) {
        return new ModelVersion(model, version, artifact, createdAt, createdBy, build, description, tags, newStage,
                since, verdicts, lineage, rejections);
    }

    ModelVersion withVerdict(VerdictRecord verdict) {
        var all = new java.util.ArrayList<>(verdicts);
        all.add(verdict);
        return new ModelVersion(model, version, artifact, createdAt, createdBy, build, description, tags, stage,
                stageSince, all, lineage, rejections);
    }

    ModelVersion withLineage(String id) {
        var all = new java.util.ArrayList<>(lineage);
        if (!all.contains(id)) {
            all.add(id);
        }
        return new ModelVersion(model, version, artifact, createdAt, createdBy, build, description, tags, stage,
                stageSince, verdicts, all, rejections);
    }

    ModelVersion withTags(Map<String, String> newTags) {
        return new ModelVersion(model, version, artifact, createdAt, createdBy, build, description, newTags, stage,
                stageSince, verdicts, lineage, rejections);
    }

    ModelVersion withDescription(String text) {
        return new ModelVersion(model, version, artifact, createdAt, createdBy, build, text, tags, stage,
                stageSince, verdicts, lineage, rejections);
    }

    ModelVersion withOverride(Rejection.Override o) {
        var all = new java.util.ArrayList<>(rejections);
        all.set(all.size() - 1, all.get(all.size() - 1).overridden(o));
        return withRejections(all);
    }

    ModelVersion rejected(Rejection rejection) {
        var all = new java.util.ArrayList<>(rejections);
        all.add(rejection);
        return withRejections(all);
    }

    private ModelVersion withRejections(List<Rejection> all) {
        return new ModelVersion(model, version, artifact, createdAt, createdBy, build, description, tags, stage,
                stageSince, verdicts, lineage, all);
    }
}
