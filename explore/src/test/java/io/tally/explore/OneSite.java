package io.tally.explore;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;

import java.nio.charset.StandardCharsets;

/**
 * Pageviews of one site in the first hour after {@link TestJournal#T0} (one file per round in that one hour), or one
 * an hour over as many hours (as many files).
 */
final class OneSite
{
    private OneSite()
    {
    }

    static void append(final Journal journal, final int events)
    {
        append(journal, events, 1);
    }

    /** {@code events} pageviews {@code stepMillis} apart from {@link TestJournal#T0}. */
    static void append(final Journal journal, final int events, final long stepMillis)
    {
        final Beacon beacon = new Beacon();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(1024));
        final ByteBuf body = Unpooled.copiedBuffer("{\"t\":\"p\",\"u\":\"https://shop.example/\"}", StandardCharsets.UTF_8);
        try (JournalAppender appender = journal.newAppender())
        {
            for (int i = 0; i < events; i++)
            {
                new BeaconDecoder().decode(body.duplicate(), beacon);
                final Enrichment enrichment = new Enrichment().receivedAt(TestJournal.T0 + i * stepMillis).visitor(i).session(i)
                    .site("shop.example".getBytes(StandardCharsets.UTF_8));
                appender.append(encoder.memory(), encoder.encode(beacon, enrichment));
            }
        }
        finally
        {
            body.release();
        }
    }
}
