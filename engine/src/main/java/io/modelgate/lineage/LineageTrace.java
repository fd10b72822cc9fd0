package io.modelgate.lineage;

import io.modelgate.common.InputException;
import io.modelgate.common.Workspace;
import io.modelgate.registry.RegistryAccess;

import java.nio.file.Path;

/**
 * Where a model version or an artifact came from: the runs that made it, their data, and the runs
 * upstream of those, as {@code modelgate lineage trace} shows it and the recordLineage step draws it on
 * the build's page.
 *
 * @param graph the runs, data sets and model versions, and how they are linked
 * @param title what the graph is of, e.g. {@code Lineage of churn@v1.2.0}
 */
public record LineageTrace(LineageGraph graph, String title) {
    /** The lineage of a registered version, {@code NAME@VERSION}. */
    public static LineageTrace ofModel(Workspace ws, RegistryAccess access, String model) {
        String[] nv = checkModel(model);
        try (LineageStore lineage = LineageRecording.openExisting(ws, access)) {
            return new LineageTrace(new LineageQueries(lineage).traceModel(nv[0], nv[1]), "Lineage of " + model);
        }
    }

    /** The lineage of a file or directory, found by its digest. */
    public static LineageTrace ofArtifact(Workspace ws, RegistryAccess access, Path artifact) {
        Path a = ws.resolve(artifact);
        try (LineageStore lineage = LineageRecording.openExisting(ws, access)) {
            Dataset d = new DatasetDigester(DigestCache.load(LineageRecording.digestCache(ws))).digest(a);
            return new LineageTrace(new LineageQueries(lineage).traceDigest(d.sha256(), a.toString()), "Lineage of " + a);
        }
    }

    /** {@code NAME@VERSION}, split; checked before a store is opened. */
    public static String[] checkModel(String model) {
        String[] nv = model.split("@", 2);
        if (nv.length != 2) {
            throw new InputException("--model: expected NAME@VERSION, found '" + model + "'");
        }
        return nv;
    }
}
