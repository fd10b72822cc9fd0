package io.modelgate.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.openlineage.client.OpenLineage.RunEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.modelgate.lineage.OpenLineageEventsTest.Records.PARENT_RUN_ID;
import static io.modelgate.lineage.OpenLineageEventsTest.Records.PRODUCER;
import static io.modelgate.lineage.OpenLineageEventsTest.Records.RUN_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenLineageEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOTE = "https://github.com/acme/churn.git";

    private static List<JsonNode> parsed(LineageRecord r) throws Exception {
        List<RunEvent> events = OpenLineageEvents.events(r, PRODUCER,
                id -> id.equals("p0p0") ? Optional.of(Records.parent()) : Optional.empty());
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (RunEvent e : events) {
            String line = OpenLineageEvents.toJsonLine(e);
            assertThat(line).doesNotContain("\n");
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void succeededRunGivesStartThenCompleteAtItsTimes() throws Exception {
        List<JsonNode> events = parsed(Records.training(true, REMOTE, List.of()));

        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("eventType").asText()).isEqualTo("START");
        assertThat(events.get(0).path("eventTime").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(events.get(1).path("eventType").asText()).isEqualTo("COMPLETE");
        assertThat(events.get(1).path("eventTime").asText()).isEqualTo("2026-11-26T10:05:30.123Z");
        for (JsonNode e : events) {
            assertThat(e.path("producer").asText()).isEqualTo(PRODUCER);
            assertThat(e.path("schemaURL").asText()).startsWith("https://openlineage.io/spec/");
            assertThat(e.path("run").path("runId").asText()).isEqualTo(RUN_ID);
            assertThat(e.path("job").path("namespace").asText()).isEqualTo("jenkins.example.com");
            assertThat(e.path("job").path("name").asText()).isEqualTo("churn-train");
        }
    }

    @Test
    void failedRunEndsWithFail() throws Exception {
        List<JsonNode> events = parsed(Records.training(false, REMOTE, List.of()));

        assertThat(events).extracting(e -> e.path("eventType").asText()).containsExactly("START", "FAIL");
    }

    @Test
    void jobCarriesSourceCodeLocationAndJenkinsBatchJobType() throws Exception {
        JsonNode job = parsed(Records.training(true, REMOTE, List.of())).get(1).path("job").path("facets");

        JsonNode code = job.path("sourceCodeLocation");
        assertThat(code.path("type").asText()).isEqualTo("git");
        assertThat(code.path("url").asText()).isEqualTo(REMOTE);
        assertThat(code.path("version").asText()).isEqualTo("9fceb02d0ae598e95dc970b74767f19372d61af8");
        assertThat(code.path("branch").asText()).isEqualTo("main");
        assertThat(code.path("_producer").asText()).isEqualTo(PRODUCER);
        JsonNode type = job.path("jobType");
        assertThat(type.path("processingType").asText()).isEqualTo("BATCH");
        assertThat(type.path("integration").asText()).isEqualTo("JENKINS");
        assertThat(type.path("jobType").asText()).isEqualTo("JOB");
    }

    @Test
    void customRunFacetsCarryProducerSchemaUrlAndValues() throws Exception {
        JsonNode facets = parsed(Records.training(true, REMOTE, List.of())).get(1).path("run").path("facets");

        for (String[] facet : new String[][]{{"modelgate_params", "ModelgateParamsRunFacet"},
                {"modelgate_metrics", "ModelgateMetricsRunFacet"}, {"modelgate_model", "ModelgateModelRunFacet"}}) {
            JsonNode f = facets.path(facet[0]);
            assertThat(f.path("_producer").asText()).as(facet[0]).isEqualTo(PRODUCER);
            assertThat(f.path("_schemaURL").asText()).as(facet[0]).isEqualTo(
                    "https://github.com/modelgate/modelgate/blob/main/docs/openlineage/" + facet[1] + ".json#/$defs/" + facet[1]);
        }
        assertThat(facets.path("modelgate_params").path("params").path("learning_rate").asText()).isEqualTo("0.1");
        assertThat(facets.path("modelgate_metrics").path("metrics").path("auc").asDouble()).isEqualTo(0.91);
        JsonNode model = facets.path("modelgate_model");
        assertThat(model.path("models").get(0).path("ref").asText()).isEqualTo("churn@1.4.0");
        assertThat(model.path("models").get(0).path("version").asText()).isEqualTo("1.4.0");
        assertThat(model.path("artifacts").get(0).path("uri").asText()).isEqualTo("/work/model/model.bin");
        assertThat(model.path("artifacts").get(0).path("sha256").asText()).isEqualTo("cc33");
        assertThat(facets.has("parent")).isFalse();
    }

    @Test
    void parentRunFacetNamesTheParentRecordsRunAndJob() throws Exception {
        JsonNode parent = parsed(Records.training(true, REMOTE, List.of("unknown", "p0p0")))
                .get(0).path("run").path("facets").path("parent");

        assertThat(parent.path("run").path("runId").asText()).isEqualTo(PARENT_RUN_ID);
        assertThat(parent.path("job").path("namespace").asText()).isEqualTo("jenkins.example.com");
        assertThat(parent.path("job").path("name").asText()).isEqualTo("churn-prepare");
    }

    @Test
    void datasetsAreNamedByPathOrSchemeAndCarryDigestAndCsvSchema() throws Exception {
        JsonNode event = parsed(Records.training(true, REMOTE, List.of())).get(1);

        JsonNode csv = event.path("inputs").get(0);
        assertThat(csv.path("namespace").asText()).isEqualTo("file");
        assertThat(csv.path("name").asText()).isEqualTo("/work/data/train.csv");
        JsonNode digest = csv.path("facets").path("modelgate_digest");
        assertThat(digest.path("sha256").asText()).isEqualTo("aa11");
        assertThat(digest.path("size").asLong()).isEqualTo(2048);
        assertThat(digest.path("files").asLong()).isEqualTo(1);
        assertThat(digest.path("_producer").asText()).isEqualTo(PRODUCER);
        assertThat(digest.path("_schemaURL").asText()).endsWith("/docs/openlineage/ModelgateDigestDatasetFacet.json#/$defs/ModelgateDigestDatasetFacet");
        JsonNode fields = csv.path("facets").path("schema").path("fields");
        assertThat(fields).extracting(f -> f.path("name").asText()).containsExactly("age", "plan", "churned");
        assertThat(fields).extracting(f -> f.path("type").asText()).containsOnly("string");

        JsonNode s3 = event.path("inputs").get(1);
        assertThat(s3.path("namespace").asText()).isEqualTo("s3://bucket");
        assertThat(s3.path("name").asText()).isEqualTo("features/part-0.parquet");
        assertThat(s3.path("facets").has("schema")).isFalse();

        assertThat(event.path("outputs").get(0).path("name").asText()).isEqualTo("/work/model/model.bin");
    }

    @Test
    void namesDatasetsAsTheNamingSpecSays() {
        assertThat(OpenLineageEvents.datasetName("/data/x.csv"))
                .isEqualTo(new OpenLineageEvents.DatasetName("file", "/data/x.csv"));
        assertThat(OpenLineageEvents.datasetName("file:///data/x.csv"))
                .isEqualTo(new OpenLineageEvents.DatasetName("file", "/data/x.csv"));
        assertThat(OpenLineageEvents.datasetName("hdfs://nn:8020/warehouse/t"))
                .isEqualTo(new OpenLineageEvents.DatasetName("hdfs://nn:8020", "/warehouse/t"));
        assertThat(OpenLineageEvents.datasetName("gs://b/k/o"))
                .isEqualTo(new OpenLineageEvents.DatasetName("gs://b", "k/o"));
        assertThat(OpenLineageEvents.datasetName("https://user:secret@files.example.com/d.csv"))
                .isEqualTo(new OpenLineageEvents.DatasetName("https://files.example.com", "/d.csv"));
        assertThat(OpenLineageEvents.datasetName("C:\\data\\x.csv"))
                .isEqualTo(new OpenLineageEvents.DatasetName("file", "C:\\data\\x.csv"));
    }

    @Test
    void credentialsInTheRemoteUrlNeverReachTheEvents() throws Exception {
        LineageRecord r = Records.training(true, "https://user:ghp_s3cr3tT0ken@github.com/acme/churn.git?private_token=abc", List.of());

        for (RunEvent e : OpenLineageEvents.events(r, PRODUCER, id -> Optional.empty())) {
            String line = OpenLineageEvents.toJsonLine(e);
            assertThat(line).doesNotContain("ghp_s3cr3tT0ken").doesNotContain("user:").doesNotContain("private_token");
            assertThat(JSON.readTree(line).path("job").path("facets").path("sourceCodeLocation").path("url").asText())
                    .isEqualTo("https://github.com/acme/churn.git");
        }
    }

    @Test
    void scpLikeRemoteBecomesAnSshUrl() {
        assertThat(OpenLineageEvents.safeRepositoryUri("git@github.com:acme/churn.git"))
                .hasValue(java.net.URI.create("ssh://github.com/acme/churn.git"));
        assertThat(OpenLineageEvents.safeRepositoryUri("")).isEmpty();
    }

    @Test
    void eventsSurviveTheClientsOwnJsonRoundTrip() throws Exception {
        for (RunEvent e : OpenLineageEvents.events(Records.training(true, REMOTE, List.of("p0p0")),
                PRODUCER, id -> Optional.of(Records.parent()))) {
            String line = OpenLineageEvents.toJsonLine(e);
            // same content; the client may reorder keys of maps it read back
            assertThat(JSON.readTree(OpenLineageEvents.toJsonLine(OpenLineageEvents.fromJson(line))))
                    .isEqualTo(JSON.readTree(line));
        }
    }

    @Test
    void nonFiniteMetricsAreWrittenAsStrings() throws Exception {
        LineageRecord base = Records.training(true, REMOTE, List.of());
        LineageRecord r = new LineageRecord(base.id(), base.job(), base.namespace(), base.runId(), base.startedAt(),
                base.endedAt(), true, base.inputs(), base.outputs(), base.params(), java.util.Map.of("loss", Double.NaN),
                base.parents(), base.models(), base.code(), base.environment());

        JsonNode metrics = parsed(r).get(1).path("run").path("facets").path("modelgate_metrics").path("metrics");
        assertThat(metrics.path("loss").asText()).isEqualTo("NaN");
    }

    @Test
    void rejectsARunIdThatIsNotAUuid() {
        LineageRecord r = Records.training("id1", "build-42", java.time.Instant.EPOCH,
                java.time.Instant.EPOCH, true, REMOTE, List.of());

        assertThatThrownBy(() -> OpenLineageEvents.events(r, PRODUCER, id -> Optional.empty()))
                .isInstanceOf(LineageException.class)
                .hasMessageContaining("'build-42', not a UUID");
    }

    /** Lineage records for the OpenLineage tests (also used by OutboxTest and OpenLineageHttpIT). */
    static final class Records {
        static final String PRODUCER = "https://github.com/modelgate/modelgate/tree/v0.1.0";
        static final String RUN_ID = "3f1b8a52-6c2e-4d8e-9a57-2f7c1e4b9d10";
        static final String PARENT_RUN_ID = "0b6f3c9e-1d2a-4e5f-8a7b-9c0d1e2f3a4b";

        private Records() {
        }

        static LineageRecord training(boolean succeeded, String remoteUrl, List<String> parents) {
            return training("a1b2c3", RUN_ID, Instant.parse("2026-11-26T10:00:00Z"), Instant.parse("2026-11-26T10:05:30.123Z"),
                    succeeded, remoteUrl, parents);
        }

        static LineageRecord training(String id, String runId, Instant started, Instant ended, boolean succeeded,
                                      String remoteUrl, List<String> parents) {
            return new LineageRecord(id, "churn-train", "jenkins.example.com", runId, started, ended, succeeded,
                    List.of(new Dataset("/work/data/train.csv", "aa11", 2048, 1, List.of("age", "plan", "churned"), 100),
                            new Dataset("s3://bucket/features/part-0.parquet", "bb22", 4096, 1, List.of(), -1)),
                    List.of(new Dataset("/work/model/model.bin", "cc33", 512, 1, List.of(), -1)),
                    Map.of("learning_rate", "0.1", "epochs", "20"),
                    Map.of("auc", 0.91, "logloss", 0.32),
                    parents, List.of("churn@1.4.0"),
                    new CodeVersion("9fceb02d0ae598e95dc970b74767f19372d61af8", "main", remoteUrl, false, ""),
                    new RunEnvironment("17.0.12 (Eclipse Adoptium)", "Linux 6.1 amd64", 8, Map.of(),
                            Map.of("BUILD_NUMBER", "42")));
        }

        static LineageRecord parent() {
            return new LineageRecord("p0p0", "churn-prepare", "jenkins.example.com", PARENT_RUN_ID,
                    Instant.parse("2026-11-26T09:50:00Z"), Instant.parse("2026-11-26T09:55:00Z"), true,
                    List.of(), List.of(), Map.of(), Map.of(), List.of(), List.of(), CodeVersion.NONE,
                    new RunEnvironment("17", "Linux", 1, Map.of(), Map.of()));
        }
    }
}
