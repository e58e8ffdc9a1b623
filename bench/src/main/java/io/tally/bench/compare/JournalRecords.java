package io.tally.bench.compare;

import io.tally.store.Journal;
import io.tally.store.JournalAppender;
import io.tally.store.JournalReader;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The do-nothing server's records appended to Tally's own journal (a Chronicle Queue in {@code dataDir/journal}) as
 * Tally's event loops append theirs: one record of {@code recordBytes} a request, an appender per thread. Beside
 * {@link MappedRecords} it tells what Chronicle's way of writing its files costs from what the bytes cost. Optional
 * tailers read the journal behind the appenders, as Tally's rollup agent does (batches, a millisecond's park when
 * caught up).
 */
public final class JournalRecords implements RequestRecords
{
    private final Journal journal;
    private final int recordBytes;
    private final ThreadLocal<JournalAppender> appenders;
    private final ThreadLocal<ByteBuffer> records;
    private final List<Thread> tailers = new ArrayList<>();
    private final LongAdder read = new LongAdder();
    private volatile boolean open = true;

    public JournalRecords(final Path dataDir, final int recordBytes)
    {
        this(dataDir, recordBytes, 0);
    }

    public JournalRecords(final Path dataDir, final int recordBytes, final int tailerCount)
    {
        if (recordBytes < 1 || recordBytes > 65_536)
        {
            throw new IllegalArgumentException("record bytes must be 1 to 65536: " + recordBytes);
        }
        this.journal = Journal.openForWriting(dataDir);
        this.recordBytes = recordBytes;
        this.appenders = ThreadLocal.withInitial(journal::newAppender);
        this.records = ThreadLocal.withInitial(() ->
        {
            final ByteBuffer record = ByteBuffer.allocateDirect(recordBytes);
            while (record.hasRemaining())
            {
                record.put((byte)'r');
            }
            return record;
        });
        for (int i = 0; i < tailerCount; i++)
        {
            final Thread tailer = new Thread(this::tail, "journal-tailer-" + i);
            tailer.setDaemon(true);
            tailer.start();
            tailers.add(tailer);
        }
    }

    private void tail()
    {
        try (JournalReader reader = journal.newReader())
        {
            while (open)
            {
                // the bench's records are not event records: the reader reads and skips them, as unreadable
                final int count = reader.read((index, record) -> { }, 4_096);
                read.add(count);
                if (count == 0)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
        }
        catch (final RuntimeException ex)
        {
            System.err.println("journal-records: a tailer stopped: " + ex);
            throw ex;
        }
    }

    /** Records the tailers have read so far, all of them together. */
    public long recordsRead()
    {
        return read.sum();
    }

    @Override
    public void append()
    {
        appenders.get().append(records.get(), recordBytes);
    }

    @Override
    public void close()
    {
        open = false;
        boolean interrupted = false;
        for (final Thread tailer : tailers)
        {
            while (tailer.isAlive())
            {
                try
                {
                    tailer.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true; // the journal is not closed under a tailer still reading it
                }
            }
        }
        System.out.println("journal-records: " + recordsRead() + " records read by " + tailers.size() + " tailers");
        journal.close();
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
