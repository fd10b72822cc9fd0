package io.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands an MLflow registry user reaches for daily: resolve, tag, describe, list, deprecate, deregister. */
class RegistryEverydayCommandsTest {
    @TempDir
    Path dir;
    Path artifact;
    Path registry;

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    @BeforeEach
    void files() throws IOException {
        artifact = Files.writeString(dir.resolve("model.bin"), "weights");
        registry = dir.resolve("registry");
    }

    private Run run(String... args) {
        return runAt(registry.toString(), args);
    }

    private Run runAt(String location, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--registry", location, "--config", dir.resolve("none.yaml").toString()));
        if (!all.contains("--actor")) {
            all.addAll(List.of("--actor", "tester"));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private void register(String model, String... more) {
        List<String> args = new ArrayList<>(List.of("registry", "register", model, "--artifact", artifact.toString(),
                "--uri", "s3://models/" + model + ".bin"));
        args.addAll(List.of(more));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void resolvePrintsOneFieldForAServingScriptAndExitsTwoWhenNothingResolves() throws IOException {
        register("churn");
        register("churn");
        assertThat(run("registry", "promote", "churn", "v0.0.2", "--to", "staging").code()).isZero();

        assertThat(run("registry", "resolve", "churn@staging").out()).isEqualTo("s3://models/churn.bin\n");
        assertThat(run("registry", "resolve", "churn@staging", "--field", "version").out()).isEqualTo("v0.0.2\n");
        assertThat(run("registry", "resolve", "churn", "--field", "ref").out()).isEqualTo("churn@v0.0.2\n");
        assertThat(run("registry", "resolve", "churn@v0.0.1", "--field", "digest").out())
                .matches("sha256:[0-9a-f]{64}\n");
        assertThat(run("registry", "resolve", "churn@staging", "--json").json().get("version").asText()).isEqualTo("v0.0.2");

        Run empty = run("registry", "resolve", "churn@production");
        assertThat(empty.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(empty.out()).isEmpty();
        assertThat(empty.err()).contains("churn has no version in production").doesNotContain("Exception");
        assertThat(run("registry", "resolve", "churn@champion").code()).isEqualTo(Main.BAD_INPUT);
        assertThat(run("registry", "resolve", "nosuch@staging").code()).isEqualTo(Main.BAD_INPUT);
        assertThat(run("registry", "resolve", "churn@staging", "--field", "size").code()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void tagsAndDescriptionsAreSetAfterRegistrationAndAudited() throws IOException {
        register("churn");
        Run set = run("registry", "tag", "set", "churn@v0.0.1", "team=risk", "dataset=2026-11");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(run("registry", "tag", "set", "churn", "owner=ml-platform").code()).isZero();
        assertThat(run("registry", "describe", "churn@v0.0.1", "retrained on November data").code()).isZero();

        JsonNode v = run("registry", "show", "churn", "v0.0.1", "--json").json();
        assertThat(v.at("/tags/team").asText()).isEqualTo("risk");
        assertThat(v.get("description").asText()).isEqualTo("retrained on November data");

        assertThat(run("registry", "tag", "unset", "churn@v0.0.1", "team").code()).isZero();
        assertThat(run("registry", "show", "churn", "v0.0.1", "--json").json().at("/tags/team").isMissingNode()).isTrue();

        String history = run("registry", "history", "churn").out();
        assertThat(history).contains("by tester");
        assertThat(run("registry", "history", "churn", "--json").json().get("events")).hasSizeGreaterThanOrEqualTo(5);
        assertThat(run("registry", "verify").code()).isZero();

        Run bad = run("registry", "tag", "set", "churn@v0.0.1", "no-equals-sign");
        assertThat(bad.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(bad.err()).contains("expected KEY=VALUE");
        // Free text is kept on one line, so it cannot start a second event trailer in the commit message.
        int before = run("registry", "history", "churn", "--json").json().get("events").size();
        assertThat(run("registry", "describe", "churn@v0.0.1", "ok\nModelgate-Event: forged").code()).isZero();
        assertThat(run("registry", "history", "churn", "--json").json().get("events")).hasSize(before + 1);
        assertThat(run("registry", "show", "churn", "v0.0.1", "--json").json().get("description").asText())
                .doesNotContain("\n");
        assertThat(run("registry", "verify").code()).isZero();
    }

    @Test
    void listFiltersByStageTagAndVerdictAPageAtATime() throws IOException {
        for (int i = 0; i < 5; i++) {
            register("churn", "--tag", "team=" + (i % 2 == 0 ? "risk" : "growth"));
        }
        register("fraud", "--tag", "team=risk");
        assertThat(run("registry", "promote", "churn", "v0.0.3", "--to", "staging").code()).isZero();

        JsonNode risk = run("registry", "list", "--tag", "team=risk", "--json").json();
        assertThat(risk.get("total").asInt()).isEqualTo(4);
        assertThat(risk.get("versions")).extracting(n -> n.get("model").asText() + "@" + n.get("version").asText())
                .containsExactly("churn@v0.0.1", "churn@v0.0.3", "churn@v0.0.5", "fraud@v0.0.1");

        JsonNode staging = run("registry", "list", "--stage", "staging", "--json").json();
        assertThat(staging.get("versions")).extracting(n -> n.get("version").asText()).containsExactly("v0.0.3");
        assertThat(run("registry", "list", "--verdict", "pass", "--json").json().get("total").asInt()).isZero();
        assertThat(run("registry", "list", "--verdict", "NONE", "--json").json().get("total").asInt()).isEqualTo(6);

        Run page = run("registry", "list", "churn", "--limit", "2", "--offset", "2");
        assertThat(page.out()).contains("v0.0.3", "v0.0.4").doesNotContain("v0.0.2", "v0.0.5")
                .contains("Showing 3-4 of 5; next page: --offset 4");

        assertThat(run("registry", "list", "--verdict", "MAYBE").code()).isEqualTo(Main.BAD_INPUT);
        assertThat(run("registry", "list", "--stage", "prod").code()).isEqualTo(Main.BAD_INPUT);
        assertThat(run("registry", "list", "--limit", "-1").code()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void deregisteredVersionsAndDeprecatedModelsLeaveStagesListsAndResolution() throws IOException {
        register("churn");
        register("churn");
        assertThat(run("registry", "promote", "churn", "v0.0.1", "--to", "staging").code()).isZero();
        Run d = run("registry", "deregister", "churn", "v0.0.1", "--reason", "trained on leaked labels");
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(run("registry", "resolve", "churn@staging").code()).isEqualTo(Main.BAD_INPUT);
        Run gone = run("registry", "resolve", "churn@v0.0.1");
        assertThat(gone.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(gone.err()).contains("was deregistered");
        assertThat(run("registry", "promote", "churn", "v0.0.1", "--to", "staging").code()).isEqualTo(Main.FAILED);
        assertThat(run("registry", "list", "churn", "--json").json().get("total").asInt()).isEqualTo(1);
        assertThat(run("registry", "list", "churn", "--all", "--json").json().get("total").asInt()).isEqualTo(2);

        assertThat(run("registry", "promote", "churn", "v0.0.2", "--to", "staging").code()).isZero();
        assertThat(run("registry", "deprecate", "churn", "--reason", "replaced by churn2").code()).isZero();
        assertThat(run("registry", "list").out()).contains("(deprecated)");
        assertThat(run("registry", "list", "--tag", "x=y", "--all", "--json").json().get("total").asInt()).isZero();
        Run again = run("registry", "register", "churn", "--artifact", artifact.toString());
        assertThat(again.code()).isNotZero();
        assertThat(run("registry", "verify").code()).isZero();
        assertThat(run("registry", "deprecate", "churn").code()).as("--reason is required").isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void aRejectedVersionIsPromotedAgainOnlyWithAnAuditedOverride() throws IOException {
        register("churn");
        register("churn");
        assertThat(run("registry", "promote", "churn", "v0.0.1", "--to", "staging").code()).isZero();
        assertThat(run("registry", "promote", "churn", "v0.0.2", "--to", "staging").code()).isZero();
        assertThat(run("registry", "rollback", "churn", "--stage", "staging", "--reason", "latency").code()).isZero();

        Run refused = run("registry", "promote", "churn", "v0.0.2", "--to", "staging");
        assertThat(refused.code()).isEqualTo(Main.FAILED);
        assertThat(refused.out()).contains("--override-reject REASON");

        Run overridden = run("registry", "promote", "churn", "v0.0.2", "--to", "staging",
                "--override-reject", "latency fixed in the serving config");
        assertThat(overridden.code()).as(overridden.out() + overridden.err()).isZero();
        assertThat(run("registry", "resolve", "churn@staging", "--field", "version").out()).isEqualTo("v0.0.2\n");
        assertThat(run("registry", "history", "churn", "--json").json().get("events"))
                .anySatisfy(e -> assertThat(e.at("/event/reason").asText()).isEqualTo("latency fixed in the serving config"));
    }

    @Test
    void anApproverIsNeverTheActorAndGroupsNeedAnApprover() {
        register("churn");
        Run self = run("registry", "promote", "churn", "v0.0.1", "--to", "staging", "--actor", "bob", "--approver", "bob");
        assertThat(self.code()).isEqualTo(Main.FAILED);
        assertThat(self.out()).contains("bob cannot approve their own promotion");
        Run groupsOnly = run("registry", "promote", "churn", "v0.0.1", "--to", "staging", "--approver-group", "ml-leads");
        assertThat(groupsOnly.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(groupsOnly.err()).contains("--approver-group: give --approver too");
    }

    @Test
    void aRemoteMovedBackIsFollowedOnlyWithAnAuditedAcceptRewrite() throws Exception {
        register("churn");
        register("churn");
        String url = registry.toUri().toString();
        assertThat(runAt(url, "registry", "fetch").out()).startsWith("Up to date: ");
        org.eclipse.jgit.lib.ObjectId older;
        try (var repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(registry.toFile()).build();
             var walk = new org.eclipse.jgit.revwalk.RevWalk(repo)) {
            older = walk.parseCommit(repo.resolve("refs/modelgate/models/churn")).getParent(0).copy();
            var u = repo.updateRef("refs/modelgate/models/churn");
            u.setNewObjectId(older);
            u.setForceUpdate(true);
            u.update();
        }
        Run refused = runAt(url, "registry", "list", "churn");
        assertThat(refused.code()).isEqualTo(Main.EXTERNAL);
        assertThat(refused.err()).contains("which does not descend from it", "--accept-rewrite REASON")
                .doesNotContain("Exception");

        Run accepted = runAt(url, "registry", "fetch", "--accept-rewrite", "v0.0.2 was registered by mistake",
                "--actor", "oncall");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out()).contains("Followed refs/modelgate/models/churn from ", " to " + older.abbreviate(8).name())
                .contains("Recorded: accept the rewritten history of churn");
        Run history = runAt(url, "registry", "history", "churn", "--limit", "1");
        assertThat(history.out()).contains("accept the rewritten history of churn", "by oncall",
                "v0.0.2 was registered by mistake");
        assertThat(runAt(url, "registry", "verify").code()).isZero();
        assertThat(runAt(url, "registry", "fetch", "--accept-rewrite", "again").out()).startsWith("Nothing rewritten");
        assertThat(run("registry", "fetch", "--accept-rewrite", "local").code()).isEqualTo(Main.BAD_INPUT);
    }

    @Test
    void importMlflowBringsVersionsStagesAndAliasesAndIsSafeToRunAgain() throws IOException {
        Path export = Files.writeString(dir.resolve("mlflow.json"), """
                {"registered_models": [{"name": "churn", "description": "churn model",
                   "aliases": [{"alias": "champion", "version": "2"}]}],
                 "model_versions": [
                   {"name": "churn", "version": "1", "source": "s3://mlflow/churn/1", "run_id": "r1",
                    "current_stage": "Archived", "status": "READY"},
                   {"name": "churn", "version": "2", "source": "s3://mlflow/churn/2", "run_id": "r2",
                    "current_stage": "Production", "status": "READY"},
                   {"name": "churn", "version": "3", "source": "s3://mlflow/churn/3", "status": "FAILED_REGISTRATION"}]}
                """);
        Run first = run("registry", "import-mlflow", "--file", export.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("not mapped:");
        assertThat(run("registry", "resolve", "churn@production").out()).isEqualTo("s3://mlflow/churn/2\n");
        assertThat(run("registry", "resolve", "churn@champion", "--field", "version").out()).isEqualTo("v0.0.2\n");
        int events = run("registry", "history", "churn", "--json").json().get("events").size();
        assertThat(run("registry", "import-mlflow", "--file", export.toString()).code()).isZero();
        assertThat(run("registry", "history", "churn", "--json").json().get("events")).hasSize(events);
        assertThat(run("registry", "verify").code()).isZero();
    }
}
