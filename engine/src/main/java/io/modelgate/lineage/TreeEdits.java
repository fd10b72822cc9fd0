package io.modelgate.lineage;

import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds files to a Git tree by rewriting only the trees on their paths, so a write costs the depth
 * of the tree, not its size.
 */
final class TreeEdits {
    private TreeEdits() {
    }

    private record Entry(FileMode mode, ObjectId id) {
    }

    /** The new tree: {@code base} (or an empty tree when null) with each path set to its blob. */
    static ObjectId put(ObjectReader reader, ObjectInserter ins, ObjectId base, Map<String, ObjectId> blobs)
            throws IOException {
        TreeMap<String, Entry> entries = new TreeMap<>();
        if (base != null) {
            for (CanonicalTreeParser p = new CanonicalTreeParser(null, reader, base); !p.eof(); p.next()) {
                entries.put(p.getEntryPathString(), new Entry(p.getEntryFileMode(), p.getEntryObjectId()));
            }
        }
        Map<String, Map<String, ObjectId>> below = new LinkedHashMap<>();
        for (var b : blobs.entrySet()) {
            int slash = b.getKey().indexOf('/');
            if (slash < 0) {
                entries.put(b.getKey(), new Entry(FileMode.REGULAR_FILE, b.getValue()));
            } else {
                below.computeIfAbsent(b.getKey().substring(0, slash), k -> new LinkedHashMap<>())
                        .put(b.getKey().substring(slash + 1), b.getValue());
            }
        }
        for (var dir : below.entrySet()) {
            Entry existing = entries.get(dir.getKey());
            ObjectId sub = existing != null && existing.mode() == FileMode.TREE ? existing.id() : null;
            entries.put(dir.getKey(), new Entry(FileMode.TREE, put(reader, ins, sub, dir.getValue())));
        }
        List<String> names = new ArrayList<>(entries.keySet());
        // Git orders tree entries by name, a subtree's name compared as if it ended in '/'.
        names.sort((a, b) -> Arrays.compare(key(a, entries.get(a)), key(b, entries.get(b))));
        TreeFormatter f = new TreeFormatter();
        for (String n : names) {
            f.append(n, entries.get(n).mode(), entries.get(n).id());
        }
        return ins.insert(f);
    }

    private static byte[] key(String name, Entry e) {
        return (e.mode() == FileMode.TREE ? name + "/" : name).getBytes(StandardCharsets.UTF_8);
    }
}
