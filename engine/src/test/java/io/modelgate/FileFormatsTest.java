package io.modelgate;

import io.modelgate.common.ModelgateException;
import io.modelgate.drift.DriftPolicyReader;
import io.modelgate.gate.PolicyReader;
import io.modelgate.metrics.MetricsFileReader;
import io.modelgate.registry.RegistryConfigReader;
import io.modelgate.rollout.PlanReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every file format a user writes is read through the same strict view, so a mistake in any of them
 * is bad input (exit 2) told in one line, {@code FILE: FIELD.PATH: problem}, with a "did you mean"
 * for a misspelt key.
 */
class FileFormatsTest {
    private static final String URLS = "stable: http://a:1\ncanary: http://b:2\n";

    @TempDir
    static Path dir;

    static Stream<Arguments> mistakes() {
        Consumer<Path> policy = PolicyReader::read;
        Consumer<Path> drift = DriftPolicyReader::read;
        Consumer<Path> registry = RegistryConfigReader::read;
        Consumer<Path> plan = PlanReader::read;
        Consumer<Path> metrics = MetricsFileReader::read;
        return Stream.of(
                Arguments.of("policy", policy, "metrics: {roc_auc: {treshold: 0.8}}",
                        "metrics.roc_auc.treshold", "unknown key 'treshold' (did you mean 'threshold'?)"),
                Arguments.of("policy", policy, "metrics: {roc_auc: {threshold: abc}}",
                        "metrics.roc_auc.threshold", "must be a number, found 'abc'"),
                Arguments.of("policy", policy, "metrics: {roc_auc: {threshold: 0.8, slices: {'region=eu': {min_size: x, threshold: 1}}}}",
                        "metrics.roc_auc.slices.region=eu.min_size", "must be a whole number >= 0, found 'x'"),
                Arguments.of("drift", drift, "columns: {age: {treshold: 0.1}}",
                        "columns.age.treshold", "unknown key 'treshold' (did you mean 'threshold'?)"),
                Arguments.of("drift", drift, "columns: {age: {threshold: abc}}",
                        "columns.age.threshold", "must be a number, found 'abc'"),
                Arguments.of("registry", registry, "registry: {promotion: {production: {min_time_in_stag: 2h}}}",
                        "registry.promotion.production.min_time_in_stag",
                        "unknown key 'min_time_in_stag' (did you mean 'min_time_in_stage'?)"),
                Arguments.of("registry", registry, "registry: {promotion: {production: {min_time_in_stage: soon}}}",
                        "registry.promotion.production.min_time_in_stage", "'soon' is not a duration"),
                Arguments.of("registry", registry, "registry: {promotion: {production: {require_lineage: 'yes'}}}",
                        "registry.promotion.production.require_lineage", "must be true or false, found 'yes'"),
                Arguments.of("plan", plan, URLS + "analysis: {thresholds: {error_rate: {maks: 0.1}}}",
                        "analysis.thresholds.error_rate.maks", "unknown key 'maks' (did you mean 'max'?)"),
                Arguments.of("plan", plan, URLS + "steps: [{wieght: 10}]",
                        "steps[1].wieght", "unknown key 'wieght' (did you mean 'weight'?)"),
                Arguments.of("plan", plan, URLS + "analysis: {thresholds: {error_rate: {max: abc}}}",
                        "analysis.thresholds.error_rate.max", "must be a number, found 'abc'"),
                Arguments.of("plan", plan, URLS + "steps: [{weight: 10, bake: PT-10S}]",
                        "steps[1].bake", "must not be negative, found 'PT-10S'"),
                Arguments.of("metrics", metrics, "{\"overal\": {\"auc\": 0.9}, \"slices\": {}}",
                        "overal", "unknown key 'overal' (did you mean 'overall'?)"),
                Arguments.of("metrics", metrics, "{\"slices\": {\"region=eu\": {\"auc\": \"abc\"}}}",
                        "slices.region=eu.auc", "must be a number, found 'abc'"));
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("mistakes")
    void everyReaderNamesFileAndFieldInOneLine(String format, Consumer<Path> reader, String text, String field,
                                               String problem) throws IOException {
        Path file = Files.writeString(Files.createTempFile(dir, format, format.equals("metrics") ? ".json" : ".yaml"), text);
        Throwable t = catchThrowable(() -> reader.accept(file));
        assertThat(t).isInstanceOf(ModelgateException.class);
        assertThat(((ModelgateException) t).kind()).isEqualTo(ModelgateException.Kind.BAD_INPUT);
        assertThat(t.getMessage()).startsWith(file + ": " + field + ": " + problem).doesNotContain("\n");
    }
}
