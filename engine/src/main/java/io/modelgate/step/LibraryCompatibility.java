package io.modelgate.step;

import io.modelgate.common.Sanitizer;
import io.modelgate.common.SemVer;

import java.util.Optional;

/**
 * Whether the shared library that calls {@code modelgate step} and the modelgate on the agent belong
 * together. The library's steps, parameters and outcome fields change between minor versions; the
 * patch level does not change them, so major.minor must match and the patch may differ. The library
 * says its version in {@code MODELGATE_LIBRARY_VERSION} (an environment variable, so an older
 * modelgate that does not know it still runs instead of refusing an unknown flag).
 */
public final class LibraryCompatibility {
    /** The variable the shared library sets to its own version. */
    public static final String VARIABLE = "MODELGATE_LIBRARY_VERSION";

    private LibraryCompatibility() {
    }

    /**
     * Why {@code library} cannot drive {@code engine}, as the one line the build shows, or empty when
     * they match (or when the library did not say its version, as libraries older than the check do).
     */
    public static Optional<String> problem(String engine, String library) {
        if (library == null || library.isBlank()) {
            return Optional.empty();
        }
        Optional<SemVer> l = SemVer.tryParse(library.strip());
        Optional<SemVer> e = SemVer.tryParse(engine.strip());
        if (l.isEmpty()) {
            return Optional.of(VARIABLE + " is '" + Sanitizer.freeText(library)
                    + "', not a version such as 0.1.0; it is set by the Modelgate shared library");
        }
        if (e.isEmpty()) {
            return Optional.empty(); // a build from an IDE ("unknown"): nothing to compare
        }
        SemVer lib = l.get();
        SemVer eng = e.get();
        if (lib.major().equals(eng.major()) && lib.minor().equals(eng.minor())) {
            return Optional.empty();
        }
        return Optional.of("the Modelgate shared library is version " + library.strip() + " but the modelgate on this agent is "
                + engine + "; install modelgate " + lib.major() + "." + lib.minor() + ".x on the agent, or load the library "
                + "version that matches " + eng.major() + "." + eng.minor() + " (docs/install.md)");
    }
}
