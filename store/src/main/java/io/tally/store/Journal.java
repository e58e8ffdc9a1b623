package io.tally.store;

import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The event journal: a Chronicle Queue of {@link io.tally.codec.EventRecord}s in {@code DATA_DIR/journal},
 * memory-mapped, one file per day. An event is durable against a crash of the process as soon as its
 * append returns: the bytes are in the page cache of a mapped file that the kernel writes out whatever
 * happens to the JVM. Several processes may read it while the engine writes.
 */
public final class Journal implements AutoCloseable
{
    public static final String DIRECTORY = "journal";

    private final SingleChronicleQueue queue;

    private Journal(final SingleChronicleQueue queue)
    {
        this.queue = queue;
    }

    /** Opens (creating when needed) the journal of {@code dataDir} for appending and reading. */
    public static Journal openForWriting(final Path dataDir)
    {
        final Path directory = dataDir.resolve(DIRECTORY);
        return new Journal(builder(directory).build());
    }

    /**
     * Opens the journal of {@code dataDir} read-only, as a second process may while the engine runs.
     *
     * @return null when there is no journal yet.
     */
    public static Journal openForReading(final Path dataDir)
    {
        final Path directory = dataDir.resolve(DIRECTORY);
        if (!Files.isDirectory(directory))
        {
            return null;
        }
        return new Journal(builder(directory).readOnly(true).build());
    }

    private static SingleChronicleQueueBuilder builder(final Path directory)
    {
        return SingleChronicleQueueBuilder.binary(directory.toFile()).rollCycle(RollCycles.FAST_DAILY);
    }

    /** A new appender, to be used by one thread only. */
    public JournalAppender newAppender()
    {
        return new JournalAppender(queue::createAppender);
    }

    /** A new reader starting at the oldest record. */
    public JournalReader newReader()
    {
        return new JournalReader(queue.createTailer());
    }

    /** A new reader that goes backwards from the newest record. */
    public JournalReader newReverseReader()
    {
        return new JournalReader(queue.createTailer().direction(TailerDirection.BACKWARD).toEnd());
    }

    /** The index the next record will have is beyond this one; -1 for an empty journal. */
    public long lastIndex()
    {
        return queue.lastIndex();
    }

    /**
     * How many records lie after {@code afterIndex} up to and including {@code lastIndex()}: the backlog of a
     * reader that has read up to {@code afterIndex} (-1: nothing read yet). Counts across daily files.
     */
    public long countAfter(final long afterIndex)
    {
        final long last = queue.lastIndex();
        if (last < 0 || afterIndex >= last)
        {
            return 0;
        }
        if (afterIndex < 0)
        {
            return queue.countExcerpts(queue.firstIndex(), last) + 1;
        }
        return queue.countExcerpts(afterIndex, last);
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
