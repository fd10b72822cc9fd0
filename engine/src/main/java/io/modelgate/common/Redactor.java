package io.modelgate.common;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one redactor: everything Modelgate prints, writes into a report, a registry commit, a lineage
 * record or event, or an error message passes through here first. It hides the password (and user
 * name) of every URL in the text, the values of token-like query parameters, and, when built with
 * {@link #of(Map, String...)}, the values of secret-looking environment variables wherever they appear.
 */
public final class Redactor {
    /** What a hidden value is replaced with. */
    public static final String MASK = "***";

    /** A URL with an authority, up to the first blank (a password may hold quotes and brackets). */
    private static final Pattern URL = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)(\\S+)");
    /** Query or fragment parameters whose values are credentials (AWS, Azure, GCS signed URLs, API keys). */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i)([?&#;])((?:access_|auth_|id_|refresh_|private_|session_)?token|api[_-]?key|apikey|key|password|passwd|"
                    + "pwd|secret|client_secret|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|"
                    + "x-goog-signature|x-goog-credential|auth|authorization|credential|credentials|sas|code)="
                    + "([^&#;\\s\"'<>`]*)");
    /** Environment variable names whose values are secrets. */
    private static final Pattern SECRET_ENV = Pattern.compile(
            "(?i).*(PASSWORD|PASSWD|TOKEN|SECRET|API_?KEY|CREDENTIAL|PRIVATE_KEY|ACCESS_KEY).*");
    /** Values shorter than this are not hunted for in free text: "1" or "yes" would mask half a log. */
    private static final int MIN_SECRET = 4;

    private static final Redactor URLS_ONLY = new Redactor(List.of());

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** A redactor for URLs and token-like parameters only. */
    public static Redactor urls() {
        return URLS_ONLY;
    }

    /**
     * A redactor that also hides the value of every variable of {@code env} whose name looks secret
     * ({@code *PASSWORD*}, {@code *TOKEN*}, {@code *SECRET*}, {@code *API_KEY*}, ...), and
     * {@code extra} values known to be secret (a password read from a file).
     */
    public static Redactor of(Map<String, String> env, String... extra) {
        Set<String> values = new java.util.HashSet<>();
        env.forEach((k, v) -> {
            if (k != null && v != null && SECRET_ENV.matcher(k).matches() && v.strip().length() >= MIN_SECRET) {
                values.add(v.strip());
            }
        });
        for (String e : extra) {
            if (e != null && e.strip().length() >= MIN_SECRET) {
                values.add(e.strip());
            }
        }
        List<String> sorted = new ArrayList<>(values);
        // Longest first: a secret that contains another must be masked whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    /** {@code text} with every secret it holds replaced by {@link #MASK}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
            // The same secret percent-encoded, as it is written into a URL.
            String encoded = java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
            if (!encoded.equals(s) && out.contains(encoded)) {
                out = out.replace(encoded, MASK);
            }
        }
        return redactUrls(out);
    }

    /** Whether {@link #redact} would change {@code text}. */
    public boolean holdsSecret(String text) {
        return !redact(text).equals(text);
    }

    /** {@code text} with the credentials of every URL in it hidden (see {@link #url}). */
    public static String redactUrls(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        if (text.indexOf("://") < 0) {
            return redactParams(text);
        }
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            out.append(m.group(1)).append(afterScheme(m.group(2)));
            last = m.end();
        }
        out.append(text, last, text.length());
        return redactParams(out.toString());
    }

    /**
     * One URL with its user information (everything up to the last {@code @} of the authority, so a
     * password holding {@code @}, {@code :} or {@code /} is hidden whole) and the values of token-like
     * query parameters replaced by {@link #MASK}: {@code https://alice:p@ss@host/x?token=t} becomes
     * {@code https://***@host/x?token=***}. A URL with both a password and an {@code @} in its path
     * cannot be split reliably; it loses its host too rather than risk showing part of the password.
     */
    public static String url(String url) {
        return redactUrls(url);
    }

    private static String afterScheme(String rest) {
        if (rest.indexOf('@') < 0) {
            return rest;
        }
        // A password may hold '@', ':' and even '/', so the user information can end at any '@'.
        // First the last '@' whose prefix looks like "user:password" (a ':' before any '/', '?' or '#',
        // and not "host:8080/..."): never leaves part of a password, at worst hides a path's '@' too.
        for (int at = rest.lastIndexOf('@'); at > 0; at = rest.lastIndexOf('@', at - 1)) {
            String user = rest.substring(0, at);
            int sep = firstSeparator(user);
            int colon = user.indexOf(':');
            if (colon >= 0 && colon < sep && (sep == user.length() || !isPort(user.substring(colon + 1, sep)))) {
                return MASK + rest.substring(at);
            }
        }
        // Then a user name without a password, "ci@host/...": an '@' before any '/', '?' or '#'.
        for (int at = rest.lastIndexOf('@'); at > 0; at = rest.lastIndexOf('@', at - 1)) {
            if (firstSeparator(rest.substring(0, at)) == at) {
                return MASK + rest.substring(at);
            }
        }
        return rest;
    }

    private static int firstSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("/?#".indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    private static boolean isPort(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String redactParams(String text) {
        if (text.indexOf('=') < 0) {
            return text;
        }
        Matcher m = SECRET_PARAM.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        do {
            out.append(text, last, m.start(3));
            out.append(m.group(3).isEmpty() ? "" : MASK);
            last = m.end(3);
        } while (m.find());
        out.append(text, last, text.length());
        return out.toString();
    }

    /** Whether an environment variable of this name holds a secret, by its name. */
    public static boolean isSecretName(String name) {
        return name != null && SECRET_ENV.matcher(name.toUpperCase(Locale.ROOT)).matches();
    }
}
