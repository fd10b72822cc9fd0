package io.modelgate.demo;

import java.io.IOException;
import java.util.Locale;
import java.util.Random;

/**
 * Exports a window of production data, as a scheduled job would from its serving logs: 5,000
 * customers after a market change (higher prices, more support calls, more customers in latam).
 */
final class WindowStage implements DemoStage {
    static final String WINDOW = "data/production-window.csv";
    static final int ROWS = 5_000;

    @Override
    public String name() {
        return "Export a production window";
    }

    @Override
    public void run(DemoContext c) throws IOException {
        c.window = c.path(WINDOW);
        // Another seed: production customers are not the training customers.
        int churned = DataStage.write(c.window, new Random(c.seed * 31 + 7), ROWS, DataStage.Shift.PRODUCTION);
        c.progress.accept(String.format(Locale.ROOT, "      %d customers seen in production, %.1f%% churned -> %s",
                ROWS, 100.0 * churned / ROWS, WINDOW));
    }
}
