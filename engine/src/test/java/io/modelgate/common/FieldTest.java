package io.modelgate.common;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The typed view every file reader asks its questions through: paths, defaults, and one-line errors. */
class FieldTest {
    private static Field doc(String yaml) {
        return Field.parse("f.yaml", yaml, InputException::new);
    }

    private static void fails(Runnable r, String message) {
        assertThatThrownBy(r::run).isInstanceOf(InputException.class).hasMessage(message);
    }

    @Test
    void pathsLeadFromTheDocumentToTheValue() {
        Field root = doc("registry:\n  promotion:\n    production: {min_time_in_stage: soon}\nsteps: [10, {weight: x}]\n");
        Field f = root.get("registry").get("promotion").get("production").get("min_time_in_stage");
        assertThat(f.path()).isEqualTo("registry.promotion.production.min_time_in_stage");
        assertThat(root.get("steps").items()).extracting(Field::path).containsExactly("steps[1]", "steps[2]");
        fails(() -> root.get("steps").items().get(1).get("weight").count(0, 100),
                "f.yaml: steps[2].weight: must be a whole number from 0 to 100, found 'x'");
        fails(() -> root.get("steps").items().get(0).as("weight").count(0, 5),
                "f.yaml: steps[1].weight: must be a whole number from 0 to 5, found '10'");
        assertThat(root.get("registry").keys()).containsExactly("promotion");
    }

    @Test
    void anUnknownKeyGetsTheClosestAllowedOne() {
        fails(() -> doc("metrics: {auc: {treshold: 0.8}}").get("metrics").get("auc").allow("threshold", "severity"),
                "f.yaml: metrics.auc.treshold: unknown key 'treshold' (did you mean 'threshold'?); allowed: severity, threshold");
        fails(() -> doc("colour: red").allow("version", "metrics"),
                "f.yaml: colour: unknown key 'colour'; allowed: metrics, version");
    }

    @Test
    void absentValuesTakeTheDefaultAndRequiredOnesSayNothingWasFound() {
        Field root = doc("a: ~\nb:\n");
        assertThat(root.get("a").number(0.5)).isEqualTo(0.5);
        assertThat(root.get("b").bool(true)).isTrue();
        assertThat(root.get("missing").text("x")).isEqualTo("x");
        assertThat(root.get("missing").get("deeper").count(0, 9, 3)).isEqualTo(3);
        assertThat(root.has("a")).isTrue();
        assertThat(root.has("missing")).isFalse();
        fails(() -> root.get("a").number(), "f.yaml: a: must be a number, found nothing");
        fails(() -> root.get("a").name(), "f.yaml: a: must be a name, found nothing");
        assertThat(Field.parse("e.yaml", "", InputException::new).isAbsent()).isTrue();
    }

    @Test
    void wrongTypesSayWhatWasExpectedAndWhatWasFound() {
        Field root = doc("n: abc\nb: yes please\nm: {x: 1}\nl: [1]\nw: 2.5\nneg: -1\n");
        fails(() -> root.get("n").number(), "f.yaml: n: must be a number, found 'abc'");
        Field json = Field.root("m.json", JsonNodeFactory.instance.objectNode().put("nan", Double.NaN)
                .put("inf", Double.POSITIVE_INFINITY), InputException::new);
        fails(() -> json.get("nan").number(), "m.json: nan: must be a finite number, found 'NaN'");
        fails(() -> json.get("inf").number(), "m.json: inf: must be a finite number, found 'Infinity'");
        assertThat(json.get("nan").anyNumber()).isNaN();
        fails(() -> root.get("b").bool(false), "f.yaml: b: must be true or false, found 'yes please'");
        fails(() -> root.get("m").number(), "f.yaml: m: must be a number, found a mapping");
        fails(() -> root.get("l").text(""), "f.yaml: l: must be a single value, found a list");
        fails(() -> root.get("l").get("x"), "f.yaml: l: must be a mapping of keys to values, found a list");
        fails(() -> root.get("m").items(), "f.yaml: m: must be a list, found a mapping");
        fails(() -> root.get("w").count(0, Long.MAX_VALUE), "f.yaml: w: must be a whole number >= 0, found '2.5'");
        fails(() -> root.get("neg").count(0, Integer.MAX_VALUE), "f.yaml: neg: must be a whole number >= 0, found '-1'");
        assertThat(doc("w: 3.0").get("w").count(0, 5)).isEqualTo(3);
        assertThat(doc("big: 1e300").get("big").number()).isEqualTo(1e300);
    }

    @Test
    void choicesIgnoreCaseHideAliasesAndSuggest() {
        Map<String, Integer> levels = Field.choices(Map.entry("fail", 2), Map.entry("warn", 1), Map.entry("error", 2));
        assertThat(doc("s: WARN").get("s").oneOf(0, levels)).isEqualTo(1);
        assertThat(doc("s: error").get("s").oneOf(0, levels)).isEqualTo(2);
        assertThat(doc("x: 1").get("s").oneOf(0, levels)).isZero();
        fails(() -> doc("s: wran").get("s").oneOf(0, levels), "f.yaml: s: must be 'fail' or 'warn', found 'wran' (did you mean 'warn'?)");
        fails(() -> doc("s: x").get("s").oneOf("a", Field.choices("a", "b", "c")), "f.yaml: s: must be 'a', 'b' or 'c', found 'x'");
    }

    @Test
    void aVersionOtherThanTheOneReadIsRefused() {
        doc("version: 1").requireVersion(1);
        doc("other: 1").requireVersion(1);
        fails(() -> doc("version: 2").requireVersion(1), "f.yaml: version: unsupported version '2'; this Modelgate reads version 1");
    }

    @Test
    void controlCharactersInKeysAndValuesStayOnOneLine() {
        Field root = doc("\"a\\nb\": \"x\\ny\"\n");
        assertThatThrownBy(() -> root.allow("ab")).hasMessage("f.yaml: a\\nb: unknown key 'a\\nb' (did you mean 'ab'?); allowed: ab");
        assertThatThrownBy(() -> root.get("a\nb").number()).hasMessage("f.yaml: a\\nb: must be a number, found 'x\\ny'");
    }

    @Test
    void durationsShareOneBoundedGrammar() {
        Duration max = Duration.ofDays(30);
        for (var e : Map.of("250ms", Duration.ofMillis(250), "30s", Duration.ofSeconds(30), "1.5m", Duration.ofSeconds(90),
                "2h", Duration.ofHours(2), "1d", Duration.ofDays(1), "45", Duration.ofSeconds(45), "PT1M", Duration.ofMinutes(1),
                " 2 h ", Duration.ofHours(2), "P30D", max).entrySet()) {
            assertThat(Durations.parse(e.getKey(), max, "30 days", InputException::new)).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(doc("d: 90").get("d").duration(Duration.ZERO, max, "30 days")).isEqualTo(Duration.ofSeconds(90));
        assertThat(doc("x: 1").get("d").duration(Duration.ofSeconds(7), max, "30 days")).isEqualTo(Duration.ofSeconds(7));
        for (String negative : List.of("-5s", "PT-10S", "-PT1S", "P-1D")) {
            fails(() -> doc("d: '" + negative + "'").get("d").duration(Duration.ZERO, max, "30 days"),
                    "f.yaml: d: must not be negative, found '" + negative + "'");
        }
        for (String huge : List.of("P31D", "721h", "99999999999999999999d", "PT9999999999999999H", "1e300")) {
            fails(() -> doc("d: '" + huge + "'").get("d").duration(Duration.ZERO, max, "30 days"),
                    "f.yaml: d: '" + huge + "' is longer than the maximum of 30 days");
        }
        fails(() -> doc("d: soon").get("d").duration(Duration.ZERO, max, "30 days"),
                "f.yaml: d: 'soon' is not a duration like 250ms, 30s, 5m, 2h, 1d or PT1M");
        fails(() -> doc("d: {s: 1}").get("d").duration(Duration.ZERO, max, "30 days"),
                "f.yaml: d: must be a duration like 30s, 5m or PT1M, found a mapping");
        assertThat(Durations.format(Duration.ofMinutes(200))).isEqualTo("3h 20m");
    }
}
