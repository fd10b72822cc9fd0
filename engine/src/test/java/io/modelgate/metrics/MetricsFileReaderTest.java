package io.modelgate.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsFileReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsAFlatJsonObjectAndCanonicalisesNames() throws IOException {
        MetricSet m = MetricsFileReader.read(file("m.json", "{\"auc\": 0.91, \"log_loss\": 0.32, \"my_metric\": 7}"));
        assertThat(m.overall()).containsExactly(Map.entry("roc_auc", 0.91), Map.entry("log_loss", 0.32),
                Map.entry("my_metric", 7.0));
        assertThat(m.slices()).isEmpty();
    }

    @Test
    void readsTheSlicedJsonForm() throws IOException {
        MetricSet m = MetricsFileReader.read(file("m.json", """
                {"overall": {"roc_auc": 0.9, "example_count": 1000},
                 "slices": {"region=eu": {"roc_auc": 0.8, "example_count": 300}}}
                """));
        assertThat(m.value("overall", "roc_auc")).contains(0.9);
        assertThat(m.value("region=eu", "example_count")).contains(300.0);
    }

    @Test
    void readsNanAndInfinityAsPythonWritesThem() throws IOException {
        MetricSet m = MetricsFileReader.read(file("m.json", "{\"roc_auc\": NaN, \"log_loss\": Infinity, \"f1\": null}"));
        assertThat(m.overall().get("roc_auc")).isNaN();
        assertThat(m.overall().get("log_loss")).isInfinite();
        assertThat(m.overall().get("f1")).isNaN();
    }

    @Test
    void readsCsvWithOptionalHeaderAndSlices() throws IOException {
        MetricSet m = MetricsFileReader.read(file("m.csv", """
                metric,value,slice
                auc,0.9,
                accuracy,0.8
                auc,0.7,region=eu
                auc,nan,region=us
                """));
        assertThat(m.overall()).containsExactly(Map.entry("roc_auc", 0.9), Map.entry("accuracy", 0.8));
        assertThat(m.value("region=eu", "roc_auc")).contains(0.7);
        assertThat(m.value("region=us", "roc_auc").orElseThrow()).isNaN();
    }

    @Test
    void rejectsBadInputWithFileAndLineOrField() throws IOException {
        assertThatThrownBy(() -> MetricsFileReader.read(file("a.csv", "metric,value\nauc,high\n")))
                .isInstanceOf(MetricsException.class).hasMessage(dir.resolve("a.csv") + " line 2: value 'high' is not a number");
        assertThatThrownBy(() -> MetricsFileReader.read(file("b.csv", "auc\n")))
                .hasMessage(dir.resolve("b.csv") + " line 1: expected metric,value[,slice], found 1 field");
        assertThatThrownBy(() -> MetricsFileReader.read(file("c.json", "{\"auc\": \"0.9\"}")))
                .hasMessage(dir.resolve("c.json") + ": auc: must be a number, found '0.9'");
        assertThatThrownBy(() -> MetricsFileReader.read(file("d.json", "{\"auc\": 0.9, \"roc_auc\": 0.8}")))
                .hasMessage(dir.resolve("d.json") + ": roc_auc: the metric roc_auc is given twice (under another name?)");
        assertThatThrownBy(() -> MetricsFileReader.read(file("e.json", "{\"auc\": 0.9,")))
                .hasMessageStartingWith(dir.resolve("e.json") + " line 1, column ").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> MetricsFileReader.read(file("f.json", "  \n")))
                .hasMessage(dir.resolve("f.json") + ": file is empty");
        assertThatThrownBy(() -> MetricsFileReader.read(file("g.json", "{\"overall\": {\"auc\": 1}, \"extra\": {}}")))
                .hasMessage(dir.resolve("g.json") + ": extra: unknown key 'extra'; allowed: overall, slices");
        assertThatThrownBy(() -> MetricsFileReader.read(dir.resolve("none.json")))
                .hasMessage(dir.resolve("none.json") + ": no such file");
    }
}
