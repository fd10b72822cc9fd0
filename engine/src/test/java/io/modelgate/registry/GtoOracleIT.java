package io.modelgate.registry;

import io.modelgate.registry.gto.GtoReader;
import io.modelgate.registry.gto.GtoState;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: GTO readers saw other stages than Modelgate (no tag was written when a version left a
 * stage). The oracle is {@link GtoState}, the port of GTO's own rules for computing stages from tags
 * (gto/base.py, gto/registry.py); over random sequences of register, promote, archive and rollback
 * written with {@code gto_tags: true}, what GTO computes from the tags must be what the registry says.
 * An integration test (failsafe): 1,000 histories of real Git writes take about a minute and a half.
 */
class GtoOracleIT {
    static final int SEQUENCES = 1000;
    static final int OPS = 10;
    static final int PER_REGISTRY = 100;
    static final List<String> STAGES = List.of("staging", "canary", "production");
    static final String CONFIG = """
            registry:
              gto_tags: true
              stages: {staging: {capacity: 1}, canary: {capacity: 2}, production: {capacity: 1}}
              promotion: {}
            """;

    @TempDir
    Path dir;
    Instant now = Instant.parse("2026-12-01T00:00:00Z");

    private Actor actor(Random rnd) {
        // GTO orders events by the tag's time in whole seconds: each event is at least a second after the last.
        now = now.plusSeconds(1 + rnd.nextInt(3));
        return new Actor("ci", BuildInfo.NONE, now);
    }

    @Test
    void gtosStagesFromTheTagsAgreeWithTheRegistryOverRandomHistories() throws IOException {
        Random rnd = new Random(16);
        RegistryConfig config = RegistryConfigReader.parse("modelgate.yaml", CONFIG);
        int compared = 0;
        List<String> log = new ArrayList<>();
        for (int batch = 0; batch < SEQUENCES / PER_REGISTRY; batch++) {
            Path registry = dir.resolve("r" + batch);
            List<String> models = new ArrayList<>();
            try (Registry r = Registry.open(registry.toString(), dir.resolve("cache"), config)) {
                for (int s = 0; s < PER_REGISTRY; s++) {
                    String model = "m" + batch + "-" + s;
                    models.add(model);
                    List<String> versions = new ArrayList<>();
                    for (int op = 0; op < OPS; op++) {
                        apply(r, model, versions, rnd, log);
                    }
                }
                try (Repository repo = new FileRepository(registry.toFile())) {
                    var events = GtoReader.read(repo);
                    GtoState all = GtoState.of(events, new GtoState.Options(GtoState.VersionSort.TIMESTAMP, -1, -1, false));
                    GtoState show = GtoState.of(events);
                    for (String model : models) {
                        ModelState ours = r.state(model);
                        for (String stage : STAGES) {
                            List<String> gto = all.artifacts().get(model).stages().getOrDefault(stage, List.of());
                            assertThat(gto).as(model + " " + stage + " (every version GTO sees there); history: "
                                    + history(r, model)).isEqualTo(ours.holders(stage));
                            List<String> shown = show.artifacts().get(model).stages().getOrDefault(stage, List.of());
                            assertThat(shown).as(model + " " + stage + " in gto show").isEqualTo(
                                    ours.holders(stage).isEmpty() ? List.of() : List.of(ours.holders(stage).get(0)));
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isEqualTo(SEQUENCES * STAGES.size());
        assertThat(log).as("the random histories did move versions").hasSizeGreaterThan(SEQUENCES * 4);
    }

    private void apply(Registry r, String model, List<String> versions, Random rnd, List<String> log) throws IOException {
        int kind = versions.isEmpty() ? 0 : rnd.nextInt(10);
        try {
            Registry.Outcome o;
            if (kind == 0 || kind == 1 && versions.size() < 5) {
                Path a = Files.writeString(dir.resolve("a.bin"), model + versions.size());
                o = r.register(new Registry.Registration(model, a, "", "", "patch", "", Map.of()), actor(rnd));
                versions.add(((Decision.Change) o.decision()).event().version());
            } else if (kind <= 6) {
                String stage = rnd.nextInt(8) == 0 ? "archived" : STAGES.get(rnd.nextInt(STAGES.size()));
                o = r.promote(model, versions.get(rnd.nextInt(versions.size())), stage, "", "", actor(rnd));
            } else {
                String stage = STAGES.get(rnd.nextInt(STAGES.size()));
                Optional<String> to = rnd.nextBoolean() ? Optional.empty()
                        : Optional.of(versions.get(rnd.nextInt(versions.size())));
                o = r.rollback(model, stage, to, "test", actor(rnd));
            }
            if (o.applied()) {
                log.add(((Decision.Change) o.decision()).event().describe());
            }
        } catch (RegistryException refused) {
            // e.g. nothing to roll back, or the version is the holder already: not a change, nothing written
        }
    }

    private static String history(Registry r, String model) {
        List<String> lines = new ArrayList<>();
        for (AuditEntry e : r.history(model, 0)) {
            lines.add(0, e.event().describe());
        }
        return String.join("; ", lines);
    }
}
