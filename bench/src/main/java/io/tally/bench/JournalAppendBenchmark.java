package io.tally.bench;

import io.tally.store.Journal;
import io.tally.store.JournalAppender;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The journal append on its own: the records the engine writes for the load generator's mix (encoded once at
 * setup, 100 to 700 bytes), copied one after the other into the appender's staging buffer and appended to a
 * real Chronicle queue in a temporary directory (page cache, no fsync, as the engine runs). The directory is
 * deleted at the end of the trial. Run with {@code bench/jmh.sh JournalAppend}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JournalAppendBenchmark
{
    private Path dir;
    private Journal journal;
    private JournalAppender appender;
    private List<UnsafeBuffer> records;
    private ByteBuffer staging;
    private UnsafeBuffer stagingView;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("tally-jmh-journal");
        journal = Journal.openForWriting(dir);
        appender = journal.newAppender();
        records = BenchEvents.records(8192, 1);
        staging = ByteBuffer.allocateDirect(64 * 1024);
        stagingView = new UnsafeBuffer(staging);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        appender.close();
        journal.close();
        TempDirs.delete(dir);
    }

    /** Copy the next record into the staging buffer (as the encoder leaves it) and append it. */
    @Benchmark
    public long append()
    {
        final UnsafeBuffer record = records.get(next);
        next = next + 1 == records.size() ? 0 : next + 1;
        stagingView.putBytes(0, record, 0, record.capacity());
        return appender.append(staging, record.capacity());
    }
}
