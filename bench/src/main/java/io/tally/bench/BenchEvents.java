package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.bench.load.BeaconMix;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Events for the benchmarks past the codec: the load generator's mix ({@link BeaconMix}) for one site, as
 * bodies and as the journal records the engine would write for them (5,000 visitors, a goal on one in ten).
 */
public final class BenchEvents
{
    public static final String SITE = "shop.example";
    /** 2026-01-01T00:00:00Z: every record falls on one day, as a day's traffic does. */
    static final long DAY_START = 1_767_225_600_000L;
    private static final int VISITORS = 5_000;
    private static final byte[] SITE_BYTES = SITE.getBytes(StandardCharsets.UTF_8);
    private static final byte[] GOAL = "Signup".getBytes(StandardCharsets.UTF_8);

    private BenchEvents()
    {
    }

    /** The valid bodies of a mix of {@code size}: what the engine answers 202. */
    public static List<byte[]> validBodies(final int size, final long seed)
    {
        final List<byte[]> bodies = new ArrayList<>();
        for (final BeaconMix.Body body : BeaconMix.pool(SITE, size, seed))
        {
            if (body.kind().valid())
            {
                bodies.add(body.json().getBytes(StandardCharsets.UTF_8));
            }
        }
        return bodies;
    }

    /** Each valid body of a mix of {@code size}, decoded, enriched and encoded as a journal record. */
    public static List<UnsafeBuffer> records(final int size, final long seed)
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final TextView host = new TextView();
        final TextView scratch = new TextView();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        final List<UnsafeBuffer> records = new ArrayList<>();
        int i = 0;
        for (final byte[] body : validBodies(size, seed))
        {
            final ByteBuf buffer = Unpooled.wrappedBuffer(body);
            if (decoder.decode(buffer, beacon) != Outcome.ACCEPTED || !UrlParts.host(beacon.url(), host))
            {
                throw new IllegalStateException("a valid body of the mix does not decode: " + new String(body, StandardCharsets.UTF_8));
            }
            final long visitor = 0x9E3779B97F4A7C15L * (1 + i % VISITORS);
            enrichment.reset()
                .receivedAt(DAY_START + i * 1_000L)
                .eventTime(DAY_START + i * 1_000L)
                .visitor(visitor)
                .session(visitor ^ 0x5DEECE66DL)
                .site(SITE_BYTES)
                .hasUrlValue(UrlParts.valueParameter(beacon.url(), enrichment.urlValue()));
            if (i % 10 == 0)
            {
                enrichment.goal(GOAL, 1, i % 20 == 0).conversion(true);
            }
            UrlParts.asin(beacon.target(), enrichment.asin(), scratch);
            final int length = encoder.encode(beacon, enrichment);
            final ByteBuffer copy = ByteBuffer.allocateDirect(length);
            copy.put(0, encoder.memory(), 0, length);
            records.add(new UnsafeBuffer(copy, 0, length));
            i++;
        }
        return records;
    }
}
