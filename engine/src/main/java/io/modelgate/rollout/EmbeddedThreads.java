package io.modelgate.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Names the threads of one embedded server or load run, remembers them, and on {@link #stop} ends
 * the executor and waits until every one of them has died, so a closed server leaves no thread behind
 * (an executor's {@code awaitTermination} returns while its last threads may still be running).
 */
public final class EmbeddedThreads implements ThreadFactory {
    private final String prefix;
    private final List<Thread> created = new ArrayList<>();

    public EmbeddedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public synchronized Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + "-" + (created.size() + 1));
        t.setDaemon(true);
        created.add(t);
        return t;
    }

    /** Interrupts the executor's tasks and waits up to 5 s for its threads to end. */
    public void stop(ExecutorService executor) {
        executor.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            List<Thread> threads;
            synchronized (this) {
                threads = List.copyOf(created);
            }
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
