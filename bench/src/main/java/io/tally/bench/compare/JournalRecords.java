package io.tally.bench.compare;

import io.tally.store.Journal;
import io.tally.store.JournalAppender;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The do-nothing server's records appended to Tally's own journal (a Chronicle Queue in {@code dataDir/journal}) as
 * Tally's event loops append theirs: one record of {@code recordBytes} a request, an appender per thread. Beside
 * {@link MappedRecords} it tells what Chronicle's way of writing its files costs from what the bytes cost.
 */
public final class JournalRecords implements RequestRecords
{
    private final Journal journal;
    private final int recordBytes;
    private final ThreadLocal<JournalAppender> appenders;
    private final ThreadLocal<ByteBuffer> records;

    public JournalRecords(final Path dataDir, final int recordBytes)
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
    }

    @Override
    public void append()
    {
        appenders.get().append(records.get(), recordBytes);
    }

    @Override
    public void close()
    {
        journal.close();
    }
}
