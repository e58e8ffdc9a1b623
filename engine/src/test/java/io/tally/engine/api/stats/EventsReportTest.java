package io.tally.engine.api.stats;

import io.tally.codec.json.Json;
import io.tally.store.rollup.day.RollupCaps;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The events report over the real server: the caps on event names and property keys per site and hour (at and
 * one past them, the {@code (other)} row exact), and its pages. Events are sent as trusted events with a fixed
 * {@code ts}, so all of them fall in one hour however long the test runs.
 */
class EventsReportTest
{
    private static final String ADMIN = "admin-token";
    private static final String DAY = "2026-02-10";
    private static final String TS = DAY + "T10:15:00Z";
    private static final String RANGE = "from=" + DAY + "&to=" + DAY;

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN));
    }

    /** A custom event of {@code vid} at {@link #TS}, with properties {@code keys[i]=values[i]}. */
    private static String event(final String name, final String vid, final List<String> keys, final List<String> values)
    {
        return Json.write(Map.of("t", "e", "n", name, "u", "https://shop.example/", "ts", TS, "vid", vid, "mk", keys, "mv", values));
    }

    private static String event(final String name, final String vid)
    {
        return event(name, vid, List.of(), List.of());
    }

    private static void send(final TestEngine engine, final String token, final List<String> lines) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/v1/events", "application/x-ndjson",
                String.join("\n", lines), "Authorization: Bearer " + token));
            assertEquals(200, answer.status(), answer.body());
            assertEquals(new BigDecimal(lines.size()), Json.parseObject(answer.body()).get("accepted"), answer.body());
        }
        engine.awaitRollups();
    }

    private static RawHttp.Answer get(final TestEngine engine, final String query) throws IOException
    {
        return engine.call("GET", "/api/v1/stats/shop.example/events?" + query, null, ADMIN);
    }

    private static Map<String, Object> report(final TestEngine engine, final String query) throws IOException
    {
        final RawHttp.Answer answer = get(engine, query);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(final Map<String, Object> report)
    {
        return (List<Map<String, Object>>)report.get("events");
    }

    /** Every row of the report, page by page. */
    private static List<Map<String, Object>> allRows(final TestEngine engine, final int limit) throws IOException
    {
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (int page = 1; ; page++)
        {
            final Map<String, Object> report = report(engine, RANGE + "&limit=" + limit + "&page=" + page);
            rows.addAll(rows(report));
            if (!Boolean.TRUE.equals(report.get("has_next_page")))
            {
                return rows;
            }
        }
    }

    private static Map<String, Object> row(final List<Map<String, Object>> rows, final String name)
    {
        return rows.stream().filter(r -> r.get("name").equals(name)).findFirst().orElse(null);
    }

    private static List<Long> counts(final Map<String, Object> row)
    {
        return List.of(((BigDecimal)row.get("events")).longValue(), ((BigDecimal)row.get("visitors")).longValue());
    }

    private static void assertRefused(final TestEngine engine, final String query, final String code, final String detail)
        throws IOException
    {
        final RawHttp.Answer answer = get(engine, query);
        assertEquals(400, answer.status(), query + ": " + answer.body());
        assertEquals(Map.of("error", code, "detail", detail), Json.parseObject(answer.body()), query);
    }

    @Test
    void anHourKeepsItsCapOfEventNamesAndCountsTheEventsOfLaterNamesExactlyAsOther() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String token = engine.siteToken("shop.example", ADMIN);
            final List<String> atCap = new ArrayList<>();
            for (int i = 0; i < RollupCaps.MAX_NAMES_PER_HOUR; i++)
            {
                atCap.add(event(String.format("name-%04d", i), "v" + i));
            }
            send(engine, token, atCap);
            final List<Map<String, Object>> kept = allRows(engine, StatsApi.MAX_EVENT_ROWS);
            assertEquals(RollupCaps.MAX_NAMES_PER_HOUR, kept.size(), "at the cap every name has its own row");
            assertEquals(null, row(kept, RollupCaps.OTHER));

            send(engine, token, List.of(event("past-1", "x"), event("past-1", "y"), event("past-2", "x"), event("name-0000", "z")));
            final Map<String, Object> first = report(engine, RANGE + "&limit=" + StatsApi.MAX_EVENT_ROWS);
            assertEquals(new BigDecimal(RollupCaps.MAX_NAMES_PER_HOUR + 1), first.get("total_rows"));
            assertEquals(StatsApi.MAX_EVENT_ROWS, rows(first).size(), "a page at the largest limit is full");
            assertEquals(true, first.get("has_next_page"));
            final List<Map<String, Object>> rows = allRows(engine, StatsApi.MAX_EVENT_ROWS);
            assertEquals(RollupCaps.MAX_NAMES_PER_HOUR + 1, rows.size());
            assertEquals(List.of(3L, 2L), counts(row(rows, RollupCaps.OTHER)), "the new names past the cap: 3 events, 2 visitors");
            assertEquals(null, row(rows, "past-1"));
            assertEquals(List.of(2L, 2L), counts(row(rows, "name-0000")), "a name kept is still counted as its own");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aNameKeepsItsCapOfPropertyKeysAndCountsEachEventWithLaterKeysOnceAsOther() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String token = engine.siteToken("shop.example", ADMIN);
            final List<String> atCap = new ArrayList<>();
            for (int from = 0; from < RollupCaps.MAX_KEYS_PER_NAME; from += 25)
            {
                final List<String> keys = new ArrayList<>();
                for (int k = from; k < Math.min(from + 25, RollupCaps.MAX_KEYS_PER_NAME); k++)
                {
                    keys.add(String.format("key-%03d", k));
                }
                atCap.add(event("Config", "a", keys, keys.stream().map(k -> "on").toList()));
            }
            send(engine, token, atCap);
            Map<String, Object> properties = (Map<String, Object>)report(engine, RANGE + "&name=Config").get("properties");
            assertEquals(RollupCaps.MAX_KEYS_PER_NAME, properties.size(), "at the cap every key is its own");
            assertFalse(properties.containsKey(RollupCaps.OTHER));

            send(engine, token, List.of(event("Config", "b", List.of("key-000", "new-1", "new-2"), List.of("off", "1", "2")),
                event("Config", "c", List.of("new-3"), List.of("3")), event("Config", "b", List.of("new-1"), List.of("1"))));
            properties = (Map<String, Object>)report(engine, RANGE + "&name=Config").get("properties");
            assertEquals(RollupCaps.MAX_KEYS_PER_NAME + 1, properties.size());
            assertFalse(properties.containsKey("new-1"));
            final List<Map<String, Object>> other = (List<Map<String, Object>>)properties.get(RollupCaps.OTHER);
            assertEquals(1, other.size());
            assertEquals(RollupCaps.OTHER, other.get(0).get("value"));
            assertEquals(List.of(3L, 2L), counts(other.get(0)), "each event with new keys once: 3 events of 2 visitors");
            final List<Map<String, Object>> kept = (List<Map<String, Object>>)properties.get("key-000");
            assertEquals(List.of(Map.of("value", "off", "events", BigDecimal.ONE, "visitors", BigDecimal.ONE),
                Map.of("value", "on", "events", BigDecimal.ONE, "visitors", BigDecimal.ONE)), kept, "a kept key still counts its values");
        }
    }

    @Test
    void pagesListTheNamesByEventsThenNameAndSayHowManyThereAre() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String token = engine.siteToken("shop.example", ADMIN);
            final List<String> lines = new ArrayList<>();
            final Map<String, Long> events = new HashMap<>();
            for (int i = 0; i < 2 * StatsApi.DEFAULT_EVENT_ROWS + 50; i++)
            {
                final String name = "n-" + i; // not zero-padded: names sort as text, n-10 before n-2
                final int times = i % 7 == 0 ? 3 : i % 5 == 0 ? 2 : 1;
                for (int t = 0; t < times; t++)
                {
                    lines.add(event(name, "v" + t));
                }
                events.put(name, (long)times);
            }
            send(engine, token, lines);
            final List<String> expected = events.keySet().stream()
                .sorted(Comparator.comparing((String n) -> -events.get(n)).thenComparing(Comparator.naturalOrder())).toList();

            final Map<String, Object> first = report(engine, RANGE);
            assertEquals(StatsApi.DEFAULT_EVENT_ROWS, rows(first).size(), "the default limit");
            assertEquals(new BigDecimal(events.size()), first.get("total_rows"));
            assertEquals(BigDecimal.ONE, first.get("page"));
            assertEquals(new BigDecimal(StatsApi.DEFAULT_EVENT_ROWS), first.get("limit"));
            assertEquals(true, first.get("has_next_page"));
            final Map<String, Object> last = report(engine, RANGE + "&page=3");
            assertEquals(events.size() - 2 * StatsApi.DEFAULT_EVENT_ROWS, rows(last).size());
            assertEquals(false, last.get("has_next_page"));
            assertEquals(expected, allRows(engine, StatsApi.DEFAULT_EVENT_ROWS).stream().map(r -> r.get("name")).toList());
            assertEquals(expected, allRows(engine, 7).stream().map(r -> r.get("name")).toList(), "any page size, the same order");
            final Map<String, Object> all = report(engine, RANGE + "&limit=" + StatsApi.MAX_EVENT_ROWS);
            assertEquals(events.size(), rows(all).size());
            assertEquals(false, all.get("has_next_page"));

            final String limits = "limit: a whole number from 1 to " + StatsApi.MAX_EVENT_ROWS;
            assertRefused(engine, RANGE + "&limit=0", "invalid_query", limits);
            assertRefused(engine, RANGE + "&limit=" + (StatsApi.MAX_EVENT_ROWS + 1), "invalid_query", limits);
            assertRefused(engine, RANGE + "&limit=ten", "invalid_query", limits);
            assertRefused(engine, RANGE + "&page=0", "invalid_query", "page: a whole number of at least 1");
            assertRefused(engine, RANGE + "&page=4", "invalid_query", "page 4 is past the last page, 3");
            assertRefused(engine, RANGE + "&limit=7&page=37", "invalid_query", "page 37 is past the last page, 36");
            assertRefused(engine, RANGE + "&name=n-1&limit=5", "invalid_query", "limit and page page the event names: not with name");

            final Map<String, Object> empty = report(engine, "from=2020-01-01&to=2020-01-01");
            assertEquals(List.of(), rows(empty));
            assertEquals(BigDecimal.ZERO, empty.get("total_rows"));
            assertEquals(false, empty.get("has_next_page"));
            assertRefused(engine, "from=2020-01-01&to=2020-01-01&page=2", "invalid_query", "page 2 is past the last page, 1");
        }
    }

    @Test
    void aValueInTheQueryIsDecodedOnceWithFormRules() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String token = engine.siteToken("shop.example", ADMIN);
            send(engine, token, List.of(event("Video Play", "a", List.of("k"), List.of("1")),
                event("a+b", "a", List.of("k"), List.of("2")), event("100%", "a", List.of("k"), List.of("3"))));
            final Set<String> seen = new HashSet<>();
            for (final String[] query : new String[][] {{"Video+Play", "1"}, {"Video%20Play", "1"}, {"a%2Bb", "2"}, {"100%25", "3"}})
            {
                final Map<String, Object> report = report(engine, RANGE + "&name=" + query[0]);
                final Object values = ((Map<?, ?>)report.get("properties")).get("k");
                assertEquals(List.of(query[1]), ((List<?>)values).stream().map(r -> ((Map<?, ?>)r).get("value")).toList(), query[0]);
                seen.add((String)report.get("name"));
            }
            assertEquals(Set.of("Video Play", "a+b", "100%"), seen);
            assertRefused(engine, RANGE + "&name=100%", "invalid_query",
                "the query: malformed %-escape '%' (a % needs two hex digits; send % itself as %25)");
        }
    }
}
