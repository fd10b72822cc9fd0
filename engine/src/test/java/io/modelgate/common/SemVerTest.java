package io.modelgate.common;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SemVerTest {

    /** semver.org §11.4, in order. */
    private static final List<String> SPEC_CHAIN = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
            "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");

    @Test
    void ordersTheSpecificationsExampleChain() {
        for (int i = 0; i + 1 < SPEC_CHAIN.size(); i++) {
            SemVer lower = SemVer.parse(SPEC_CHAIN.get(i));
            SemVer higher = SemVer.parse(SPEC_CHAIN.get(i + 1));
            assertThat(lower.comparePrecedence(higher)).as("%s < %s", lower, higher).isNegative();
            assertThat(higher.comparePrecedence(lower)).as("%s > %s", higher, lower).isPositive();
            assertThat(lower).isLessThan(higher);
        }
        List<SemVer> shuffled = new ArrayList<>(SPEC_CHAIN.stream().map(SemVer::parse).toList());
        Collections.shuffle(shuffled, new Random(11));
        shuffled.sort(SemVer.PRECEDENCE);
        assertThat(shuffled).extracting(SemVer::toString)
                .containsExactlyElementsOf(SPEC_CHAIN.stream().map(s -> "v" + s).toList());
    }

    @Test
    void comparesNumericPreReleaseIdentifiersAsNumbers() {
        assertThat(SemVer.parse("v1.0.0-rc.10")).isGreaterThan(SemVer.parse("v1.0.0-rc.2"));
        assertThat(SemVer.parse("v1.0.0-10")).isGreaterThan(SemVer.parse("v1.0.0-9"));
        // Numbers beyond any primitive type still compare numerically.
        assertThat(SemVer.parse("v1.0.0-100000000000000000000")).isGreaterThan(SemVer.parse("v1.0.0-99999999999999999999"));
        assertThat(SemVer.parse("v99999999999999999999999.0.0")).isGreaterThan(SemVer.parse("v9999999999999999999999.9.9"));
    }

    @Test
    void numericIdentifiersRankBelowAlphanumericOnesAndMoreIdentifiersRankHigher() {
        assertThat(SemVer.parse("1.0.0-999")).isLessThan(SemVer.parse("1.0.0-a"));
        assertThat(SemVer.parse("1.0.0-1")).isLessThan(SemVer.parse("1.0.0-0a")); // "0a" is alphanumeric
        assertThat(SemVer.parse("1.0.0-alpha")).isLessThan(SemVer.parse("1.0.0-alpha.0"));
        assertThat(SemVer.parse("1.0.0-alpha.1")).isLessThan(SemVer.parse("1.0.0-alpha.1.0"));
        assertThat(SemVer.parse("1.0.0-Z")).isLessThan(SemVer.parse("1.0.0-a")); // ASCII: upper case first
        assertThat(SemVer.parse("1.0.0-a-b")).isGreaterThan(SemVer.parse("1.0.0-a"));
    }

    @Test
    void ordersTheCoreNumericallyAndAReleaseAboveItsPreReleases() {
        List<String> expected = List.of("v1.0.0-1", "v1.0.0-2", "v1.0.0-10", "v1.0.0-alpha", "v1.0.0-alpha.1",
                "v1.0.0-alpha.beta", "v1.0.0-beta", "v1.0.0-beta.2", "v1.0.0-beta.11", "v1.0.0-rc.1", "v1.0.0",
                "v1.0.1-rc.1", "v1.0.1", "v1.2.0", "v1.10.0", "v2.0.0-0", "v2.0.0", "v10.0.0");
        List<SemVer> sorted = new ArrayList<>(expected.stream().map(SemVer::parse).toList());
        Collections.reverse(sorted);
        sorted.sort(SemVer.PRECEDENCE);
        assertThat(sorted).extracting(SemVer::toString).containsExactlyElementsOf(expected);
    }

    @Test
    void buildMetadataIsIgnoredForPrecedenceButNotForEquality() {
        SemVer a = SemVer.parse("v1.0.0+a");
        SemVer b = SemVer.parse("v1.0.0+b");
        SemVer plain = SemVer.parse("v1.0.0");
        assertThat(a.comparePrecedence(b)).isZero();
        assertThat(a.hasSamePrecedence(plain)).isTrue();
        assertThat(a).isNotEqualTo(b);
        assertThat(a.compareTo(b)).isNegative();
        assertThat(plain).isLessThan(a); // the natural order breaks the tie, consistent with equals
        assertThat(a.withoutBuild()).isEqualTo(plain);
        assertThat(SemVer.parse("v1.0.0-rc.1+build.5").comparePrecedence(SemVer.parse("v1.0.0-rc.1"))).isZero();
        assertThat(SemVer.parse("v1.0.0+build").comparePrecedence(SemVer.parse("v1.0.0-rc.1+zzz"))).isPositive();
    }

    @Test
    void theLeadingVIsOptionalAndNotPartOfTheValue() {
        assertThat(SemVer.parse("1.4.0")).isEqualTo(SemVer.parse("v1.4.0")).isEqualTo(SemVer.of(1, 4, 0));
        assertThat(SemVer.parse("1.4.0-rc.1+b.7")).hasToString("v1.4.0-rc.1+b.7");
        assertThatThrownBy(() -> SemVer.parse("V1.4.0")).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> SemVer.parse("vv1.4.0")).isInstanceOf(InputException.class);
    }

    @Test
    void bumpsDropThePreReleaseAndResetTheLowerParts() {
        SemVer v = SemVer.parse("v1.4.2-rc.1+b");
        assertThat(v.nextPatch()).hasToString("v1.4.3");
        assertThat(v.nextMinor()).hasToString("v1.5.0");
        assertThat(v.nextMajor()).hasToString("v2.0.0");
        assertThat(SemVer.parse("v99999999999999999999.0.0").nextMajor()).hasToString("v100000000000000000000.0.0");
    }

    /** The valid cases of the official regular expression's test suite (semver.org, regex101.com/r/Ly7O1x/3). */
    @ParameterizedTest
    @ValueSource(strings = {"0.0.4", "1.2.3", "10.20.30", "1.1.2-prerelease+meta", "1.1.2+meta", "1.1.2+meta-valid",
            "1.0.0-alpha", "1.0.0-beta", "1.0.0-alpha.beta", "1.0.0-alpha.beta.1", "1.0.0-alpha.1",
            "1.0.0-alpha0.valid", "1.0.0-alpha.0valid", "1.0.0-alpha-a.b-c-somethinglong+build.1-aef.1-its-okay",
            "1.0.0-rc.1+build.1", "2.0.0-rc.1+build.123", "1.2.3-beta", "10.2.3-DEV-SNAPSHOT", "1.2.3-SNAPSHOT-123",
            "1.0.0", "2.0.0", "1.1.7", "2.0.0+build.1848", "2.0.1-alpha.1227", "1.0.0-alpha+beta",
            "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3----R-S.12.9.1--.12+meta", "1.2.3----RC-SNAPSHOT.12.9.1--.12",
            "1.0.0+0.build.1-rc.10000aaa-kk-0.1", "99999999999999999999999.999999999999999999.99999999999999999",
            "1.0.0-0A.is.legal"})
    void acceptsTheOfficialValidCases(String text) {
        assertThat(SemVer.isValid(text)).isTrue();
        assertThat(SemVer.isValid("v" + text)).isTrue();
        SemVer v = SemVer.parse(text);
        assertThat(v).hasToString("v" + text);
        assertThat(SemVer.parse(v.toString())).isEqualTo(v);
    }

    /** The invalid cases of the same suite, and what the registry used to let through. */
    @ParameterizedTest
    @ValueSource(strings = {"1", "1.2", "1.2.3-0123", "1.2.3-0123.0123", "1.1.2+.123", "+invalid", "-invalid",
            "-invalid+invalid", "-invalid.01", "alpha", "alpha.beta", "alpha.beta.1", "alpha.1", "alpha+beta",
            "alpha_beta", "alpha.", "alpha..", "beta", "1.0.0-alpha_beta", "-alpha.", "1.0.0-alpha..",
            "1.0.0-alpha..1", "1.0.0-alpha...1", "1.0.0-alpha....1", "1.0.0-alpha.....1", "1.0.0-alpha......1",
            "1.0.0-alpha.......1", "01.1.1", "1.01.1", "1.1.01", "1.2.3.DEV", "1.2-SNAPSHOT",
            "1.2.31.2.3----RC-SNAPSHOT.12.09.1--..12+788", "1.2-RC-SNAPSHOT", "-1.0.3-gamma+b7718", "+justmeta",
            "9.8.7+meta+meta", "9.8.7-whatever+meta+meta",
            "99999999999999999999999.999999999999999999.99999999999999999----RC-SNAPSHOT.12.09.1--------------------------------..12",
            "", "v", "v1.0.0-", "v1.0.0+", "v1.0.0-..", "v1.0.0-rc.01", "v1.0.0-rc.1.", "v1.0.0-.rc", "v1.0.0-rc..1",
            "v1.0.0+a..b", "v1.0.0 ", " v1.0.0", "v1.0.0-r\u00e9", "v\u0661.0.0", "v1.0.0-rc\n.1", "v1.0.0-rc/1"})
    void refusesTheOfficialInvalidCasesWithOneLineNamingTheValue(String text) {
        assertThat(SemVer.isValid(text)).isFalse();
        assertThat(SemVer.tryParse(text)).isEmpty();
        assertThatThrownBy(() -> SemVer.parse(text)).isInstanceOf(InputException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r")
                            .startsWith("version '" + Sanitizer.escape(text) + "' is not a Semantic Version 2.0.0");
                    assertThat(((InputException) e).kind()).isEqualTo(ModelgateException.Kind.BAD_INPUT);
                });
    }

    @Test
    void saysWhatIsWrong() {
        assertThatThrownBy(() -> SemVer.parse("v1.0.0-rc..1")).hasMessageEndingWith(
                "the pre-release has an empty identifier (two dots in a row, or a dot at an end)");
        assertThatThrownBy(() -> SemVer.parse("v1.0.0-rc.01")).hasMessageEndingWith(
                "the numeric pre-release identifier '01' has a leading zero");
        assertThatThrownBy(() -> SemVer.parse("v01.0.0")).hasMessageEndingWith("the major version '01' has a leading zero");
        assertThatThrownBy(() -> SemVer.parse("v1.0")).hasMessageEndingWith(
                "expected three numbers separated by dots before any '-' or '+', found '1.0'");
        assertThatThrownBy(() -> SemVer.parse("v1.0.0+")).hasMessageEndingWith("the build metadata after '+' is empty");
        assertThatThrownBy(() -> SemVer.parse("v1.0.0-a_b")).hasMessageEndingWith(
                "the pre-release identifier 'a_b' holds '_' (identifiers are ASCII letters, digits and '-')");
    }

    @Test
    void theConstructorRefusesWhatParseRefuses() {
        assertThatThrownBy(() -> new SemVer(BigInteger.ONE, BigInteger.ZERO, BigInteger.ZERO, List.of("01"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SemVer(BigInteger.ONE, BigInteger.ZERO, BigInteger.ZERO, List.of(""), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SemVer(BigInteger.ONE.negate(), BigInteger.ZERO, BigInteger.ZERO, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Random versions from a small alphabet (so that ties and shared prefixes are common): the natural
     * order is a total order consistent with equals, precedence is a total preorder that ignores build
     * metadata exactly, and every version survives printing and parsing.
     */
    @Test
    void theOrderIsATotalOrderConsistentWithEqualsOnRandomVersions() {
        Random random = new Random(20261126L);
        for (int round = 0; round < 40; round++) {
            List<SemVer> vs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                vs.add(randomVersion(random));
            }
            for (SemVer a : vs) {
                assertThat(SemVer.parse(a.toString())).isEqualTo(a);
                assertThat(a.compareTo(a)).isZero();
                for (SemVer b : vs) {
                    int ab = a.compareTo(b);
                    assertThat(Integer.signum(ab)).as("%s vs %s", a, b).isEqualTo(-Integer.signum(b.compareTo(a)));
                    assertThat(ab == 0).as("%s vs %s: compareTo 0 iff equal", a, b).isEqualTo(a.equals(b));
                    int p = a.comparePrecedence(b);
                    assertThat(Integer.signum(p)).isEqualTo(-Integer.signum(b.comparePrecedence(a)));
                    assertThat(p == 0).as("%s vs %s: same precedence iff equal without build", a, b)
                            .isEqualTo(a.withoutBuild().equals(b.withoutBuild()));
                    if (p != 0) {
                        assertThat(Integer.signum(ab)).as("the natural order refines precedence").isEqualTo(Integer.signum(p));
                    }
                    assertThat(Integer.signum(p)).as("%s vs %s against a model of §11", a, b)
                            .isEqualTo(Integer.signum(modelPrecedence(a.toString(), b.toString())));
                }
            }
            // Transitivity: after sorting, every earlier element is <= every later one.
            List<SemVer> sorted = new ArrayList<>(vs);
            Collections.sort(sorted);
            for (int i = 0; i < sorted.size(); i++) {
                for (int j = i + 1; j < sorted.size(); j++) {
                    assertThat(sorted.get(i).compareTo(sorted.get(j))).isNotPositive();
                    assertThat(sorted.get(i).comparePrecedence(sorted.get(j))).isNotPositive();
                }
            }
        }
    }

    private static final String[] IDENTIFIERS = {"0", "1", "2", "10", "11", "99", "alpha", "beta", "rc", "a", "A", "a-1",
            "-", "0a", "1a", "x10"};

    private static SemVer randomVersion(Random random) {
        StringBuilder s = new StringBuilder(random.nextBoolean() ? "v" : "");
        s.append(random.nextInt(3)).append('.').append(random.nextInt(3)).append('.').append(random.nextInt(3));
        if (random.nextInt(3) > 0) {
            s.append('-').append(identifiers(random, false));
        }
        if (random.nextInt(4) == 0) {
            s.append('+').append(identifiers(random, true));
        }
        return SemVer.parse(s.toString());
    }

    private static String identifiers(Random random, boolean build) {
        List<String> ids = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            ids.add(build && random.nextInt(5) == 0 ? "007" : IDENTIFIERS[random.nextInt(IDENTIFIERS.length)]);
        }
        return String.join(".", ids);
    }

    /**
     * §11 written out independently, on the text (as python-semver and GTO do): core parts as numbers,
     * no pre-release above a pre-release, then identifier by identifier, then by count.
     */
    private static int modelPrecedence(String a, String b) {
        String[] x = a.substring(1).split("\\+")[0].split("-", 2);
        String[] y = b.substring(1).split("\\+")[0].split("-", 2);
        String[] cx = x[0].split("\\.");
        String[] cy = y[0].split("\\.");
        for (int i = 0; i < 3; i++) {
            int c = new BigInteger(cx[i]).compareTo(new BigInteger(cy[i]));
            if (c != 0) {
                return c;
            }
        }
        if (x.length == 1 || y.length == 1) {
            return Integer.compare(y.length, x.length); // the one without a pre-release is higher
        }
        String[] px = x[1].split("\\.");
        String[] py = y[1].split("\\.");
        for (int i = 0; i < Math.min(px.length, py.length); i++) {
            boolean nx = px[i].matches("[0-9]+");
            boolean ny = py[i].matches("[0-9]+");
            int c = nx && ny ? new BigInteger(px[i]).compareTo(new BigInteger(py[i]))
                    : nx ? -1 : ny ? 1 : px[i].compareTo(py[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(px.length, py.length);
    }
}
