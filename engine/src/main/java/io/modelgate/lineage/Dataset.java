package io.modelgate.lineage;

import java.util.List;

/**
 * A data set or file that a run read or wrote, identified by its content.
 *
 * @param uri       the path or URI as given (a path is made absolute)
 * @param sha256    hex SHA-256: of a file's bytes; of a directory, of the lines
 *                  {@code <sha256>  <relative path>} of its regular files in sorted order
 * @param size      bytes (all files of a directory)
 * @param files     1 for a file, the number of files of a directory
 * @param csvHeader for a CSV file, its header fields; empty otherwise
 * @param csvRows   for a CSV file, its data rows (lines after the header); -1 when not a CSV file
 */
public record Dataset(String uri, String sha256, long size, long files, List<String> csvHeader, long csvRows) {
    public Dataset {
        csvHeader = List.copyOf(csvHeader);
    }

    public boolean isCsv() {
        return csvRows >= 0;
    }
}
