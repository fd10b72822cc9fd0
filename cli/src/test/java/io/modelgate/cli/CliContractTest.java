package io.modelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The command line's contract for bad input, attacked with every class of bad input on every command: the
 * documented exit code, one line on stderr starting {@code modelgate:} (and, for a usage error, the line that
 * says where the usage is), never a stack trace, and nothing created or changed in the workspace.
 *
 * <p>The cases are made from small tables: commands with a slot for a file, a name or a number, times the classes
 * of bad input that fit the slot. Each case runs in-process in a fresh copy of one workspace (a registry with a
 * registered model, a lineage record, a report directory and valid inputs), so that only the one bad input is bad.
 * Unreadable files ({@code chmod 000}) are skipped when the tests run as root, who reads them anyway.
 */
class CliContractTest {
    /** How long a command may take; a FIFO must be refused at once, so it gets less. */
    private static final long TIMEOUT_SECONDS = 20;
    private static final long FIFO_TIMEOUT_SECONDS = 3;
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    /**
     * Where the workspaces are: not a {@code @TempDir}, because a command that did not stop (a case that failed
     * by hanging) may still be writing into its workspace when the class ends; removed as far as possible after.
     */
    private static Path scratch;
    private static Path template;
    private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "contract-case");
        t.setDaemon(true);
        return t;
    });

    // ---------------------------------------------------------------- the workspace every case starts from

    @BeforeAll
    static void makeTemplate() throws IOException {
        scratch = Files.createTempDirectory("modelgate-contract-");
        template = Files.createDirectories(scratch.resolve("template"));
        write(template, "policy.yaml", "metrics:\n  roc_auc: {threshold: 0.5}\n");
        write(template, "metrics.json", "{\"roc_auc\": 0.8, \"accuracy\": 0.7}\n");
        write(template, "preds.csv", predictions());
        write(template, "reference.csv", driftData(400, 0, 1));
        write(template, "current.csv", driftData(300, 0, 2));
        write(template, "model.bin", "weights of a small model\n");
        write(template, "plan.yaml", """
                stable: http://127.0.0.1:9/
                canary: http://127.0.0.1:9/
                router: {type: embedded, port: 0}
                steps:
                  - {weight: 100, bake: 1s, min_requests: 0}
                analysis: {interval: 500ms, inconclusive: rollback}
                """);
        setUp("registry", "register", "churn", "--artifact", "model.bin", "--actor", "alice");
        setUp("lineage", "record", "--input", "preds.csv", "--output", "model.bin", "--job", "train");
        setUp("validate", "--policy", "policy.yaml", "--metrics", "metrics.json");
        Files.createDirectories(template.resolve("bad"));
    }

    private static void setUp(String... args) {
        Result r = run(template, List.of(args), TIMEOUT_SECONDS);
        assertThat(r.code()).as("set-up %s: %s", List.of(args), r.err()).isZero();
    }

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
        delete(scratch);
    }

    private static String predictions() {
        StringBuilder s = new StringBuilder("label,score,region\n");
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            int label = r.nextInt(2);
            s.append(label).append(',').append(String.format(Locale.ROOT, "%.3f", Math.min(1, Math.max(0,
                    0.3 + 0.4 * label + 0.2 * (r.nextDouble() - 0.5))))).append(',').append(i % 2 == 0 ? "eu" : "us")
                    .append('\n');
        }
        return s.toString();
    }

    private static String driftData(int rows, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder s = new StringBuilder("age,plan,score\n");
        String[] plans = {"basic", "plus", "pro"};
        for (int i = 0; i < rows; i++) {
            s.append(String.format(Locale.ROOT, "%.2f,%s,%.4f%n", 40 + 10 * r.nextDouble() + shift, plans[r.nextInt(3)],
                    r.nextDouble()));
        }
        return s.toString();
    }

    // ---------------------------------------------------------------- classes of bad input

    /** Makes a bad input at {@code path} (inside the case's workspace) before the workspace is snapshotted. */
    interface Maker {
        void make(Path path) throws IOException;
    }

    record Bad(String name, Maker maker) {
        boolean fifo() {
            return name.equals("fifo");
        }
    }

    private static final Bad MISSING = new Bad("missing", p -> { });
    private static final Bad EMPTY = new Bad("empty", p -> Files.write(p, new byte[0]));
    private static final Bad BINARY = new Bad("binary", p -> {
        byte[] b = new byte[4096];
        new SplittableRandom(3).nextBytes(b);
        b[0] = 0;
        b[1] = (byte) 0xff;
        Files.write(p, b);
    });
    private static final Bad MALFORMED = new Bad("malformed", p -> Files.writeString(p, "{\"a\": [1, 2,\n  : -\n"));
    private static final Bad HUGE = new Bad("huge", p -> Files.writeString(p, "a".repeat(3_500_000)));
    private static final Bad DIRECTORY = new Bad("directory", p -> Files.createDirectory(p));
    private static final Bad LINK_TO_DIRECTORY = new Bad("symlink-to-directory", p -> {
        Files.createDirectories(p.resolveSibling("a-directory"));
        Files.createSymbolicLink(p, p.resolveSibling("a-directory"));
    });
    private static final Bad DANGLING = new Bad("dangling-symlink",
            p -> Files.createSymbolicLink(p, p.resolveSibling("nothing-here")));
    private static final Bad FIFO = new Bad("fifo", p -> {
        try {
            Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
            assertThat(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0).as("mkfifo " + p).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    });
    private static final Bad UNREADABLE = new Bad("unreadable", p -> {
        Files.writeString(p, "label,score\n1,0.5\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
    });
    private static final Bad REGULAR_FILE = new Bad("regular-file", p -> Files.writeString(p, "not a directory\n"));
    private static final Bad PLAIN_DIRECTORY = new Bad("directory-not-a-repository", p -> {
        Files.createDirectory(p);
        Files.writeString(p.resolve("README"), "just files\n");
    });

    private static Bad content(String name, String text) {
        return new Bad(name, p -> Files.writeString(p, text));
    }

    private static Bad bytes(String name, byte[] b) {
        return new Bad(name, p -> Files.write(p, b));
    }

    /** What every parsed input is attacked with. */
    private static final List<Bad> PARSED = List.of(MISSING, EMPTY, BINARY, MALFORMED, HUGE, DIRECTORY, LINK_TO_DIRECTORY,
            DANGLING, FIFO, UNREADABLE);
    /** Inputs any bytes are good for (artifacts, lineage inputs), so only what cannot be read at all. */
    private static final List<Bad> OPAQUE = List.of(MISSING, DANGLING, FIFO, UNREADABLE);

    private static List<Bad> csv(String firstColumns) {
        String good = firstColumns + "\n" + "1,0.5\n".repeat(3);
        byte[] gzip = gzip(good.repeat(200));
        byte[] truncated = java.util.Arrays.copyOf(gzip, gzip.length - 7);
        byte[] garbage = new byte[600];
        new SplittableRandom(11).nextBytes(garbage);
        garbage[0] = 0x1f;
        garbage[1] = (byte) 0x8b;
        garbage[2] = 8;
        garbage[3] = 0;
        return List.of(
                content("duplicate-header", firstColumns + "," + firstColumns.split(",")[0] + "\n1,0.5,1\n0,0.2,0\n"),
                content("long-field", firstColumns + "\n1," + "9".repeat(3_000_000) + "\n"),
                bytes("gzip-truncated", truncated),
                bytes("gzip-garbage", garbage),
                content("nul-in-field", firstColumns + "\n1,0.5\u0000\n0,0.2\n"));
    }

    private static final String PLAN = "stable: http://127.0.0.1:9/\ncanary: http://127.0.0.1:9/\n";
    private static final List<Bad> YAML = List.of(
            content("unknown-key", "bogus_key: 1\n"),
            content("not-a-mapping", "- just\n- a list\n"),
            content("deep-nesting", "[".repeat(20_000)),
            content("alias-bomb", aliasBomb()),
            content("tab-indent", "metrics:\n\troc_auc: 1\n"));
    private static final List<Bad> JSON = List.of(
            content("trailing-content", "{\"roc_auc\": 0.8}\n{\"roc_auc\": 0.9}\n"),
            content("array", "[{\"roc_auc\": 0.8}]\n"),
            content("deep-nesting", "{\"a\":" .repeat(20_000)),
            content("huge-number", "{\"roc_auc\": 0." + "9".repeat(2_000_000) + "}\n"),
            content("duplicate-key", "{\"roc_auc\": 0.8, \"roc_auc\": 0.9}\n"));
    private static final List<Bad> PLANS = List.of(
            content("negative-interval", PLAN + "analysis: {interval: PT-10S}\n"),
            content("negative-bake", PLAN + "steps:\n  - {weight: 100, bake: PT-10S}\n"),
            content("huge-bake", PLAN + "steps:\n  - {weight: 100, bake: P99999999999D}\n"),
            content("overflowing-bake", PLAN + "steps:\n  - {weight: 100, bake: 99999999999999999999s}\n"),
            content("huge-interval", PLAN + "analysis: {interval: 9223372036854775807ms}\n"),
            content("nan-weight", PLAN + "steps:\n  - {weight: .nan}\n"),
            content("control-in-name", PLAN + "model: \"chu\\nrn\"\ncanary_version: v0.0.2\n"));
    private static final List<Bad> REGISTRY_CONFIGS = List.of(
            content("huge-min-time", "registry:\n  promotion:\n    production: {min_time_in_stage: P99999999999D}\n"),
            content("negative-min-time", "registry:\n  promotion:\n    production: {min_time_in_stage: PT-10S}\n"),
            content("lock-stage", "registry:\n  stages: [staging, x.lock]\n"),
            content("control-in-stage", "registry:\n  stages: [staging, \"pro\\u001bduction\"]\n"),
            content("unknown-registry-key", "registry:\n  bogus: 1\n"));

    private static String aliasBomb() {
        StringBuilder s = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            String prev = String.valueOf((char) (c - 1));
            s.append(c).append(": &").append(c).append(" [").append(("*" + prev + ", ").repeat(8)).append('*').append(prev)
                    .append("]\n");
        }
        return s.toString();
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    // ---------------------------------------------------------------- commands, with a slot for the bad input

    /** A command line with {@code {F}} where the bad file goes, and the classes of bad file it is attacked with. */
    record FileSlot(String label, List<String> args, String fileName, List<Bad> classes) {
    }

    private static FileSlot file(String label, String fileName, List<Bad> classes, String... args) {
        return new FileSlot(label, List.of(args), fileName, classes);
    }

    static List<FileSlot> fileSlots() {
        List<Bad> predictions = concat(PARSED, csv("label,score"));
        List<Bad> driftData = concat(PARSED, csv("age,score"));
        List<Bad> yamlPolicy = concat(PARSED, YAML);
        List<Bad> metrics = concat(PARSED, JSON);
        List<Bad> plans = concat(PARSED, concat(YAML, PLANS));
        List<Bad> outputDir = List.of(REGULAR_FILE, FIFO, DANGLING);
        return List.of(
                file("validate --policy", "policy.yaml", concat(yamlPolicy, List.of(
                                content("nan-threshold", "metrics:\n  roc_auc: {threshold: .nan}\n"),
                                content("huge-threshold", "metrics:\n  roc_auc: {threshold: 1e999}\n"),
                                content("control-in-metric", "metrics:\n  \"roc\\u001b[2Jauc\": {threshold: 0.5}\n"))),
                        "validate", "--policy", "{F}", "--metrics", "metrics.json"),
                file("validate --metrics", "metrics.json", metrics,
                        "validate", "--policy", "policy.yaml", "--metrics", "{F}"),
                file("validate --predictions", "preds.csv", concat(predictions, List.of(
                                content("nan-score", "label,score\n1,NaN\n0,0.2\n"),
                                content("huge-score", "label,score\n1,1e999\n0,0.2\n"),
                                content("label-not-0-1", "label,score\n7,0.5\n0,0.2\n"))),
                        "validate", "--policy", "policy.yaml", "--predictions", "{F}"),
                file("validate --baseline-metrics", "base.json", metrics,
                        "validate", "--policy", "policy.yaml", "--metrics", "metrics.json", "--baseline-metrics", "{F}"),
                file("validate --baseline-predictions", "base.csv", predictions,
                        "validate", "--policy", "policy.yaml", "--predictions", "preds.csv", "--baseline-predictions", "{F}"),
                file("validate --register --artifact", "model.bin", OPAQUE,
                        "validate", "--policy", "policy.yaml", "--metrics", "metrics.json", "--register", "churn",
                        "--artifact", "{F}"),
                file("validate --report-dir", "reports", outputDir,
                        "validate", "--policy", "policy.yaml", "--metrics", "metrics.json", "--report-dir", "{F}"),
                file("drift --reference", "ref.csv", driftData, "drift", "--reference", "{F}", "--current", "current.csv"),
                file("drift --current", "cur.csv", driftData, "drift", "--reference", "reference.csv", "--current", "{F}"),
                file("drift --policy", "drift.yaml", yamlPolicy,
                        "drift", "--reference", "reference.csv", "--current", "current.csv", "--policy", "{F}"),
                file("drift --report-dir", "reports", outputDir,
                        "drift", "--reference", "reference.csv", "--current", "current.csv", "--report-dir", "{F}"),
                file("registry register --artifact", "model2.bin", OPAQUE, "registry", "register", "churn", "--artifact", "{F}"),
                file("registry configure --file", "config.yaml", concat(yamlPolicy, REGISTRY_CONFIGS),
                        "registry", "configure", "--file", "{F}"),
                // --config is read "if present" (a missing one means the defaults, on purpose: the registry
                // benchmark relies on it), and modelgate.yaml may be empty or hold other sections.
                file("registry list --config", "modelgate.yaml", concat(PARSED.stream()
                                .filter(b -> b != EMPTY && b != MISSING && b != DANGLING).toList(),
                        concat(YAML.stream().filter(b -> !b.name().equals("unknown-key")).toList(), REGISTRY_CONFIGS)),
                        "registry", "list", "--config", "{F}"),
                file("registry import-mlflow --file", "mlflow.json", concat(PARSED, List.of(
                                content("wrong-shape", "{\"registered_models\": 3}\n"),
                                content("array-of-numbers", "[1, 2]\n"),
                                content("version-not-a-number", "{\"model_versions\": [{\"name\": \"churn\", \"version\": \"x\"}]}\n"))),
                        "registry", "import-mlflow", "--file", "{F}"),
                file("registry import-gto --from", "gto", List.of(MISSING, REGULAR_FILE, PLAIN_DIRECTORY, FIFO, DANGLING),
                        "registry", "import-gto", "--from", "{F}"),
                file("lineage record --input", "data.csv", OPAQUE, "lineage", "record", "--input", "{F}"),
                file("lineage record --output", "out.bin", OPAQUE, "lineage", "record", "--input", "preds.csv", "--output", "{F}"),
                file("lineage record --metrics", "m.json", metrics,
                        "lineage", "record", "--input", "preds.csv", "--metrics", "{F}"),
                file("lineage record --work-tree", "tree", List.of(MISSING, REGULAR_FILE, FIFO, DANGLING),
                        "lineage", "record", "--input", "preds.csv", "--work-tree", "{F}"),
                file("lineage trace --artifact", "model.bin", OPAQUE, "lineage", "trace", "--artifact", "{F}"),
                file("lineage impact --dataset", "data.csv", OPAQUE, "lineage", "impact", "--dataset", "{F}"),
                file("canary run --plan", "plan.yaml", plans, "canary", "run", "--plan", "{F}"),
                file("canary status --plan", "plan.yaml", plans, "canary", "status", "--plan", "{F}"),
                file("canary abort --plan", "plan.yaml", plans, "canary", "abort", "--plan", "{F}"),
                file("canary status --state-dir", "state", List.of(MISSING, REGULAR_FILE, FIFO, DANGLING),
                        "canary", "status", "--name", "demo", "--state-dir", "{F}"),
                file("step --params", "params.json", concat(PARSED, List.of(
                                content("array", "[]\n"),
                                content("trailing-content", "{\"policy\": \"policy.yaml\"} {}\n"),
                                content("unknown-parameter", "{\"policy\": \"policy.yaml\", \"bogus\": 1}\n"))),
                        "step", "validateModel", "--params", "{F}"),
                file("report index --report-dir", "reports", List.of(MISSING, REGULAR_FILE, FIFO, DANGLING),
                        "report", "index", "--report-dir", "{F}"),
                file("demo --stages --workdir", "work", List.of(REGULAR_FILE, FIFO, DANGLING),
                        "demo", "--stages", "data", "--workdir", "{F}"),
                file("demo serve --plan-out", "served.yaml", List.of(DIRECTORY, FIFO),
                        "demo", "serve", "--plan-out", "{F}", "--version", "v0.0.1", "--seconds", "1"));
    }

    /** A command line with {@code {N}} where a name goes; ref names meet every hostile name, text only control characters. */
    record NameSlot(String label, List<String> args, boolean ref) {
    }

    private static NameSlot ref(String label, String... args) {
        return new NameSlot(label, List.of(args), true);
    }

    private static NameSlot text(String label, String... args) {
        return new NameSlot(label, List.of(args), false);
    }

    static List<NameSlot> nameSlots() {
        return List.of(
                ref("registry register NAME", "registry", "register", "{N}", "--artifact", "model.bin"),
                ref("registry register --version", "registry", "register", "churn", "--artifact", "model.bin", "--version", "{N}"),
                ref("registry promote NAME", "registry", "promote", "{N}", "v0.0.1", "--to", "staging"),
                ref("registry promote VERSION", "registry", "promote", "churn", "{N}", "--to", "staging"),
                ref("registry promote --to", "registry", "promote", "churn", "v0.0.1", "--to", "{N}"),
                ref("registry rollback NAME", "registry", "rollback", "{N}", "--reason", "broken"),
                ref("registry rollback --stage", "registry", "rollback", "churn", "--stage", "{N}", "--reason", "broken"),
                ref("registry alias set NAME", "registry", "alias", "set", "{N}", "champion", "v0.0.1"),
                ref("registry alias set ALIAS", "registry", "alias", "set", "churn", "{N}", "v0.0.1"),
                ref("registry alias remove ALIAS", "registry", "alias", "remove", "churn", "{N}"),
                ref("registry show NAME", "registry", "show", "{N}"),
                ref("registry history NAME", "registry", "history", "{N}"),
                ref("registry list NAME", "registry", "list", "{N}"),
                ref("registry list --stage", "registry", "list", "--stage", "{N}"),
                ref("registry resolve NAME", "registry", "resolve", "{N}@staging"),
                ref("registry resolve ALIAS", "registry", "resolve", "churn@{N}"),
                ref("registry tag set NAME", "registry", "tag", "set", "{N}", "team=risk"),
                text("registry tag set KEY", "registry", "tag", "set", "churn@v0.0.1", "{N}=risk"),
                text("registry tag unset KEY", "registry", "tag", "unset", "churn", "{N}"),
                ref("registry describe NAME", "registry", "describe", "{N}", "about"),
                ref("registry deprecate NAME", "registry", "deprecate", "{N}", "--reason", "old"),
                ref("registry deregister NAME", "registry", "deregister", "{N}", "v0.0.1", "--reason", "old"),
                ref("registry deregister VERSION", "registry", "deregister", "churn", "{N}", "--reason", "old"),
                ref("validate --register", "validate", "--policy", "policy.yaml", "--metrics", "metrics.json",
                        "--register", "{N}", "--artifact", "model.bin"),
                ref("validate --baseline-model", "validate", "--policy", "policy.yaml", "--metrics", "metrics.json",
                        "--baseline-model", "{N}"),
                ref("lineage record --model", "lineage", "record", "--input", "preds.csv", "--model", "{N}@v0.0.1"),
                ref("lineage trace --model", "lineage", "trace", "--model", "{N}@v0.0.1"),
                ref("lineage show RECORD", "lineage", "show", "{N}"),
                ref("lineage diff A", "lineage", "diff", "{N}", "churn@v0.0.1"),
                ref("canary status --name", "canary", "status", "--name", "{N}"),
                ref("canary abort --name", "canary", "abort", "--name", "{N}"),
                ref("canary run --name", "canary", "run", "--plan", "plan.yaml", "--name", "{N}"),
                ref("demo serve --model", "demo", "serve", "--plan-out", "served.yaml", "--version", "v0.0.1",
                        "--seconds", "1", "--model", "{N}"),
                text("registry register --actor", "registry", "register", "churn", "--artifact", "model.bin", "--actor", "{N}"),
                text("registry promote --approver", "registry", "promote", "churn", "v0.0.1", "--to", "staging",
                        "--approver", "{N}"),
                text("registry promote --approver-group", "registry", "promote", "churn", "v0.0.1", "--to", "staging",
                        "--approver", "carol", "--approver-group", "{N}"),
                text("lineage record --job", "lineage", "record", "--input", "preds.csv", "--job", "{N}"),
                text("lineage record --namespace", "lineage", "record", "--input", "preds.csv", "--namespace", "{N}"));
    }

    /** Control characters a name must not hold (in the middle of an otherwise good name). */
    private static final Map<String, String> CONTROL = orderedMap(
            "LF", "chu\nrn", "CR", "chu\rrn", "NUL", "chu\u0000rn", "ESC", "chu\u001b[31mrn", "C1", "chu\u009brn",
            "bidi-override", "chu\u202ern");
    /** Names that would escape a folder, collide with Git's lock files, or not fit a file name. */
    private static final Map<String, String> HOSTILE = orderedMap("dot-dot", "../x", "lock", "x.lock", "300-chars",
            "n".repeat(300));

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A command line with {@code {X}} where a number (or a time) goes, and the bad values for it. */
    record NumberSlot(String label, List<String> args, List<String> values) {
    }

    private static NumberSlot number(String label, List<String> values, String... args) {
        return new NumberSlot(label, List.of(args), values);
    }

    static List<NumberSlot> numberSlots() {
        List<String> counts = List.of("-1", "NaN", "1e999", "abc");
        return List.of(
                number("validate --threshold", List.of("NaN", "1e999", "-1", "2", "abc"),
                        "validate", "--policy", "policy.yaml", "--predictions", "preds.csv", "--threshold", "{X}"),
                number("registry history --limit", List.of("-1", "NaN", "1e999", "99999999999"),
                        "registry", "history", "churn", "--limit", "{X}"),
                number("registry list --limit", List.of("-1", "NaN", "1e999", "99999999999"),
                        "registry", "list", "churn", "--limit", "{X}"),
                number("registry list --verdict", List.of("MAYBE", ""), "registry", "list", "--verdict", "{X}"),
                number("registry resolve --field", List.of("size", ""), "registry", "resolve", "churn", "--field", "{X}"),
                number("demo serve --seconds", List.of("-1", "0", "NaN", "1e999", "9223372036854775807"),
                        "demo", "serve", "--plan-out", "served.yaml", "--version", "v0.0.1", "--seconds", "{X}"),
                number("demo --seed", List.of("NaN", "1e999"), "demo", "--stages", "data", "--workdir", "work", "--seed", "{X}"),
                number("demo --stages", List.of("bogus", ""), "demo", "--stages", "{X}", "--workdir", "work"),
                number("bench gate --rows", List.of("-1", "0", "NaN", "1e999"), "bench", "gate", "--rows", "{X}", "--workdir", "bench"),
                number("bench registry --models", counts, "bench", "registry", "--models", "{X}", "--workdir", "bench"),
                number("bench digest --size-mb", counts, "bench", "digest", "--size-mb", "{X}", "--workdir", "bench"),
                number("bench lineage --records", counts, "bench", "lineage", "--records", "{X}", "--workdir", "bench"),
                number("bench canary-stats --runs", counts, "bench", "canary-stats", "--runs", "{X}"),
                number("bench drift --runs", List.of("-1", "0", "NaN"), "bench", "drift", "--runs", "{X}", "--workdir", "bench"),
                number("lineage record --started-at", List.of("yesterday", "NaN", "+999999999-12-31T23:59:59Z"),
                        "lineage", "record", "--input", "preds.csv", "--started-at", "{X}"),
                number("registry rollback --to", List.of("v999.0.0", "not-a-version"),
                        "registry", "rollback", "churn", "--to", "{X}", "--reason", "broken"),
                number("registry register --bump", List.of("sideways", ""),
                        "registry", "register", "churn", "--artifact", "model.bin", "--bump", "{X}"),
                number("validate --task", List.of("clustering", ""),
                        "validate", "--policy", "policy.yaml", "--predictions", "preds.csv", "--task", "{X}"),
                number("validate --fail-on", List.of("never", ""),
                        "validate", "--policy", "policy.yaml", "--metrics", "metrics.json", "--fail-on", "{X}"));
    }

    // ---------------------------------------------------------------- the cases

    /** One command line run against one bad input; {@code usage}: picocli's usage error, with the hint line. */
    record Case(String name, List<String> args, Path input, Bad bad, int exit, boolean usage) {
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (FileSlot s : fileSlots()) {
            for (Bad b : s.classes()) {
                Path in = Path.of("bad", s.fileName());
                cases.add(new Case(s.label() + " <- " + b.name(), replace(s.args(), "{F}", in.toString()), in, b,
                        Main.BAD_INPUT, false));
            }
        }
        for (NameSlot s : nameSlots()) {
            Map<String, String> names = new LinkedHashMap<>(CONTROL);
            if (s.ref()) {
                names.putAll(HOSTILE);
            } else {
                names.put("300-chars", "n".repeat(300));
            }
            names.forEach((kind, value) -> cases.add(new Case(s.label() + " <- " + kind,
                    replace(s.args(), "{N}", value), null, null, Main.BAD_INPUT, false)));
        }
        for (NumberSlot s : numberSlots()) {
            for (String v : s.values()) {
                cases.add(new Case(s.label() + " <- '" + v + "'", replace(s.args(), "{X}", v), null, null,
                        Main.BAD_INPUT, false));
            }
        }
        for (List<String> path : CommandTreeTest.tree().keySet()) {
            List<String> unknown = new ArrayList<>(path);
            unknown.add("--no-such-flag");
            cases.add(new Case(String.join(" ", path) + " --no-such-flag", unknown, null, null, Main.BAD_INPUT, true));
        }
        for (List<String> path : List.of(List.of("registry", "list"), List.of("validate"), List.of("canary", "status"),
                List.of("lineage", "trace"))) {
            List<String> control = new ArrayList<>(path);
            control.add("--js\u001b[2Jon\n");
            cases.add(new Case(String.join(" ", path) + " <- control characters in a flag", control, null, null,
                    Main.BAD_INPUT, true));
        }
        // A registry that cannot be reached is an external failure (exit 3), and leaves no half-made cache behind.
        String unreachable = "http://127.0.0.1:1/registry.git";
        for (List<String> args : List.of(List.of("registry", "list", "--registry", unreachable),
                List.of("registry", "show", "churn", "--registry", unreachable),
                List.of("lineage", "show", "abcdef", "--registry", unreachable))) {
            cases.add(new Case(String.join(" ", args.subList(0, 2)) + " <- unreachable registry", args, null, null,
                    Main.EXTERNAL, false));
        }
        return cases;
    }

    private static List<String> replace(List<String> args, String slot, String value) {
        return args.stream().map(a -> a.replace(slot, value)).toList();
    }

    @Test
    void theTablesMakeEnoughCasesAndCoverEveryCommand() {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(250);
        assertThat(cases.stream().map(Case::name).distinct()).as("case names are unique").hasSameSizeAs(cases);
        Set<String> commands = new TreeSet<>();
        cases.forEach(c -> commands.add(String.join(" ", c.args().subList(0, Math.min(2, c.args().size())))));
        assertThat(commands).contains("validate --policy", "drift --reference", "registry register", "registry promote",
                "lineage record", "canary run", "step validateModel", "report index", "demo serve", "bench gate");
    }

    @TestFactory
    Stream<DynamicTest> everyCommandRefusesEveryClassOfBadInputCleanly() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private void check(Case c) throws IOException {
        if (c.bad() == UNREADABLE) {
            Assumptions.assumeFalse(ROOT, "as root, chmod 000 does not stop reads");
        }
        Path ws = Files.createTempDirectory(scratch, "case-");
        try {
            copy(template, ws);
            if (c.input() != null) {
                c.bad().maker().make(ws.resolve(c.input()));
            }
            Map<String, String> before = snapshot(ws);
            Set<String> cwdBefore = topLevel(Path.of("").toAbsolutePath());
            Result r = run(ws, c.args(), c.bad() != null && c.bad().fifo() ? FIFO_TIMEOUT_SECONDS : TIMEOUT_SECONDS);
            if (!r.stopped()) {
                // Still running (and writing): its workspace cannot be compared, nor removed; the case has failed.
                ws = null;
                throw new AssertionError("case '" + c.name() + "': did not stop within " + TIMEOUT_SECONDS
                        + " s, nor once its FIFOs were opened; stdout so far: " + r.out() + "; stderr: " + r.err());
            }
            Map<String, String> after = snapshot(ws);

            SoftAssertions soft = new SoftAssertions();
            String seen = "exit " + r.code() + ", stderr: " + r.err();
            soft.assertThat(r.hung()).as("finished in time (%s)", seen).isFalse();
            soft.assertThat(r.code()).as("exit code (%s)", seen).isEqualTo(c.exit());
            List<String> lines = r.err().lines().toList();
            soft.assertThat(lines).as("stderr").isNotEmpty();
            if (!lines.isEmpty()) {
                soft.assertThat(lines.get(0)).as("stderr's first line").startsWith("modelgate: ");
                List<String> rest = lines.subList(1, lines.size());
                if (c.usage()) {
                    soft.assertThat(rest).as("after the error, the hint (%s)", seen).hasSize(1);
                }
                soft.assertThat(rest).as("stderr is one line, plus the usage hint (%s)", seen)
                        .allMatch(l -> l.matches("Run 'modelgate( [a-z-]+)* --help' for usage\\."))
                        .hasSizeLessThanOrEqualTo(1);
            }
            soft.assertThat(r.out() + r.err()).as("no stack trace").doesNotContain("at io.modelgate");
            soft.assertThat(changes(before, after)).as("workspace changes (%s)", seen).isEmpty();
            soft.assertThat(topLevel(Path.of("").toAbsolutePath())).as("the test's own directory").isEqualTo(cwdBefore);
            try {
                soft.assertAll();
            } catch (AssertionError e) {
                // Dynamic tests are reported by number in some reports; the case's name says which one failed.
                throw new AssertionError("case '" + c.name() + "': " + e.getMessage(), e);
            }
        } finally {
            if (ws != null) {
                delete(ws);
            }
        }
    }

    // ---------------------------------------------------------------- running a command

    /** {@code hung}: not done within the time limit; {@code stopped}: done in the end (else it still runs). */
    record Result(int code, String out, String err, boolean hung, boolean stopped) {
    }

    /** Runs a command in {@code ws} (its working directory, an empty environment), in-process, within a time limit. */
    private static Result run(Path ws, List<String> args, long timeoutSeconds) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Invocation here = Invocation.of(ws, Map.of());
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Future<Integer> f = RUNNER.submit(() -> {
            try {
                return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), here, args.toArray(String[]::new));
            } finally {
                done.countDown();
            }
        });
        boolean hung = false;
        Integer code;
        try {
            try {
                code = f.get(timeoutSeconds, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                hung = true;
                // A reader (or writer) stuck opening a FIFO: open every FIFO for both, so it sees an empty stream.
                unblockFifos(ws);
                try {
                    code = f.get(10, TimeUnit.SECONDS);
                } catch (TimeoutException again) {
                    f.cancel(true);
                    code = -1;
                    done.await(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        } catch (ExecutionException e) {
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            err.write(trace.toString());
            code = -1;
        }
        return new Result(code, out.toString(), err.toString(), hung, done.getCount() == 0);
    }

    private static void unblockFifos(Path ws) {
        try (Stream<Path> all = Files.walk(ws)) {
            all.filter(p -> isFifo(p)).forEach(p -> {
                try (RandomAccessFile both = new RandomAccessFile(p.toFile(), "rw")) {
                    both.getFD().sync();
                } catch (IOException ignored) {
                    // nothing to unblock
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: the case has already failed
        }
    }

    private static boolean isFifo(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isOther();
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- the workspace snapshot

    /** Every path under {@code root}: its type, and for files the size, modification time and SHA-256 of the content. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> s = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                String what;
                if (a.isSymbolicLink()) {
                    what = "link -> " + Files.readSymbolicLink(p);
                } else if (a.isDirectory()) {
                    what = "dir";
                } else if (a.isRegularFile()) {
                    what = "file " + a.size() + " bytes, modified " + a.lastModifiedTime() + ", sha256 " + sha256(p);
                } else {
                    what = "other";
                }
                s.put(root.relativize(p).toString(), what);
            }
        }
        return s;
    }

    private static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What was created, removed or changed between two snapshots, one line each. */
    static List<String> changes(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        Set<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        for (String p : paths) {
            String b = before.get(p);
            String a = after.get(p);
            if (b == null) {
                changes.add("created " + p + " (" + a + ")");
            } else if (a == null) {
                changes.add("removed " + p);
            } else if (!a.equals(b)) {
                changes.add("changed " + p + ": " + b + " -> " + a);
            }
        }
        return changes;
    }

    private static Set<String> topLevel(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    if (!Files.isSymbolicLink(p)) {
                        p.toFile().setReadable(true, false);
                        p.toFile().setWritable(true, false);
                        p.toFile().setExecutable(true, false);
                    }
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // @TempDir cleans up what is left
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // @TempDir cleans up what is left
        }
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    // ---------------------------------------------------------------- the checker itself

    @Test
    void theSnapshotSeesACreatedFileAChangedByteAndATouchedFile() throws IOException {
        Path ws = Files.createTempDirectory(scratch, "snapshot-");
        Files.writeString(ws.resolve("a"), "x");
        Map<String, String> before = snapshot(ws);
        assertThat(changes(before, snapshot(ws))).isEmpty();
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(ws.resolve("a"));
        Files.writeString(ws.resolve("a"), "y");
        Files.setLastModifiedTime(ws.resolve("a"), mtime);
        Files.createDirectories(ws.resolve("d"));
        assertThat(changes(before, snapshot(ws))).hasSize(2).anyMatch(l -> l.startsWith("changed a: "))
                .anyMatch(l -> l.startsWith("created d "));
        Map<String, String> mid = snapshot(ws);
        Files.setLastModifiedTime(ws.resolve("a"), java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(changes(mid, snapshot(ws))).singleElement().asString().startsWith("changed a: ");
    }

    @Test
    void aReaderStuckOnAFifoIsUnblocked() throws Exception {
        Path ws = Files.createTempDirectory(scratch, "fifo-");
        Path fifo = ws.resolve("f");
        FIFO.maker().make(fifo);
        // Opening a FIFO nobody writes blocks; the runner opens it for both ends, and the reader sees an empty stream.
        Future<byte[]> read = RUNNER.submit(() -> Files.readAllBytes(fifo));
        assertThat(isFifo(fifo)).isTrue();
        byte[] got = null;
        for (int i = 0; i < 100 && got == null; i++) {
            unblockFifos(ws);
            try {
                got = read.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // the reader may not have reached open() yet
            }
        }
        assertThat(got).isEmpty();
    }
}
