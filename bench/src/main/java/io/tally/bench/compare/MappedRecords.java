package io.tally.bench.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a memory-mapped journal does to the machine, without the journal: a record of {@code recordBytes} written for
 * each request through a shared mapping of a file, one after another, and the file's first page rewritten with each
 * (as a queue's header is). With these the do-nothing server shows what writing a journal's bytes through a mapping
 * costs by itself (at Tally's rate it did not raise the tail that Tally's Chronicle journal on the same disk does:
 * BENCHMARKS.md, "p99 at half load"). The file is 256 MiB and written round, so the disk it takes is bounded.
 */
public final class MappedRecords implements RequestRecords
{
    /** Tally's journal bytes for a beacon of the standard mix: 27.7 MB of journal for 104,853 beacons. */
    public static final int TALLY_RECORD_BYTES = 264;
    private static final int FILE_BYTES = 256 << 20;
    private static final int HEADER_BYTES = 4096;

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final byte[] record;
    private final long slots;
    private final AtomicLong appended = new AtomicLong();

    public MappedRecords(final Path file, final int recordBytes)
    {
        if (recordBytes < 1 || recordBytes > 65_536)
        {
            throw new IllegalArgumentException("record bytes must be 1 to 65536: " + recordBytes);
        }
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
            map = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_BYTES);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot map " + file, ex);
        }
        record = new byte[recordBytes];
        Arrays.fill(record, (byte)'r');
        slots = (FILE_BYTES - HEADER_BYTES) / recordBytes;
    }

    /**
     * Writes the next record, then the header's count. Safe from several threads (absolute puts, each record its own
     * slot); with several, the header holds whichever count was written last and its cache line moves between the
     * cores, as a shared journal's header does.
     */
    @Override
    public void append()
    {
        final long count = appended.getAndIncrement();
        map.put(HEADER_BYTES + (int)(count % slots) * record.length, record);
        map.putLong(0, count + 1);
    }

    @Override
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
