package io.tally.ops;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long command: on a terminal a line redrawn every second (events/s, done, ETA from the bytes
 * read); otherwise a plain line every ten seconds, so logs stay readable.
 */
final class Progress
{
    private final PrintStream out;
    private final long totalBytes;
    private final long startNanos;
    private final boolean terminal = System.console() != null;
    private volatile boolean running = true;

    Progress(final PrintStream out, final long totalBytes, final long startNanos)
    {
        this.out = out;
        this.totalBytes = totalBytes;
        this.startNanos = startNanos;
    }

    void run(final AtomicLong events, final AtomicLong bytes)
    {
        int tick = 0;
        while (running)
        {
            try
            {
                Thread.sleep(1000);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            tick++;
            if (terminal || tick % 10 == 0)
            {
                print(events.get(), bytes.get());
            }
        }
    }

    void stop()
    {
        running = false;
        if (terminal)
        {
            out.println();
        }
    }

    private void print(final long events, final long bytes)
    {
        final double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 0.001);
        final double done = totalBytes == 0 ? 1 : Math.min(1, (double)bytes / totalBytes);
        final long eta = done <= 0 ? 0 : (long)(seconds / done - seconds);
        final String line = String.format("%5.1f%%  %,d events  %,.0f events/s  ETA %d:%02d", done * 100, events, events / seconds,
            eta / 60, eta % 60);
        if (terminal)
        {
            out.print("\r" + line);
            out.flush();
        }
        else
        {
            out.println(line);
        }
    }
}
