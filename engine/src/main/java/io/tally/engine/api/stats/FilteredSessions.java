package io.tally.engine.api.stats;

import io.tally.engine.api.request.QueryParameters;
import io.tally.store.UrlPath;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sessions report under {@code filters}, answered by the event store: the most recent sessions in the range with an
 * event the filter keeps (engagement aside, as a filtered report's visits), latest first, in the shape of the
 * journal's report, each event saying whether the filter {@code kept} it and each session how many events it has in
 * the range ({@code event_count}; it lists its first {@code 200}).
 */
final class FilteredSessions
{
    private FilteredSessions()
    {
    }

    /** Puts the sessions of {@code scope} ({@code converted}, {@code limit} read from {@code parameters}) into {@code body}. */
    static void answer(final Map<String, Object> body, final FilteredReports reports, final FilteredReports.Query scope,
        final QueryParameters parameters)
    {
        final boolean converted = parameters.choice("converted", "false", StatsApi.BOOLEANS).equals("true");
        final int limit = parameters.whole("limit", StatsApi.DEFAULT_SESSIONS, 1, StatsApi.MAX_SESSIONS);
        final FilteredReports.Query query = new FilteredReports.Query(scope.site(), scope.fromMillis(), scope.toMillis(),
            scope.filters(), false, "", scope.zone(), FilteredReports.Order.KEY, limit, 0);
        final List<Object> rows = new ArrayList<>();
        for (final FilteredReports.Session session : reports.sessions(query, converted))
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("session", Long.toUnsignedString(session.sessionId()));
            row.put("visitor", Long.toUnsignedString(session.visitorId()));
            row.put("converted", session.converted());
            row.put("event_count", session.eventCount());
            final List<Object> events = new ArrayList<>();
            session.events().forEach(event -> events.add(event(event)));
            row.put("events", events);
            rows.add(row);
        }
        body.put("sessions", rows);
    }

    /** An event as the journal's report shows it (a name or URL the store holds as NULL: empty), and {@code kept}. */
    private static Map<String, Object> event(final FilteredReports.SessionEvent event)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("ts", event.timeMillis());
        row.put("type", event.type());
        row.put("name", event.name() == null ? "" : event.name());
        row.put("path", UrlPath.of(event.url() == null ? "" : event.url()));
        row.put("goal", event.goal());
        row.put("conversion", event.conversion());
        row.put("kept", event.kept());
        return row;
    }
}
