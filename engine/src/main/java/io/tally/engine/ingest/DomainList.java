package io.tally.engine.ingest;

import io.tally.codec.TextView;

/**
 * The domains of a Plausible body's {@code d}: Plausible's script may list several, comma-separated
 * ({@code "a.com,b.com"}), and records the event once for each (its lib/plausible/ingestion/request.ex splits
 * and trims them). Walks the list in place, each domain a view without its surrounding spaces; reusable, nothing
 * allocated, not thread-safe.
 */
final class DomainList
{
    /** The most distinct sites one body is recorded for; further listed sites are dropped as unknown ones are. */
    static final int MAX_SITES = 10;

    private final TextView item = new TextView();
    private TextView list;
    private int next;

    /** Starts walking {@code domains}. */
    DomainList start(final TextView domains)
    {
        list = domains;
        next = 0;
        return this;
    }

    /** Moves to the next listed domain (maybe empty); false after the last. */
    boolean next()
    {
        final int length = list.length();
        if (next > length)
        {
            return false;
        }
        int end = next;
        while (end < length && list.byteAt(end) != ',')
        {
            end++;
        }
        int from = next;
        int to = end;
        while (from < to && isSpace(list.byteAt(from)))
        {
            from++;
        }
        while (to > from && isSpace(list.byteAt(to - 1)))
        {
            to--;
        }
        item.wrap(list.buffer(), list.offset() + from, to - from);
        next = end + 1;
        return true;
    }

    /** The current domain. */
    TextView domain()
    {
        return item;
    }

    private static boolean isSpace(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }
}
