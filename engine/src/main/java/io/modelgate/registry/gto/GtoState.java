package io.modelgate.registry.gto;

import io.modelgate.common.SemVer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry state GTO derives from its tags: a port of gto/base.py ({@code Artifact}, {@code Version},
 * {@code VStage}, {@code get_vstages}) fed the way gto/registry.py {@code get_state} feeds it. It keeps GTO's
 * stable sorts and reversals so that even same-second ties come out as GTO prints them.
 *
 * @param artifacts by name, in the order GTO first meets them
 */
public record GtoState(Map<String, ArtifactState> artifacts) {

    /** How stages pick their versions (gto/constants.py VersionSort). */
    public enum VersionSort { SEMVER, TIMESTAMP }

    /**
     * @param versionsPerStage      {@code --vs}: how many versions to list per stage, -1 for all
     * @param assignmentsPerVersion {@code --av}: how many stages per version to consider, -1 for all
     * @param registeredOnly        {@code --ro}: ignore stages of commits that have no registered version
     */
    public record Options(VersionSort sort, int versionsPerStage, int assignmentsPerVersion, boolean registeredOnly) {
        /** {@code gto show} defaults (gto/cli.py: --sort timestamp, --vs 1, --av -1): the latest assignment wins. */
        public static final Options SHOW = new Options(VersionSort.TIMESTAMP, 1, -1, false);
        /** {@code gto.api.find_versions_in_stage} / {@code which}: no sort passed, so base.py's default SemVer. */
        public static final Options WHICH = new Options(VersionSort.SEMVER, 1, -1, false);

        public Options {
            if (sort == null || versionsPerStage < -1 || assignmentsPerVersion < -1) {
                throw new IllegalArgumentException("sort required; versionsPerStage and assignmentsPerVersion >= -1");
            }
        }
    }

    /**
     * @param version    a SemVer, or the commit id for stages assigned to an unregistered commit
     * @param registered it has a registration tag
     * @param active     GTO's {@code is_active}: not deregistered (its newest registration is newer than its
     *                   newest deregistration)
     */
    public record VersionState(String version, String commit, boolean registered, boolean active) {
    }

    /**
     * @param active        false once deprecated ({@code gto show} hides it unless {@code -d})
     * @param latestVersion highest active registered version, "" if none ({@code gto show}'s "latest" column)
     * @param versions      every version GTO knows, highest SemVer first
     * @param stages        stage to the versions {@code gto show} lists for it, in GTO's order; only non-empty
     */
    public record ArtifactState(String name, boolean active, String latestVersion, List<VersionState> versions,
            Map<String, List<String>> stages) {
    }

    public static GtoState of(List<GtoEvent> events) {
        return of(events, Options.SHOW);
    }

    public static GtoState of(List<GtoEvent> events, Options options) {
        Map<String, MArtifact> artifacts = new LinkedHashMap<>();
        for (GtoEvent e : indexingOrder(events)) {
            MArtifact artifact = artifacts.computeIfAbsent(e.artifact(), MArtifact::new);
            switch (e.kind()) {
                case DEPRECATE -> artifact.deprecations.add(e);
                case REGISTER -> artifact.version(e.version(), e.target()).registrations.add(e);
                case DEREGISTER -> artifact.version(e.version(), e.target()).deregistrations.add(e);
                case ASSIGN, UNASSIGN -> artifact.stageEvent(e);
            }
        }
        Map<String, ArtifactState> result = new LinkedHashMap<>();
        artifacts.forEach((name, a) -> result.put(name, a.toState(options)));
        return new GtoState(Collections.unmodifiableMap(result));
    }

    /**
     * GTO indexes deprecations, then (de)registrations, then (un)assignments (three TagManagers), each group
     * stably sorted by tag time over tags listed by name (gto/tag.py find, scmrepo list_tags is sorted).
     */
    private static List<GtoEvent> indexingOrder(List<GtoEvent> events) {
        List<GtoEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingInt((GtoEvent e) -> switch (e.kind()) {
            case DEPRECATE -> 0;
            case REGISTER, DEREGISTER -> 1;
            case ASSIGN, UNASSIGN -> 2;
        }).thenComparingLong(e -> e.time().getEpochSecond()).thenComparing(GtoEvent::tag, GtoTag::compareCodePoints));
        return sorted;
    }

    /** Python's {@code sorted(xs, key=k)[::-1]}: stable ascending sort, then reversed (ties: later first). */
    private static <T, K extends Comparable<? super K>> List<T> descending(List<T> items, Function<T, K> key,
            Comparator<K> order) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing(key, order));
        Collections.reverse(copy);
        return copy;
    }

    private static long newest(List<GtoEvent> events) {
        return events.stream().mapToLong(e -> e.time().getEpochSecond()).max().orElse(Long.MIN_VALUE);
    }

    /**
     * GTO takes the first of {@code sorted(additions + removals, key=time)[::-1]}; in a same-second tie the
     * removal (later in the list) comes first, so the additions win only when strictly newer.
     */
    private static boolean additionIsNewest(List<GtoEvent> additions, List<GtoEvent> removals) {
        return !additions.isEmpty() && newest(additions) > newest(removals);
    }

    private static final class MArtifact {
        final String name;
        final List<GtoEvent> deprecations = new ArrayList<>();
        final List<MVersion> versions = new ArrayList<>();

        MArtifact(String name) {
            this.name = name;
        }

        /** base.py find_version(name, commit_hexsha, create_new=True); it never matches "discovered" versions. */
        MVersion version(String version, String commit) {
            for (MVersion v : versions) {
                if (v.version.equals(version) && v.commit.equals(commit) && !v.discovered()) {
                    return v;
                }
            }
            MVersion created = new MVersion(version, commit);
            versions.add(created);
            return created;
        }

        /**
         * tag.py index_tag: the version registered at the tag's commit, else the commit id. A version with no
         * (de)registration is "discovered" and is never found again, so GTO files every assignment of an
         * unregistered commit under a fresh version: there an unassignment does not cancel an assignment.
         */
        void stageEvent(GtoEvent e) {
            List<MVersion> atCommit = versions.stream().filter(v -> v.commit.equals(e.target()) && !v.discovered())
                    .toList();
            if (atCommit.size() > 1) {
                throw new GtoException("Tag '" + e.tag() + "' points at " + e.target() + ", where '" + name
                        + "' has several versions; GTO cannot tell which");
            }
            MVersion v = atCommit.isEmpty() ? version(e.target(), e.target()) : atCommit.get(0);
            MStage stage = v.stages.computeIfAbsent(e.stage(), s -> new MStage(s, v.version));
            (e.kind() == GtoTag.Kind.ASSIGN ? stage.assignments : stage.unassignments).add(e);
        }

        boolean active() {
            List<GtoEvent> versionEvents = versions.stream().flatMap(v -> v.events().stream()).toList();
            if (deprecations.isEmpty()) {
                return !versionEvents.isEmpty();
            }
            // deprecations precede version events in GTO's list, so a same-second version event wins
            return newest(deprecations) <= newest(versionEvents);
        }

        /** base.py Artifact.get_versions(active_only=True, include_discovered=False). */
        List<MVersion> activeVersions(boolean includeNonExplicit, VersionSort sort) {
            List<MVersion> selected = versions.stream().filter(v -> v.active()
                    && ((v.registered() && !v.discovered()) || (includeNonExplicit && !v.registered()))).toList();
            return sortVersions(selected, sort);
        }

        ArtifactState toState(Options options) {
            List<MVersion> latest = activeVersions(false, VersionSort.SEMVER);
            List<VersionState> all = sortVersions(versions, VersionSort.SEMVER).stream()
                    .map(v -> new VersionState(v.version, v.commit, v.registered(), v.active())).toList();
            return new ArtifactState(name, active(), latest.isEmpty() ? "" : latest.get(0).version, all,
                    stages(options));
        }

        /** base.py Artifact.get_vstages. */
        private Map<String, List<String>> stages(Options o) {
            List<MStage> assignments = new ArrayList<>();
            for (MVersion v : activeVersions(!o.registeredOnly(), o.sort())) {
                List<MStage> vstages = v.activeStagesAscending();
                assignments.addAll(o.assignmentsPerVersion() > -1
                        ? vstages.subList(0, Math.min(o.assignmentsPerVersion(), vstages.size())) : vstages);
            }
            if (o.sort() == VersionSort.TIMESTAMP) {
                assignments = descending(assignments, MStage::activatedAt, Comparator.naturalOrder());
            }
            Map<String, List<String>> stages = new LinkedHashMap<>();
            for (MStage a : assignments) {
                List<String> holders = stages.computeIfAbsent(a.stage, s -> new ArrayList<>());
                if (o.versionsPerStage() > -1 && holders.size() >= o.versionsPerStage()) {
                    continue;
                }
                if (!holders.contains(a.version)) {
                    holders.add(a.version);
                }
            }
            Map<String, List<String>> result = new LinkedHashMap<>();
            stages.forEach((stage, holders) -> {
                if (!holders.isEmpty()) {
                    result.put(stage, List.copyOf(holders));
                }
            });
            return Collections.unmodifiableMap(result);
        }

        /** base.py sort_versions: SemVer ones by precedence, then the rest (commit ids) by name; or by time. */
        private static List<MVersion> sortVersions(List<MVersion> versions, VersionSort sort) {
            if (sort == VersionSort.TIMESTAMP) {
                return descending(versions, MVersion::createdAt, Comparator.naturalOrder());
            }
            List<MVersion> sorted = new ArrayList<>(descending(
                    versions.stream().filter(v -> GtoTag.isValidVersion(v.version)).toList(),
                    v -> SemVer.parse(v.version), SemVer.PRECEDENCE));
            sorted.addAll(descending(versions.stream().filter(v -> !GtoTag.isValidVersion(v.version)).toList(),
                    v -> v.version, GtoTag::compareCodePoints));
            return sorted;
        }
    }

    private static final class MVersion {
        final String version;
        final String commit;
        final List<GtoEvent> registrations = new ArrayList<>();
        final List<GtoEvent> deregistrations = new ArrayList<>();
        final Map<String, MStage> stages = new LinkedHashMap<>();

        MVersion(String version, String commit) {
            this.version = version;
            this.commit = commit;
        }

        boolean registered() {
            return !registrations.isEmpty();
        }

        boolean discovered() {
            return registrations.isEmpty() && deregistrations.isEmpty();
        }

        List<GtoEvent> stageEvents() {
            return stages.values().stream().flatMap(s -> s.events().stream()).toList();
        }

        List<GtoEvent> events() {
            List<GtoEvent> events = new ArrayList<>(registrations);
            events.addAll(deregistrations);
            events.addAll(stageEvents());
            return events;
        }

        /** base.py Version.is_active: decided by (de)registrations, else "has any stage event". */
        boolean active() {
            return discovered() ? !stageEvents().isEmpty() : additionIsNewest(registrations, deregistrations);
        }

        /** base.py authoring_event: the newest registration, else the newest stage event. */
        Instant createdAt() {
            return Instant.ofEpochSecond(newest(registered() ? registrations : stageEvents()));
        }

        /** base.py Version.get_vstages(active_only=True, ascending=True). */
        List<MStage> activeStagesAscending() {
            List<MStage> active = new ArrayList<>(stages.values().stream().filter(MStage::active).toList());
            active.sort(Comparator.comparing(MStage::activatedAt));
            return active;
        }
    }

    private static final class MStage {
        final String stage;
        final String version;
        final List<GtoEvent> assignments = new ArrayList<>();
        final List<GtoEvent> unassignments = new ArrayList<>();

        MStage(String stage, String version) {
            this.stage = stage;
            this.version = version;
        }

        List<GtoEvent> events() {
            List<GtoEvent> events = new ArrayList<>(assignments);
            events.addAll(unassignments);
            return events;
        }

        boolean active() {
            return additionIsNewest(assignments, unassignments);
        }

        /** For an active stage both activated_at and created_at are the newest assignment's time. */
        Instant activatedAt() {
            return Instant.ofEpochSecond(newest(assignments));
        }
    }
}
