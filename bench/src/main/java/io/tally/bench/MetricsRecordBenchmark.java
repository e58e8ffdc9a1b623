package io.tally.bench;

import io.tally.codec.Outcome;
import io.tally.engine.metrics.Endpoint;
import io.tally.engine.metrics.IngestCounters;
import io.tally.engine.metrics.RequestMetrics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What the request path records per answered beacon: the request by endpoint and status with its latency
 * (HdrHistogram {@code Recorder}), the event by endpoint and outcome, the journal append and its bytes. Run on
 * one thread and on two (the I/O threads of a 2-core machine share the counters). Target: 0 B/op under
 * {@code -prof gc}. Run with {@code bench/jmh.sh MetricsRecord}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MetricsRecordBenchmark
{
    private final RequestMetrics requests = new RequestMetrics();
    private final IngestCounters counters = new IngestCounters();

    /** Per thread: a latency that varies, as real ones do. */
    @State(Scope.Thread)
    public static class Latency
    {
        long nanos = 200_000;

        long next()
        {
            nanos = nanos * 6364136223846793005L + 1442695040888963407L;
            return 50_000 + ((nanos >>> 40) & 0xFFFFF);
        }
    }

    @Benchmark
    @Threads(1)
    public void recordOneThread(final Latency latency)
    {
        record(latency);
    }

    @Benchmark
    @Threads(2)
    public void recordTwoThreads(final Latency latency)
    {
        record(latency);
    }

    private void record(final Latency latency)
    {
        requests.record(Endpoint.EVENT, 202, latency.next());
        counters.record(Endpoint.EVENT, Outcome.ACCEPTED);
        counters.appended(160);
    }
}
