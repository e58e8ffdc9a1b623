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
import io.tally.store.rollup.Rollups;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Rollup throughput and query latency at scale: journals N events (default 10 million) spread over 30 days
 * for one site (200,000 visitors, pageviews and custom events with properties, revenue and goals), applies the
 * whole journal to fresh rollups as the agent does (events/s), then times a 30-day KPI query and a goals query.
 * <pre>
 *   java -Xmx6g $(cat jvm.options | grep -v '#') -cp "bench/target/tally-bench-*.jar:bench/target/lib/*" \
 *       io.tally.bench.RollupQueryBench [events]
 * </pre>
 */
public final class RollupQueryBench
{
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_790_000_000_000L;
    private static final String SITE = "shop.example";

    private RollupQueryBench()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final int events = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        final Path dir = Files.createTempDirectory("tally-rollup-bench");
        try (Journal journal = Journal.openForWriting(dir))
        {
            long start = System.nanoTime();
            write(journal, events);
            System.out.printf("journaled %,d events in %.1f s%n", events, seconds(start));

            final Rollups rollups = new Rollups();
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
            final long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            start = System.nanoTime();
            long applied = 0;
            try (JournalReader reader = journal.newReader())
            {
                for (int read = reader.read(rollups::apply, 65_536); read > 0; read = reader.read(rollups::apply, 65_536))
                {
                    applied += read;
                }
            }
            final double applySeconds = seconds(start);
            final long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            System.out.printf("applied %,d events in %.1f s: %,.0f events/s, %.0f bytes allocated per event%n", applied,
                applySeconds, applied / applySeconds, (double)allocated / applied);

            time("30-day KPIs (visitors, pageviews, events, conversions, revenue)", () ->
            {
                final RangeTotals totals = rollups.totals(SITE, T0, T0 + 30 * DAY);
                return totals.visitors() + totals.pageviews() + totals.events() + totals.conversions() + totals.revenue().size();
            });
            time("30-day goals (conversions, converting visitors, first-touch sources)", () ->
            {
                final RangeTotals totals = rollups.totals(SITE, T0, T0 + 30 * DAY);
                long sum = 0;
                for (final String goal : new String[] {"Buy", "Join"})
                {
                    final RangeTotals.GoalTotals g = totals.goal(goal);
                    sum += g.conversions() + g.convertingVisitors() + g.bySource("referrer", true).size();
                }
                return sum;
            });
            time("1-day KPIs", () -> rollups.totals(SITE, T0 + 10 * DAY, T0 + 11 * DAY).visitors());
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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
    private static void write(final Journal journal, final int events)
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
                final long time = T0 + (long)i * (30 * DAY) / events;
                // 200,000 people a day; their ids are salted per UTC day, as the engine's are
                final long visitor = random.nextInt(200_000) * 0x9E3779B97F4A7C15L ^ Math.floorDiv(time, DAY) * 0xC2B2AE3D27D4EB4FL;
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
