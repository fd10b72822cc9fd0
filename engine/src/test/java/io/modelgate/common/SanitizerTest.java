package io.modelgate.common;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SanitizerTest {
    private static final int RUNS = 20_000;

    /** Random strings drawn mostly from the characters that cause trouble. */
    private static String randomText(Random r) {
        int n = r.nextInt(40);
        StringBuilder s = new StringBuilder();
        String nasty = "\n\r\t\0\u001b\u0085\u2028\u2029\u202e\u2066\u007f\\\"'`*_[]|~#@<>&: /%";
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(5)) {
                case 0 -> s.append(nasty.charAt(r.nextInt(nasty.length())));
                case 1 -> s.append((char) r.nextInt(0x20));
                case 2 -> s.appendCodePoint(0x1F600 + r.nextInt(50));
                case 3 -> s.append((char) (0xD800 + r.nextInt(0x800)));
                default -> s.append((char) ('a' + r.nextInt(26)));
            }
        }
        return s.toString();
    }

    @Test
    void escapedFreeTextIsOneLineWithoutControlCharactersAndRoundTrips() {
        Random r = new Random(14);
        for (int i = 0; i < RUNS; i++) {
            String s = randomText(r);
            String e = Sanitizer.escape(s);
            assertThat(Sanitizer.hasControl(e)).as("escape(%s)", e).isFalse();
            assertThat(e).doesNotContain("\n", "\r", "\0");
            assertThat(Sanitizer.unescape(e)).as("round trip of %s", e).isEqualTo(s);
        }
    }

    @Test
    void identifiersWithAnyControlCharacterAreRefusedNamingTheField() {
        Random r = new Random(15);
        int refused = 0;
        for (int i = 0; i < RUNS; i++) {
            String s = "a" + randomText(r);
            if (Sanitizer.hasControl(s)) {
                refused++;
                assertThatThrownBy(() -> Sanitizer.identifier("--approver", s))
                        .isInstanceOf(InputException.class)
                        .hasMessageStartingWith("--approver '")
                        .satisfies(e -> assertThat(Sanitizer.hasControl(e.getMessage())).isFalse());
            } else if (s.length() <= Sanitizer.MAX_IDENTIFIER) {
                assertThat(Sanitizer.identifier("--approver", s)).isEqualTo(s);
            }
        }
        assertThat(refused).isGreaterThan(RUNS / 2);
    }

    @Test
    void aLineFeedCannotStartASecondTrailer() {
        assertThatThrownBy(() -> Sanitizer.identifier("--approver", "bob\nModelgate-Event: {}"))
                .hasMessageContaining("bob\\nModelgate-Event")
                .hasMessageContaining("control character");
        assertThat(Sanitizer.freeText("rolled back\nModelgate-Event: {}")).isEqualTo("rolled back\\nModelgate-Event: {}");
    }

    @Test
    void terminalAndMarkdownOutputHoldNoControlCharacters() {
        Random r = new Random(16);
        for (int i = 0; i < RUNS; i++) {
            String s = randomText(r);
            assertThat(Sanitizer.hasControl(Sanitizer.terminal(s))).isFalse();
            String md = Sanitizer.markdown(s);
            assertThat(Sanitizer.hasControl(md)).isFalse();
            // No unescaped Markdown punctuation or HTML can survive.
            assertThat(md.replaceAll("\\\\[\\\\`*_\\[\\]|~#]", "").replaceAll("&(amp|lt|gt|#64);", ""))
                    .doesNotContain("<", ">", "`", "*", "_", "[", "]", "|", "~", "#", "@");
        }
    }

    @Test
    void freeTextIsCutAtItsCap() {
        String huge = "x".repeat(Sanitizer.MAX_FREE_TEXT * 3);
        assertThat(Sanitizer.freeText(huge)).hasSize(Sanitizer.MAX_FREE_TEXT + 1).endsWith("\u2026");
    }

    @Test
    void plainTextIsUnchanged() {
        assertThat(Sanitizer.escape("churn v1.2.0 – ok 😀")).isEqualTo("churn v1.2.0 – ok 😀");
        assertThat(Sanitizer.terminal("C:\\models\\churn")).isEqualTo("C:\\models\\churn");
        assertThat(Sanitizer.identifier("model", "churn-EU_2")).isEqualTo("churn-EU_2");
    }

    @Test
    void namesThatWouldCollideWithGitOrLeaveTheFolderAreRefused() {
        assertThatThrownBy(() -> Names.ref("model", "x.lock")).hasMessageContaining("'.lock'");
        assertThatThrownBy(() -> Names.ref("model", "a/../b")).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> Names.ref("model", "a b")).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> Names.ref("model", "a//b")).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> Names.ref("model", "a\nb")).hasMessageContaining("control character");
        assertThat(Names.ref("model", "team/churn")).isEqualTo("team/churn");
        for (String bad : new String[]{"../../../tmp/x", "..", ".", ".hidden", "a/b", "a\\b", "x.lock", "", "a b"}) {
            assertThatThrownBy(() -> Names.segment("--name", bad)).as(bad).isInstanceOf(InputException.class);
        }
        assertThat(Names.segment("--name", "churn-canary_2.1")).isEqualTo("churn-canary_2.1");
    }
}
