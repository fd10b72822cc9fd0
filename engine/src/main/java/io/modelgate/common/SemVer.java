package io.modelgate.common;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A version as <a href="https://semver.org/spec/v2.0.0.html">Semantic Versioning 2.0.0</a> defines
 * it, with the optional leading {@code v} that Modelgate's and DVC GTO's versions carry:
 * {@code v1.4.0}, {@code v1.4.0-rc.1}, {@code v1.4.0+build.7}. The one parser and the one ordering
 * of versions for the registry and the GTO code; no other class reads a version's parts.
 *
 * <p>Parsing follows the grammar of §2, §9 and §10 exactly: three numeric parts without leading
 * zeros, then optionally {@code -} and dot-separated pre-release identifiers ({@code [0-9A-Za-z-]},
 * none empty, numeric ones without leading zeros), then optionally {@code +} and dot-separated
 * build identifiers (same characters, none empty, leading zeros allowed). Numbers have no upper
 * bound (the standard sets none, and GTO's Python reads them as unbounded ints).
 *
 * <p>Two orders. {@link #PRECEDENCE} is §11: major, minor, patch numerically; a pre-release ranks
 * below its release; pre-release identifiers compare left to right, numeric ones numerically and
 * below alphanumeric ones, alphanumeric ones in ASCII order, and when all shared identifiers are
 * equal the version with more of them ranks higher; build metadata is ignored. Versions differing
 * only in build metadata thus have equal precedence yet are not {@link #equals equal}, so the
 * natural order ({@link #compareTo}) is precedence, then build metadata as a tie-breaker: a total
 * order consistent with {@code equals}, safe for sorted sets and maps.
 *
 * <p>The leading {@code v} is not part of the value: {@code 1.4.0} and {@code v1.4.0} parse to
 * equal versions, and {@link #toString} always writes the {@code v}. Whether a {@code v} is
 * required is the caller's rule (the registry and GTO require it).
 *
 * @param major      the major version, at least 0
 * @param minor      the minor version, at least 0
 * @param patch      the patch version, at least 0
 * @param preRelease the pre-release identifiers, empty for a release
 * @param build      the build metadata identifiers, usually empty
 */
public record SemVer(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease, List<String> build)
        implements Comparable<SemVer> {

    /** §11 precedence; build metadata ignored (so it is not consistent with {@code equals}). */
    public static final Comparator<SemVer> PRECEDENCE = SemVer::comparePrecedence;

    private static final String FORM = "MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD], like v1.4.0";

    public SemVer {
        if (major == null || minor == null || patch == null || preRelease == null || build == null) {
            throw new IllegalArgumentException("every part of a version must be given");
        }
        if (major.signum() < 0 || minor.signum() < 0 || patch.signum() < 0) {
            throw new IllegalArgumentException("version numbers must be at least 0");
        }
        preRelease = List.copyOf(preRelease);
        build = List.copyOf(build);
        for (String id : preRelease) {
            problem("pre-release", id, true).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
        }
        for (String id : build) {
            problem("build metadata", id, false).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
        }
    }

    /** A release {@code vMAJOR.MINOR.PATCH}. */
    public static SemVer of(long major, long minor, long patch) {
        return new SemVer(BigInteger.valueOf(major), BigInteger.valueOf(minor), BigInteger.valueOf(patch), List.of(),
                List.of());
    }

    /**
     * Parses {@code text}, with or without a leading {@code v}.
     *
     * @throws InputException naming the text and what is wrong with it, in one line
     */
    public static SemVer parse(String text) {
        Object r = read(text);
        if (r instanceof String problem) {
            throw new InputException("version '" + Sanitizer.escape(text == null ? "" : text)
                    + "' is not a Semantic Version 2.0.0 (" + FORM + "): " + problem);
        }
        return (SemVer) r;
    }

    /** The version {@code text} is, if it is one; for callers that skip what is not a version. */
    public static Optional<SemVer> tryParse(String text) {
        return read(text) instanceof SemVer v ? Optional.of(v) : Optional.empty();
    }

    public static boolean isValid(String text) {
        return read(text) instanceof SemVer;
    }

    /** Either a SemVer or the reason {@code text} is not one (no exception: GTO skips thousands of tags). */
    private static Object read(String text) {
        if (text == null || text.isEmpty()) {
            return "it is empty";
        }
        String s = text.startsWith("v") ? text.substring(1) : text;
        // The core has no '-' or '+': the first '+' starts the build, the first '-' before it the
        // pre-release (which may hold more '-': "rc-1").
        int plus = s.indexOf('+');
        Object build = plus < 0 ? List.of() : identifiers("build metadata", s.substring(plus + 1), false);
        s = plus < 0 ? s : s.substring(0, plus);
        int dash = s.indexOf('-');
        Object pre = dash < 0 ? List.of() : identifiers("pre-release", s.substring(dash + 1), true);
        s = dash < 0 ? s : s.substring(0, dash);
        // Reasons in reading order: the pre-release's before the build's.
        if (pre instanceof String problem) {
            return problem;
        }
        if (build instanceof String problem) {
            return problem;
        }
        String[] core = s.split("\\.", -1);
        if (core.length != 3) {
            return "expected three numbers separated by dots before any '-' or '+', found "
                    + (s.isEmpty() ? "nothing" : "'" + Sanitizer.escape(s) + "'");
        }
        String[] names = {"major", "minor", "patch"};
        BigInteger[] numbers = new BigInteger[3];
        for (int i = 0; i < 3; i++) {
            String n = core[i];
            if (n.isEmpty()) {
                return "the " + names[i] + " version is empty";
            }
            if (!isNumeric(n)) {
                return "the " + names[i] + " version '" + Sanitizer.escape(n) + "' is not a number (digits 0-9 only)";
            }
            if (n.length() > 1 && n.charAt(0) == '0') {
                return "the " + names[i] + " version '" + n + "' has a leading zero";
            }
            numbers[i] = new BigInteger(n);
        }
        return new SemVer(numbers[0], numbers[1], numbers[2], cast(pre), cast(build));
    }

    @SuppressWarnings("unchecked")
    private static List<String> cast(Object ids) {
        return (List<String>) ids;
    }

    /** The dot-separated identifiers of a pre-release or build, or the reason they are not valid. */
    private static Object identifiers(String what, String part, boolean numericWithoutLeadingZero) {
        if (part.isEmpty()) {
            return "the " + what + " after '" + (what.equals("pre-release") ? "-" : "+") + "' is empty";
        }
        List<String> ids = new ArrayList<>();
        for (String id : part.split("\\.", -1)) {
            Optional<String> problem = problem(what, id, numericWithoutLeadingZero);
            if (problem.isPresent()) {
                return problem.get();
            }
            ids.add(id);
        }
        return ids;
    }

    private static Optional<String> problem(String what, String id, boolean numericWithoutLeadingZero) {
        if (id == null || id.isEmpty()) {
            return Optional.of("the " + what + " has an empty identifier (two dots in a row, or a dot at an end)");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-')) {
                return Optional.of("the " + what + " identifier '" + Sanitizer.escape(id) + "' holds '"
                        + Sanitizer.escape(String.valueOf(c)) + "' (identifiers are ASCII letters, digits and '-')");
            }
        }
        if (numericWithoutLeadingZero && id.length() > 1 && id.charAt(0) == '0' && isNumeric(id)) {
            return Optional.of("the numeric " + what + " identifier '" + id + "' has a leading zero");
        }
        return Optional.empty();
    }

    private static boolean isNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return !s.isEmpty();
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** This version without its build metadata: what precedence sees. */
    public SemVer withoutBuild() {
        return build.isEmpty() ? this : new SemVer(major, minor, patch, preRelease, List.of());
    }

    public SemVer nextMajor() {
        return new SemVer(major.add(BigInteger.ONE), BigInteger.ZERO, BigInteger.ZERO, List.of(), List.of());
    }

    public SemVer nextMinor() {
        return new SemVer(major, minor.add(BigInteger.ONE), BigInteger.ZERO, List.of(), List.of());
    }

    public SemVer nextPatch() {
        return new SemVer(major, minor, patch.add(BigInteger.ONE), List.of(), List.of());
    }

    /** §11: negative, zero or positive as this version has lower, equal or higher precedence. */
    public int comparePrecedence(SemVer o) {
        int c = major.compareTo(o.major);
        if (c == 0) {
            c = minor.compareTo(o.minor);
        }
        if (c == 0) {
            c = patch.compareTo(o.patch);
        }
        if (c != 0) {
            return c;
        }
        // §11.3: a pre-release ranks below the release of the same numbers.
        if (preRelease.isEmpty() || o.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), o.preRelease.isEmpty());
        }
        return compareIdentifiers(preRelease, o.preRelease);
    }

    /** Whether the two differ at most in build metadata. */
    public boolean hasSamePrecedence(SemVer o) {
        return comparePrecedence(o) == 0;
    }

    /** Precedence, then build metadata (compared like pre-release identifiers), so that 0 means equal. */
    @Override
    public int compareTo(SemVer o) {
        int c = comparePrecedence(o);
        return c != 0 ? c : compareIdentifiers(build, o.build);
    }

    /** §11.4: identifier by identifier, then the longer list ranks higher. */
    private static int compareIdentifiers(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareIdentifier(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean na = isNumeric(a);
        boolean nb = isNumeric(b);
        if (na && nb) {
            // Without leading zeros a longer number is a larger one; equal lengths compare digit by digit.
            // (Build identifiers may have leading zeros; stripping them keeps the order numeric and total.)
            String x = stripZeros(a);
            String y = stripZeros(b);
            int c = x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
            return c != 0 ? c : a.compareTo(b);
        }
        if (na != nb) {
            return na ? -1 : 1; // §11.4.3: numeric identifiers rank below alphanumeric ones
        }
        return a.compareTo(b); // ASCII only, so UTF-16 order is ASCII order
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    /** {@code vMAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]}: the form the registry stores and GTO tags carry. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("v").append(major).append('.').append(minor).append('.').append(patch);
        if (!preRelease.isEmpty()) {
            s.append('-').append(String.join(".", preRelease));
        }
        if (!build.isEmpty()) {
            s.append('+').append(String.join(".", build));
        }
        return s.toString();
    }
}
