package io.tally.store;

import net.openhft.chronicle.queue.RollCycles;
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

    /** As {@link #openForWriting(Path)}, its daily files chosen by {@code time} (tests of past days' files). */
    public static Journal openForWriting(final Path dataDir, final net.openhft.chronicle.core.time.TimeProvider time)
    {
        return new Journal(builder(dataDir.resolve(DIRECTORY)).timeProvider(time).build());
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

    /**
     * Starts a thread that brings the pages ahead of the appenders into memory ({@link JournalPretoucher}), telling
     * {@code errors} of its failed rounds; to be closed before the journal.
     */
    public JournalPretoucher startPretoucher(final org.agrona.ErrorHandler errors)
    {
        return new JournalPretoucher(queue, errors).start();
    }

    SingleChronicleQueue queue()
    {
        return queue;
    }

    /** A new reader starting at the oldest record. */
    public JournalReader newReader()
    {
        return new JournalReader(queue.createTailer());
    }

    /** A new reader that goes backwards from the newest record. */
    public NewestFirstReader newNewestFirstReader()
    {
        return new NewestFirstReader(queue);
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

    /**
     * Copies every record up to {@code lastIndex} into a new journal under {@code targetDataDir}, each at the same
     * index: a backup of a journal being written ({@link JournalCopy}).
     *
     * @return the records copied.
     */
    public long copyTo(final Path targetDataDir, final long lastIndex)
    {
        return JournalCopy.copy(queue, targetDataDir.resolve(DIRECTORY), lastIndex);
    }

    static SingleChronicleQueueBuilder builderFor(final Path directory)
    {
        return builder(directory);
    }

    /** The journal file (UTC day, for its daily roll) of a record index. */
    public int cycleOf(final long index)
    {
        return queue.rollCycle().toCycle(index);
    }

    /**
     * Deletes the whole daily files of the days before {@code cycle} (days since the epoch), which no reader may
     * need any more: the caller keeps it behind every reader's position. The queue forgets them at once.
     *
     * @return the bytes deleted.
     */
    public long deleteCyclesBefore(final int cycle)
    {
        long deleted = 0;
        for (final Path file : cycleFiles())
        {
            final int fileCycle = cycleOf(file);
            if (fileCycle >= 0 && fileCycle < cycle && fileCycle < queue.cycle())
            {
                try
                {
                    final long bytes = Files.size(file);
                    Files.delete(file);
                    deleted += bytes;
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException("cannot delete " + file + ": " + ex.getMessage(), ex);
                }
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }

    /** Bytes of the journal's files on disk (their apparent length: they are sparse until written). */
    public long diskBytes()
    {
        long bytes = 0;
        for (final Path file : cycleFiles())
        {
            bytes += file.toFile().length();
        }
        return bytes;
    }

    private java.util.List<Path> cycleFiles()
    {
        final Path directory = queue.file().toPath();
        try (java.util.stream.Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(SingleChronicleQueue.SUFFIX)).toList();
        }
        catch (final java.io.IOException ex)
        {
            return java.util.List.of();
        }
    }

    /** The cycle a daily file's name says ({@code yyyyMMdd'F'.cq4}), or -1 for any other file. */
    private static int cycleOf(final Path file)
    {
        final String name = file.getFileName().toString();
        try
        {
            final java.time.LocalDate date = java.time.LocalDate.parse(name.substring(0, 8),
                java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
            return name.startsWith("F", 8) ? (int)date.toEpochDay() : -1;
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    @Override
    public void close()
    {
        queue.close();
    }
}
