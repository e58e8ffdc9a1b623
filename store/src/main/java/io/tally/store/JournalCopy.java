package io.tally.store;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A copy of a journal that is being written, up to a given index, with every record at the index it has in the
 * source, so a rollup checkpoint copied beside it still names the right place. The records are read through a
 * tailer and appended to a new queue whose clock is set to each record's own day: a cycle's records are its
 * sequences 0, 1, 2... in both queues, so the indices match (and are checked). Copying the files instead would
 * catch a record half written by the running engine at the end of the last one.
 */
final class JournalCopy
{
    private JournalCopy()
    {
    }

    static long copy(final SingleChronicleQueue source, final Path target, final long lastIndex)
    {
        if (Files.exists(target))
        {
            throw new IllegalStateException(target + " exists: a journal is copied only into a new directory");
        }
        if (lastIndex < 0)
        {
            return 0;
        }
        final RollCycle cycles = source.rollCycle();
        final AtomicLong clock = new AtomicLong();
        long copied = 0;
        try (SingleChronicleQueue copy = Journal.builderFor(target).timeProvider(clock::get).build();
             ExcerptTailer tailer = source.createTailer();
             ExcerptAppender appender = copy.createAppender())
        {
            while (true)
            {
                try (DocumentContext in = tailer.readingDocument())
                {
                    if (!in.isPresent() || in.index() > lastIndex)
                    {
                        break;
                    }
                    final long index = in.index();
                    clock.set((long)cycles.toCycle(index) * cycles.lengthInMillis());
                    final Bytes<?> bytes = in.wire().bytes();
                    try (DocumentContext out = appender.writingDocument())
                    {
                        out.wire().bytes().write(bytes, bytes.readPosition(), bytes.readRemaining());
                    }
                    if (appender.lastIndexAppended() != index)
                    {
                        throw new IllegalStateException(String.format(
                            "journal copy: record %d landed at index %d in the copy; the copy is not usable", index,
                            appender.lastIndexAppended()));
                    }
                    copied++;
                }
            }
        }
        return copied;
    }
}
