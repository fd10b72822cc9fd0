package io.modelgate.rollout;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who runs a rollout, as its state names the owner: {@code user@host pid 1234 #3f9a1c}. The token
 * tells two runners of one process apart; the host and pid let a runner on the same machine see
 * that the owner's process is gone (killed) without waiting for its heartbeats to age.
 */
record Runner(String user, String host, long pid, String token) {
    private static final Pattern OWNER = Pattern.compile(".*@(\\S+) pid (\\d+) #\\w+");

    static Runner current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            host = "localhost";
        }
        String user = System.getProperty("user.name", "someone");
        // six hex digits of a random UUID: the JDK's shared secure generator, not one made for a single draw
        String token = java.util.UUID.randomUUID().toString().substring(0, 6);
        return new Runner(io.modelgate.common.Sanitizer.freeText(user).replace(' ', '_'),
                io.modelgate.common.Sanitizer.freeText(host).replace(' ', '_'), ProcessHandle.current().pid(), token);
    }

    String describe() {
        return String.format(Locale.ROOT, "%s@%s pid %d #%s", user, host, pid, token);
    }

    /** Whether {@code owner} names a process of this machine that no longer exists. */
    boolean sawDie(String owner) {
        Matcher m = OWNER.matcher(owner);
        if (!m.matches() || !m.group(1).equals(host)) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(m.group(2)));
        return p.isEmpty() || !p.get().isAlive();
    }
}
