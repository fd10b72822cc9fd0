package io.modelgate.rollout;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A/B assignment: which side a client is on, from the key that names it (a header's or a cookie's value).
 *
 * <p>The key is hashed (64-bit FNV-1a, the same in every process and run) into one of 10,000 buckets, and
 * buckets below {@code canary weight x 100} are the canary's. So every request of one client goes to the
 * same side while the weights stay, a client on the canary stays on it when its share grows (10% to 25%
 * only adds buckets), and two routers, or a router restarted, assign alike. Requests without a key go to
 * the stable version: a client that cannot be told apart cannot be kept on one side.
 */
final class EmbeddedAssignment {
    static final int BUCKETS = 10_000;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private EmbeddedAssignment() {
    }

    static EmbeddedTarget side(String key, Weights weights) {
        if (key.isEmpty()) {
            return EmbeddedTarget.STABLE;
        }
        return bucket(key) < weights.canary() * (BUCKETS / 100) ? EmbeddedTarget.CANARY : EmbeddedTarget.STABLE;
    }

    static int bucket(String key) {
        long h = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        // the high bits mix best: FNV's low bits follow the last byte closely
        return (int) Long.remainderUnsigned(h ^ (h >>> 32), BUCKETS);
    }

    /** The value of cookie {@code name} in {@code Cookie} headers ({@code a=1; b=2}); empty when absent. */
    static String cookie(List<String> cookieHeaders, String name) {
        for (String header : cookieHeaders) {
            for (String pair : header.split(";", -1)) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                    String v = pair.substring(eq + 1).trim();
                    return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
                }
            }
        }
        return "";
    }
}
