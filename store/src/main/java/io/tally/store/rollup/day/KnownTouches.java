package io.tally.store.rollup.day;

/**
 * The attribution a sealed day (and its earlier deltas) remembers of the visitors and sessions it gave ordinals
 * to, for a delta whose late events convert: the visitor's first time and first source, the session's entry page
 * and source, as texts.
 */
public interface KnownTouches
{
    KnownTouches NONE = new KnownTouches()
    {
        @Override
        public long firstSeen(final int visitor)
        {
            throw new IllegalArgumentException("no known visitor " + visitor);
        }

        @Override
        public String visitorSource(final int visitor, final int dimension)
        {
            throw new IllegalArgumentException("no known visitor " + visitor);
        }

        @Override
        public String entryPage(final int session)
        {
            throw new IllegalArgumentException("no known session " + session);
        }

        @Override
        public String sessionSource(final int session, final int dimension)
        {
            throw new IllegalArgumentException("no known session " + session);
        }
    };

    long firstSeen(int visitor);

    String visitorSource(int visitor, int dimension);

    String entryPage(int session);

    String sessionSource(int session, int dimension);

    /** The state of one of the day's sessions, as its segments last wrote it (its exit page as text). */
    record KnownSession(long first, long last, String exitPage, int pageviews, int events, int visitor)
    {
    }

    /** The session's state, or null when the day has none for it (no event but engagement, or an old segment). */
    default KnownSession session(final int session)
    {
        return null;
    }
}
