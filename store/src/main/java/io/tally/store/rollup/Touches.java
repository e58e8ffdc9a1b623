package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.UrlPath;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What attribution needs to remember across events: each session's entry page and source (from its first
 * event), and each visitor's first source and first time (for first touch and time to conversion). Both
 * are bounded ({@link RecentLongMap}): of {@link #MAX_ENTRIES} each, those not seen for longest are
 * forgotten (visitor ids live one day anyway). They go into the rollup checkpoint, so a restart attributes
 * exactly as one pass would.
 * "First" is first in journal order, which is receive order.
 */
final class Touches
{
    static final int MAX_ENTRIES = 1 << 20;

    /** A session's first page and where it came from. */
    record SessionTouch(String entryPage, String[] source)
    {
    }

    /** A visitor's first event time and where it first came from. */
    record VisitorTouch(long firstSeen, String[] source)
    {
    }

    private final RecentLongMap<SessionTouch> sessions;
    private final RecentLongMap<VisitorTouch> visitors;

    Touches()
    {
        this(MAX_ENTRIES);
    }

    Touches(final int maxEntries)
    {
        sessions = new RecentLongMap<>(maxEntries);
        visitors = new RecentLongMap<>(maxEntries);
    }

    /** The record's session touch, made from it when the session is new. */
    SessionTouch session(final EventRecordDecoder record, final StringCache strings)
    {
        SessionTouch touch = sessions.get(record.sessionId());
        if (touch == null)
        {
            final String url = HourRollup.text(strings, record, EventRecord.URL);
            touch = new SessionTouch(UrlPath.of(url), Source.of(url, HourRollup.text(strings, record, EventRecord.REFERRER)));
            sessions.put(record.sessionId(), touch);
        }
        return touch;
    }

    /** The record's visitor touch, made from it (and its session's source) when the visitor is new. */
    VisitorTouch visitor(final EventRecordDecoder record, final SessionTouch session)
    {
        VisitorTouch touch = visitors.get(record.visitorId());
        if (touch == null)
        {
            touch = new VisitorTouch(record.eventTime(), session.source());
            visitors.put(record.visitorId(), touch);
        }
        return touch;
    }

    void write(final DataOutput out) throws IOException
    {
        sessions.write(out, (o, touch) ->
        {
            o.writeUTF(touch.entryPage());
            writeSource(o, touch.source());
        });
        visitors.write(out, (o, touch) ->
        {
            o.writeLong(touch.firstSeen());
            writeSource(o, touch.source());
        });
    }

    void read(final DataInput in) throws IOException
    {
        sessions.read(in, i -> new SessionTouch(i.readUTF(), readSource(i)));
        visitors.read(in, i -> new VisitorTouch(i.readLong(), readSource(i)));
    }

    private static void writeSource(final DataOutput out, final String[] source) throws IOException
    {
        for (final String dimension : source)
        {
            out.writeUTF(dimension);
        }
    }

    private static String[] readSource(final DataInput in) throws IOException
    {
        final String[] source = new String[Source.DIMENSIONS.length];
        for (int i = 0; i < source.length; i++)
        {
            source[i] = in.readUTF();
        }
        return source;
    }
}
