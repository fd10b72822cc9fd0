package io.modelgate.registry.gto;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Version precedence as GTO computes it: gto/versions.py strips the 'v' and delegates to python-semver 3
 * {@code Version.compare} (major.minor.patch numerically, a release above its pre-releases, pre-release
 * identifiers numeric-before-alphanumeric, then by count; build metadata ignored).
 */
final class GtoSemVer {
    /** Orders valid GTO versions ({@link GtoTag#isValidVersion}) by precedence. */
    static final Comparator<String> PRECEDENCE = GtoSemVer::compare;

    private GtoSemVer() {
    }

    static int compare(String a, String b) {
        String[] x = split(a);
        String[] y = split(b);
        for (int i = 0; i < 3; i++) {
            int c = new BigInteger(x[i]).compareTo(new BigInteger(y[i]));
            if (c != 0) {
                return c;
            }
        }
        String preA = x[3];
        String preB = y[3];
        int c = compareNatural(preA, preB);
        if (c == 0) {
            return 0;
        }
        if (preA.isEmpty()) {
            return 1;
        }
        return preB.isEmpty() ? -1 : c;
    }

    /** python-semver {@code _nat_cmp}. */
    private static int compareNatural(String a, String b) {
        String[] pa = a.split("\\.", -1);
        String[] pb = b.split("\\.", -1);
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            boolean na = isNumber(pa[i]);
            boolean nb = isNumber(pb[i]);
            int c = na && nb ? new BigInteger(pa[i]).compareTo(new BigInteger(pb[i]))
                    : na ? -1 : nb ? 1 : compareCodePoints(pa[i], pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    /** {major, minor, patch, prerelease-or-empty}. */
    private static String[] split(String version) {
        String v = version.substring(1);
        int plus = v.indexOf('+');
        if (plus >= 0) {
            v = v.substring(0, plus);
        }
        int dash = v.indexOf('-');
        String pre = dash >= 0 ? v.substring(dash + 1) : "";
        String[] core = (dash >= 0 ? v.substring(0, dash) : v).split("\\.");
        return new String[] {core[0], core[1], core[2], pre};
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    /** Python compares str by code point; Java's compareTo by UTF-16 unit. */
    static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
