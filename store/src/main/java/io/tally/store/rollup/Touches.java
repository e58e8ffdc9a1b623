package io.tally.store.rollup;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.UrlPath;
import io.tally.store.rollup.day.Dictionary;
import io.tally.store.rollup.day.TouchView;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What attribution remembers across events: each session's entry page and source (from its first event), each
 * visitor's first source and first time (for first touch and time to conversion). Both bounded ({@link TouchTable}):
 * of {@link #MAX_ENTRIES} each, those not seen for longest are forgotten (visitor ids live one day anyway). Texts
 * are ids of a dictionary of their own, renumbered when dead texts outgrow the live ones. A known session and
 * visitor cost two lookups and no allocation; a new session parses its URL and referrer. In the rollup checkpoint,
 * so a restart attributes exactly as one pass would. "First" is first in journal order, which is receive order.
 */
final class Touches
{
    static final int MAX_ENTRIES = 1 << 20;
    private static final int SESSION_WIDTH = 1 + TouchView.DIMENSIONS;

    private final TouchTable sessions;
    private final TouchTable visitors;
    private Dictionary strings = new Dictionary();

    Touches()
    {
        this(MAX_ENTRIES);
    }

    Touches(final int maxEntries)
    {
        sessions = new TouchTable(maxEntries, SESSION_WIDTH);
        visitors = new TouchTable(maxEntries, TouchView.DIMENSIONS);
    }

    /** Fills {@code view} with the record's session and visitor touches, making them when new. */
    void fill(final EventRecordDecoder record, final TouchView view)
    {
        view.strings = strings;
        int session = sessions.find(record.sessionId());
        if (session == TouchTable.MISSING)
        {
            session = newSession(record);
        }
        final int[] sessionInts = sessions.ints();
        view.entryPage = sessionInts[session * SESSION_WIDTH];
        System.arraycopy(sessionInts, session * SESSION_WIDTH + 1, view.sessionSource, 0, TouchView.DIMENSIONS);
        int visitor = visitors.find(record.visitorId());
        if (visitor == TouchTable.MISSING)
        {
            visitor = visitors.add(record.visitorId());
            visitors.longs()[visitor] = record.eventTime();
            System.arraycopy(view.sessionSource, 0, visitors.ints(), visitor * TouchView.DIMENSIONS, TouchView.DIMENSIONS);
        }
        view.firstSeen = visitors.longs()[visitor];
        System.arraycopy(visitors.ints(), visitor * TouchView.DIMENSIONS, view.visitorSource, 0, TouchView.DIMENSIONS);
        view.strings = strings;
    }

    private int newSession(final EventRecordDecoder record)
    {
        final String url = record.string(EventRecord.URL);
        final String[] source = Source.of(url, record.string(EventRecord.REFERRER));
        compactIfLarge();
        final int slot = sessions.add(record.sessionId());
        final int[] ints = sessions.ints();
        ints[slot * SESSION_WIDTH] = strings.id(UrlPath.of(url));
        for (int d = 0; d < TouchView.DIMENSIONS; d++)
        {
            ints[slot * SESSION_WIDTH + 1 + d] = strings.id(source[d]);
        }
        return slot;
    }

    /** Renumbers the texts when the dictionary holds far more than the live entries can use. */
    private void compactIfLarge()
    {
        final int live = sessions.size() * SESSION_WIDTH + visitors.size() * TouchView.DIMENSIONS;
        if (strings.size() < 1024 || strings.size() < 2L * live)
        {
            return;
        }
        final Dictionary old = strings;
        final Dictionary compacted = new Dictionary();
        final java.util.function.IntUnaryOperator renumber =
            id -> compacted.id(old.arena(), old.offset(id), old.length(id));
        sessions.rewriteInts(renumber);
        visitors.rewriteInts(renumber);
        strings = compacted;
    }

    void write(final DataOutput out) throws IOException
    {
        out.writeInt(strings.size());
        for (int id = 0; id < strings.size(); id++)
        {
            final byte[] bytes = new byte[strings.length(id)];
            strings.arena().getBytes(strings.offset(id), bytes);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        sessions.write(out);
        visitors.write(out);
    }

    void read(final DataInput in) throws IOException
    {
        final int count = in.readInt();
        for (int id = 0; id < count; id++)
        {
            final byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            if (strings.id(new org.agrona.concurrent.UnsafeBuffer(bytes), 0, bytes.length) != id)
            {
                throw new IOException("a touch text is given twice");
            }
        }
        sessions.read(in);
        visitors.read(in);
    }
}
