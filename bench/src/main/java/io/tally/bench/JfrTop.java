package io.tally.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./tally bench jfr-top FILE}: the top of a JFR recording, read with the JDK's own parser. For CPU
 * samples ({@code jdk.ExecutionSample}): the hottest methods by own samples, and by the first Tally frame on
 * the stack (which part of Tally the time is spent under). For allocation samples
 * ({@code jdk.ObjectAllocationSample}): the same, weighted by the bytes each sample stands for, with the
 * allocated class.
 */
public final class JfrTop
{
    private static final String EXECUTION = "jdk.ExecutionSample";
    private static final String ALLOCATION = "jdk.ObjectAllocationSample";

    private JfrTop()
    {
    }

    static int run(final List<String> args, final PrintStream out)
    {
        if (args.isEmpty() || args.get(0).startsWith("--"))
        {
            throw new IllegalArgumentException("jfr-top FILE.jfr [--event " + EXECUTION + "|" + ALLOCATION + "] " +
                "[--top N] [--thread NAME-PREFIX]");
        }
        final Flags flags = new Flags(args.subList(1, args.size()), Set.of("event", "top", "thread"));
        final String event = flags.string("event", EXECUTION);
        final int top = (int)flags.number("top", 25, 1, 1000);
        final String thread = flags.string("thread", "");
        final Map<String, Long> self = new HashMap<>();
        final Map<String, Long> underTally = new HashMap<>();
        long total = 0;
        try (RecordingFile recording = new RecordingFile(Path.of(args.get(0))))
        {
            while (recording.hasMoreEvents())
            {
                final RecordedEvent sample = recording.readEvent();
                if (!sample.getEventType().getName().equals(event) || sample.getStackTrace() == null ||
                    !threadName(sample).startsWith(thread))
                {
                    continue;
                }
                final long weight = ALLOCATION.equals(event) ? sample.getLong("weight") : 1;
                final String allocated = ALLOCATION.equals(event) ? " [" + sample.getClass("objectClass").getName() + "]" : "";
                total += weight;
                final RecordedStackTrace stack = sample.getStackTrace();
                self.merge(frame(stack.getFrames().get(0)) + allocated, weight, Long::sum);
                underTally.merge(firstTallyFrame(stack) + allocated, weight, Long::sum);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final String unit = ALLOCATION.equals(event) ? "bytes" : "samples";
        out.printf(Locale.ROOT, "%s: %,d %s%s%n%n", event, total, unit, thread.isEmpty() ? "" : " on threads " + thread + "*");
        print(out, "top frames (self)", self, total, top);
        print(out, "by first io.tally frame on the stack", underTally, total, top);
        return 0;
    }

    private static String threadName(final RecordedEvent sample)
    {
        final String field = sample.hasField("sampledThread") ? "sampledThread" : "eventThread";
        return sample.getThread(field) == null ? "" : String.valueOf(sample.getThread(field).getJavaName());
    }

    private static String frame(final RecordedFrame frame)
    {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String firstTallyFrame(final RecordedStackTrace stack)
    {
        for (final RecordedFrame frame : stack.getFrames())
        {
            if (frame.getMethod().getType().getName().startsWith("io.tally."))
            {
                return frame(frame);
            }
        }
        return "(no Tally frame: Netty, JDK, Chronicle)";
    }

    private static void print(final PrintStream out, final String title, final Map<String, Long> counts, final long total,
        final int top)
    {
        out.println(title + ":");
        counts.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
            .limit(top)
            .forEach(e -> out.printf(Locale.ROOT, "  %5.1f%%  %,12d  %s%n", 100.0 * e.getValue() / Math.max(1, total),
                e.getValue(), e.getKey()));
        out.println();
    }
}
