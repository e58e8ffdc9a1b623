package io.tally.store.rollup.day;

/**
 * The state of a day's sessions, a row each: what the visit figures ({@link CellKind#VISIT},
 * {@link CellKind#EXIT_PAGE}) are made from. A session's row counts only its events that start or continue a visit
 * (everything but engagement); a row with no such event has {@link #events} 0 and is no visit. Its sources and entry
 * page are its first event's (of any kind), as attribution has them. A delta's rows are
 * its own sessions' and those of the sealed day it continued (the later row of a session replaces the earlier).
 */
public interface SessionRows
{
    SessionRows NONE = new SessionRows()
    {
        @Override
        public int rows()
        {
            return 0;
        }

        @Override
        public int ordinal(final int row)
        {
            throw new IndexOutOfBoundsException(row);
        }

        @Override
        public long first(final int row)
        {
            throw new IndexOutOfBoundsException(row);
        }

        @Override
        public long last(final int row)
        {
            throw new IndexOutOfBoundsException(row);
        }

        @Override
        public int exitPage(final int row)
        {
            throw new IndexOutOfBoundsException(row);
        }

        @Override
        public int pageviews(final int row)
        {
            throw new IndexOutOfBoundsException(row);
        }

        @Override
        public int events(final int row)
        {
            throw new IndexOutOfBoundsException(row);
        }

        @Override
        public int visitor(final int row)
        {
            throw new IndexOutOfBoundsException(row);
        }

        @Override
        public int source(final int row, final int d)
        {
            throw new IndexOutOfBoundsException(row);
        }
    };

    /** The sources a row has: the four dimensions, then the entry page ({@link #ENTRY}). */
    int SOURCES = 5;
    int ENTRY = 4;

    int rows();

    /** The session's ordinal in its day. */
    int ordinal(int row);

    /** The time of its earliest event (epoch ms). */
    long first(int row);

    /** The time of its latest event. */
    long last(int row);

    /** The page of its latest event: a text id of the day's dictionary (the segment's, for a segment). */
    int exitPage(int row);

    int pageviews(int row);

    /** Its events, engagement aside: one is a bounce. */
    int events(int row);

    /** Its visitor's ordinal. */
    int visitor(int row);

    /** Source dimension {@code d} of the session (0-3), or its entry page ({@link #ENTRY}): a text id. */
    int source(int row, int d);
}
