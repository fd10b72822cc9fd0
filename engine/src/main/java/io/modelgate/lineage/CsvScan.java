package io.modelgate.lineage;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CSV file's header and counts its data rows from the same buffers that are hashed, so a
 * CSV file is read once. Rows are the non-empty lines after the header ({@code \r\n} endings allowed);
 * quoted fields spanning lines are not recognised (each line counts).
 */
final class CsvScan {
    /** Header bytes kept at most; a longer first line is cut (it is not a CSV header anyway). */
    static final int MAX_HEADER = 1 << 20;

    private final ByteArrayOutputStream header = new ByteArrayOutputStream(256);
    private boolean headerDone;
    private boolean lineHasContent;
    private long rows;

    void feed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        if (!headerDone) {
            while (i < end && b[i] != '\n') {
                i++;
            }
            int keep = Math.min(i - off, MAX_HEADER - header.size());
            if (keep > 0) {
                header.write(b, off, keep);
            }
            if (i == end) {
                return;
            }
            headerDone = true;
            i++;
        }
        boolean content = lineHasContent;
        long r = rows;
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (content) {
                    r++;
                }
                content = false;
            } else if (c != '\r') {
                content = true;
            }
        }
        lineHasContent = content;
        rows = r;
    }

    long rows() {
        return rows + (lineHasContent ? 1 : 0);
    }

    List<String> header() {
        String line = header.toString(StandardCharsets.UTF_8);
        if (line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        return line.isEmpty() ? List.of() : split(line);
    }

    /** Splits on commas outside double quotes; quotes around a field are removed and {@code ""} inside is one quote. */
    static List<String> split(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        fields.add(f.toString());
        return fields;
    }
}
