package io.tally.bench;

import io.tally.explore.EventFiles;
import io.tally.explore.EventQueries;
import io.tally.explore.EventSealer;
import io.tally.explore.filter.EventFilter;
import io.tally.explore.report.EventStats;
import io.tally.explore.report.Grouping;
import io.tally.explore.report.StatsRow;
import io.tally.store.Journal;
import io.tally.store.JournalReader;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;

/**
 * The event store's cost, write-then-seal as {@link RollupApplyReplay} does for the rollups: {@code write DIR [EVENTS
 * DAYS VISITORS]} writes a journal once (the same records as the rollup benchmarks); {@code seal DIR} seals it into a
 * fresh store ({@code seal DIR noquery}: without the queries) the way the agent does (batches of 4,096, a round whenever it is full), timing the appending and the
 * rounds apart, by wall time and by the process's CPU time (DuckDB's work included), then merges the hours, prints the
 * bytes per event on disk, and times a grouped distinct count over all the files, a property breakdown of 30 days
 * and a filtered 30-day breakdown as the stats API runs it ({@link #FILTERED}).
 */
public final class EventsSealReplay
{
    private static final int BATCH = 4096;
    /** The filtered breakdown: the sources of the visits that saw a pricing page and bought on the pro or team plan. */
    static final String FILTERED = "event:page==/pricing*|/done;event:props:plan==pro|team";

    private EventsSealReplay()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Paths.get(args[1]);
        if ("write".equals(args[0]))
        {
            RollupQueryBench.writeJournal(args);
            return;
        }
        final Path state = Files.createTempDirectory("tally-events-replay");
        try
        {
            seal(dir, state);
            if (args.length < 3 || !"noquery".equals(args[2]))
            {
                query(state);
            }
        }
        finally
        {
            TempDirs.delete(state);
        }
    }

    private static void seal(final Path journalDir, final Path state)
    {
        final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();
        final EventFiles files = new EventFiles(state);
        long events = 0;
        long appendWall = 0;
        long appendCpu = 0;
        long sealWall = 0;
        long sealCpu = 0;
        int rounds = 0;
        try (Journal journal = Journal.openForReading(journalDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0))
        {
            while (true)
            {
                long wall = System.nanoTime();
                long cpu = os.getProcessCpuTime();
                final int read = sealer.apply(reader, BATCH);
                appendWall += System.nanoTime() - wall;
                appendCpu += os.getProcessCpuTime() - cpu;
                events += read;
                if (sealer.roundFull() || read == 0)
                {
                    wall = System.nanoTime();
                    cpu = os.getProcessCpuTime();
                    sealer.seal();
                    sealWall += System.nanoTime() - wall;
                    sealCpu += os.getProcessCpuTime() - cpu;
                    rounds++;
                }
                if (read == 0)
                {
                    break;
                }
            }
            final long files0 = files.all().size();
            final long mergeStart = System.nanoTime();
            sealer.maintain(Long.MAX_VALUE / 4);
            final double mergeSeconds = (System.nanoTime() - mergeStart) / 1e9;
            System.out.printf("sealed %,d events in %d rounds into %,d files: append %,.0f events/s (wall), %,.0f (CPU); " +
                    "rounds %,.0f events/s (wall), %,.0f (CPU); together %,.0f events/s (wall), %,.0f (CPU), %.2f µs CPU/event%n",
                events, rounds, files0, events / (appendWall / 1e9), events / (appendCpu / 1e9), events / (sealWall / 1e9),
                events / (sealCpu / 1e9), events / ((appendWall + sealWall) / 1e9), events / ((appendCpu + sealCpu) / 1e9),
                (appendCpu + sealCpu) / 1e3 / events);
            final long bytes = files.diskBytes();
            System.out.printf("merged into %,d files (one per site and day) in %.1f s: %,d bytes, %.1f bytes/event; journal %,d bytes, " +
                "%.1f bytes/event%n", files.all().size(), mergeSeconds, bytes, (double)bytes / events, journal.diskBytes(),
                (double)journal.diskBytes() / events);
        }
    }

    private static void query(final Path state) throws SQLException
    {
        try (EventQueries queries = new EventQueries(state, 0))
        {
            for (int run = 1; run <= 3; run++)
            {
                final long start = System.nanoTime();
                final long groups = queries.queryAll("SELECT name, count(DISTINCT visitor_id) FROM events GROUP BY name", rows ->
                {
                    long count = 0;
                    while (rows.next())
                    {
                        count++;
                    }
                    return count;
                });
                System.out.printf("grouped distinct count (visitors by event name) over all files: %d groups, %.0f ms%n",
                    groups, (System.nanoTime() - start) / 1e6);
            }
            for (int run = 1; run <= 3; run++)
            {
                final long start = System.nanoTime();
                final long groups = queries.query(RollupQueryBench.SITE, RollupQueryBench.T0, RollupQueryBench.T0 + 30 * 86_400_000L,
                    "SELECT props['plan'] AS plan, count(*), count(DISTINCT visitor_id), sum(revenue) FROM events " +
                        "WHERE name = ? GROUP BY plan", rows ->
                    {
                        long count = 0;
                        while (rows.next())
                        {
                            count++;
                        }
                        return count;
                    }, "Purchase");
                System.out.printf("30 days, one site: purchases by the plan property (count, visitors, revenue): %d groups, %.0f ms%n",
                    groups, (System.nanoTime() - start) / 1e6);
            }
            filteredBreakdown(queries);
        }
    }

    /**
     * A filtered 30-day breakdown as {@code GET /api/v1/stats/breakdown?property=visit:source&filters=...} runs it:
     * every figure of every source (visitors, visits, bounces, durations, pageviews, goals, revenue).
     */
    private static void filteredBreakdown(final EventQueries queries) throws SQLException
    {
        final EventStats stats = new EventStats(queries);
        final EventFilter filter = EventFilter.parse(FILTERED);
        for (int run = 1; run <= 3; run++)
        {
            final long start = System.nanoTime();
            final java.util.List<StatsRow> rows = stats.rows(RollupQueryBench.SITE, RollupQueryBench.T0,
                RollupQueryBench.T0 + 30 * 86_400_000L, filter, Grouping.of("visit:source"), EventStats.Order.VISITORS, 100, 0);
            System.out.printf("30 days, one site, filtered breakdown by visit:source (%s): %d rows, first %s, %.0f ms%n",
                FILTERED, rows.size(), rows.isEmpty() ? "-" : rows.get(0).key() + " " + rows.get(0).visitors() + " visitors",
                (System.nanoTime() - start) / 1e6);
        }
    }
}
