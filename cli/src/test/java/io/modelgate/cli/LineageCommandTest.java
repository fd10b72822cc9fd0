package io.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jgit.api.Git;
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
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LineageCommandTest {
    @TempDir
    Path dir;
    Path registry;
    Path data;
    Path model;

    record Run(int code, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--registry", registry.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    @BeforeEach
    void files() throws IOException {
        registry = dir.resolve("registry");
        data = Files.writeString(dir.resolve("train.csv"), "x,y,label\n1,2,0\n3,4,1\n");
        model = Files.writeString(dir.resolve("model.bin"), "weights");
    }

    private void assertBadInput(Run r, String... fragments) {
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err()).startsWith("modelgate: ").contains(fragments).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void recordsLinksToTheModelAndTracesBackToTheData() throws IOException {
        assertThat(run("registry", "register", "churn", "--artifact", model.toString()).code()).isZero();
        Run rec = run("lineage", "record", "--job", "train", "--input", data.toString(), "--output", model.toString(),
                "--param", "lr=0.1", "--model", "churn@v0.0.1", "--json");
        assertThat(rec.code()).as(rec.err()).isZero();
        JsonNode record = rec.json();
        String id = record.get("id").asText();
        assertThat(record.at("/inputs/0/csv_rows").asLong()).isEqualTo(2);
        assertThat(record.at("/inputs/0/csv_header")).hasSize(3);
        assertThat(record.at("/params/lr").asText()).isEqualTo("0.1");
        assertThat(run("registry", "show", "churn", "v0.0.1").out()).contains("lineage    " + id);

        Run trace = run("lineage", "trace", "--model", "churn@v0.0.1", "--html", dir.resolve("html").toString(), "--json");
        assertThat(trace.code()).isZero();
        assertThat(trace.json().get("nodes")).hasSize(3);
        assertThat(dir.resolve("html/lineage.html")).exists();
        Run impact = run("lineage", "impact", "--dataset", data.toString());
        assertThat(impact.out()).contains("--produced--> model churn@v0.0.1");
        assertThat(run("lineage", "show", id.substring(0, 8)).out()).contains("param      lr=0.1");
    }

    @Test
    void aDataSetChangedByOneByteIsADifferentDataSet() throws IOException {
        Run first = run("lineage", "record", "--input", data.toString(), "--output", model.toString(), "--json");
        Files.writeString(data, "x,y,label\n1,2,0\n3,4,0\n");
        Run second = run("lineage", "record", "--input", data.toString(), "--output", model.toString(), "--json");
        String a = first.json().at("/inputs/0/sha256").asText();
        String b = second.json().at("/inputs/0/sha256").asText();
        assertThat(a).isNotEqualTo(b);
        Run diff = run("lineage", "diff", first.json().get("id").asText(), second.json().get("id").asText());
        assertThat(diff.out()).contains("input").contains(a).contains(b);
    }

    @Test
    void aCredentialInTheRemoteUrlAppearsNowhere() throws Exception {
        Path work = dir.resolve("work");
        try (Git git = Git.init().setDirectory(work.toFile()).call()) {
            Files.writeString(work.resolve("train.py"), "x\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("c").setSign(false).call();
            var config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", "https://ci:ghp_TOPSECRET123@git.example.com/ml.git");
            config.save();
        }
        Run rec = run("lineage", "record", "--input", data.toString(), "--output", model.toString(), "--json",
                "--work-tree", work.toString(), "--openlineage-file", dir.resolve("ol.ndjson").toString(),
                "--outbox", dir.resolve("outbox").toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.json().at("/code/remote_url").asText()).isEqualTo("https://git.example.com/ml.git");
        assertThat(rec.out() + rec.err()).doesNotContain("TOPSECRET");
        assertThat(dir.resolve("ol.ndjson")).exists();
        try (Stream<Path> files = Files.walk(dir)) {
            // Everything Modelgate wrote: the registry, the events; not the work tree's own .git/config.
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(work.resolve(".git"))).toList()) {
                assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(f.toString()).doesNotContain("TOPSECRET");
            }
        }
        // Git objects are compressed: read every object of the registry through git itself.
        Process cat = new ProcessBuilder("git", "--git-dir=" + registry, "cat-file", "--batch-all-objects", "--batch")
                .redirectErrorStream(true).start();
        String objects = new String(cat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(cat.waitFor()).isZero();
        assertThat(objects).contains("git.example.com/ml.git").doesNotContain("TOPSECRET");
    }

    @Test
    void badInputIsOneLineAndStoresNothing() throws IOException {
        assertBadInput(run("lineage", "record", "--input", dir.resolve("missing.csv").toString()), "missing.csv");
        assertBadInput(run("lineage", "record", "--input", data.toString(), "--param", "noequals"), "KEY=VALUE");
        // Nothing recorded yet: a read-only command finds no registry, and creates none.
        assertBadInput(run("lineage", "show", "abcdef123456"), "no registry at " + registry);
        assertBadInput(run("lineage", "record", "--input", data.toString(), "--parent", "abcdef123456"), "--parent");
        assertBadInput(run("lineage", "record", "--input", data.toString(), "--model", "churn@v9.0.0"), "unknown model 'churn'");
        Path loop = Files.createDirectories(dir.resolve("loop"));
        Files.createSymbolicLink(loop.resolve("self"), loop);
        assertBadInput(run("lineage", "record", "--input", loop.toString()), "loop");
        assertThat(registry).doesNotExist();
    }

    @Test
    void anUnreachableOpenLineageEndpointKeepsTheRecordWarnsAndFailsOnlyWhenRequired() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        String outbox = dir.resolve("outbox").toString();
        Run soft = run("lineage", "record", "--input", data.toString(), "--openlineage-url", url, "--json", "--outbox", outbox);
        assertThat(soft.code()).isZero();
        assertThat(soft.err()).startsWith("modelgate: warning: OpenLineage: 2 event(s) pending");
        String id = soft.json().get("id").asText();
        assertThat(run("lineage", "show", id).code()).isZero();
        Run hard = run("lineage", "record", "--input", data.toString(), "--openlineage-url", url, "--require-emit",
                "--outbox", outbox);
        assertThat(hard.code()).isEqualTo(Main.EXTERNAL);

        var received = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/api/v1/lineage", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        try {
            Run flush = runWithoutRegistry("lineage", "flush", "--openlineage-url", url, "--outbox", outbox);
            assertThat(flush.code()).as(flush.err()).isZero();
            assertThat(flush.out()).contains("Sent 4 OpenLineage event(s), 0 pending");
            assertThat(received).hasSize(4);
            assertThat(received.get(0)).contains("\"eventType\":\"START\"");
            assertThat(runWithoutRegistry("lineage", "flush", "--openlineage-url", url, "--outbox", outbox).out()).contains("Sent 0");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void lineageTravelsWithTheRegistryThroughAGitRemote() throws Exception {
        Path bare = dir.resolve("shared.git");
        try (Git git = Git.init().setBare(true).setDirectory(bare.toFile()).call()) {
            assertThat(git.getRepository().isBare()).isTrue();
        }
        String url = bare.toUri().toString();
        assertThat(runWithoutRegistry("registry", "register", "churn", "--artifact", model.toString(), "--registry", url)
                .code()).isZero();
        Run rec = runWithoutRegistry("lineage", "record", "--input", data.toString(), "--output", model.toString(),
                "--model", "churn@v0.0.1", "--registry", url, "--json", "--outbox", dir.resolve("outbox").toString());
        assertThat(rec.code()).as(rec.err()).isZero();
        String id = rec.json().get("id").asText();
        // Both were pushed to the shared repository: the model's ref and the lineage ref.
        try (var repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(bare.toFile()).build()) {
            assertThat(repo.exactRef("refs/modelgate/lineage")).isNotNull();
            assertThat(repo.exactRef("refs/modelgate/models/churn")).isNotNull();
        }
        assertThat(runWithoutRegistry("registry", "show", "churn", "v0.0.1", "--registry", url).out()).contains("lineage    " + id);
        assertThat(runWithoutRegistry("lineage", "trace", "--model", "churn@v0.0.1", "--registry", url).out())
                .contains("--produced--> model churn@v0.0.1");
    }

    private Run runWithoutRegistry(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }
}
