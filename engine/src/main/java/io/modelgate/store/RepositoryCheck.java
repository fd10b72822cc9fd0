package io.modelgate.store;

import org.eclipse.jgit.lib.Repository;

import java.util.List;

/**
 * A check of what one capability keeps in the registry's repository (lineage records, say), run by
 * {@code registry verify} next to the registry's own: the registry cannot know the other formats,
 * and must not depend on the packages that do.
 */
@FunctionalInterface
public interface RepositoryCheck {
    /** One sentence per problem; empty when sound. */
    List<String> check(Repository repo);
}
