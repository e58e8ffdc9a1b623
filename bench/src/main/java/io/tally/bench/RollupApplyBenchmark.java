package io.tally.bench;

import io.tally.codec.EventRecordDecoder;
import io.tally.store.rollup.Rollups;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the rollup agent does per journaled event: {@link Rollups#apply} on a decoded record. The records are
 * the engine's for the load generator's mix (one site, one day, 5,000 visitors, a goal on one in ten), applied
 * over and over to one {@link Rollups}, as a day's traffic is. Run with {@code bench/jmh.sh RollupApply}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RollupApplyBenchmark
{
    private final EventRecordDecoder decoder = new EventRecordDecoder();
    private List<UnsafeBuffer> records;
    private Rollups rollups;
    private long index;
    private int next;

    @Setup(Level.Trial)
    public void setUp()
    {
        records = BenchEvents.records(8192, 1);
        rollups = new Rollups();
    }

    @Benchmark
    public long apply()
    {
        final UnsafeBuffer record = records.get(next);
        next = next + 1 == records.size() ? 0 : next + 1;
        if (!decoder.wrap(record, 0, record.capacity()))
        {
            throw new IllegalStateException("record " + next + " does not decode");
        }
        rollups.apply(index, decoder);
        return index++;
    }
}
