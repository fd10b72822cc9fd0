package io.modelgate.step;

import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns what a step's main work did (exit code, result document, error line) into a
 * {@link StepOutcome}: the build result, the check and the reports. This is the one place that
 * decides how Modelgate results map onto Jenkins, for every face.
 *
 * <p>Everything an outcome carries passes through the one {@link Redactor}, built from the build's
 * environment (URL passwords and tokens, and the values of secret variables such as
 * {@code MODELGATE_REGISTRY_PASSWORD}): the message, the check, the notes, the command lines and the
 * command's JSON result. The check's title, summary and text are Markdown, and every value in them
 * goes through the one Markdown escaper, {@link Sanitizer#markdown}, after the redactor (escaping
 * first would hide a URL's {@code @} from it); the message, shown in the build log, is escaped for a
 * terminal instead, and the check's name (an identity, not text to render) stays as given.
 */
public final class StepOutcomes {
    /** The name the report folder is published under; the build's link reads {@code BUILD_URL + "Modelgate/"}. */
    public static final String REPORT_NAME = "Modelgate";
    /** GitHub refuses check texts longer than 65,535 characters. */
    static final int MAX_TEXT = 60_000;

    private StepOutcomes() {
    }

    /**
     * The outcome of a step.
     *
     * @param plan      the step's plan
     * @param exitCode  the main work's exit code (0 passed, 1 failed, 2 bad input, 3 external, 5 paused)
     * @param result    the main work's result document (the equivalent command's {@code --json} shape); empty
     *                  when it could not run
     * @param errorLine the work's one-line error, when it had one
     * @param notes     problems that do not decide the result
     * @param workspace the folder the commands ran in, to read the reports they wrote
     * @param env       the agent's environment ({@code BUILD_URL} gives the check's details link)
     */
    public static StepOutcome decide(StepPlan plan, int exitCode, Map<String, Object> result, String errorLine,
                                     List<String> notes, Path workspace, Map<String, String> env) {
        Text t = new Text(Redactor.of(env));
        Map<String, Object> value = t.value(result == null ? Map.<String, Object>of() : result);
        String detailsUrl = Optional.ofNullable(env.get("BUILD_URL")).filter(u -> !u.isBlank())
                .map(u -> t.redactor.redact((u.endsWith("/") ? u : u + "/") + REPORT_NAME + "/")).orElse("");
        List<String> junit = new ArrayList<>();
        Decision d;
        if (exitCode == 2 || exitCode == 3 || exitCode == 4 || (exitCode != 0 && exitCode != 1 && exitCode != 5)
                || (value.isEmpty() && exitCode != 5)) {
            d = cannotRun(t, plan, exitCode, errorLine, value.isEmpty() && exitCode <= 1);
        } else {
            d = switch (plan.step()) {
                case "validateModel" -> {
                    Path xml = Path.of(plan.reportDir(), "junit.xml");
                    if (Files.isRegularFile(workspace.resolve(xml))) {
                        junit.add(xml.toString());
                    }
                    yield gate(t, value, exitCode, read(workspace.resolve(plan.reportDir()).resolve("verdict.md")));
                }
                case "recordLineage" -> lineage(t, value);
                case "registerModel", "promoteModel", "rollbackModel" -> registry(t, value, exitCode);
                case "canaryRollout" -> canary(value, exitCode);
                case "checkDrift" -> {
                    Path xml = Path.of(plan.reportDir(), "drift-junit.xml");
                    if (Files.isRegularFile(workspace.resolve(xml))) {
                        junit.add(xml.toString());
                    }
                    yield gate(t, value, exitCode, read(workspace.resolve(plan.reportDir()).resolve("drift.md")));
                }
                default -> throw new IllegalArgumentException("no outcome mapping for step " + plan.step());
            };
        }
        if (!plan.failBuild() && d.result.equals("FAILURE") && (exitCode == 1)) {
            // The pipeline responds to the result itself (a retraining, a rollback): the build goes on, UNSTABLE.
            d = new Decision("UNSTABLE", d.message, d.title, d.summary, d.text, d.conclusion);
        }
        // The text is Markdown already, its values escaped; redacted once more as a whole for the values of
        // secret variables, which a report page read from disk (verdict.md) could quote.
        String text = t.redactor.redact(d.text);
        text = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "\n\n… (cut; the full report is on the build page)" : text;
        Check check = new Check(t.line(plan.checkName()), t.md(d.title), t.md(d.summary), text, d.conclusion, detailsUrl);
        StepOutcome.Reports reports = new StepOutcome.Reports(plan.reportDir(), "index.html", REPORT_NAME, junit,
                plan.reportDir() + "/**");
        return new StepOutcome(StepOutcome.SCHEMA, plan.step(), d.result, exitCode, t.line(d.message), value, check, reports,
                notes.stream().map(t::line).toList(), commands(plan, t.redactor));
    }

    /** The plan's command lines with every secret in their arguments hidden (a password in a --registry URL). */
    static List<List<String>> commands(StepPlan plan, Redactor redactor) {
        return plan.commands().stream().map(c -> c.argv().stream().map(redactor::redact).toList()).toList();
    }

    /** What may reach a check (Markdown) or the build log (one terminal line): redacted, then escaped. */
    private static final class Text {
        final Redactor redactor;

        Text(Redactor redactor) {
            this.redactor = redactor;
        }

        /** A value as literal Markdown inline text. */
        String md(String plain) {
            return Sanitizer.markdown(redactor.redact(plain));
        }

        /** A message for the build log and {@code error(...)}: one line, no secrets, no control characters. */
        String line(String plain) {
            return Sanitizer.terminal(redactor.redact(plain));
        }

        /** The command's JSON result with every string in it redacted: the step returns it to the Jenkinsfile. */
        @SuppressWarnings("unchecked")
        <T> T value(T v) {
            if (v instanceof String str) {
                return (T) redactor.redact(str);
            }
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(redactor.redact(String.valueOf(k)), value(x)));
                return (T) out;
            }
            if (v instanceof List<?> l) {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(x -> out.add(value(x)));
                return (T) out;
            }
            return v;
        }
    }

    /** The outcome of a step that could not start: unknown step, bad parameters, unreadable parameters file. */
    public static StepOutcome invalid(String step, String message) {
        return invalid(step, message, Map.of());
    }

    /** As {@link #invalid(String, String)}, hiding the values of {@code env}'s secret variables too. */
    public static StepOutcome invalid(String step, String message, Map<String, String> env) {
        Text t = new Text(Redactor.of(env));
        String why = message.startsWith(step + ": ") ? message.substring(step.length() + 2) : message;
        String line = step + ": bad input: " + why;
        String name = StepCatalog.find(step).map(StepDefinition::defaultCheckName).orElse("Modelgate: " + step);
        Check check = new Check(t.line(name), t.md(line), "Modelgate could not run " + t.md(step) + ".", t.md(why),
                "FAILURE", "");
        return new StepOutcome(StepOutcome.SCHEMA, t.line(step), "FAILURE", 2, t.line(line), Map.of(), check,
                new StepOutcome.Reports(StepCatalog.DEFAULT_REPORT_DIR, "index.html", REPORT_NAME, List.of(), ""), List.of(),
                List.of());
    }

    private record Decision(String result, String message, String title, String summary, String text, String conclusion) {
        static Decision success(String title, String summary, String text) {
            return new Decision("SUCCESS", title, title, summary, text, "SUCCESS");
        }

        static Decision failure(String message, String summary, String text) {
            return new Decision("FAILURE", message, message, summary, text, "FAILURE");
        }
    }

    private static Decision cannotRun(Text t, StepPlan plan, int exitCode, String errorLine, boolean noJson) {
        String why = errorLine == null || errorLine.isBlank()
                ? (noJson ? "the command printed no result" : "exit code " + exitCode) : errorLine.strip();
        String kind = switch (exitCode) {
            case 2 -> "bad input";
            case 3 -> "an external system failed";
            case 4 -> "internal error (please report it)";
            default -> "failed";
        };
        String message = plan.step() + ": " + kind + ": " + why;
        return Decision.failure(message, "Modelgate could not finish " + plan.step() + " (exit code " + exitCode + ").",
                t.md(why));
    }

    private static Decision gate(Text t, Map<String, Object> v, int exitCode, String markdown) {
        String status = str(v, "status");
        String summary = str(v, "summary");
        // verdict.md and drift.md are escaped by the report writers (the same escaper); a bare summary is escaped here.
        String text = markdown.isBlank() ? t.md(summary) : markdown;
        if (exitCode == 1 || status.equals("FAIL")) {
            return Decision.failure(summary, summary, text);
        }
        if (status.equals("WARN")) {
            return new Decision("UNSTABLE", summary, summary, summary, text, "NEUTRAL");
        }
        return Decision.success(summary, summary, text);
    }

    private static Decision lineage(Text t, Map<String, Object> v) {
        String id = str(v, "id");
        String title = "Recorded lineage " + (id.length() > 12 ? id.substring(0, 12) : id) + " of " + str(v, "job");
        StringBuilder text = new StringBuilder();
        for (String side : List.of("inputs", "outputs")) {
            if (v.get(side) instanceof List<?> list && !list.isEmpty()) {
                text.append("**").append(side).append("**\n\n");
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m) {
                        text.append("- ").append(t.md(String.valueOf(m.get("uri")))).append(" sha256 ")
                                .append(t.md(String.valueOf(m.get("sha256")))).append('\n');
                    }
                }
                text.append('\n');
            }
        }
        return Decision.success(title, title, text.toString());
    }

    private static Decision registry(Text t, Map<String, Object> v, int exitCode) {
        String message = str(v, "message");
        if (exitCode == 1 || str(v, "status").equals("refused")) {
            StringBuilder text = new StringBuilder();
            if (v.get("unmet") instanceof List<?> unmet) {
                unmet.forEach(u -> text.append("- ").append(t.md(String.valueOf(u))).append('\n'));
            }
            return Decision.failure("refused: " + message, "The registry refused the change.", text.toString());
        }
        String title = str(v, "status").equals("unchanged") ? "unchanged: " + message : message;
        return Decision.success(title, title, "");
    }

    private static Decision canary(Map<String, Object> v, int exitCode) {
        String phase = str(v, "phase").toLowerCase(Locale.ROOT).replace('_', ' ');
        String reason = str(v, "reason");
        String title = "Canary " + (phase.isEmpty() ? "ended" : phase) + (reason.isEmpty() ? "" : ": " + reason);
        int analyses = v.get("intervals") instanceof List<?> l ? l.size() : 0;
        String summary = analyses + " analyses, " + str(v, "failures") + " failed";
        if (exitCode == 5) {
            return new Decision("UNSTABLE", title + " (resume it with canaryRollout again, or roll it back with abort: true)",
                    title, summary, "", "NEUTRAL");
        }
        if (exitCode == 1) {
            return Decision.failure(title, summary, "");
        }
        return Decision.success(title, summary, "");
    }

    private static String str(Map<String, Object> v, String key) {
        Object o = v.get(key);
        return o == null ? "" : o.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
