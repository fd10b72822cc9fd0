package io.modelgate.registry.gto;

import io.modelgate.common.SemVer;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * One GTO tag name, as iterative/gto writes and parses it (gto/constants.py, gto/tag.py).
 *
 * <p>Forms ({@code A} is the artifact with {@code :} written as {@code =}; {@code #N} is an optional
 * counter that may follow every form): {@code A@v1.2.3} register, {@code A@v1.2.3!} deregister,
 * {@code A#stage} assign, {@code A#stage!} unassign, {@code A@deprecated} deprecate the artifact.
 *
 * <p>{@code version} is part of the name only for REGISTER and DEREGISTER. For ASSIGN and UNASSIGN GTO
 * finds the version through the commit the tag points at, so there it is optional context used only by
 * {@link #message()}; {@link #parse} leaves it empty. Empty string means "absent"; counter 0 means "no
 * counter" (GTO never writes {@code #0}; it parses it, but a counter of 0 changes nothing).
 */
public record GtoTag(Kind kind, String artifact, String version, String stage, int counter) {

    /** GTO's {@code Action} values that have a tag form, with GTO's event priority (gto/base.py). */
    public enum Kind {
        DEPRECATE(2), REGISTER(3), DEREGISTER(4), ASSIGN(5), UNASSIGN(6);

        private final int priority;

        Kind(int priority) {
            this.priority = priority;
        }

        /** GTO orders same-second events in {@code gto history} by this number. */
        public int priority() {
            return priority;
        }
    }

    // Transcribed from gto/constants.py. Python's "[a-zA-Z0-9-_./]" has a literal '-'; it is moved to the end
    // here so Java cannot read it as a range.
    private static final String NAME = "[a-zA-Z0-9](?:[a-zA-Z0-9/_-]*[a-zA-Z0-9])?";
    private static final String DIRNAME = "[a-zA-Z0-9_./-]+";
    private static final Pattern NAME_RE = Pattern.compile(NAME);
    private static final Pattern FULLNAME_RE = Pattern.compile("(?:" + DIRNAME + ":)?" + NAME);
    /**
     * gto/constants.py tag_re, with the version taken loosely (the characters a SemVer may hold; none of
     * them is '!' or '#', which follow it) and checked by {@link SemVer}, the one SemVer parser: see
     * {@link #match}. GTO's regex also takes any Unicode decimal digit for a digit (Python's \d); SemVer
     * 2.0.0 allows 0-9 only, so such a tag is not read as GTO's (no GTO release writes one).
     */
    private static final Pattern TAG_RE = Pattern.compile("(?<artifact>(?:" + DIRNAME + "=)?" + NAME + ")"
            + "(?:(?:#(?<stage>" + NAME + ")|@(?<version>v[0-9A-Za-z.+-]+))(?<cancel>!?)"
            + "|@(?:(?<deprecated>deprecated)|(?<created>created)))"
            + "(?:#(?<counter>[0-9]+))?");

    public GtoTag {
        if (kind == null || artifact == null || version == null || stage == null) {
            throw new IllegalArgumentException("kind, artifact, version and stage must not be null");
        }
        if (!isValidName(artifact)) {
            throw new GtoException("Invalid artifact name '" + artifact + "': GTO allows letters, digits, '_', '-',"
                    + " '/' (starting and ending with a letter or digit), optionally prefixed by 'folder:'");
        }
        boolean versionOk = switch (kind) {
            case REGISTER, DEREGISTER -> isValidVersion(version);
            case ASSIGN, UNASSIGN -> version.isEmpty() || isValidVersion(version) || isCommitId(version);
            case DEPRECATE -> version.isEmpty();
        };
        if (!versionOk) {
            throw new GtoException("Invalid version '" + version + "' for " + kind + " of '" + artifact
                    + "': GTO expects SemVer with a leading 'v', e.g. v1.2.3");
        }
        boolean staged = kind == Kind.ASSIGN || kind == Kind.UNASSIGN;
        if (staged ? !isValidStage(stage) : !stage.isEmpty()) {
            throw new GtoException("Invalid stage '" + stage + "' for " + kind + " of '" + artifact
                    + "': GTO allows letters, digits, '_', '-', '/' (starting and ending with a letter or digit)");
        }
        if (counter < 0) {
            throw new GtoException("Invalid counter " + counter + " for '" + artifact + "': must be >= 0");
        }
        // Each part is valid on its own; together they must still make a Git tag (no '..', no '.lock' ending).
        String name = name(kind, artifact, version, stage, counter);
        if (!Repository.isValidRefName(Constants.R_TAGS + name) || name.contains(".lock/") || name.contains("..")) {
            throw new GtoException("'" + name + "' is a GTO tag name but not a valid Git tag name");
        }
    }

    public static GtoTag register(String artifact, String version) {
        return new GtoTag(Kind.REGISTER, artifact, version, "", 0);
    }

    public static GtoTag deregister(String artifact, String version) {
        return new GtoTag(Kind.DEREGISTER, artifact, version, "", 0);
    }

    /** {@code version} is the version the assigned commit carries (used in the message only), or "". */
    public static GtoTag assign(String artifact, String stage, String version, int counter) {
        return new GtoTag(Kind.ASSIGN, artifact, version, stage, counter);
    }

    public static GtoTag unassign(String artifact, String stage, String version, int counter) {
        return new GtoTag(Kind.UNASSIGN, artifact, version, stage, counter);
    }

    public static GtoTag deprecate(String artifact) {
        return new GtoTag(Kind.DEPRECATE, artifact, "", "", 0);
    }

    public GtoTag withCounter(int newCounter) {
        return new GtoTag(kind, artifact, version, stage, newCounter);
    }

    /**
     * Parses a tag name (without {@code refs/tags/}) the way gto/tag.py {@code parse_name} does. Empty for
     * names GTO does not recognise, and for {@code A@created}: it matches GTO's regex but yields no action
     * (GTO's {@code find} would fail on it with a KeyError).
     */
    public static Optional<GtoTag> parse(String tagName) {
        Optional<Matcher> matched = match(tagName);
        if (matched.isEmpty() || matched.get().group("created") != null) {
            return Optional.empty();
        }
        Matcher m = matched.get();
        int counter;
        try {
            counter = m.group("counter") == null ? 0 : Integer.parseInt(m.group("counter"));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty(); // Python ints are unbounded; a counter beyond int range is not a real GTO tag
        }
        String artifact = m.group("artifact").replace('=', ':');
        boolean cancel = "!".equals(m.group("cancel"));
        if (m.group("deprecated") != null) {
            return Optional.of(new GtoTag(Kind.DEPRECATE, artifact, "", "", counter));
        }
        if (m.group("version") != null) {
            return Optional.of(new GtoTag(cancel ? Kind.DEREGISTER : Kind.REGISTER, artifact, m.group("version"), "",
                    counter));
        }
        return Optional.of(new GtoTag(cancel ? Kind.UNASSIGN : Kind.ASSIGN, artifact, "", m.group("stage"), counter));
    }

    /** The tag name GTO would create (gto/tag.py TagTemplates + name_tag). */
    public String tagName() {
        return name(kind, artifact, version, stage, counter);
    }

    private static String name(Kind kind, String artifact, String version, String stage, int counter) {
        String a = artifact.replace(':', '=');
        String base = switch (kind) {
            case DEPRECATE -> a + "@deprecated";
            case REGISTER -> a + "@" + version;
            case DEREGISTER -> a + "@" + version + "!";
            case ASSIGN -> a + "#" + stage;
            case UNASSIGN -> a + "#" + stage + "!";
        };
        return counter > 0 ? base + "#" + counter : base;
    }

    /**
     * GTO's default annotation message for this action (gto/registry.py). ASSIGN and UNASSIGN need
     * {@link #version()}; for an assignment of an unregistered commit use {@link #message(AnyObjectId)}.
     */
    public String message() {
        return switch (kind) {
            case REGISTER -> "Registering artifact " + artifact + " version " + version;
            case DEREGISTER -> "Deregistering artifact " + artifact + " version " + version;
            case ASSIGN -> "Assigning stage " + stage + " to artifact " + artifact + " version " + requireVersion();
            // sic: quotes and "to" are GTO's wording
            case UNASSIGN -> "Unassigning stage '" + stage + "' to artifact '" + artifact + "' version '"
                    + requireVersion() + "'";
            case DEPRECATE -> "Deprecating artifact '" + artifact + "'";
        };
    }

    /** Like {@link #message()}, but an ASSIGN without a version names the commit, as GTO does. */
    public String message(AnyObjectId target) {
        if (kind == Kind.ASSIGN && version.isEmpty()) {
            return "Assigning stage " + stage + " to artifact " + artifact + " commit " + target.name();
        }
        return message();
    }

    private String requireVersion() {
        if (version.isEmpty()) {
            throw new IllegalStateException(kind + " of '" + artifact + "' to '" + stage
                    + "' has no version; GTO's message names it");
        }
        return version;
    }

    /** An artifact name: gto/constants.py {@code fullname_re}, e.g. {@code churn} or {@code models/a:churn}. */
    public static boolean isValidName(String name) {
        return FULLNAME_RE.matcher(name).matches();
    }

    /** A version as GTO accepts it: 'v' + SemVer 2.0 (gto/versions.py SemVer.is_valid; same as tag_re). */
    public static boolean isValidVersion(String version) {
        return version.startsWith("v") && SemVer.isValid(version);
    }

    /** The match of GTO's tag_re on a tag name, when it matches and any version in it is a SemVer. */
    static Optional<Matcher> match(String tagName) {
        Matcher m = TAG_RE.matcher(tagName);
        if (!m.matches() || (m.group("version") != null && !isValidVersion(m.group("version")))) {
            return Optional.empty();
        }
        return Optional.of(m);
    }

    /** Python orders str by code point (GTO sorts tag names so); Java's compareTo by UTF-16 unit. */
    static int compareCodePoints(String a, String b) {
        return java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** A stage: gto/constants.py {@code name_re} (config.assert_stage). */
    public static boolean isValidStage(String stage) {
        return NAME_RE.matcher(stage).matches();
    }

    // GTO names the "version" of an unregistered commit by its full hex id.
    private static boolean isCommitId(String version) {
        return version.matches("[0-9a-f]{40}");
    }
}
