package io.modelgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drift benchmark's machinery on a small table: each run in its own JVM, the median of them reported. */
class DriftBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void timesEachRunInAFreshJvmAndReportsTheMedian() {
        List<String> progress = new ArrayList<>();
        DriftBenchmark.Result r = DriftBenchmark.run(dir, 3_000, 5, 3, progress::add);

        assertThat(r.runs()).hasSize(3).allSatisfy(t -> assertThat(t).isPositive());
        assertThat(r.seconds()).isEqualTo(r.runs().stream().sorted().toList().get(1));
        assertThat(progress).filteredOn(p -> p.startsWith("running Drift.evaluate in a fresh JVM")).hasSize(3);
        // the shifted generator drifts a quarter of the columns: the child's verdict came back
        assertThat(r.summary()).contains("of 5 columns drifted");
        assertThat(r.describe()).contains("the median of 3 cold runs").contains("each a fresh JVM");
    }
}
