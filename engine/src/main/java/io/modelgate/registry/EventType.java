package io.modelgate.registry;

import java.util.Locale;

/** What an audited registry change did. */
public enum EventType {
    REGISTER, PROMOTE, ARCHIVE, ROLLBACK, ALIAS_SET, ALIAS_REMOVE, ATTACH_VERDICT, LINK_LINEAGE, REJECT, OVERRIDE_REJECT,
    TAG_SET, TAG_UNSET, DESCRIBE, DEREGISTER, DEPRECATE, ACCEPT_REWRITE;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static EventType byId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
