package io.modelgate.registry.gto;

import java.time.Instant;

/**
 * One annotated GTO tag as GTO indexes it (gto/tag.py {@code index_tag}).
 *
 * @param version for ASSIGN/UNASSIGN the version resolved through {@code target} (or the commit id when no
 *                version is registered there, as GTO does); "" for DEPRECATE
 * @param stage   "" unless ASSIGN/UNASSIGN
 * @param counter the {@code #N} suffix, 0 when absent
 * @param tag     the tag name (without {@code refs/tags/})
 * @param time    the tagger time; GTO orders by it with one-second resolution
 * @param message the annotation, stripped of surrounding whitespace as GTO does; GTO never interprets it
 * @param target  hex id of the object the tag points at (not peeled, like GTO's {@code commit_hexsha})
 */
public record GtoEvent(GtoTag.Kind kind, String artifact, String version, String stage, int counter, String tag,
        Instant time, String taggerName, String taggerEmail, String message, String target) {

    GtoEvent withVersion(String resolved) {
        return new GtoEvent(kind, artifact, resolved, stage, counter, tag, time, taggerName, taggerEmail, message,
                target);
    }
}
