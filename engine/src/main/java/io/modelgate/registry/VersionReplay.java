package io.modelgate.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Whether the version records one commit changed are exactly what its event says, and changed
 * only as that event changes them: a promotion moves stages, an attach-verdict adds one verdict for
 * the version's own artifact (whose digest the event records), a rejection adds one rejection.
 * Anything else (a verdict written into a version's file, a digest swapped, a version removed) was
 * done outside the registry. Pure: the records in, problems out, so every case is tested directly.
 */
final class VersionReplay {
    private VersionReplay() {
    }

    /** A version file before and after the commit; {@code before} or {@code after} is null when absent. */
    record Change(ModelVersion before, ModelVersion after) {
    }

    /**
     * @param where   names the commit in each problem
     * @param changes the changed {@code versions/} files, by version
     * @param json    to recompute a verdict's digest as its event recorded it
     */
    static List<String> check(String where, RegistryEvent e, Map<String, Change> changes, String archive, RegistryJson json) {
        List<String> problems = new ArrayList<>();
        Set<String> allowed = new HashSet<>();
        switch (e.type()) {
            case REGISTER, ARCHIVE, ATTACH_VERDICT, LINK_LINEAGE, REJECT, OVERRIDE_REJECT, DEREGISTER -> allowed.add(e.version());
            case TAG_SET, TAG_UNSET, DESCRIBE -> {
                if (!e.version().isEmpty()) {
                    allowed.add(e.version());
                }
            }
            case DEPRECATE -> allowed.addAll(e.displaced());
            case ACCEPT_REWRITE -> {
                // changes no version: it records that the history below it was taken as the remote had it
            }
            case PROMOTE, ROLLBACK -> {
                allowed.add(e.version());
                allowed.addAll(e.displaced());
            }
            case ALIAS_SET, ALIAS_REMOVE -> {
            }
        }
        for (var c : changes.entrySet()) {
            String v = c.getKey();
            if (!allowed.contains(v)) {
                problems.add(where + " (" + e.describe() + ") also changes the record of " + v
                        + ", which its event does not concern; it was changed outside the registry");
                continue;
            }
            if (c.getValue().after() == null) {
                problems.add(where + " removes the record of " + e.model() + "@" + v + "; the registry never removes one");
                continue;
            }
            ModelVersion before = c.getValue().before();
            ModelVersion after = c.getValue().after();
            if (!after.model().equals(e.model()) || !after.version().equals(v)) {
                problems.add(where + ": the record in " + v + ".json is of " + after.ref());
                continue;
            }
            if (before == null) {
                if (e.type() != EventType.REGISTER) {
                    problems.add(where + " (" + e.describe() + ") adds a record for " + after.ref()
                            + " without registering it");
                } else if (!after.verdicts().isEmpty() || !after.rejections().isEmpty() || !after.lineage().isEmpty()) {
                    problems.add(where + " registers " + after.ref() + " with verdicts, rejections or lineage already in it");
                }
                continue;
            }
            problems.addAll(changed(where, e, before, after, archive, json));
        }
        if (e.type() == EventType.REGISTER && !changes.containsKey(e.version())) {
            problems.add(where + " (" + e.describe() + ") writes no record for " + e.model() + "@" + e.version());
        }
        return problems;
    }

    private static List<String> changed(String where, RegistryEvent e, ModelVersion before, ModelVersion after,
                                        String archive, RegistryJson json) {
        List<String> problems = new ArrayList<>();
        String what = where + " (" + e.describe() + ")";
        if (!Objects.equals(before.artifact(), after.artifact()) || !Objects.equals(before.createdAt(), after.createdAt())
                || !Objects.equals(before.createdBy(), after.createdBy()) || !Objects.equals(before.build(), after.build())) {
            problems.add(what + " changes the artifact or origin of " + after.ref() + "; a version's artifact never changes");
        }
        boolean describes = e.type() == EventType.DESCRIBE;
        boolean tags = e.type() == EventType.TAG_SET || e.type() == EventType.TAG_UNSET;
        if ((!describes && !before.description().equals(after.description()))
                || (describes && !after.description().equals(e.reason()))) {
            problems.add(what + " changes the description of " + after.ref() + " other than its event says");
        }
        if ((!tags && !before.tags().equals(after.tags())) || (tags && !tagsFollow(e, before.tags(), after.tags()))) {
            problems.add(what + " changes the tags of " + after.ref() + " other than its event says");
        }
        boolean moves = e.type() == EventType.PROMOTE || e.type() == EventType.ROLLBACK || e.type() == EventType.ARCHIVE
                || e.type() == EventType.DEREGISTER || e.type() == EventType.DEPRECATE;
        if (!moves && (!before.stage().equals(after.stage()) || !before.stageSince().equals(after.stageSince()))) {
            problems.add(what + " moves " + after.ref() + " from stage '" + before.stage() + "' to '" + after.stage() + "'");
        }
        if (moves) {
            String expected = e.type() == EventType.DEREGISTER ? ""
                    : after.version().equals(e.version()) ? e.stage() : archive;
            if (!after.stage().equals(expected)) {
                problems.add(what + " leaves " + after.ref() + " in '" + after.stage() + "', not '" + expected + "'");
            }
        }
        boolean rejects = e.type() == EventType.REJECT
                || (e.type() == EventType.ROLLBACK && e.displaced().contains(after.version()));
        List<Rejection> added = appended(before.rejections(), after.rejections());
        if (rejects) {
            if (added == null || added.size() != 1 || !added.get(0).reason().equals(e.reason()) || !added.get(0).standing()) {
                problems.add(what + " should add one rejection of " + after.ref() + " ('" + e.reason() + "')");
            }
        } else if (e.type() == EventType.OVERRIDE_REJECT) {
            int n = before.rejections().size();
            if (n == 0 || after.rejections().size() != n
                    || !after.rejections().subList(0, n - 1).equals(before.rejections().subList(0, n - 1))
                    || after.rejections().get(n - 1).override() == null
                    || !after.rejections().get(n - 1).override().reason().equals(e.reason())
                    || !after.rejections().get(n - 1).overridden(null).equals(before.rejections().get(n - 1))) {
                problems.add(what + " should only mark the last rejection of " + after.ref() + " overridden");
            }
        } else if (!before.rejections().equals(after.rejections())) {
            problems.add(what + " changes the rejections of " + after.ref());
        }
        List<VerdictRecord> verdicts = appended(before.verdicts(), after.verdicts());
        if (e.type() == EventType.ATTACH_VERDICT) {
            if (verdicts == null || verdicts.size() != 1) {
                problems.add(what + " should add exactly one verdict to " + after.ref());
            } else {
                VerdictRecord v = verdicts.get(0);
                if (!v.artifactSha256().equals(after.artifact().sha256())) {
                    problems.add(what + ": the verdict judged an artifact with sha256 " + v.artifactSha256() + ", not "
                            + after.ref() + "'s " + after.artifact().sha256());
                }
                if (e.digest().isEmpty()) {
                    problems.add(what + " records no digest of the verdict it adds; it was not written by this registry");
                } else if (!json.digest(v).equals(e.digest())) {
                    problems.add(what + ": the verdict stored (" + v.status() + ") is not the one its event recorded "
                            + "(sha256 " + e.digest() + "); it was replaced outside the registry");
                }
            }
        } else if (!before.verdicts().equals(after.verdicts())) {
            problems.add(what + " changes the verdicts of " + after.ref() + " without an attach-verdict event; "
                    + "a verdict was written outside the registry");
        }
        List<String> lineage = appended(before.lineage(), after.lineage());
        if (e.type() == EventType.LINK_LINEAGE) {
            if (lineage == null || !lineage.equals(List.of(e.reason()))) {
                problems.add(what + " should link only lineage " + e.reason() + " to " + after.ref());
            }
        } else if (!before.lineage().equals(after.lineage())) {
            problems.add(what + " changes the lineage of " + after.ref());
        }
        return problems;
    }

    private static boolean tagsFollow(RegistryEvent e, Map<String, String> before, Map<String, String> after) {
        Map<String, String> expected = new java.util.TreeMap<>(before);
        if (e.type() == EventType.TAG_SET) {
            expected.putAll(e.tags());
        } else {
            e.tags().keySet().forEach(expected::remove);
        }
        return expected.equals(new java.util.TreeMap<>(after));
    }

    /** What {@code after} adds to the end of {@code before}, or null when it changes or drops an entry. */
    private static <T> List<T> appended(List<T> before, List<T> after) {
        if (after.size() < before.size() || !after.subList(0, before.size()).equals(before)) {
            return null;
        }
        return after.subList(before.size(), after.size());
    }
}
