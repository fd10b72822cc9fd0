package io.modelgate.registry;

import io.modelgate.metrics.MetricSet;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 16: what MLflow registry users use daily: tags, descriptions, listing, and retiring versions and models. */
class RegistryMetadataTest {
    @TempDir
    Path dir;
    Instant now = Instant.parse("2026-12-01T10:00:00Z");

    private Registry open(boolean gto) {
        RegistryConfig c = RegistryConfig.defaults().withGtoTags(gto);
        return Registry.open(dir.resolve("registry").toString(), dir.resolve("cache"), c);
    }

    private Actor actor() {
        now = now.plusSeconds(5);
        return new Actor("alice", BuildInfo.NONE, now);
    }

    private String register(Registry r, String model, String content) throws IOException {
        Path a = Files.writeString(dir.resolve(content + ".bin"), content);
        var o = r.register(new Registry.Registration(model, a, "", "", "patch", "", Map.of()), actor());
        return ((Decision.Change) o.decision()).event().version();
    }

    private void toProduction(Registry r, String model, String v) {
        r.promote(model, v, "staging", "", "", actor());
        r.attachVerdict(model, v, new VerdictRecord("PASS", "PASS", now, r.version(model, v).artifact().sha256(),
                MetricSet.empty()), actor());
        assertThat(r.promote(model, v, "production", "carol", "", actor()).applied()).isTrue();
    }

    @Test
    void tagsAndDescriptionsOfModelsAndVersionsAreAuditedChanges() throws IOException {
        try (Registry r = open(false)) {
            register(r, "churn", "one");
            assertThat(r.tags("churn", Map.of("team", "risk", "tier", "1"), true, actor()).applied()).isTrue();
            assertThat(r.tags("churn@v0.0.1", Map.of("dataset", "2026-11"), true, actor()).applied()).isTrue();
            assertThat(r.tags("churn", Map.of("team", "risk"), true, actor()).applied()).as("unchanged").isFalse();
            assertThat(r.describe("churn", "predicts churn within 30 days", actor()).applied()).isTrue();
            assertThat(r.describe("churn@v0.0.1", "first cut", actor()).applied()).isTrue();
            assertThat(r.tags("churn", Map.of("tier", ""), false, actor()).applied()).isTrue();
            assertThatThrownBy(() -> r.tags("churn", Map.of("nope", ""), false, actor()))
                    .hasMessage("churn has no tag nope; tags: team");

            assertThat(r.state("churn").tags()).containsExactly(Map.entry("team", "risk"));
            assertThat(r.state("churn").description()).isEqualTo("predicts churn within 30 days");
            ModelVersion v = r.version("churn", "v0.0.1");
            assertThat(v.tags()).containsExactly(Map.entry("dataset", "2026-11"));
            assertThat(v.description()).isEqualTo("first cut");
            assertThat(r.history("churn", 0)).extracting(e -> e.event().describe()).contains(
                    "tag churn team=risk, tier=1", "tag churn@v0.0.1 dataset=2026-11", "describe churn", "untag churn tier");
            assertThat(r.verify().problems()).isEmpty();
            assertThatThrownBy(() -> r.tags("churn", Map.of("bad\nkey", "x"), true, actor()))
                    .isInstanceOf(io.modelgate.common.ModelgateException.class).hasMessageContaining("control character");
        }
    }

    @Test
    void aDeregisteredVersionLeavesEveryStageAndAliasAndIsNeverPromotedAgain() throws IOException {
        try (Registry r = open(true)) {
            register(r, "churn", "one");
            register(r, "churn", "two");
            toProduction(r, "churn", "v0.0.1");
            toProduction(r, "churn", "v0.0.2");
            r.setAlias("churn", "champion", "v0.0.2", actor());
            assertThatThrownBy(() -> r.deregister("churn", "v0.0.2", "", actor())).hasMessageContaining("needs a reason");
            assertThat(r.deregister("churn", "v0.0.2", "leaked labels", actor()).applied()).isTrue();
            assertThat(r.deregister("churn", "v0.0.2", "again", actor()).applied()).isFalse();

            ModelState st = r.state("churn");
            assertThat(st.holders("production")).isEmpty();
            assertThat(st.aliases()).isEmpty();
            assertThat(r.version("churn", "v0.0.2").stage()).isEmpty();
            assertThatThrownBy(() -> r.resolve("churn@v0.0.2")).hasMessage("churn@v0.0.2 was deregistered");
            assertThat(((Decision.Refusal) r.promote("churn", "v0.0.2", "staging", "", "", actor()).decision()).unmet())
                    .contains("churn@v0.0.2 was deregistered; it is never promoted again");
            assertThatThrownBy(() -> r.rollback("churn", "production", Optional.of("v0.0.2"), "x", actor()))
                    .hasMessage("churn has no version in production to roll back");
            assertThat(r.verify().problems()).isEmpty();
        }
        try (Repository repo = new FileRepository(dir.resolve("registry").toFile())) {
            GtoState gto = GtoState.of(GtoReader.read(repo));
            var churn = gto.artifacts().get("churn");
            assertThat(churn.versions()).filteredOn(v -> v.version().equals("v0.0.2")).singleElement()
                    .satisfies(v -> assertThat(v.active()).as("GTO sees v0.0.2 deregistered").isFalse());
            assertThat(churn.stages()).as("GTO, like the registry, has nothing in production").doesNotContainKey("production");
        }
    }

    @Test
    void aDeprecatedModelArchivesItsHoldersAndTakesNoMoreVersionsOrPromotions() throws IOException {
        try (Registry r = open(true)) {
            register(r, "churn", "one");
            register(r, "churn", "two");
            toProduction(r, "churn", "v0.0.1");
            r.promote("churn", "v0.0.2", "staging", "", "", actor());
            assertThat(r.deprecate("churn", "replaced by churn-v2", actor()).applied()).isTrue();
            ModelState st = r.state("churn");
            assertThat(st.deprecated()).isTrue();
            assertThat(st.stages()).isEmpty();
            assertThat(r.version("churn", "v0.0.1").stage()).isEqualTo("archived");
            assertThatThrownBy(() -> register(r, "churn", "three")).hasMessageContaining("churn is deprecated");
            assertThat(r.promote("churn", "v0.0.2", "staging", "", "", actor()).refused()).isTrue();
            assertThat(r.verify().problems()).isEmpty();
        }
        try (Repository repo = new FileRepository(dir.resolve("registry").toFile())) {
            assertThat(GtoState.of(GtoReader.read(repo)).artifacts().get("churn").active()).isFalse();
        }
    }

    @Test
    void listFiltersByModelStageTagsAndVerdictAndPages() throws IOException {
        try (Registry r = open(false)) {
            for (int i = 0; i < 5; i++) {
                register(r, "churn", "c" + i);
            }
            register(r, "fraud", "f0");
            toProduction(r, "churn", "v0.0.3");
            r.tags("churn@v0.0.2", Map.of("team", "risk"), true, actor());
            r.tags("fraud@v0.0.1", Map.of("team", "risk"), true, actor());
            r.deregister("churn", "v0.0.5", "bad", actor());

            var all = r.list(new Registry.Listing(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), false, 0, 0));
            assertThat(all.total()).isEqualTo(5);
            assertThat(all.versions()).extracting(ModelVersion::ref).containsExactly("churn@v0.0.1", "churn@v0.0.2",
                    "churn@v0.0.3", "churn@v0.0.4", "fraud@v0.0.1");
            var page = r.list(new Registry.Listing(Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), true, 2, 2));
            assertThat(page.total()).isEqualTo(6);
            assertThat(page.versions()).extracting(ModelVersion::ref).containsExactly("churn@v0.0.3", "churn@v0.0.4");
            assertThat(r.list(new Registry.Listing(Optional.empty(), Optional.of("production"), Map.of(), Optional.empty(),
                    false, 0, 0)).versions()).extracting(ModelVersion::ref).containsExactly("churn@v0.0.3");
            assertThat(r.list(new Registry.Listing(Optional.empty(), Optional.empty(), Map.of("team", "risk"),
                    Optional.empty(), false, 0, 0)).versions()).extracting(ModelVersion::ref)
                    .containsExactly("churn@v0.0.2", "fraud@v0.0.1");
            assertThat(r.list(new Registry.Listing(Optional.of("churn"), Optional.empty(), Map.of(), Optional.of("PASS"),
                    false, 0, 0)).versions()).extracting(ModelVersion::ref).containsExactly("churn@v0.0.3");
            assertThatThrownBy(() -> r.list(new Registry.Listing(Optional.empty(), Optional.empty(), Map.of(),
                    Optional.of("pass"), false, 0, 0))).hasMessageContaining("expected PASS, WARN, FAIL or NONE");
        }
    }

    @Test
    void aTagChangedUnderAnotherEventIsFoundByVerify() {
        ModelVersion before = new ModelVersion("churn", "v0.0.1", new Artifact("u", "ab", 1), now, "a", BuildInfo.NONE,
                "", Map.of(), "", now, List.of(), List.of(), List.of());
        ModelVersion after = before.withTags(Map.of("approved", "yes"));
        RegistryEvent e = new RegistryEvent(3, EventType.LINK_LINEAGE, "churn", "v0.0.1", "", "", List.of(), "", "a", "",
                "a".repeat(64), now, BuildInfo.NONE);
        assertThat(VersionReplay.check("churn: commit x", e, Map.of("v0.0.1", new VersionReplay.Change(before,
                after.withLineage("a".repeat(64)))), "archived", new RegistryJson()))
                .containsExactly("churn: commit x (link lineage to churn@v0.0.1) changes the tags of churn@v0.0.1 other "
                        + "than its event says");
    }
}
