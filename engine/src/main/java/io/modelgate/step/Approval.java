package io.modelgate.step;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A promotion that waits for a person: the question asked and who may answer it. The shared library
 * asks with Jenkins' input step; the plugin asks on a page of its own. Both call promoteModel with
 * {@code approver} set to who said yes, and the engine refuses {@code approvers} without it, so a
 * face that forgot to ask cannot promote unapproved.
 *
 * @param question  what the approvers are asked, e.g. {@code Promote churn 1.4.0 to stage production?}
 * @param approvers Jenkins user ids or group names, as the input step's {@code submitter} list takes them
 */
// {@code approver} above is promoteModel's parameter, not a component of this record.
@SuppressWarnings("InvalidParam")
public record Approval(String question, List<String> approvers) {
    public Approval {
        approvers = List.copyOf(approvers);
    }

    /**
     * The approval promoteModel's parameters ask for, or empty when they name no approvers. The whole
     * parameter set is checked first, so a mistake fails before anybody is asked.
     *
     * @throws StepException (one line) for a bad parameter, or an {@code approvers} list that names nobody
     */
    public static Optional<Approval> of(Map<String, ?> params) {
        StepDefinition promote = StepCatalog.find("promoteModel").orElseThrow();
        StepArguments args = StepArguments.check(promote, params);
        Optional<String> list = args.string("approvers");
        if (list.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = Arrays.stream(list.get().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new StepException("promoteModel: parameter 'approvers' names nobody: give Jenkins user ids or group "
                    + "names, comma-separated");
        }
        if (args.has("stage") == args.has("alias")) {
            throw new StepException("promoteModel: give exactly one of 'stage' and 'alias'");
        }
        String target = args.string("stage").map(s -> "stage " + s).orElseGet(() -> "alias " + args.require("alias"));
        return Optional.of(new Approval("Promote " + args.require("name") + " " + args.require("version") + " to "
                + target + "?", names));
    }

    /**
     * Whether a user may answer: their id or one of their groups is in the list. Compared without
     * regard to case, as Jenkins' default security realms compare ids and group names.
     */
    public boolean allows(String userId, Collection<String> groups) {
        for (String name : approvers) {
            String n = name.toLowerCase(Locale.ROOT);
            if (userId != null && n.equals(userId.toLowerCase(Locale.ROOT))) {
                return true;
            }
            for (String g : groups) {
                if (g != null && n.equals(g.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }
}
