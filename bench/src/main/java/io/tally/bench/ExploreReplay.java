package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.explore.EventQueries;
import io.tally.explore.EventRebuild;
import io.tally.explore.experiment.ExperimentQuery;
import io.tally.explore.funnel.FunnelQuery;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a funnel and an experiment cost over the event store, in three steps run apart:
 * <pre>
 * ExploreReplay write DIR [EVENTS DAYS VISITORS_A_DAY]   a journal: the rollup benchmarks' shapes, and a variant
 *                                                       property (hero=A|B, by visitor) on every pageview
 * ExploreReplay seal DIR                                 seals it into DIR's event store (as ./tally events rebuild)
 * ExploreReplay query DIR [RUNS] [THREADS]               a 4-step funnel and an experiment over every day, RUNS times
 * </pre>
 * The funnel: the pricing page, a video play, a signup, a purchase (the goal Buy), within a day. The experiment: the
 * hero property's variants against the goal Buy, A the control. Each run prints its wall time.
 */
public final class ExploreReplay
{
    private static final long DAY = 86_400_000L;
    private static final List<FunnelQuery.Step> FUNNEL = List.of(
        new FunnelQuery.Step("Pricing", "page", "/pricing", null),
        new FunnelQuery.Step("Video", "event", "Video Play", null),
        new FunnelQuery.Step("Signup", "event", "Signup", null),
        new FunnelQuery.Step("Bought", "goal", "Buy", null));

    private ExploreReplay()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[1]);
        switch (args[0])
        {
            case "write" -> write(dir, args.length > 2 ? Integer.parseInt(args[2]) : 10_000_000,
                args.length > 3 ? Integer.parseInt(args[3]) : 73, args.length > 4 ? Integer.parseInt(args[4]) : 200_000);
            case "seal" -> seal(dir);
            case "query" -> query(dir, args.length > 2 ? Integer.parseInt(args[2]) : 3, args.length > 3 ? Integer.parseInt(args[3]) : 0);
            default -> throw new IllegalArgumentException("write, seal or query: " + args[0]);
        }
    }

    private static void seal(final Path dir)
    {
        final long started = System.nanoTime();
        final long records;
        try (Journal journal = Journal.openForReading(dir))
        {
            records = EventRebuild.rebuild(dir, journal, 0, System.currentTimeMillis());
        }
        System.out.printf("sealed %,d events in %.1f s%n", records, (System.nanoTime() - started) / 1e9);
    }

    private static void query(final Path dir, final int runs, final int threads) throws Exception
    {
        final long from = RollupQueryBench.T0 - DAY;
        final long to = RollupQueryBench.T0 + 400 * DAY;
        try (EventQueries queries = new EventQueries(dir, threads))
        {
            System.out.printf("events in range: %,d%n", queries.count(RollupQueryBench.SITE, from, to));
            for (int run = 1; run <= runs; run++)
            {
                long started = System.nanoTime();
                final Map<String, Object> funnel = new FunnelQuery(queries).run(RollupQueryBench.SITE, FUNNEL, DAY, from, to, null);
                final double funnelMillis = (System.nanoTime() - started) / 1e6;
                started = System.nanoTime();
                final Map<String, Object> experiment = new ExperimentQuery(queries).run(RollupQueryBench.SITE,
                    new ExperimentQuery.Definition(false, "hero", "Buy", "A", Map.of()), from, to);
                final double experimentMillis = (System.nanoTime() - started) / 1e6;
                System.out.printf("run %d: 4-step funnel %.0f ms, experiment %.0f ms%n", run, funnelMillis, experimentMillis);
                if (run == 1)
                {
                    System.out.println("funnel: " + visitors(funnel.get("steps")));
                    System.out.println("experiment: " + visitors(experiment.get("variants")));
                }
            }
        }
    }

    /** The rows' visitors (and conversions), to see that the answer is not empty. */
    private static String visitors(final Object rows)
    {
        final StringBuilder text = new StringBuilder();
        for (final Object row : (List<?>)rows)
        {
            final Map<?, ?> fields = (Map<?, ?>)row;
            text.append(fields.containsKey("variant") ? fields.get("variant") : fields.get("name")).append('=')
                .append(fields.get("visitors")).append(fields.containsKey("conversions") ? "/" + fields.get("conversions") : "")
                .append(' ');
        }
        return text.toString().trim();
    }

    /** The rollup benchmarks' five shapes, each pageview with the visitor's variant of the hero property. */
    private static void write(final Path dir, final int events, final int days, final int visitorsPerDay)
    {
        final String[] bodies = {
            "{\"t\":\"p\",\"u\":\"https://shop.example/pricing?utm_source=news\",\"r\":\"https://news.example/\",\"mk\":[\"hero\"],\"mv\":[\"A\"]}",
            "{\"t\":\"p\",\"u\":\"https://shop.example/pricing?utm_source=news\",\"r\":\"https://news.example/\",\"mk\":[\"hero\"],\"mv\":[\"B\"]}",
            "{\"t\":\"p\",\"u\":\"https://shop.example/blog/how-to\",\"r\":\"https://www.google.com/\",\"mk\":[\"hero\"],\"mv\":[\"A\"]}",
            "{\"t\":\"p\",\"u\":\"https://shop.example/blog/how-to\",\"r\":\"https://www.google.com/\",\"mk\":[\"hero\"],\"mv\":[\"B\"]}",
            "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done\",\"mk\":[\"plan\",\"coupon\"],\"mv\":[\"pro\",\"SPRING\"],\"ra\":29.99,\"rc\":\"EUR\"}",
            "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\",\"mk\":[\"source\"],\"mv\":[\"footer\"]}",
            "{\"t\":\"e\",\"n\":\"Video Play\",\"u\":\"https://shop.example/demo\",\"mk\":[\"video\"],\"mv\":[\"intro\"]}"};
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        final ByteBuf[] buffers = Arrays.stream(bodies).map(b -> Unpooled.copiedBuffer(b, StandardCharsets.UTF_8)).toArray(ByteBuf[]::new);
        final byte[] site = RollupQueryBench.SITE.getBytes(StandardCharsets.UTF_8);
        final byte[][] goals = {"Buy".getBytes(StandardCharsets.UTF_8), "Join".getBytes(StandardCharsets.UTF_8)};
        final SplittableRandom random = new SplittableRandom(42);
        try (Journal journal = Journal.openForWriting(dir); JournalAppender appender = journal.newAppender())
        {
            for (int i = 0; i < events; i++)
            {
                final long time = RollupQueryBench.T0 + (long)i * (days * DAY) / events;
                final int ordinal = random.nextInt(visitorsPerDay);
                // 60% pageviews (the variant by the visitor), then purchases, signups and video plays
                final int shape = random.nextInt(10) < 6 ? 2 * random.nextInt(2) + (ordinal & 1) : 4 + random.nextInt(3);
                if (decoder.decode(buffers[shape].duplicate(), beacon) != Outcome.ACCEPTED)
                {
                    throw new IllegalStateException(bodies[shape]);
                }
                // ids salted per UTC day, as the engine's are
                final long visitor = ordinal * 0x9E3779B97F4A7C15L ^ Math.floorDiv(time, DAY) * 0xC2B2AE3D27D4EB4FL;
                enrichment.reset().receivedAt(time).visitor(visitor).session(visitor ^ (i / 50_000)).site(site);
                if (shape == 4 || shape == 5)
                {
                    enrichment.goal(goals[shape - 4], 1, random.nextInt(4) == 0).conversion(random.nextInt(4) == 0);
                }
                appender.append(encoder.memory(), encoder.encode(beacon, enrichment));
            }
        }
        Arrays.stream(buffers).forEach(ByteBuf::release);
    }
}
