package io.modelgate.cli;

import io.modelgate.registry.DiskSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry and lineage commands and the disk: a command that only reads never creates a
 * registry or a directory, and a refused change writes nothing; and what the registry and lineage
 * store holds no password that came in through a URL.
 */
class RegistryDiskAndSecretsTest {
    @TempDir
    Path ws;

    record Run(int code, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), Invocation.of(ws, env), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    /** Every command that only reads, with {@code --registry LOCATION}. */
    static List<List<String>> readOnlyCommands(String location) {
        String id = "a".repeat(64);
        List<List<String>> all = new ArrayList<>();
        all.add(List.of("registry", "list"));
        all.add(List.of("registry", "list", "churn"));
        all.add(List.of("registry", "list", "--json"));
        all.add(List.of("registry", "show", "churn"));
        all.add(List.of("registry", "show", "churn", "v0.0.1"));
        all.add(List.of("registry", "show", "churn@production", "--json"));
        all.add(List.of("registry", "history", "churn"));
        all.add(List.of("registry", "history", "churn", "--limit", "1", "--json"));
        all.add(List.of("registry", "verify"));
        all.add(List.of("registry", "verify", "--json"));
        all.add(List.of("registry", "configure"));
        all.add(List.of("lineage", "show", id));
        all.add(List.of("lineage", "trace", "--model", "churn@v0.0.1"));
        all.add(List.of("lineage", "trace", "--artifact", "model.bin"));
        all.add(List.of("lineage", "impact", "--dataset", id));
        all.add(List.of("lineage", "impact", "--dataset", "model.bin"));
        all.add(List.of("lineage", "diff", "churn@v0.0.1", "churn@v0.0.2"));
        List<List<String>> withLocation = new ArrayList<>();
        for (List<String> c : all) {
            List<String> args = new ArrayList<>(c);
            args.addAll(List.of("--registry", location));
            withLocation.add(args);
        }
        return withLocation;
    }

    private void assertNoRegistryAndNothingChanged(String location, Path shownAs) throws IOException {
        Files.writeString(ws.resolve("model.bin"), "weights");
        String before = DiskSnapshot.of(ws);
        for (List<String> args : readOnlyCommands(location)) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(args + ": " + r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).as(args.toString()).isEqualTo("modelgate: no registry at " + shownAs + "\n");
            assertThat(r.out()).as(args.toString()).isEmpty();
            assertThat(DiskSnapshot.of(ws)).as("the workspace after " + args).isEqualTo(before);
        }
    }

    @Test
    void readOnlyCommandsOnAMistypedPathSayNoRegistryAndCreateNothing() throws IOException {
        assertNoRegistryAndNothingChanged("typo-path", ws.resolve("typo-path"));
        assertThat(ws.resolve("typo-path")).doesNotExist();
        assertThat(ws.resolve(".modelgate")).doesNotExist();
        assertNoRegistryAndNothingChanged("deep/typo/path", ws.resolve("deep/typo/path"));
        assertThat(ws.resolve("deep")).doesNotExist();
    }

    @Test
    void readOnlyCommandsOnAPlainDirectoryNeverTurnItIntoARepository() throws IOException {
        Path plain = Files.createDirectories(ws.resolve("plain"));
        Files.writeString(plain.resolve("notes.txt"), "my notes");
        Files.createDirectories(ws.resolve("empty"));
        assertNoRegistryAndNothingChanged("plain", plain);
        assertNoRegistryAndNothingChanged("empty", ws.resolve("empty"));
        assertThat(plain.resolve("HEAD")).doesNotExist();
        assertThat(plain.resolve("objects")).doesNotExist();
    }

    @Test
    void readOnlyCommandsWithTheDefaultLocationInAFreshWorkspaceCreateNothing() throws IOException {
        Files.writeString(ws.resolve("model.bin"), "weights");
        String before = DiskSnapshot.of(ws);
        for (List<String> args : List.of(List.of("registry", "list"), List.of("registry", "verify"),
                List.of("lineage", "trace", "--model", "churn@v0.0.1"))) {
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(args + r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).isEqualTo("modelgate: no registry at " + ws.resolve(".modelgate/registry") + "\n");
        }
        assertThat(DiskSnapshot.of(ws)).isEqualTo(before);
    }

    @Test
    void aRefusedChangeCreatesNoRegistry() throws IOException {
        Path artifact = Files.writeString(ws.resolve("model.bin"), "weights");
        String before = DiskSnapshot.of(ws);
        List<List<String>> refused = List.of(
                List.of("registry", "register", "x.lock", "--artifact", artifact.toString()),
                List.of("registry", "register", "churn", "--artifact", "missing.bin"),
                List.of("registry", "register", "churn", "--artifact", artifact.toString(), "--actor", "eve\nmallory"),
                List.of("registry", "register", "churn", "--artifact", artifact.toString(), "--version", "v1.0.0-x.lock"),
                List.of("registry", "register", "churn", "--artifact", artifact.toString(), "--tag", "a\u001bb=c"),
                List.of("registry", "promote", "churn", "v0.0.1", "--to", "production", "--approver", "carol\nModelgate-Event: {}"),
                List.of("registry", "alias", "set", "churn", "Champion", "v0.0.1"),
                List.of("registry", "configure", "--file", "missing.yaml"),
                List.of("lineage", "record", "--input", "model.bin", "--job", "train\nModelgate-Lineage: x"),
                List.of("lineage", "record", "--input", "model.bin", "--namespace", "ns\u0000"),
                List.of("lineage", "record", "--input", "model.bin", "--param", "a\nb=1"));
        for (List<String> c : refused) {
            List<String> args = new ArrayList<>(c);
            args.addAll(List.of("--registry", "new-registry"));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.code()).as(args + ": " + r.err()).isEqualTo(Main.BAD_INPUT);
            assertThat(r.err()).as(args.toString()).startsWith("modelgate: ").doesNotContain("\tat ", "Exception");
            assertThat(r.err().lines()).as(args.toString()).hasSize(1);
            assertThat(DiskSnapshot.of(ws)).as("the workspace after " + args).isEqualTo(before);
        }
    }

    @Test
    void aDirectoryWithFilesIsNeverMadeARegistryByAChangeEither() throws IOException {
        Path artifact = Files.writeString(ws.resolve("model.bin"), "weights");
        Path plain = Files.createDirectories(ws.resolve("plain"));
        Files.writeString(plain.resolve("notes.txt"), "my notes");
        String before = DiskSnapshot.of(ws);
        Run r = run("registry", "register", "churn", "--artifact", artifact.toString(), "--registry", "plain");
        assertThat(r.code()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).isEqualTo("modelgate: " + plain + " exists and is not a registry (a Git repository); give a"
                + " new or empty directory, or the path of an existing registry\n");
        assertThat(DiskSnapshot.of(ws)).isEqualTo(before);
    }

    /**
     * Credentials that reach the command through URLs (the build's URL from Jenkins, an artifact's
     * signed URI, URLs in a reason, a description, a parameter) are not in any Git object of the
     * registry afterwards, nor in the command's output.
     */
    @Test
    void noPasswordFromAUrlReachesAnyGitObject() throws Exception {
        Path artifact = Files.writeString(ws.resolve("model.bin"), "weights");
        Path data = Files.writeString(ws.resolve("train.csv"), "x,label\n1,0\n2,1\n");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BUILD_URL", "https://alice:Bu1ld%40Pw:x@rd@ci.example.com/job/train/7/");
        env.put("JENKINS_URL", "https://alice:JenkinsPw@ci.example.com/");
        env.put("JOB_NAME", "train");
        env.put("MODELGATE_ACTOR", "jenkins");
        List<String> secrets = List.of("Bu1ld", "x@rd", "JenkinsPw", "SigSecret", "DescPw", "ReasonPw", "ParamPw", "TagPw");
        List<Run> runs = new ArrayList<>();
        runs.add(run(env, "registry", "register", "churn", "--artifact", artifact.toString(),
                "--uri", "https://bucket.example.com/churn.bin?X-Amz-Signature=SigSecret&v=1",
                "--description", "see https://carol:DescPw@wiki.example.com/churn",
                "--tag", "source=https://dan:TagPw@git.example.com/x"));
        runs.add(run(env, "registry", "promote", "churn", "v0.0.1", "--to", "staging",
                "--reason", "checked at https://erin:ReasonPw@grafana.example.com/d/1"));
        runs.add(run(env, "lineage", "record", "--input", data.toString(), "--output", artifact.toString(),
                "--model", "churn@v0.0.1", "--param", "db=postgres://frank:ParamPw@db.example.com/x"));
        runs.add(run(env, "registry", "history", "churn"));
        runs.add(run(env, "registry", "show", "churn", "v0.0.1", "--json"));
        for (Run r : runs) {
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out() + r.err()).doesNotContain(secrets);
        }
        String objects = allObjects(ws.resolve(".modelgate/registry"));
        assertThat(objects).contains("ci.example.com/job/train/7/", "bucket.example.com/churn.bin", "wiki.example.com",
                "postgres://");
        assertThat(objects).doesNotContain(secrets);
        Process fsck = new ProcessBuilder("git", "--git-dir=" + ws.resolve(".modelgate/registry"), "fsck", "--strict")
                .redirectErrorStream(true).start();
        String report = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(fsck.waitFor()).as(report).isZero();
    }

    static String allObjects(Path gitDir) throws Exception {
        Process cat = new ProcessBuilder("git", "--git-dir=" + gitDir, "cat-file", "--batch-all-objects", "--batch")
                .redirectErrorStream(true).start();
        String objects = new String(cat.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(cat.waitFor()).isZero();
        assertThat(objects).isNotEmpty();
        return objects;
    }
}
