package io.modelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modelgate.common.HostileFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FIFO (a real one, from {@code mkfifo}) or a device given where a command reads a file: exit 2 at
 * once with one line naming it. Opening a FIFO blocks until something writes to it, so a command that
 * opened it first would hang here until the timeout.
 */
class FifoInputsTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Path fifo;
    Path predictions;
    Path policy;
    Path metrics;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void files() throws Exception {
        fifo = HostileFiles.fifo(dir.resolve("input.fifo"));
        predictions = Files.writeString(dir.resolve("preds.csv"), "label,score\n1,0.9\n0,0.1\n1,0.8\n0,0.3\n");
        policy = Files.writeString(dir.resolve("policy.yaml"), "metrics:\n  roc_auc: {threshold: 0.5}\n");
        metrics = Files.writeString(dir.resolve("m.json"), "{\"roc_auc\": 0.9}");
    }

    private static Run run(String... args) {
        return assertTimeoutPreemptively(AT_ONCE, () -> {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Run(code, out.toString(), err.toString());
        }, () -> "modelgate " + String.join(" ", args) + " did not return: it waited on the FIFO");
    }

    private static void assertRefused(Run r, Path file, String kind) {
        assertThat(r.code()).as(r.err()).isEqualTo(Main.BAD_INPUT);
        assertThat(r.err().strip()).isEqualTo("modelgate: " + file + ": is not a regular file" + kind);
    }

    @Test
    void everyInputFlagRefusesAFifoAtOnce() {
        String f = fifo.toString();
        String p = predictions.toString();
        String pol = policy.toString();
        String m = metrics.toString();
        List<String[]> commands = List.of(
                new String[] {"validate", "--policy", pol, "--predictions", f},
                new String[] {"validate", "--policy", pol, "--metrics", f},
                new String[] {"validate", "--policy", f, "--metrics", m},
                new String[] {"validate", "--policy", pol, "--metrics", m, "--baseline-metrics", f},
                new String[] {"validate", "--policy", pol, "--predictions", p, "--baseline-predictions", f},
                new String[] {"drift", "--reference", p, "--current", f, "--report-dir", dir.resolve("r").toString()},
                new String[] {"drift", "--reference", f, "--current", p, "--report-dir", dir.resolve("r").toString()},
                new String[] {"drift", "--reference", p, "--current", p, "--policy", f,
                    "--report-dir", dir.resolve("r").toString()});
        for (String[] args : commands) {
            assertRefused(run(args), fifo, " (it is a FIFO)");
        }
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void lineageRecordRefusesAFifoAsAnInputOrOutput() {
        for (String flag : List.of("--input", "--output")) {
            Run r = run("lineage", "record", "--job", "j", flag, fifo.toString(),
                    "--registry", dir.resolve("registry").toString(), "--work-tree", dir.toString());
            assertRefused(r, fifo, " or directory (it is a FIFO)");
        }
    }

    @Test
    void aDeviceIsRefusedAtOnce() throws IOException {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) {
            return;
        }
        assertRefused(run("validate", "--policy", policy.toString(), "--predictions", zero.toString()), zero,
                " (it is a character device)");
        assertRefused(run("drift", "--reference", predictions.toString(), "--current", zero.toString(),
                "--report-dir", dir.resolve("r").toString()), zero, " (it is a character device)");
    }
}
