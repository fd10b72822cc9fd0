package io.modelgate.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells, per column of the first rows of a CSV, whether the values look numeric: numbers are parsed
 * straight from the bytes, and a String is made only of a value that is not one (to compare it with
 * the missing-value words). A column stops being checked at its first text value.
 */
final class SniffParser extends CsvChunkParser {
    /** Per field: a finite number was seen. */
    final boolean[] number;
    /** Per field: a value that is neither a number nor a missing-value word was seen. */
    final boolean[] text;

    SniffParser(int fieldCount) {
        super(fieldCount);
        this.number = new boolean[fieldCount];
        this.text = new boolean[fieldCount];
    }

    @Override
    void row(byte[] buf) throws RowError {
        if (found != fieldCount) {
            throw error("expected " + fieldCount + " fields, found " + found);
        }
        for (int f = 0; f < fieldCount; f++) {
            if (text[f]) {
                continue;
            }
            if (escaped[f]) { // a doubled quote: neither a number nor a missing-value word
                text[f] = true;
                continue;
            }
            double v = DoubleParser.parse(buf, starts[f], ends[f]);
            if (Double.isFinite(v)) {
                number[f] = true;
            } else {
                String value = new String(buf, starts[f], ends[f] - starts[f], StandardCharsets.UTF_8);
                text[f] = !TableChunkParser.MISSING.contains(value.strip().toLowerCase(Locale.ROOT));
            }
        }
    }
}
