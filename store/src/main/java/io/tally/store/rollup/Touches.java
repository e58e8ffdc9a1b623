package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.UrlPath;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What attribution needs to remember across events: each session's entry page and source (from its first
 * event), and each visitor's first source and first time (for first touch and time to conversion). Both
 * are bounded: past {@link #MAX_ENTRIES} the least recently seen are forgotten (visitor ids live one day
 * anyway). They go into the rollup checkpoint, so a restart attributes exactly as one pass would.
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

    private final Map<Long, SessionTouch> sessions = bounded();
    private final Map<Long, VisitorTouch> visitors = bounded();

    /** The record's session touch, made from it when the session is new. */
    SessionTouch session(final EventRecordDecoder record)
    {
        return sessions.computeIfAbsent(record.sessionId(), s ->
        {
            final String url = record.string(EventRecord.URL);
            return new SessionTouch(UrlPath.of(url), Source.of(url, record.string(EventRecord.REFERRER)));
        });
    }

    /** The record's visitor touch, made from it (and its session's source) when the visitor is new. */
    VisitorTouch visitor(final EventRecordDecoder record, final SessionTouch session)
    {
        return visitors.computeIfAbsent(record.visitorId(), v -> new VisitorTouch(record.eventTime(), session.source()));
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(sessions.size());
        for (final Map.Entry<Long, SessionTouch> entry : sessions.entrySet())
        {
            out.writeLong(entry.getKey());
            out.writeUTF(entry.getValue().entryPage());
            writeSource(out, entry.getValue().source());
        }
        out.writeInt(visitors.size());
        for (final Map.Entry<Long, VisitorTouch> entry : visitors.entrySet())
        {
            out.writeLong(entry.getKey());
            out.writeLong(entry.getValue().firstSeen());
            writeSource(out, entry.getValue().source());
        }
    }

    void read(final DataInput in) throws IOException
    {
        for (int i = in.readInt(); i > 0; i--)
        {
            sessions.put(in.readLong(), new SessionTouch(in.readUTF(), readSource(in)));
        }
        for (int i = in.readInt(); i > 0; i--)
        {
            visitors.put(in.readLong(), new VisitorTouch(in.readLong(), readSource(in)));
        }
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

    private static <V> Map<Long, V> bounded()
    {
        return new LinkedHashMap<>(1024, 0.75f, true)
        {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(final Map.Entry<Long, V> eldest)
            {
                return size() > MAX_ENTRIES;
            }
        };
    }
}
