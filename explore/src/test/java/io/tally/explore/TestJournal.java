package io.tally.explore;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Enrichment;
import io.tally.codec.Outcome;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes varied records into a real journal through the real codec: several sites, event times over a few days
 * (trusted events' own times, out of order), properties, revenue and goal values of several scales, goals and
 * conversions, engagement seconds and scroll depth, the audience fields, robots.
 */
final class TestJournal
{
    static final String[] SITES = {"shop.example", "blog.example", "xn--bcher-kva.example"};
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long HOUR = 3_600_000L;

    private TestJournal()
    {
    }

    /** {@code events} records with receive times over {@code hours} hours from {@link #T0}. */
    static void write(final Path dataDir, final int events, final int hours, final long seed)
    {
        try (Journal journal = Journal.openForWriting(dataDir))
        {
            append(journal, events, hours, new Random(seed));
        }
    }

    static void append(final Journal journal, final int events, final int hours, final Random random)
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        try (JournalAppender appender = journal.newAppender())
        {
            for (int i = 0; i < events; i++)
            {
                final ByteBuf body = Unpooled.copiedBuffer(body(random), StandardCharsets.UTF_8);
                try
                {
                    if (decoder.decode(body, beacon) != Outcome.ACCEPTED)
                    {
                        throw new IllegalStateException(body.toString(StandardCharsets.UTF_8));
                    }
                    enrich(enrichment.reset(), hours, random);
                    appender.append(encoder.memory(), encoder.encode(beacon, enrichment));
                }
                finally
                {
                    body.release();
                }
            }
        }
    }

    private static String body(final Random random)
    {
        final StringBuilder body = new StringBuilder("{");
        switch (random.nextInt(5))
        {
            case 0 -> body.append("\"t\":\"p\"");
            case 1 -> body.append("\"t\":\"e\",\"n\":\"").append(random.nextBoolean() ? "Purchase" : "Signup").append('"');
            case 2 -> body.append("\"t\":\"c\",\"h\":\"https://www.amazon.com/dp/B00TEST").append(random.nextInt(9))
                .append("\",\"x\":\"Buy it\",\"ti\":\"a title\"");
            case 3 -> body.append("\"t\":\"f\",\"fn\":\"contact\",\"fi\":\"f1\",\"fp\":\"cf7\"");
            default -> body.append("\"t\":\"x\",\"sec\":").append(random.nextInt(600)).append('.').append(random.nextInt(100));
        }
        body.append(",\"u\":\"https://shop.example/p/").append(random.nextInt(20)).append("?q=1\"");
        if (random.nextInt(3) == 0)
        {
            body.append(",\"r\":\"https://news.example/").append(random.nextInt(3)).append('"');
        }
        if (random.nextInt(4) == 0)
        {
            body.append(",\"ra\":").append(random.nextInt(100_000)).append('.').append(random.nextInt(1000))
                .append(",\"rc\":\"eur\"");
        }
        if (random.nextInt(5) == 0)
        {
            body.append(",\"v\":").append(random.nextInt(50)).append(random.nextBoolean() ? ".5" : "");
        }
        final int props = random.nextInt(4);
        if (props > 0)
        {
            final StringBuilder keys = new StringBuilder();
            final StringBuilder values = new StringBuilder();
            for (int p = 0; p < props; p++)
            {
                keys.append(p == 0 ? "" : ",").append("\"k").append(p).append('"');
                values.append(p == 0 ? "" : ",").append("\"v'").append(random.nextInt(5)).append("\u00e9\"");
            }
            body.append(",\"mk\":[").append(keys).append("],\"mv\":[").append(values).append(']');
        }
        if (random.nextInt(6) == 0)
        {
            body.append(",\"el\":\"label\",\"ea\":\"act\",\"ec\":\"cat\"");
        }
        return body.append('}').toString();
    }

    private static void enrich(final Enrichment enrichment, final int hours, final Random random)
    {
        final long received = T0 + random.nextInt(hours) * HOUR + random.nextInt((int)HOUR);
        enrichment.receivedAt(received)
            .eventTime(random.nextInt(10) == 0 ? received - random.nextInt(1 + hours / 2) * HOUR : received)
            .visitor(random.nextInt(500) * 0x9E3779B97F4A7C15L)
            .session(random.nextLong())
            .site(SITES[random.nextInt(SITES.length)].getBytes(StandardCharsets.UTF_8));
        if (random.nextInt(4) == 0)
        {
            enrichment.goal("Buy".getBytes(StandardCharsets.UTF_8), 1 + random.nextInt(3), random.nextBoolean())
                .conversion(random.nextBoolean()).sessionConverted(random.nextBoolean());
        }
        if (random.nextBoolean())
        {
            enrichment.audience("Firefox".getBytes(StandardCharsets.UTF_8), "128".getBytes(StandardCharsets.UTF_8),
                "Linux".getBytes(StandardCharsets.UTF_8), null, 1 + random.nextInt(4)).country((byte)'D', (byte)'E');
        }
        if (random.nextInt(20) == 0)
        {
            enrichment.robot(EventRecord.ROBOT_CRAWLER);
        }
    }
}
