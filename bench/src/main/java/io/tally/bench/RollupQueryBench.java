package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;
import io.tally.store.JournalReader;
import io.tally.store.rollup.RangeTotals;
import io.tally.store.rollup.RollupDriver;
import io.tally.store.rollup.Rollups;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The rollup store over a long history: journals N events (default 50 million) spread evenly over D days (default
 * 365) for one site (V visitors a day, default 200,000; pageviews and custom events with properties, revenue and
 * goals), then applies the whole journal as the rollup agent does (sealing each day once it is over), and reports:
 * the apply rate and bytes allocated per event, the heap after a full GC and the checkpoint's size at day 30 and at
 * the end, the disk bytes per event, how long a restart takes until a 30-day KPI query is answered, and query times.
 * <pre>
 *   java -Xmx2g $(grep -v '#' jvm.options) -cp "bench/target/tally-bench-*.jar:bench/target/lib/*" \
 *       io.tally.bench.RollupQueryBench [events] [days] [visitors per day]
 * </pre>
 */
public final class RollupQueryBench
{
    private static final long DAY = 86_400_000L;
    static final long T0 = 1_790_000_000_000L - Math.floorMod(1_790_000_000_000L, DAY);
    static final String SITE = "shop.example";
    private static final int BATCH = 65_536;

    private RollupQueryBench()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int events = args.length > 0 ? Integer.parseInt(args[0]) : 50_000_000;
        final int days = args.length > 1 ? Integer.parseInt(args[1]) : 365;
        final int visitorsPerDay = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        final Path dir = Files.createTempDirectory("tally-rollup-bench");
        try (Journal journal = Journal.openForWriting(dir))
        {
            long start = System.nanoTime();
            write(journal, events, days, visitorsPerDay);
            System.out.printf("journaled %,d events over %d days (%,d visitors a day) in %.1f s%n", events, days, visitorsPerDay,
                seconds(start));
            apply(journal, dir, events, days);
            start = System.nanoTime();
            final RollupDriver restarted = RollupDriver.open(new StateFiles(dir), journal, () -> 0, 0);
            final long kpis = restarted.rollups().totals(SITE, T0 + (days - 30) * DAY, T0 + days * DAY).visitors();
            System.out.printf("restart: checkpoint loaded and a 30-day KPI query answered in %.0f ms (%d)%n",
                seconds(start) * 1000, kpis % 10);
            queries(restarted.rollups(), days);
        }
        finally
        {
            TempDirs.delete(dir);
        }
    }

    /** Applies the journal as the agent does, measuring at day 30 and at the end. */
    private static void apply(final Journal journal, final Path dir, final int events, final int days)
    {
        final RollupDriver driver = RollupDriver.open(new StateFiles(dir), journal, () -> 0, 0);
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        final long start = System.nanoTime();
        long applied = 0;
        long applyNanos = 0;
        boolean measuredDay30 = false;
        try (JournalReader reader = journal.newReader())
        {
            for (int read = 1; read > 0; )
            {
                final long batchStart = System.nanoTime();
                read = driver.apply(reader, BATCH);
                applyNanos += System.nanoTime() - batchStart;
                applied += read;
                driver.maintain();
                if (!measuredDay30 && applied >= (long)events * 30 / days)
                {
                    measuredDay30 = true;
                    report("day 30", driver);
                }
            }
        }
        final double seconds = seconds(start);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        System.out.printf("applied %,d events in %.1f s: %,.0f events/s (apply alone %,.0f events/s), %.1f bytes allocated " +
            "per event (sealing included)%n", applied, seconds, applied / seconds, applied / (applyNanos / 1e9),
            (double)allocated / applied);
        report("day " + days, driver);
        final long[] counts = driver.counts();
        System.out.printf("sealed %d days, %d deltas, %d compactions; rollup files %,d bytes, %.1f bytes per event%n",
            counts[0], counts[1], counts[2], driver.diskBytes(), (double)driver.diskBytes() / applied);
    }

    /** Heap after a full GC and the checkpoint's size (written now). */
    private static void report(final String when, final RollupDriver driver)
    {
        final long checkpointStart = System.nanoTime();
        driver.checkpoint();
        final double checkpointMillis = seconds(checkpointStart) * 1000;
        for (int i = 0; i < 3; i++)
        {
            System.gc();
        }
        final long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("%s: heap after GC %,d MB; checkpoint %,d bytes written in %.0f ms%n", when, heap >> 20,
            driver.checkpointBytes(), checkpointMillis);
    }

    private static void queries(final Rollups rollups, final int days)
    {
        final long end = T0 + days * DAY;
        time("1-day KPIs", () -> rollups.totals(SITE, end - 11 * DAY, end - 10 * DAY).visitors());
        time("30-day KPIs (visitors, pageviews, events, conversions, revenue)", () ->
        {
            final RangeTotals totals = rollups.totals(SITE, end - 30 * DAY, end);
            return totals.visitors() + totals.pageviews() + totals.events() + totals.conversions() + totals.revenue().size();
        });
        time(days + "-day KPIs", () ->
        {
            final RangeTotals totals = rollups.totals(SITE, T0, end);
            return totals.visitors() + totals.pageviews() + totals.events() + totals.conversions() + totals.revenue().size();
        });
        time(days + "-day goals (conversions, converting visitors, first-touch sources)", () ->
        {
            final RangeTotals totals = rollups.totals(SITE, T0, end);
            long sum = 0;
            for (final String goal : new String[] {"Buy", "Join"})
            {
                final RangeTotals.GoalTotals g = totals.goal(goal);
                sum += g.conversions() + g.convertingVisitors() + g.bySource("referrer", true).size();
            }
            return sum;
        });
    }

    private static void time(final String what, final java.util.function.LongSupplier query)
    {
        final long[] nanos = new long[11];
        long blackhole = 0;
        for (int i = 0; i < nanos.length; i++)
        {
            final long start = System.nanoTime();
            blackhole += query.getAsLong();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%s: median %.1f ms, min %.1f ms, max %.1f ms (%d runs; %d)%n", what, nanos[5] / 1e6, nanos[0] / 1e6,
            nanos[nanos.length - 1] / 1e6, nanos.length, blackhole % 10);
    }

    private static double seconds(final long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Realistic records through the real codec: a handful of beacon shapes, varied visitors, sessions and times. */
    /**
     * The {@code write DIR [EVENTS DAYS VISITORS]} step of the write-then-replay benchmarks: journals the bench's
     * records into {@code args[1]} once (10 million events over 73 days, 200,000 visitors a day by default).
     */
    static void writeJournal(final String[] args)
    {
        try (Journal journal = Journal.openForWriting(Path.of(args[1])))
        {
            write(journal, args.length > 2 ? Integer.parseInt(args[2]) : 10_000_000,
                args.length > 3 ? Integer.parseInt(args[3]) : 73, args.length > 4 ? Integer.parseInt(args[4]) : 200_000);
        }
    }

    static void write(final Journal journal, final int events, final int days, final int visitorsPerDay)
    {
        write(journal, events, days, visitorsPerDay, T0);
    }

    /** Journals {@code events} spread evenly over {@code days} from {@code startMillis} (a UTC midnight). */
    static void write(final Journal journal, final int events, final int days, final int visitorsPerDay, final long startMillis)
    {
        final String[] bodies = {
            "{\"t\":\"p\",\"u\":\"https://shop.example/pricing?utm_source=news\",\"r\":\"https://news.example/\"}",
            "{\"t\":\"p\",\"u\":\"https://shop.example/blog/how-to\",\"r\":\"https://www.google.com/\"}",
            "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done\",\"mk\":[\"plan\",\"coupon\"],\"mv\":[\"pro\",\"SPRING\"],\"ra\":29.99,\"rc\":\"EUR\"}",
            "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\",\"mk\":[\"source\"],\"mv\":[\"footer\"]}",
            "{\"t\":\"e\",\"n\":\"Video Play\",\"u\":\"https://shop.example/demo\",\"mk\":[\"video\"],\"mv\":[\"intro\"]}"};
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        final ByteBuf[] buffers = Arrays.stream(bodies).map(b -> Unpooled.copiedBuffer(b, StandardCharsets.UTF_8)).toArray(ByteBuf[]::new);
        final byte[] site = SITE.getBytes(StandardCharsets.UTF_8);
        final byte[][] goals = {"Buy".getBytes(StandardCharsets.UTF_8), "Join".getBytes(StandardCharsets.UTF_8)};
        final SplittableRandom random = new SplittableRandom(42);
        try (JournalAppender appender = journal.newAppender())
        {
            for (int i = 0; i < events; i++)
            {
                final int shape = random.nextInt(10) < 6 ? random.nextInt(2) : 2 + random.nextInt(3);
                if (decoder.decode(buffers[shape], beacon) != Outcome.ACCEPTED)
                {
                    throw new IllegalStateException(bodies[shape]);
                }
                final long time = startMillis + (long)i * (days * DAY) / events;
                // the visitors of a day; their ids are salted per UTC day, as the engine's are
                final long visitor = random.nextInt(visitorsPerDay) * 0x9E3779B97F4A7C15L ^
                    Math.floorDiv(time, DAY) * 0xC2B2AE3D27D4EB4FL;
                enrichment.reset().receivedAt(time).visitor(visitor)
                    .session(visitor ^ (i / 50_000)).site(site);
                if (shape == 2 || shape == 3)
                {
                    enrichment.goal(goals[shape - 2], shape == 3 ? 1 : 0, random.nextInt(4) == 0).conversion(random.nextInt(4) == 0);
                }
                appender.append(encoder.memory(), encoder.encode(beacon, enrichment));
            }
        }
    }
}
