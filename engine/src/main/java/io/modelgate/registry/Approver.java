package io.modelgate.registry;

import java.util.List;

/**
 * Who approved a promotion, and the groups the approving system vouches they belong to. In Jenkins
 * the name is the input step's submitter (authenticated by Jenkins) and the groups are that user's
 * authorities; on a command line both are the caller's word, which is why a stage can also require
 * that the approval came through Jenkins.
 *
 * @param name   the approver's id, or empty for no approver
 * @param groups the approver's groups, as the approving system reports them
 */
public record Approver(String name, List<String> groups) {
    public static final Approver NONE = new Approver("", List.of());

    public Approver {
        groups = List.copyOf(groups);
    }

    public static Approver named(String name) {
        return new Approver(name == null ? "" : name, List.of());
    }

    public boolean present() {
        return !name.isBlank();
    }
}
