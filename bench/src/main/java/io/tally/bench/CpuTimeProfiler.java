package io.tally.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time JMH's worker threads used per operation ({@code cpu.time.norm}, ns/op), beside the wall time JMH
 * measures. On a shared machine a worker that waits for a core adds wall time but no CPU time, so this figure
 * moves far less with other people's load than ns/op does (caches shared with them still count). Used with
 * {@code -prof io.tally.bench.CpuTimeProfiler} (several {@code -prof} may be given).
 */
public final class CpuTimeProfiler implements InternalProfiler
{
    private static final String WORKER = "jmh-worker";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startCpu = new HashMap<>();

    @Override
    public String getDescription()
    {
        return "CPU time of the benchmark's worker threads per operation";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams)
    {
        startCpu.clear();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().contains(WORKER))
            {
                startCpu.put(thread.getId(), threads.getThreadCpuTime(thread.getId()));
            }
        }
    }

    @Override
    public List<? extends Result> afterIteration(final BenchmarkParams benchmarkParams,
        final IterationParams iterationParams, final IterationResult result)
    {
        long cpu = 0;
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().contains(WORKER))
            {
                final long now = threads.getThreadCpuTime(thread.getId());
                cpu += now - startCpu.getOrDefault(thread.getId(), 0L); // a worker made during the iteration: all of it
            }
        }
        final long ops = result.getMetadata().getAllOps();
        return List.of(new ScalarResult("cpu.time.norm", ops == 0 ? Double.NaN : (double)cpu / ops, "ns/op",
            AggregationPolicy.AVG));
    }
}
