package io.tally.store.rollup;

import io.tally.store.UrlPath;
import io.tally.store.rollup.day.CellKind;
import io.tally.store.rollup.day.Source;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The site-wide figures counted the slow way over the events in journal order, by the definitions the rollups
 * keep: pages by the hour of each pageview or engagement; visits by the hour of the session's earliest event
 * (engagement aside), its exit the page of its latest (the later one at equal times), a bounce when it has one
 * event, its sources and entry page those of the session's first event (of any kind).
 */
final class SiteWideBruteForce
{
    private static final long HOUR = RollupsTest.HOUR;

    private SiteWideBruteForce()
    {
    }

    /** One session's visit, as the brute force builds it. */
    private static final class Visit
    {
        long visitor;
        long first;
        long last;
        String exit;
        int events;
        int pageviews;
    }

    static void assertSameFigures(final String site, final long fromHour, final long toHour, final List<RollupsTest.Event> all,
        final SiteWideTotals totals)
    {
        final String where = site + " [" + fromHour + ", " + toHour + ")";
        final List<RollupsTest.Event> ofSite = all.stream().filter(e -> e.site().equals(site)).toList();
        final List<RollupsTest.Event> inRange = ofSite.stream().filter(e -> e.time() >= fromHour && e.time() < toHour).toList();
        assertEquals(pages(inRange), pages(totals), "pages " + where);
        final Map<Long, RollupsTest.Event> firstOfSession = new LinkedHashMap<>();
        ofSite.forEach(e -> firstOfSession.putIfAbsent(e.session(), e));
        // the visits that started in the range, with their session's first event (of any kind): its sources
        final List<RollupsTest.Event> starts = new ArrayList<>();
        visits(ofSite).forEach((session, visit) ->
        {
            if (inRange(visit, fromHour, toHour))
            {
                starts.add(firstOfSession.get(session));
            }
        });
        for (int d = 0; d <= Source.DIMENSIONS.length; d++)
        {
            final int dimension = d;
            final Map<String, List<Long>> expected = new TreeMap<>();
            final Map<String, Set<Long>> visitors = new HashMap<>();
            for (final RollupsTest.Event start : starts)
            {
                final String source = d == Source.DIMENSIONS.length ? UrlPath.of(start.url()) :
                    Source.of(start.url(), start.referrer())[d];
                visitors.computeIfAbsent(source, s -> new HashSet<>()).add(start.visitor());
                expected.computeIfAbsent(source, s -> new ArrayList<>(List.of(0L, 0L))).set(0,
                    expected.get(source).get(0) + 1);
            }
            expected.forEach((source, counts) -> counts.set(1, (long)visitors.get(source).size()));
            final Map<String, List<Long>> actual = new TreeMap<>();
            totals.sources(d == Source.DIMENSIONS.length ? CellKind.ENTRY_PAGE : d)
                .forEach(row -> actual.put(row.source(), List.of(row.visits(), row.visitors())));
            assertEquals(expected, actual, "sources, dimension " + dimension + " " + where);
        }
        assertVisits(ofSite, fromHour, toHour, totals, where);
    }

    /** Per page: pageviews, visitors, visits, engaged ms, engaged visitors, scroll depth sum and count. */
    private static Map<String, List<Long>> pages(final List<RollupsTest.Event> events)
    {
        final Map<String, long[]> counts = new TreeMap<>();
        final Map<String, Set<Long>> visitors = new HashMap<>();
        final Map<String, Set<Long>> sessions = new HashMap<>();
        final Map<String, Set<Long>> engaged = new HashMap<>();
        for (final RollupsTest.Event e : events)
        {
            final String page = UrlPath.of(e.url());
            if (e.type().equals("p"))
            {
                counts.computeIfAbsent(page, p -> new long[7])[0]++;
                visitors.computeIfAbsent(page, p -> new HashSet<>()).add(e.visitor());
                sessions.computeIfAbsent(page, p -> new HashSet<>()).add(e.session());
            }
            else if (e.type().equals("x"))
            {
                final long[] row = counts.computeIfAbsent(page, p -> new long[7]);
                row[3] += e.engagedMillis();
                engaged.computeIfAbsent(page, p -> new HashSet<>()).add(e.visitor());
                if (e.scrollDepth() >= 0)
                {
                    row[5] += e.scrollDepth();
                    row[6]++;
                }
            }
        }
        final Map<String, List<Long>> pages = new TreeMap<>();
        counts.forEach((page, c) -> pages.put(page, List.of(c[0], (long)visitors.getOrDefault(page, Set.of()).size(),
            (long)sessions.getOrDefault(page, Set.of()).size(), c[3], (long)engaged.getOrDefault(page, Set.of()).size(), c[5], c[6])));
        return pages;
    }

    private static Map<String, List<Long>> pages(final SiteWideTotals totals)
    {
        final Map<String, List<Long>> pages = new TreeMap<>();
        totals.pages().forEach(row -> pages.put(row.page(), List.of(row.pageviews(), row.visitors(), row.visits(),
            row.engagedMillis(), row.engagedVisitors(), row.scrollSum(), row.scrollCount())));
        return pages;
    }

    private static boolean inRange(final Visit visit, final long fromHour, final long toHour)
    {
        final long startHour = Math.floorDiv(visit.first, HOUR) * HOUR;
        return startHour >= fromHour && startHour < toHour;
    }

    /** Each session's visit (engagement aside), by session id; sessions of engagement alone have none. */
    private static Map<Long, Visit> visits(final List<RollupsTest.Event> ofSite)
    {
        final Map<Long, Visit> visits = new LinkedHashMap<>();
        for (final RollupsTest.Event e : ofSite)
        {
            if (e.type().equals("x"))
            {
                continue;
            }
            final Visit visit = visits.computeIfAbsent(e.session(), s -> new Visit());
            visit.visitor = e.visitor();
            if (visit.events == 0 || e.time() < visit.first)
            {
                visit.first = e.time();
            }
            if (visit.events == 0 || e.time() >= visit.last)
            {
                visit.last = e.time();
                visit.exit = UrlPath.of(e.url());
            }
            visit.events++;
            visit.pageviews += e.type().equals("p") ? 1 : 0;
        }
        return visits;
    }

    private static void assertVisits(final List<RollupsTest.Event> ofSite, final long fromHour, final long toHour,
        final SiteWideTotals totals, final String where)
    {
        final Map<Long, Visit> visits = visits(ofSite);
        long count = 0;
        long bounces = 0;
        long duration = 0;
        long pageviews = 0;
        final Map<String, long[]> exits = new TreeMap<>();
        final Map<String, Set<Long>> exitVisitors = new HashMap<>();
        for (final Visit visit : visits.values())
        {
            if (!inRange(visit, fromHour, toHour))
            {
                continue;
            }
            count++;
            bounces += visit.events == 1 ? 1 : 0;
            duration += visit.last - visit.first;
            pageviews += visit.pageviews;
            exits.computeIfAbsent(visit.exit, p -> new long[1])[0]++;
            exitVisitors.computeIfAbsent(visit.exit, p -> new HashSet<>()).add(visit.visitor);
        }
        assertEquals(new SiteWideTotals.Visits(count, bounces, duration, pageviews), totals.visits(), "visits " + where);
        final Map<String, List<Long>> expected = new TreeMap<>();
        exits.forEach((page, c) -> expected.put(page, List.of(c[0], (long)exitVisitors.get(page).size())));
        final Map<String, List<Long>> actual = new TreeMap<>();
        totals.exitPages().forEach(row -> actual.put(row.page(), List.of(row.exits(), row.visitors())));
        assertEquals(expected, actual, "exit pages " + where);
    }
}
