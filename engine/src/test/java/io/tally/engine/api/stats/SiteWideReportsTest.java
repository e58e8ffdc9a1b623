package io.tally.engine.api.stats;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The site-wide reports over the real server: a small stream of three visits (one converting after two pages, one
 * bounce, one running past an hour) with engagement beacons, sent as trusted events with fixed times so every
 * figure is known: the visit KPIs, pages with time on page, sources, entry and exit pages; and the same after a
 * restart, read back from the checkpoint.
 */
class SiteWideReportsTest
{
    private static final String ADMIN = "admin-token";
    private static final String DAY = "2026-02-10";
    private static final String RANGE = "from=" + DAY + "&to=" + DAY;

    @TempDir
    Path dataDir;

    private static String at(final String time)
    {
        return DAY + "T" + time + "Z";
    }

    private static String pageview(final String vid, final String time, final String url, final String referrer)
    {
        return Json.write(Map.of("t", "p", "u", url, "r", referrer, "ts", at(time), "vid", vid));
    }

    private static String engagement(final String vid, final String time, final String url, final String seconds)
    {
        return Json.write(Map.of("t", "x", "u", url, "sec", new BigDecimal(seconds), "ts", at(time), "vid", vid));
    }

    private static List<String> stream()
    {
        return List.of(
            // a: two pages from a search with a campaign, engaged on both, then a signup: 5 minutes
            pageview("a", "10:00:00", "https://shop.example/?utm_source=Newsletter&utm_medium=email", "https://www.google.com/search?q=x"),
            engagement("a", "10:00:30", "https://shop.example/?utm_source=Newsletter&utm_medium=email", "25"),
            pageview("a", "10:02:00", "https://shop.example/pricing", ""),
            engagement("a", "10:03:00", "https://shop.example/pricing", "40.5"),
            Json.write(Map.of("t", "e", "n", "Signup", "u", "https://shop.example/pricing", "ts", at("10:05:00"), "vid", "a")),
            // b: one page, engaged a little: a bounce
            pageview("b", "10:10:00", "https://shop.example/blog/a", "https://news.example/story"),
            engagement("b", "10:10:20", "https://shop.example/blog/a", "10"),
            // c: direct, two pages 25 minutes apart: one visit that runs into the next hour
            pageview("c", "11:50:00", "https://shop.example/", ""),
            pageview("c", "12:15:00", "https://shop.example/blog/a", ""));
    }

    private static Map<String, Object> report(final TestEngine engine, final String report) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", "/api/v1/stats/shop.example/" + report, null, ADMIN);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    private static Map<String, Object> row(final Object... pairs)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2)
        {
            row.put((String)pairs[i], pairs[i + 1] instanceof Integer n ? new BigDecimal(n) : pairs[i + 1]);
        }
        return row;
    }

    @Test
    void pagesSourcesEntryAndExitPagesAndTheVisitFiguresOfAStream() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)))
        {
            final String token = engine.siteToken("shop.example", ADMIN);
            try (RawHttp http = new RawHttp(engine.port()))
            {
                final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/v1/events", "application/x-ndjson",
                    String.join("\n", stream()), "Authorization: Bearer " + token));
                assertEquals(200, answer.status(), answer.body());
                assertEquals(new BigDecimal(stream().size()), Json.parseObject(answer.body()).get("accepted"), answer.body());
            }
            engine.awaitRollups();
            assertReports(engine);
        }
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)))
        {
            engine.awaitRollups();
            assertReports(engine);
        }
    }

    /** Plausible's script's own bodies: the engagement's scroll depth and engaged milliseconds reach the page's row. */
    @Test
    void aPlausibleEngagementGivesThePageItsScrollDepthAndTimeOnPage() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain",
                    "{\"n\":\"pageview\",\"u\":\"https://shop.example/docs\",\"d\":\"shop.example\"}",
                    "User-Agent: browser/1")).status());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain",
                    "{\"n\":\"engagement\",\"u\":\"https://shop.example/docs\",\"d\":\"shop.example\",\"sd\":60,\"e\":3000}",
                    "User-Agent: browser/1")).status());
            }
            engine.awaitRollups();
            final java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
            // a day either side: the two beacons are counted on their own receive times, whatever day that is
            final String around = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
            assertEquals(List.of(row("page", "/docs", "visitors", 1, "visits", 1, "pageviews", 1, "time_on_page", 3,
                "scroll_depth", 60)), report(engine, "pages?" + around).get("pages"));
        }
    }

    private static void assertReports(final TestEngine engine) throws IOException
    {
        final Map<String, Object> kpis = report(engine, "kpis?" + RANGE);
        assertEquals(new BigDecimal(3), kpis.get("visits"));
        assertEquals(new BigDecimal("33.33"), kpis.get("bounce_rate"), "one visit of three is one event");
        assertEquals(new BigDecimal(600), kpis.get("visit_duration"), "(300 + 0 + 1500) s / 3");
        assertEquals(new BigDecimal("1.67"), kpis.get("views_per_visit"), "5 pageviews / 3 visits");
        assertEquals(new BigDecimal(5), kpis.get("pageviews"));
        assertEquals(new BigDecimal(1), kpis.get("events"), "engagement is not an event");

        assertEquals(List.of(
            row("page", "/", "visitors", 2, "visits", 2, "pageviews", 2, "time_on_page", 25, "scroll_depth", null),
            row("page", "/blog/a", "visitors", 2, "visits", 2, "pageviews", 2, "time_on_page", 10, "scroll_depth", null),
            row("page", "/pricing", "visitors", 1, "visits", 1, "pageviews", 1, "time_on_page", 41, "scroll_depth", null)),
            report(engine, "pages?" + RANGE).get("pages"));
        assertEquals(List.of(row("page", "/", "visitors", 2, "visits", 2, "pageviews", 2, "time_on_page", 25, "scroll_depth", null)),
            report(engine, "pages?limit=1&" + RANGE).get("pages"), "limit: the first rows");

        assertEquals(List.of(row("source", "(direct)", "visitors", 1, "visits", 1), row("source", "google.com", "visitors", 1,
            "visits", 1), row("source", "news.example", "visitors", 1, "visits", 1)), report(engine, "sources?" + RANGE).get("sources"));
        assertEquals(List.of(row("source", "(none)", "visitors", 2, "visits", 2), row("source", "newsletter", "visitors", 1,
            "visits", 1)), report(engine, "sources?dimension=utm_source&" + RANGE).get("sources"));
        assertEquals(List.of(row("source", "(none)", "visitors", 2, "visits", 2), row("source", "email", "visitors", 1,
            "visits", 1)), report(engine, "sources?dimension=utm_medium&" + RANGE).get("sources"));
        assertEquals(List.of(row("source", "(none)", "visitors", 3, "visits", 3)),
            report(engine, "sources?dimension=utm_campaign&" + RANGE).get("sources"));

        assertEquals(List.of(row("page", "/", "visitors", 2, "visits", 2), row("page", "/blog/a", "visitors", 1, "visits", 1)),
            report(engine, "entry_pages?" + RANGE).get("entry_pages"));
        assertEquals(List.of(row("page", "/blog/a", "visitors", 2, "exits", 2, "pageviews", 2, "exit_rate", new BigDecimal("100.00")),
            row("page", "/pricing", "visitors", 1, "exits", 1, "pageviews", 1, "exit_rate", new BigDecimal("100.00"))),
            report(engine, "exit_pages?" + RANGE).get("exit_pages"));
        final List<Object> none = new ArrayList<>();
        assertEquals(none, report(engine, "exit_pages?from=2026-02-11&to=2026-02-11").get("exit_pages"), "a day with no visits");
    }
}
