package io.modelgate.registry;

import io.modelgate.common.Digests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Importing what MLflow's REST API answers, written here as its documented responses (protobuf JSON: empty fields left out). */
class MlflowImportTest {
    private static final Actor IMPORTER = new Actor("jenkins", BuildInfo.NONE, Instant.parse("2026-03-01T12:00:00Z"));

    /** {@code GET /api/2.0/mlflow/registered-models/search}: one page, with a token for the next. */
    private static final String REGISTERED_MODELS = """
            {
              "registered_models": [
                {
                  "name": "churn",
                  "creation_timestamp": 1699990000000,
                  "last_updated_timestamp": 1701000000000,
                  "user_id": "alice@example.com",
                  "description": "Predicts which customers leave within 90 days",
                  "latest_versions": [
                    {"name": "churn", "version": "3", "creation_timestamp": 1700300000000,
                     "last_updated_timestamp": 1700900000000, "current_stage": "Production",
                     "source": "s3://ml-artifacts/7/c3c3c3/artifacts/model", "run_id": "c3c3c3",
                     "status": "READY", "user_id": "bob@example.com"},
                    {"name": "churn", "version": "4", "creation_timestamp": 1700400000000,
                     "current_stage": "Staging", "source": "runs:/d4d4d4/model", "run_id": "d4d4d4",
                     "status": "READY"}
                  ],
                  "tags": [{"key": "team", "value": "retention"}, {"key": "task", "value": "classification"}],
                  "aliases": [{"alias": "champion", "version": "3"}]
                },
                {
                  "name": "Fraud Model",
                  "creation_timestamp": 1699000000000,
                  "description": "Card fraud scores",
                  "latest_versions": [
                    {"name": "Fraud Model", "version": "1", "current_stage": "Production",
                     "source": "mlflow-artifacts:/2/f1/artifacts/model", "status": "READY"}
                  ]
                }
              ],
              "next_page_token": "eyJvZmZzZXQiOiAyfQ=="
            }
            """;

    /** {@code GET /api/2.0/mlflow/model-versions/search?filter=name='churn'}. */
    private static final String MODEL_VERSIONS = """
            {
              "model_versions": [
                {"name": "churn", "version": "1", "creation_timestamp": 1700100000000,
                 "last_updated_timestamp": 1700600000000, "user_id": "alice@example.com",
                 "current_stage": "Archived", "source": "s3://ml-artifacts/7/a1a1a1/artifacts/model",
                 "run_id": "a1a1a1", "status": "READY",
                 "tags": [{"key": "validation_status", "value": "approved"}], "run_link": ""},
                {"name": "churn", "version": "2", "creation_timestamp": 1700200000000,
                 "user_id": "alice@example.com", "current_stage": "Production",
                 "source": "s3://ml-artifacts/7/b2b2b2/artifacts/model", "run_id": "b2b2b2", "status": "READY"},
                {"name": "churn", "version": "3", "creation_timestamp": 1700300000000,
                 "user_id": "bob@example.com", "current_stage": "Production",
                 "description": "Gradient boosting, November retrain",
                 "source": "s3://ml-artifacts/7/c3c3c3/artifacts/model", "run_id": "c3c3c3", "status": "READY",
                 "aliases": ["champion", "November"]},
                {"name": "churn", "version": "4", "creation_timestamp": "1700400000000",
                 "current_stage": "Staging", "source": "runs:/d4d4d4/model", "run_id": "d4d4d4", "status": "READY"},
                {"name": "churn", "version": "5", "creation_timestamp": 1700500000000,
                 "current_stage": "None", "source": "runs:/e5e5e5/model", "run_id": "e5e5e5",
                 "status": "FAILED_REGISTRATION", "status_message": "artifact upload failed"}
              ]
            }
            """;

    @TempDir
    Path dir;

    private Path file(String name, String json) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    /** Both responses in one file, as a list of pages. */
    private Path export() throws Exception {
        return file("mlflow.json", "[" + REGISTERED_MODELS + "," + MODEL_VERSIONS + "]");
    }

    private Registry open(RegistryConfig config) {
        return Registry.open(dir.resolve("registry").toString(), dir, config);
    }

    @Test
    void mapsVersionsStagesAliasesTagsAndDescriptions() throws Exception {
        try (Registry r = open(RegistryConfig.defaults())) {
            MlflowImport.Report report = r.importMlflow(export(), Map.of(), IMPORTER);

            assertThat(r.models()).containsExactly("churn");
            assertThat(r.versions("churn")).extracting(ModelVersion::version)
                    .containsExactly("v0.0.1", "v0.0.2", "v0.0.3", "v0.0.4");
            ModelState churn = r.state("churn");
            assertThat(churn.holders("production")).containsExactly("v0.0.3");
            assertThat(churn.holders("staging")).containsExactly("v0.0.4");
            assertThat(r.version("churn", "v0.0.1").stage()).isEqualTo("archived");
            assertThat(r.version("churn", "v0.0.2").stage()).isEmpty();
            assertThat(churn.aliases()).containsExactly(Map.entry("champion", "v0.0.3"));
            assertThat(churn.description()).isEqualTo("Predicts which customers leave within 90 days");
            assertThat(churn.tags()).containsExactly(Map.entry("task", "classification"), Map.entry("team", "retention"));

            ModelVersion v1 = r.version("churn", "v0.0.1");
            assertThat(v1.tags()).containsOnly(Map.entry("validation_status", "approved"), Map.entry("mlflow.run_id", "a1a1a1"));
            assertThat(v1.createdBy()).isEqualTo("alice@example.com");
            assertThat(v1.createdAt()).isEqualTo(Instant.ofEpochMilli(1700100000000L));
            ModelVersion v3 = r.version("churn", "v0.0.3");
            assertThat(v3.description()).isEqualTo("Gradient boosting, November retrain");
            assertThat(v3.artifact().uri()).isEqualTo("s3://ml-artifacts/7/c3c3c3/artifacts/model");
            assertThat(v3.artifact().sha256()).isEqualTo(Digests.sha256(MlflowImport.identity("churn", BigInteger.valueOf(3),
                    "s3://ml-artifacts/7/c3c3c3/artifacts/model")));
            ModelVersion v4 = r.version("churn", "v0.0.4");
            assertThat(v4.artifact().uri()).isEqualTo("runs:/d4d4d4/model");
            // Given as a string of digits, as protobuf may write an int64.
            assertThat(v4.createdAt()).isEqualTo(Instant.ofEpochMilli(1700400000000L));
            assertThat(v4.createdBy()).isEqualTo("jenkins");

            // Every change is an audited event; the promotions say where they came from.
            assertThat(r.history("churn", 0)).anySatisfy(a -> {
                assertThat(a.event().type()).isEqualTo(EventType.PROMOTE);
                assertThat(a.event().reason()).isEqualTo("imported from MLflow: churn version 3 is in Production");
                assertThat(a.event().actor()).isEqualTo("jenkins");
            });
            assertThat(report.applied()).isEqualTo(r.history("churn", 0).size()).isEqualTo(report.imported().size());
            assertThat(report.imported()).contains("register churn@v0.0.3 (MLflow churn version 3)",
                    "promote churn@v0.0.3 to production (MLflow churn version 3)",
                    "set alias churn@champion -> v0.0.3");
            assertThat(report.unmapped()).containsExactlyInAnyOrder(
                    "MLflow model 'Fraud Model': not imported: model name 'Fraud Model' is not allowed: use letters, "
                            + "digits, '.', '_' and '-', starting and ending with a letter or digit",
                    "MLflow churn version 2: in Production with newer versions; registry stage production holds 1 "
                            + "version, so it stays where it is",
                    "MLflow churn version 5: not imported: its status is FAILED_REGISTRATION (artifact upload failed); "
                            + "only READY versions have an artifact",
                    "MLflow alias churn@November: not imported: alias 'November' is not allowed: use lower-case letters, "
                            + "digits, '_' and '-', starting with a letter");
            assertThat(report.hookProblems()).isEmpty();
            assertThat(r.verify().problems()).isEmpty();
        }
    }

    @Test
    void aSecondImportChangesNothing() throws Exception {
        Path export = export();
        try (Registry r = open(RegistryConfig.defaults())) {
            MlflowImport.Report first = r.importMlflow(export, Map.of(), IMPORTER);
            int events = r.history("churn", 0).size();
            String head = r.history("churn", 1).get(0).commit();
            MlflowImport.Report again = r.importMlflow(export, Map.of(),
                    new Actor("jenkins", BuildInfo.NONE, IMPORTER.at().plusSeconds(3600)));
            assertThat(again.applied()).isZero();
            assertThat(again.imported()).isEmpty();
            assertThat(again.unmapped()).isEqualTo(first.unmapped());
            assertThat(r.history("churn", 0)).hasSize(events);
            assertThat(r.history("churn", 1).get(0).commit()).isEqualTo(head);
        }
    }

    @Test
    void readsOneObjectWithBothKeysAndTheStageMapOverridesTheDefaults() throws Exception {
        String both = REGISTERED_MODELS.replace("\"next_page_token\": \"eyJvZmZzZXQiOiAyfQ==\"",
                MODEL_VERSIONS.strip().substring(1, MODEL_VERSIONS.strip().length() - 1));
        try (Registry r = open(RegistryConfig.defaults())) {
            Map<String, String> stageMap = new LinkedHashMap<>();
            stageMap.put("archived", "None");
            stageMap.put("Staging", "production");
            MlflowImport.Report report = r.importMlflow(file("both.json", both), stageMap, IMPORTER);
            assertThat(r.version("churn", "v0.0.1").stage()).isEmpty();
            // Staging and Production both go to production: the newest of them holds it.
            assertThat(r.state("churn").holders("production")).containsExactly("v0.0.4");
            assertThat(report.unmapped()).contains("MLflow churn version 2: in Production with newer versions; registry "
                    + "stage production holds 1 version, so it stays where it is");
        }
    }

    @Test
    void reportsStagesTheRegistryDoesNotHave() throws Exception {
        Map<String, Integer> stages = new LinkedHashMap<>();
        stages.put("canary", 1);
        stages.put("production", 1);
        RegistryConfig config = new RegistryConfig(stages, "retired", Map.of(), false);
        try (Registry r = open(config)) {
            MlflowImport.Report report = r.importMlflow(file("v.json", MODEL_VERSIONS), Map.of(), IMPORTER);
            assertThat(report.unmapped()).contains("MLflow churn version 4: MLflow stage Staging would be registry stage "
                    + "'staging', which this registry does not have (canary, production, retired); registered only. "
                    + "Map it: --stage Staging=STAGE");
            // Archived goes to the registry's own archive, whatever it is called.
            assertThat(r.version("churn", "v0.0.1").stage()).isEqualTo("retired");
            assertThat(r.version("churn", "v0.0.4").stage()).isEmpty();
        }
    }

    @Test
    void aVersionRegisteredHereWithAnotherArtifactIsNotOverwritten() throws Exception {
        try (Registry r = open(RegistryConfig.defaults())) {
            Path artifact = dir.resolve("model.bin");
            Files.writeString(artifact, "local weights");
            r.register(new Registry.Registration("churn", artifact, "", "v0.0.2", "patch", "", Map.of()), IMPORTER);
            MlflowImport.Report report = r.importMlflow(file("v.json", MODEL_VERSIONS), Map.of(), IMPORTER);
            assertThat(report.unmapped()).anySatisfy(line -> assertThat(line)
                    .startsWith("MLflow churn version 2: not imported: churn@v0.0.2 is registered already, with another artifact ("));
            assertThat(r.version("churn", "v0.0.2").artifact().uri()).isEqualTo(artifact.toAbsolutePath().normalize().toString());
            assertThat(r.versions("churn")).hasSize(4);
        }
    }

    @Test
    void refusesAMalformedFileInOneLineNamingTheFieldAndWritesNothing() throws Exception {
        try (Registry r = open(RegistryConfig.defaults())) {
            Path broken = file("broken.json", "{\"model_versions\": [{\"name\": \"churn\", ");
            assertThatThrownBy(() -> r.importMlflow(broken, Map.of(), IMPORTER))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageStartingWith(broken + " line 1, column ").hasMessageContaining(": not valid JSON: ");
            Path badVersion = file("bad-version.json", "{\"model_versions\": [{\"name\": \"churn\", \"version\": \"1\"},"
                    + " {\"name\": \"churn\", \"version\": \"two\"}]}");
            assertThatThrownBy(() -> r.importMlflow(badVersion, Map.of(), IMPORTER))
                    .hasMessage(badVersion + ": model_versions[2].version: must be MLflow's version number (1, 2, 3, ...), "
                            + "found 'two'");
            Path misspelt = file("misspelt.json", "{\"model_version\": []}");
            assertThatThrownBy(() -> r.importMlflow(misspelt, Map.of(), IMPORTER))
                    .hasMessageStartingWith(misspelt + ": model_version: unknown key 'model_version' (did you mean "
                            + "'model_versions'?)");
            Path notAList = file("not-a-list.json", "[{\"registered_models\": {\"name\": \"churn\"}}]");
            assertThatThrownBy(() -> r.importMlflow(notAList, Map.of(), IMPORTER))
                    .hasMessage(notAList + ": [1].registered_models: must be a list, found a mapping");
            Path noName = file("no-name.json", "{\"registered_models\": [{\"description\": \"x\"}]}");
            assertThatThrownBy(() -> r.importMlflow(noName, Map.of(), IMPORTER))
                    .hasMessage(noName + ": registered_models[1].name: must be a name, found nothing");
            Path badTags = file("bad-tags.json", "{\"model_versions\": [{\"name\": \"churn\", \"version\": \"1\", "
                    + "\"tags\": {\"team\": \"risk\"}}]}");
            assertThatThrownBy(() -> r.importMlflow(badTags, Map.of(), IMPORTER))
                    .hasMessage(badTags + ": model_versions[1].tags: must be a list, found a mapping");
            Path scalar = file("scalar.json", "42");
            assertThatThrownBy(() -> r.importMlflow(scalar, Map.of(), IMPORTER))
                    .hasMessageStartingWith(scalar + ": expected an object with registered_models and/or model_versions");
            assertThatThrownBy(() -> r.importMlflow(export(), Map.of("Stagin", "staging"), IMPORTER))
                    .hasMessage("--stage Stagin=staging: 'Stagin' is not an MLflow stage (None, Staging, Production, "
                            + "Archived) (did you mean 'Staging'?)");
            assertThatThrownBy(() -> r.importMlflow(export(), Map.of("Production", "prod"), IMPORTER))
                    .hasMessageStartingWith("--stage Production=prod: 'prod' is not a registry stage");
            assertThat(r.models()).isEmpty();
        }
    }
}
