package io.modelgate.registry;

import io.modelgate.common.Digests;
import io.modelgate.registry.gto.GtoEvent;
import io.modelgate.registry.gto.GtoReader;
import io.modelgate.registry.gto.GtoState;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds registry state from a repository tagged by DVC GTO, replaying its events in GTO's order:
 * registrations, stage assignments and unassignments, deregistrations. The artifact of an
 * imported version is the Git commit its tag points at (GTO records no file), digested as that
 * commit object, so a later verdict or promotion refers to exactly what GTO tagged.
 */
public final class GtoImport {
    private GtoImport() {
    }

    /**
     * What an import did.
     *
     * @param applied  events that changed the registry
     * @param skipped  events already in the registry or with no counterpart (one sentence each)
     * @param mismatches stages where the registry ends up different from what {@code gto show} says
     */
    public record Report(int applied, List<String> skipped, List<String> mismatches) {
        public Report {
            skipped = List.copyOf(skipped);
            mismatches = List.copyOf(mismatches);
        }
    }

    static Report run(Registry registry, RegistryConfig config, Path gtoRepo, Map<String, String> stageMap, Actor importer) {
        Path gitDir = Files.isDirectory(gtoRepo.resolve(".git")) ? gtoRepo.resolve(".git") : gtoRepo;
        if (!Files.isDirectory(gitDir.resolve("objects"))) {
            throw new RegistryException(gtoRepo + ": not a Git repository");
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            List<GtoEvent> events = GtoReader.read(repo);
            refuseCollisions(gtoRepo, events);
            List<String> unknown = events.stream().map(GtoEvent::stage).filter(s -> !s.isEmpty())
                    .map(s -> stageMap.getOrDefault(s, s)).filter(s -> !config.isStage(s)).distinct().toList();
            if (!unknown.isEmpty()) {
                throw new RegistryException(gtoRepo + ": GTO stages " + unknown + " are not registry stages ("
                        + String.join(", ", config.allStages()) + "); map them with --stage GTO=REGISTRY, e.g. --stage prod=production");
            }
            int applied = 0;
            List<String> skipped = new ArrayList<>();
            Map<String, java.util.Set<String>> imported = new java.util.HashMap<>();
            for (GtoEvent e : events) {
                String model = modelName(e.artifact());
                if (imported.computeIfAbsent(model, m -> importedTags(registry, m)).contains(e.tag())) {
                    skipped.add(e.tag() + ": imported before");
                    continue;
                }
                Actor actor = new Actor(e.taggerName().isEmpty() ? importer.name() : e.taggerName(), importer.build(), e.time());
                Registry.Outcome outcome = switch (e.kind()) {
                    case REGISTER -> registry.versionExists(model, e.version())
                            || registry.registeredAs(model, e.version()).isPresent() ? null
                            : registry.importVersion(model, e.version(), artifact(repo, gtoRepo, e.target()),
                            FROM_TAG + e.tag(), actor);
                    case ASSIGN -> registry.versionExists(model, e.version())
                            ? registry.importPromote(model, e.version(), stageMap.getOrDefault(e.stage(), e.stage()),
                            FROM_TAG + e.tag(), actor) : null;
                    case UNASSIGN -> registry.versionExists(model, e.version())
                            ? registry.importUnassign(model, e.version(), stageMap.getOrDefault(e.stage(), e.stage()),
                            FROM_TAG + e.tag(), actor) : null;
                    case DEREGISTER -> registry.versionExists(model, e.version())
                            ? registry.reject(model, e.version(), FROM_TAG + e.tag() + " (deregistered in GTO)", actor) : null;
                    case DEPRECATE -> null;
                };
                if (outcome != null && outcome.applied()) {
                    applied++;
                } else {
                    skipped.add(e.tag() + ": " + (outcome == null ? skipReason(e) : "already so"));
                }
            }
            return new Report(applied, skipped, compare(registry, config, GtoState.of(events), stageMap));
        } catch (IOException e) {
            throw new RegistryException(gtoRepo + ": cannot read: " + e.getMessage());
        }
    }

    private static final String FROM_TAG = "imported from GTO tag ";

    /** The GTO tags already replayed into a model, from its audit trail, so an import can run again. */
    private static java.util.Set<String> importedTags(Registry registry, String model) {
        java.util.Set<String> tags = new java.util.HashSet<>();
        if (!registry.models().contains(model)) {
            return tags;
        }
        for (AuditEntry a : registry.history(model, 0)) {
            String reason = a.event().reason();
            if (reason.startsWith(FROM_TAG)) {
                String rest = reason.substring(FROM_TAG.length());
                int space = rest.indexOf(' ');
                tags.add(space < 0 ? rest : rest.substring(0, space));
            }
        }
        return tags;
    }

    private static String skipReason(GtoEvent e) {
        return switch (e.kind()) {
            case DEPRECATE -> "deprecating a whole artifact has no registry counterpart";
            case REGISTER -> "version already registered (or one differing only in build metadata)";
            default -> "no registered version at commit " + e.target().substring(0, Math.min(8, e.target().length()));
        };
    }

    /**
     * The registry's name for a GTO artifact. Registry names have neither ':' nor '/', and GTO's
     * names never hold '.', so '/' becomes '.' and the {@code dir:} prefix is kept before "..":
     * {@code a/b} is {@code a.b}, never the same model as GTO's {@code a-b}. Two artifacts that still
     * meet on one name are refused by {@link #refuseCollisions} before anything is imported.
     */
    static String modelName(String artifact) {
        int colon = artifact.indexOf(':');
        String name = colon < 0 ? artifact : artifact.substring(colon + 1);
        String dir = colon < 0 ? "" : artifact.substring(0, colon).replace('/', '.') + "..";
        return dir + name.replace('/', '.');
    }

    private static void refuseCollisions(Path gtoRepo, List<GtoEvent> events) {
        Map<String, java.util.Set<String>> byModel = new java.util.TreeMap<>();
        for (GtoEvent e : events) {
            byModel.computeIfAbsent(modelName(e.artifact()), m -> new java.util.TreeSet<>()).add(e.artifact());
        }
        for (var m : byModel.entrySet()) {
            if (m.getValue().size() > 1) {
                throw new RegistryException(gtoRepo + ": GTO artifacts " + String.join(" and ", m.getValue())
                        + " would both be registry model '" + m.getKey() + "'; rename one in GTO first");
            }
            try {
                RegistryInputs.model(m.getKey());
            } catch (io.modelgate.common.ModelgateException e) {
                throw new RegistryException(gtoRepo + ": GTO artifact " + m.getValue().iterator().next()
                        + " has no registry name: " + e.getMessage());
            }
        }
    }

    private static Artifact artifact(Repository repo, Path gtoRepo, String commit) throws IOException {
        ObjectLoader loader = repo.open(ObjectId.fromString(commit));
        byte[] raw = loader.getCachedBytes();
        return new Artifact("git:" + gtoRepo.toAbsolutePath().normalize() + "#" + commit, Digests.sha256(raw), raw.length);
    }

    private static List<String> compare(Registry registry, RegistryConfig config, GtoState gto, Map<String, String> stageMap) {
        List<String> mismatches = new ArrayList<>();
        for (var a : gto.artifacts().values()) {
            String model = modelName(a.name());
            if (!registry.models().contains(model)) {
                continue;
            }
            ModelState ours = registry.state(model);
            Map<String, List<String>> theirs = new LinkedHashMap<>();
            a.stages().forEach((stage, versions) -> theirs.put(stageMap.getOrDefault(stage, stage), versions));
            for (String stage : config.stages().keySet()) {
                List<String> g = theirs.getOrDefault(stage, List.of());
                if (!ours.holders(stage).equals(g)) {
                    mismatches.add(model + " " + stage + ": registry " + ours.holders(stage) + ", gto show " + g);
                }
            }
        }
        return mismatches;
    }
}
