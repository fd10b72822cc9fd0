package io.modelgate.registry;

import io.modelgate.common.SemVer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which versions of a model hold which stage and alias: a few hundred bytes however many versions
 * the model has, so reading it is cheap. Versions in the archive stage are not listed here (there
 * may be thousands); each version records its own stage.
 *
 * @param model        the model
 * @param seq          the number of events so far
 * @param latest       the highest registered version, or empty
 * @param stages       stage to its holders, most recently promoted first
 * @param previous     stage to its earlier holders, most recent first (bounded), for rollback
 * @param aliases      alias to version
 * @param description  the model's description (registry describe NAME)
 * @param tags         the model's tags (registry tag set NAME k=v)
 * @param deprecated   the whole model was deprecated: nothing is registered or promoted any more
 * @param deregistered versions deregistered: out of every stage and alias, never promoted again
 */
public record ModelState(String model, long seq, String latest, Map<String, List<String>> stages,
                         Map<String, List<String>> previous, Map<String, String> aliases, String description,
                         Map<String, String> tags, boolean deprecated, List<String> deregistered) {
    static final int PREVIOUS_KEPT = 20;

    public ModelState {
        stages = freeze(stages);
        previous = freeze(previous);
        aliases = Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        // States stored before models had metadata lack these.
        description = description == null ? "" : description;
        tags = tags == null ? Map.of() : Collections.unmodifiableMap(new java.util.TreeMap<>(tags));
        deregistered = deregistered == null ? List.of() : List.copyOf(deregistered);
    }

    public ModelState(String model, long seq, String latest, Map<String, List<String>> stages,
                      Map<String, List<String>> previous, Map<String, String> aliases) {
        this(model, seq, latest, stages, previous, aliases, "", Map.of(), false, List.of());
    }

    static ModelState empty(String model) {
        return new ModelState(model, 0, "", Map.of(), Map.of(), Map.of());
    }

    private static Map<String, List<String>> freeze(Map<String, List<String>> m) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (!v.isEmpty()) {
                copy.put(k, List.copyOf(v));
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    public List<String> holders(String stage) {
        return stages.getOrDefault(stage, List.of());
    }

    /** The stage a version holds, if it is in one of the listed (non-archive) stages. */
    public Optional<String> stageOf(String version) {
        return stages.entrySet().stream().filter(e -> e.getValue().contains(version)).map(Map.Entry::getKey).findFirst();
    }

    /**
     * The state after an event. The single place where events change stages and aliases: the
     * registry uses it to make a change, and {@code verify} to replay history.
     */
    ModelState apply(RegistryEvent e) {
        Map<String, List<String>> s = mutable(stages);
        Map<String, List<String>> p = mutable(previous);
        Map<String, String> a = new LinkedHashMap<>(aliases);
        String newLatest = latest;
        String desc = description;
        Map<String, String> t = new java.util.TreeMap<>(tags);
        boolean dep = deprecated;
        List<String> dereg = new ArrayList<>(deregistered);
        switch (e.type()) {
            // Precedence (semver.org §11): v1.0.0-rc.10 is above v1.0.0-rc.2. Versions differing only in
            // build metadata are refused at registration, so precedence never ties here.
            case REGISTER -> newLatest = latest.isEmpty()
                    || SemVer.parse(e.version()).comparePrecedence(SemVer.parse(latest)) > 0 ? e.version() : latest;
            case PROMOTE -> {
                s.values().forEach(l -> l.remove(e.version()));
                List<String> target = s.computeIfAbsent(e.stage(), k -> new ArrayList<>());
                target.removeAll(e.displaced());
                List<String> prev = p.computeIfAbsent(e.stage(), k -> new ArrayList<>());
                for (String d : e.displaced()) {
                    prev.remove(d);
                    prev.add(0, d);
                }
                prev.remove(e.version());
                while (prev.size() > PREVIOUS_KEPT) {
                    prev.remove(prev.size() - 1);
                }
                target.add(0, e.version());
            }
            case ROLLBACK -> {
                s.values().forEach(l -> l.remove(e.version()));
                List<String> target = s.computeIfAbsent(e.stage(), k -> new ArrayList<>());
                target.removeAll(e.displaced());
                target.add(0, e.version());
                List<String> prev = p.computeIfAbsent(e.stage(), k -> new ArrayList<>());
                prev.remove(e.version());
                prev.removeAll(e.displaced());
            }
            case ARCHIVE -> s.values().forEach(l -> l.remove(e.version()));
            case ALIAS_SET -> a.put(e.alias(), e.version());
            case ALIAS_REMOVE -> a.remove(e.alias());
            case TAG_SET -> {
                if (e.version().isEmpty()) {
                    t.putAll(e.tags());
                }
            }
            case TAG_UNSET -> {
                if (e.version().isEmpty()) {
                    e.tags().keySet().forEach(t::remove);
                }
            }
            case DESCRIBE -> {
                if (e.version().isEmpty()) {
                    desc = e.reason();
                }
            }
            case DEREGISTER -> {
                s.values().forEach(l -> l.remove(e.version()));
                p.values().forEach(l -> l.remove(e.version()));
                a.values().removeIf(v -> v.equals(e.version()));
                dereg.add(e.version());
            }
            case DEPRECATE -> {
                s.clear();
                p.clear();
                a.clear();
                dep = true;
            }
            case ATTACH_VERDICT, LINK_LINEAGE, REJECT, OVERRIDE_REJECT, ACCEPT_REWRITE -> {
                // Recorded on the version (or, for an accepted rewrite, in the history); stages and aliases do not move.
            }
        }
        return new ModelState(model, seq + 1, newLatest, s, p, a, desc, t, dep, dereg);
    }

    private static Map<String, List<String>> mutable(Map<String, List<String>> m) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(k, new ArrayList<>(v)));
        return copy;
    }
}
