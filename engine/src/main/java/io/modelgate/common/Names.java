package io.modelgate.common;

import org.eclipse.jgit.lib.Repository;

import java.util.regex.Pattern;

/**
 * The rules for names that become Git refs or file names: model names, stage and alias names,
 * rollout names. One place, so that a name one command accepts every other command can store.
 */
public final class Names {
    /** A rollout name is also a file name: letters, digits, dot, dash and underscore, no leading dot. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private Names() {
    }

    /**
     * {@code name} if it can be the last part of a Git ref ({@code refs/modelgate/models/NAME}):
     * an {@link Sanitizer#identifier identifier} that JGit accepts as a ref name, with no component
     * ending in {@code .lock} (Git's lock file for a ref {@code x} is {@code x.lock}: a model named
     * {@code x.lock} would collide with it), no {@code ..}, and no empty component.
     */
    public static String ref(String field, String name) {
        Sanitizer.identifier(field, name);
        for (String part : name.split("/", -1)) {
            if (part.isEmpty()) {
                throw new InputException(field + " '" + name + "' has an empty part between slashes");
            }
            if (part.endsWith(".lock")) {
                throw new InputException(field + " '" + name + "' ends in '.lock', which Git keeps for its lock files");
            }
            if (part.startsWith(".")) {
                throw new InputException(field + " '" + name + "' has a part starting with '.'");
            }
        }
        if (name.contains("..") || !Repository.isValidRefName("refs/modelgate/x/" + name)) {
            throw new InputException(field + " '" + name + "' cannot be a Git ref name"
                    + " (no spaces, '..', '~', '^', ':', '?', '*', '[', '\\\\', '@{' or trailing '.')");
        }
        return name;
    }

    /**
     * {@code name} if it can be a single file name inside Modelgate's own folders and a single ref
     * component: letters, digits, {@code . _ -}, at most 128 characters, not starting with a dot,
     * not ending in {@code .lock}; so {@code ../../tmp/x} can never leave the folder.
     */
    public static String segment(String field, String name) {
        Sanitizer.identifier(field, name);
        if (!SEGMENT.matcher(name).matches() || name.endsWith(".lock") || name.contains("..")) {
            throw new InputException(field + " '" + name + "' must be letters, digits, '.', '_' or '-'"
                    + " (at most 128, not starting with '.' or ending in '.lock', no '..')");
        }
        return name;
    }
}
