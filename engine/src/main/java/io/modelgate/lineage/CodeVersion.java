package io.modelgate.lineage;

/**
 * The code a run was built from.
 *
 * @param commit     the Git commit id, or empty outside a Git work tree
 * @param branch     the branch, or empty (detached head)
 * @param remoteUrl  the origin's URL with any user name, password or token removed
 * @param dirty      whether the work tree had uncommitted changes
 * @param diffSha256 SHA-256 of the uncommitted diff when dirty, else empty
 */
public record CodeVersion(String commit, String branch, String remoteUrl, boolean dirty, String diffSha256) {
    public static final CodeVersion NONE = new CodeVersion("", "", "", false, "");
}
