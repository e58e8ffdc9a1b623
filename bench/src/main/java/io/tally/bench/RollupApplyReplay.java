package io.tally.bench;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.rollup.RollupDriver;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@link RollupQueryBench}'s apply alone, over a journal written once: for A/B rounds on a shared machine, where
 * journaling anew each round costs more than the apply measured. {@code write DIR [events] [days] [visitors a day]}
 * journals the bench's records into DIR; {@code apply DIR} applies them as the bench does (batches of 65,536, sealing
 * between them, into a fresh state directory) and prints the rate by wall time and by the thread's CPU time (the
 * latter less moved by other processes taking the cores), and the thread CPU the sealing between batches took.
 * <pre>
 *   java -Xmx2g $(grep -v '^#' jvm.options) -cp "bench/target/tally-bench-*.jar:bench/target/lib/*" \
 *       io.tally.bench.RollupApplyReplay write /tmp/j10 10000000 73 200000
 *   java ... io.tally.bench.RollupApplyReplay apply /tmp/j10 [BATCH|one-by-one]
 * </pre>
 */
public final class RollupApplyReplay
{
    private RollupApplyReplay()
    {
    }

    /**
     * A batch of the journal the agent's way ({@code applyFrom} of {@code how} records, 65,536 by default), or
     * {@code one-by-one}: each record through {@code Rollups.apply} on its own, as a cluster worker counted before it
     * counted each poll's records in one {@code applyBatch}; 4,096 of them between two sealings, as a full poll.
     */
    private static int apply(final RollupDriver driver, final JournalReader reader, final String how)
    {
        if ("one-by-one".equals(how))
        {
            return reader.read((index, record) -> driver.rollups().apply(index, record), 4_096);
        }
        return driver.apply(reader, Integer.parseInt(how));
    }

    public static void main(final String[] args) throws IOException
    {
        final Path dir = Paths.get(args[1]);
        if ("write".equals(args[0]))
        {
            RollupQueryBench.writeJournal(args);
            return;
        }
        final Path state = Files.createTempDirectory("tally-rollup-replay");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        try (Journal journal = Journal.openForReading(dir))
        {
            final RollupDriver driver = RollupDriver.open(new StateFiles(state), journal, () -> 0, 0);
            long applied = 0;
            long wallNanos = 0;
            long cpuNanos = 0;
            long maintainNanos = 0;
            try (JournalReader reader = journal.newReader())
            {
                for (int read = 1; read > 0; )
                {
                    final long wall = System.nanoTime();
                    final long cpu = threads.getCurrentThreadCpuTime();
                    read = apply(driver, reader, args.length > 2 ? args[2] : "65536");
                    cpuNanos += threads.getCurrentThreadCpuTime() - cpu;
                    wallNanos += System.nanoTime() - wall;
                    applied += read;
                    final long before = threads.getCurrentThreadCpuTime();
                    driver.maintain();
                    maintainNanos += threads.getCurrentThreadCpuTime() - before;
                }
            }
            System.out.printf("applied %,d events: apply alone %,.0f events/s (wall), %,.0f events/s (thread CPU); "
                + "sealing %.2f s (thread CPU)%n", applied, applied / (wallNanos / 1e9), applied / (cpuNanos / 1e9),
                maintainNanos / 1e9);
        }
        finally
        {
            TempDirs.delete(state);
        }
    }
}
