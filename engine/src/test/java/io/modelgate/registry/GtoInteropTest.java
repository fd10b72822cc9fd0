package io.modelgate.registry;

import io.modelgate.metrics.MetricSet;
import io.modelgate.registry.gto.GtoReader;
import io.modelgate.registry.gto.GtoState;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class GtoInteropTest {
    @TempDir
    Path dir;
    Instant now = Instant.parse("2026-11-26T10:00:00Z");

    private Actor actor() {
        now = now.plusSeconds(5);
        return new Actor("alice", BuildInfo.NONE, now);
    }

    @Test
    void gtoSeesTheSameVersionsAndStagesAsTheRegistry() throws IOException {
        Path artifact = Files.writeString(dir.resolve("m.bin"), "w");
        RegistryConfig config = RegistryConfig.defaults().withGtoTags(true);
        Path location = dir.resolve("registry");
        try (Registry r = Registry.open(location.toString(), dir, config)) {
            for (int i = 0; i < 2; i++) {
                var reg = r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), actor());
                String v = ((Decision.Change) reg.decision()).event().version();
                r.promote("churn", v, "staging", "", "", actor());
                r.attachVerdict("churn", v, new VerdictRecord("PASS", "ok", now, r.version("churn", v).artifact().sha256(),
                        MetricSet.empty()), actor());
                r.promote("churn", v, "production", "", "", actor());
            }
            r.rollback("churn", "production", Optional.empty(), "latency", actor());
            assertThat(r.state("churn").holders("production")).containsExactly("v0.0.1");
            assertThat(r.verify().problems()).isEmpty();
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(location.toFile()).build()) {
            assertThat(repo.getRefDatabase().getRefsByPrefix("refs/tags/")).extracting(ref -> ref.getName().substring(10))
                    .containsExactlyInAnyOrder("churn@v0.0.1", "churn@v0.0.2",
                            "churn#staging#1",                                        // v1 to staging
                            "churn#staging!#2", "churn#production#3",                 // v1 staging -> production
                            "churn#staging#4",                                        // v2 to staging
                            "churn#staging!#5", "churn#production!#6", "churn#production#7", // v2 displaces v1
                            "churn#production!#8", "churn#production#9");             // rollback to v1
            var state = GtoState.of(GtoReader.read(repo));
            var churn = state.artifacts().get("churn");
            assertThat(churn.latestVersion()).isEqualTo("v0.0.2");
            assertThat(churn.stages().get("production")).isEqualTo(List.of("v0.0.1"));
            assertThat(churn.stages()).as("nothing is left in staging, as in the registry").doesNotContainKey("staging");
        }
    }
}
