package io.modelgate.common;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" for misspelt keys and metric names. */
public final class Suggest {
    private Suggest() {
    }

    /** The candidate within edit distance 2 (or a third of the word) of {@code word}, if any. */
    public static Optional<String> closest(String word, String... candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.max(2, word.length() / 3);
        // A candidate that shares nothing with the word ('x' for 'a') is no suggestion, however short both are.
        return bestDistance > 0 && bestDistance <= limit && bestDistance < Math.min(word.length(), best.length())
                ? Optional.of(best) : Optional.empty();
    }

    /**
     * {@code " (did you mean 'x'?)"} for the closest of {@code candidates} to {@code word}, or {@code ""}:
     * the one way every message makes the suggestion.
     */
    public static String hint(String word, Collection<String> candidates) {
        return closest(word, candidates.toArray(String[]::new)).map(s -> " (did you mean '" + s + "'?)").orElse("");
    }

    /** commons-text's Levenshtein distance: as fast as the one written here before, same results (bench/LibraryBenchmark). */
    private static int distance(String a, String b) {
        return LevenshteinDistance.getDefaultInstance().apply(a, b);
    }
}
