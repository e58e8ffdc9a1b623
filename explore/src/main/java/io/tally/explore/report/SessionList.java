package io.tally.explore.report;

import io.tally.explore.EventQueries;
import io.tally.explore.filter.EventFilter;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sessions explorer under a filter: the most recent sessions (by their latest event, in journal order) that have
 * an event the filter keeps (engagement aside, as the visits of the filtered reports), each with its events in the
 * range, kept or not, oldest first, robots aside. A session lists at most {@link #MAX_EVENTS} events (its first);
 * {@link Session#eventCount()} says how many it has. Blocking: a cold pool only.
 */
public final class SessionList
{
    /** Events listed per session at most: 100 sessions of them are what the journal's report reads at most. */
    public static final int MAX_EVENTS = 200;

    /** One event of a session: its time (ms), type, name (null for none), URL, goal (null for none), flags. */
    public record Event(long timeMillis, String type, String name, String url, String goal, boolean conversion, boolean kept)
    {
    }

    /** A session: its id, its visitor's, whether it converted, its first events and how many it has in the range. */
    public record Session(long sessionId, long visitorId, boolean converted, long eventCount, List<Event> events)
    {
    }

    private final EventQueries queries;

    public SessionList(final EventQueries queries)
    {
        this.queries = queries;
    }

    /** At most {@code limit} sessions of {@code [fromMillis, toMillis)}, latest first; only converted ones if asked. */
    public List<Session> recent(final String site, final long fromMillis, final long toMillis, final EventFilter filter,
        final boolean convertedOnly, final int limit) throws SQLException
    {
        // m: the kept events; s: the latest sessions with one; e: their events, numbered in journal order
        final String sql = "WITH m AS MATERIALIZED (SELECT journal_index, session_id, type FROM events WHERE robot IS NULL AND ("
            + filter.sql() + ")),\n"
            + "s AS MATERIALIZED (SELECT session_id, arg_min(visitor_id, journal_index) AS visitor, "
            + "bool_or(coalesce(session_converted, false)) AS converted, max(journal_index) AS latest, count(*) AS n "
            + "FROM events WHERE robot IS NULL AND session_id IN (SELECT session_id FROM m WHERE type <> 'engagement') "
            + "GROUP BY session_id" + (convertedOnly ? " HAVING bool_or(coalesce(session_converted, false))" : "")
            + " ORDER BY latest DESC LIMIT ?),\n"
            + "e AS (SELECT *, row_number() OVER (PARTITION BY session_id ORDER BY journal_index) AS r FROM events "
            + "WHERE robot IS NULL AND session_id IN (SELECT session_id FROM s))\n"
            + "SELECT session_id, s.visitor, s.converted, s.n, epoch_ms(e.time), e.type, e.name, e.url, e.goal, "
            + "coalesce(e.conversion, false), e.journal_index IN (SELECT journal_index FROM m) FROM s JOIN e USING (session_id) "
            + "WHERE e.r <= " + MAX_EVENTS + " ORDER BY s.latest DESC, e.journal_index";
        final List<Object> parameters = new ArrayList<>(filter.parameters());
        parameters.add(limit);
        return queries.query(site, fromMillis, toMillis, sql, rows ->
        {
            final Map<Long, List<Event>> events = new LinkedHashMap<>();
            final Map<Long, Session> sessions = new LinkedHashMap<>();
            while (rows.next())
            {
                final long session = rows.getLong(1);
                final List<Event> list = events.computeIfAbsent(session, s -> new ArrayList<>());
                if (list.isEmpty())
                {
                    sessions.put(session, new Session(session, rows.getLong(2), rows.getBoolean(3), rows.getLong(4), list));
                }
                list.add(new Event(rows.getLong(5), rows.getString(6), rows.getString(7), rows.getString(8), rows.getString(9),
                    rows.getBoolean(10), rows.getBoolean(11)));
            }
            return List.copyOf(sessions.values());
        }, parameters.toArray());
    }
}
