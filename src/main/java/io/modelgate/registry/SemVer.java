package io.modelgate.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version as GTO writes it: {@code v1.4.0}, optionally with a pre-release ({@code v1.4.0-rc.1}) of
 * dot-separated, non-empty parts (so no {@code ..}, which no Git ref or GTO tag may hold).
 */
record SemVer(int major, int minor, int patch, String preRelease) implements Comparable<SemVer> {
    private static final Pattern FORM = Pattern.compile(
            "v(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(?:-([0-9A-Za-z-]{1,64}(?:\\.[0-9A-Za-z-]{1,64}){0,7}))?");

    static boolean isValid(String s) {
        return FORM.matcher(s).matches();
    }

    static SemVer parse(String s) {
        Matcher m = FORM.matcher(s);
        if (!m.matches()) {
            throw new RegistryException("version '" + s + "' is not SemVer with a leading v, like v1.4.0");
        }
        return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? "" : m.group(4));
    }

    SemVer bump(String part) {
        return switch (part) {
            case "major" -> new SemVer(major + 1, 0, 0, "");
            case "minor" -> new SemVer(major, minor + 1, 0, "");
            case "patch" -> new SemVer(major, minor, patch + 1, "");
            default -> throw new RegistryException("--bump: expected major, minor or patch, found '" + part + "'");
        };
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        if (c == 0) {
            c = Integer.compare(patch, o.patch);
        }
        if (c == 0) {
            // A release sorts after its pre-releases.
            c = preRelease.isEmpty() ? (o.preRelease.isEmpty() ? 0 : 1) : o.preRelease.isEmpty() ? -1
                    : preRelease.compareTo(o.preRelease);
        }
        return c;
    }

    @Override
    public String toString() {
        return "v" + major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + preRelease);
    }
}
