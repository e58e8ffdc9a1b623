package io.tally.explore.funnel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random event streams for funnels, and random funnels over them: a few visitors with a few sessions each, pageviews
 * of three paths, two custom event names, two goals, revenue, countries and robots, at times that often tie (to the
 * second, within three hours of one UTC day). {@link #write} puts them in a real journal through the real codec.
 */
final class RandomEvents
{
    static final String SITE = "shop.example";
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final String[] PATHS = {"/a", "/b", "/c"};
    /** Page patterns of steps: paths, alternatives, a wildcard. */
    private static final String[] PAGES = {"/a", "/b", "/c", "/a|/c", "/*"};
    private static final String[] FILTERS = {"visit:country==DE", "visit:country!=FR", "visit:country==DE|FR"};
    private static final String[] NAMES = {"Signup", "Buy"};
    private static final String[] GOALS = {"G1", "G2"};
    private static final String[] COUNTRIES = {"DE", "FR", null};

    private RandomEvents()
    {
    }

    static List<TestEvent> events(final Random random, final int visitors, final int maxEventsPerVisitor)
    {
        final List<TestEvent> events = new ArrayList<>();
        for (int visitor = 0; visitor < visitors; visitor++)
        {
            final int count = 1 + random.nextInt(maxEventsPerVisitor);
            final long visitorId = random.nextLong();
            final long[] sessions = {random.nextLong(), random.nextLong(), random.nextLong()};
            final String country = COUNTRIES[random.nextInt(COUNTRIES.length)];
            final boolean robot = random.nextInt(12) == 0;
            for (int i = 0; i < count; i++)
            {
                final boolean page = random.nextBoolean();
                final String value = page ? PATHS[random.nextInt(PATHS.length)] : NAMES[random.nextInt(NAMES.length)];
                final String goal = random.nextInt(3) == 0 ? GOALS[random.nextInt(GOALS.length)] : null;
                final BigDecimal revenue = random.nextInt(4) == 0 ?
                    new BigDecimal(random.nextInt(10_000)).movePointLeft(random.nextInt(3)) : null;
                final long time = T0 + 1_000L * random.nextInt(random.nextBoolean() ? 60 : 3 * 3600);
                events.add(new TestEvent(0, visitorId, sessions[random.nextInt(1 + random.nextInt(3))], time,
                    page ? "page" : "event", value, goal, revenue, country, robot));
            }
        }
        // the journal's order: shuffled across visitors, so a visitor's events arrive out of time order too
        java.util.Collections.shuffle(events, random);
        final List<TestEvent> ordered = new ArrayList<>();
        for (int i = 0; i < events.size(); i++)
        {
            final TestEvent e = events.get(i);
            ordered.add(new TestEvent(i, e.visitor(), e.session(), e.time(), e.kind(), e.value(), e.goal(), e.revenue(),
                e.country(), e.robot()));
        }
        return ordered;
    }

    /** A funnel of 2 to 4 random steps. */
    static List<FunnelQuery.Step> steps(final Random random)
    {
        final int count = 2 + random.nextInt(3);
        final List<FunnelQuery.Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final String type = switch (random.nextInt(3))
            {
                case 0 -> "page";
                case 1 -> "event";
                default -> "goal";
            };
            final String value = switch (type)
            {
                case "page" -> PAGES[random.nextInt(PAGES.length)];
                case "event" -> NAMES[random.nextInt(NAMES.length)];
                default -> GOALS[random.nextInt(GOALS.length)];
            };
            final String filters = random.nextInt(4) == 0 ? FILTERS[random.nextInt(FILTERS.length)] : null;
            steps.add(new FunnelQuery.Step("step " + (i + 1), type, value, filters));
        }
        return steps;
    }

    /** The session (0) or a duration of 1 second to 2 hours. */
    static long window(final Random random)
    {
        return random.nextInt(3) == 0 ? 0 : 1_000L * (1 + random.nextInt(random.nextBoolean() ? 120 : 7_200));
    }

    /** Appends {@code events} in their order to the journal under {@code dataDir}. */
    static void write(final java.nio.file.Path dataDir, final List<TestEvent> events)
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        try (Journal journal = Journal.openForWriting(dataDir); JournalAppender appender = journal.newAppender())
        {
            for (final TestEvent event : events)
            {
                final ByteBuf body = Unpooled.copiedBuffer(body(event), StandardCharsets.UTF_8);
                try
                {
                    if (decoder.decode(body, beacon) != Outcome.ACCEPTED)
                    {
                        throw new IllegalStateException(body.toString(StandardCharsets.UTF_8));
                    }
                    enrich(enrichment.reset(), event);
                    appender.append(encoder.memory(), encoder.encode(beacon, enrichment));
                }
                finally
                {
                    body.release();
                }
            }
        }
    }

    private static String body(final TestEvent event)
    {
        final StringBuilder body = new StringBuilder("{");
        if (event.kind().equals("page"))
        {
            body.append("\"t\":\"p\",\"u\":\"https://shop.example").append(event.value()).append("?x=1\"");
        }
        else
        {
            body.append("\"t\":\"e\",\"n\":\"").append(event.value()).append("\",\"u\":\"https://shop.example/z\"");
        }
        if (event.revenue() != null)
        {
            body.append(",\"ra\":").append(event.revenue().toPlainString()).append(",\"rc\":\"EUR\"");
        }
        return body.append('}').toString();
    }

    private static void enrich(final Enrichment enrichment, final TestEvent event)
    {
        enrichment.receivedAt(event.time()).eventTime(event.time()).visitor(event.visitor()).session(event.session())
            .site(SITE.getBytes(StandardCharsets.UTF_8));
        if (event.goal() != null)
        {
            enrichment.goal(event.goal().getBytes(StandardCharsets.UTF_8), 1, false);
        }
        if (event.country() != null)
        {
            enrichment.country((byte)event.country().charAt(0), (byte)event.country().charAt(1));
        }
        if (event.robot())
        {
            enrichment.robot(EventRecord.ROBOT_CRAWLER);
        }
    }
}
