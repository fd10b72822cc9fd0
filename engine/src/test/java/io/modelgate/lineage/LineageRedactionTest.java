package io.modelgate.lineage;

import io.modelgate.common.InputException;
import io.modelgate.common.RecordJson;
import io.openlineage.client.OpenLineage.RunEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A lineage record is stored in a shared Git store and sent to OpenLineage: no credential goes with it. */
class LineageRedactionTest {
    static final String PASSWORD = "Tr0ub4dor@H0rse9:B4ttery7%40x";
    static final List<String> PIECES = List.of("Tr0ub4dor", "H0rse9", "B4ttery7", "S3cr3tT0ken");

    @TempDir
    Path dir;

    private static void assertClean(String text) {
        for (String piece : PIECES) {
            assertThat(text).as("holds " + piece).doesNotContain(piece);
        }
    }

    @Test
    void aRemoteWhosePasswordHoldsAnAtSignLosesAllOfIt() {
        assertThat(CodeCapture.sanitise("https://alice:" + PASSWORD + "@git.example.com/ml.git"))
                .isEqualTo("https://git.example.com/ml.git");
        assertThat(CodeCapture.sanitise("https://alice:p/ss@git.example.com/ml.git")).isEqualTo("https://git.example.com/ml.git");
        assertThat(CodeCapture.sanitise("git@github.com:o/r.git")).isEqualTo("git@github.com:o/r.git");
    }

    @Test
    void parametersTheJenkinsContextAndTheEventsHoldNoCredential() throws Exception {
        Path data = Files.writeString(dir.resolve("train.csv"), "a,b\n1,2\n");
        Map<String, String> env = Map.of(
                "BUILD_URL", "https://builder:" + PASSWORD + "@ci.example.com/job/churn/7/",
                "JENKINS_URL", "https://ci.example.com/",
                "JOB_NAME", "churn",
                "NODE_NAME", "agent-S3cr3tT0ken-1",
                "OPENLINEAGE_API_KEY", "S3cr3tT0ken-1");
        LineageRecord record;
        try (LineageStore store = LineageStore.open(dir.resolve("store"))) {
            record = new LineageRecorder(store, new DatasetDigester(DigestCache.inMemory())).record(
                    new LineageRecorder.Request(new RunFacts("", "", List.of(data), List.of(),
                            Map.of("db", "postgres://etl:" + PASSWORD + "@db.internal/warehouse", "api_key", "S3cr3tT0kenB",
                                    "lr", "0.1"),
                            List.of(), List.of(), List.of()), true, Instant.now(), dir, env), Instant.now());
        }
        assertThat(record.params()).containsEntry("api_key", "***").containsEntry("lr", "0.1")
                .containsEntry("db", "postgres://***@db.internal/warehouse");
        assertThat(record.environment().build()).containsEntry("BUILD_URL", "https://ci.example.com/job/churn/7/")
                .containsEntry("NODE_NAME", "agent-***");
        assertClean(RecordJson.mapper().writeValueAsString(record));

        List<RunEvent> events = OpenLineageEvents.events(record, "https://github.com/modelgate/modelgate", id -> java.util.Optional.empty());
        for (RunEvent e : events) {
            assertClean(OpenLineageEvents.toJsonLine(e));
        }
    }

    @Test
    void aRecordStoredBeforeRedactionIsRedactedWhenSent() {
        LineageRecord old = LineageStoreTest.run("train", List.of(LineageStoreTest.data("a.csv", "a")), List.of(),
                Map.of("db", "postgres://etl:" + PASSWORD + "@db/x", "token", "S3cr3tT0ken"), List.of(), List.of());
        String json = OpenLineageEvents.toJsonLine(OpenLineageEvents.events(old, "https://github.com/modelgate/modelgate",
                id -> java.util.Optional.empty()).get(0));
        assertClean(json);
        assertThat(json).contains("postgres://***@db/x").contains("\"token\":\"***\"");
    }

    @Test
    void aJobOrNamespaceWithAControlCharacterIsRefused() {
        try (LineageStore store = LineageStore.open(dir.resolve("store"))) {
            LineageRecorder recorder = new LineageRecorder(store, new DatasetDigester(DigestCache.inMemory()));
            Path data = Files.writeString(dir.resolve("x.csv"), "a\n1\n");
            assertThatThrownBy(() -> recorder.record(new LineageRecorder.Request(new RunFacts("train\nModelgate-Event: forged", "",
                    List.of(data), List.of(), Map.of(), List.of(), List.of(), List.of()), true, Instant.now(), dir, Map.of()),
                    Instant.now())).isInstanceOf(InputException.class).hasMessageStartingWith("--job ");
            assertThatThrownBy(() -> recorder.record(new LineageRecorder.Request(new RunFacts("", "ns\u001b[2J", List.of(data), List.of(),
                    Map.of(), List.of(), List.of(), List.of()), true, Instant.now(), dir, Map.of()), Instant.now()))
                    .isInstanceOf(InputException.class).hasMessageStartingWith("--namespace ");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
