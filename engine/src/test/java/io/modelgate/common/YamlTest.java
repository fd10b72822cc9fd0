package io.modelgate.common;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one YAML reader every policy, plan and configuration goes through: what it refuses, and how. */
class YamlTest {
    private static InputException error(String message) {
        return new InputException(message);
    }

    @Test
    void aMappingIsReadAndAnEmptyDocumentIsNull() {
        assertThat(Yaml.parse("p.yaml", "a: 1\nb: [x, y]\n", YamlTest::error).get("b").size()).isEqualTo(2);
        assertThat(Yaml.parse("p.yaml", "", YamlTest::error)).isNull();
        assertThat(Yaml.parse("p.yaml", "\uFEFFa: 1\n", YamlTest::error).get("a").asInt()).isEqualTo(1);
    }

    @Test
    void anAliasBombIsRefusedAtItsFirstAnchorWithoutExpandingIt() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            bomb.append(c).append(": &").append(c).append(" [").append(("*" + (char) (c - 1) + ", ").repeat(8))
                    .append('*').append((char) (c - 1)).append("]\n");
        }
        assertThatThrownBy(() -> Yaml.parse("bomb.yaml", bomb.toString(), YamlTest::error))
                .isInstanceOf(InputException.class)
                .hasMessage("bomb.yaml line 1, column 4: YAML anchors and aliases (&name, *name) are not supported; "
                        + "write the value out");
    }

    @Test
    void anAliasAloneAndAMergeKeyAreRefusedToo() {
        assertThatThrownBy(() -> Yaml.parse("p.yaml", "base: &b {x: 1}\nother:\n  <<: *b\n", YamlTest::error))
                .hasMessageContaining("anchors and aliases");
        assertThatThrownBy(() -> Yaml.parse("p.yaml", "a: *undefined\n", YamlTest::error))
                .isInstanceOf(InputException.class);
    }

    @Test
    void aDocumentThatIsNotAMappingIsRefused() {
        assertThatThrownBy(() -> Yaml.parse("p.yaml", "- a\n- b\n", YamlTest::error))
                .hasMessage("p.yaml: expected a mapping of keys (key: value), found a list");
        assertThatThrownBy(() -> Yaml.parse("p.yaml", "just text\n", YamlTest::error))
                .hasMessage("p.yaml: expected a mapping of keys (key: value), found a single value");
    }

    @Test
    void aDuplicatedKeyAndBrokenSyntaxNameTheFileAndLine() {
        assertThatThrownBy(() -> Yaml.parse("p.yaml", "a: 1\na: 2\n", YamlTest::error))
                .hasMessageStartingWith("p.yaml line 2").hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> Yaml.parse("p.yaml", "a: [1, 2\n", YamlTest::error))
                .hasMessageStartingWith("p.yaml line").hasMessageContaining("not valid YAML");
    }

    @Test
    void aTextLongerThanAnyPolicyIsRefusedBeforeItIsScanned() {
        String huge = "a".repeat(Yaml.MAX_CHARS + 1);
        assertThatThrownBy(() -> Yaml.parse("p.yaml", huge, YamlTest::error))
                .isInstanceOf(InputException.class)
                .hasMessage("p.yaml: is " + huge.length() + " characters long; a YAML file Modelgate reads is at most "
                        + "1 MB (policies and plans are a few kilobytes)");
        String largest = "k: " + "a".repeat(Yaml.MAX_CHARS - 4) + "\n";
        assertThat(Yaml.parse("p.yaml", largest, YamlTest::error).get("k").asText()).hasSize(Yaml.MAX_CHARS - 4);
    }
}
