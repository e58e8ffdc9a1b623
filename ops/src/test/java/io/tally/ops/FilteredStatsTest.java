package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filters on the stats reports over the real server, with the event store on beside the engine as {@code tally
 * serve --event-store true} composes them: beacons go over sockets, the test waits until the store has sealed them,
 * and every filtered figure is compared with a plain count over the events the test sent. Without filters the
 * rollups answer, and a filter that keeps everything gives the rollups' figures.
 */
class FilteredStatsTest
{
    private static final String[] LANDINGS = {"/", "/pricing", "/blog/tally", "/docs/start"};
    private static final String[] QUERIES = {"", "?utm_source=Newsletter&utm_campaign=spring", "?utm_medium=cpc"};
    private static final String[] REFERRERS = {null, "https://www.news.example/story", "https://search.example/?q=tally",
        null, "https://t.co/x"};
    private static final String[] PLANS = {"pro", "team", "free"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"};
    private static final String SIGNUP_GOAL = "{\"name\":\"Signup\",\"kind\":\"micro\",\"weight\":1,\"type\":\"custom\","
        + "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}";

    @TempDir
    static Path dataDir;
    private static TestEngine engine;
    private static StoreServedEngine served;
    private static String admin;
    private static String range;
    /** A time after the last event was sent, and one before the first. */
    private static long sentBy;
    private static long sendFrom;
    private static final List<Sent> SENT = new ArrayList<>();

    /** One event the test sent, as it sent it. */
    record Sent(int visitor, String type, String name, String path, String landing, String referrer, String plan, String browser)
    {
    }

    @BeforeAll
    static void sendAndSeal() throws Exception
    {
        served = new StoreServedEngine(dataDir);
        engine = served.engine();
        admin = engine.engine().adminToken().value();
        assertEquals(201, engine.call("POST", "/api/v1/sites/shop.example/goals", SIGNUP_GOAL, admin).status());
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        range = "from=" + today.minusDays(1) + "&to=" + today.plusDays(1);
        sendFrom = System.currentTimeMillis();
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int visitor = 0; visitor < 24; visitor++)
            {
                sendVisit(http, visitor);
            }
        }
        sentBy = System.currentTimeMillis();
        served.awaitSealed();
    }

    /** A visit: a landing pageview, more pages, and a Signup with a plan or a Download for some. */
    private static void sendVisit(final RawHttp http, final int visitor) throws IOException
    {
        final String landing = LANDINGS[visitor % LANDINGS.length];
        final String referrer = REFERRERS[visitor % REFERRERS.length];
        final String url = "https://shop.example" + landing + QUERIES[visitor % QUERIES.length];
        send(http, visitor, new Sent(visitor, "pageview", "pageview", landing, url, referrer, null, null),
            "{\"t\":\"p\",\"u\":\"" + url + "\"" + (referrer == null ? "" : ",\"r\":\"" + referrer + "\"") + "}");
        if (visitor % 2 == 0)
        {
            sendPage(http, visitor, landing, url, referrer, "/pricing");
        }
        if (visitor % 3 == 0)
        {
            sendPage(http, visitor, landing, url, referrer, "/pricing/team");
        }
        if (visitor % 4 != 3)
        {
            final String plan = PLANS[visitor % PLANS.length];
            send(http, visitor, new Sent(visitor, "custom", "Signup", "/signup", url, referrer, plan, null),
                "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/signup\",\"mk\":[\"plan\"],\"mv\":[\"" + plan + "\"]}");
        }
        if (visitor % 5 == 0)
        {
            send(http, visitor, new Sent(visitor, "custom", "Download", "/docs/start", url, referrer, null, null),
                "{\"t\":\"e\",\"n\":\"Download\",\"u\":\"https://shop.example/docs/start\"}");
        }
    }

    private static void sendPage(final RawHttp http, final int visitor, final String landing, final String url,
        final String referrer, final String page) throws IOException
    {
        send(http, visitor, new Sent(visitor, "pageview", "pageview", page, url, referrer, null, null),
            "{\"t\":\"p\",\"u\":\"https://shop.example" + page + "\"}");
    }

    private static void send(final RawHttp http, final int visitor, final Sent sent, final String body) throws IOException
    {
        final String agent = AGENTS[visitor % AGENTS.length];
        served.send(http, visitor, agent, body);
        SENT.add(new Sent(sent.visitor(), sent.type(), sent.name(), sent.path(), sent.landing(), sent.referrer(), sent.plan(),
            agent.contains("Firefox") ? "Firefox" : "Chrome"));
    }

    @AfterAll
    static void stop()
    {
        served.close();
    }

    @Test
    void kpisUnderAnEventFilterCountTheMatchingEvents() throws IOException
    {
        final Map<String, Object> kpis = stats("kpis", "event:page==/pricing/*|/docs/*");
        final List<Sent> kept = kept(sent -> sent.path().startsWith("/pricing/") || sent.path().startsWith("/docs/"));
        assertEquals((long)visitors(kept), number(kpis, "visitors"));
        assertEquals(kept.stream().filter(s -> s.type().equals("pageview")).count(), number(kpis, "pageviews"));
        assertEquals(kept.stream().filter(s -> !s.type().equals("pageview")).count(), number(kpis, "events"));
        assertEquals((long)visitors(kept), number(kpis, "visits"), "one visit a visitor: every event came within seconds");
        assertTrue(visitors(kept) > 0 && visitors(kept) < 24 && number(kpis, "events") > 0);
    }

    @Test
    void visitAndEventClausesTogether() throws IOException
    {
        final Map<String, Object> kpis = stats("kpis", "visit:source==news.example;event:name==Signup;event:props:plan!=free");
        final List<Sent> kept = kept(sent -> source(sent).equals("news.example") && sent.name().equals("Signup")
            && !"free".equals(sent.plan()));
        assertEquals((long)visitors(kept), number(kpis, "visitors"));
        assertEquals((long)kept.size(), number(kpis, "events"));
        assertTrue(!kept.isEmpty());
        final Map<String, Object> campaign = stats("kpis", "visit:utm_campaign==Spring;visit:browser==Firefox");
        assertEquals((long)visitors(kept(sent -> sent.landing().contains("utm_campaign=spring") && sent.browser().equals("Firefox"))),
            number(campaign, "visitors"));
    }

    @Test
    void aGoalFiltersConversionRateIsOverTheVisitorsOfTheFilterWithoutTheGoal() throws IOException
    {
        final Map<String, Object> kpis = stats("kpis", "event:goal==Signup;visit:entry_page!=/");
        final Predicate<Sent> entry = sent -> !sent.landing().startsWith("https://shop.example/?") && !sent.landing().equals("https://shop.example/");
        final int converting = visitors(kept(entry.and(sent -> sent.name().equals("Signup"))));
        final int denominator = visitors(kept(entry));
        assertEquals((long)converting, number(kpis, "visitors"));
        assertEquals((long)denominator, number(kpis, "conversion_rate_visitors"));
        assertEquals(new BigDecimal(converting * 100).divide(new BigDecimal(denominator), 2, java.math.RoundingMode.HALF_UP),
            new BigDecimal(kpis.get("conversion_rate").toString()));
        assertTrue(converting < denominator, "the rate is a real fraction: " + converting + "/" + denominator);

        final Map<?, ?> signup = (Map<?, ?>)((List<?>)stats("goals", "visit:browser==Chrome").get("goals")).get(0);
        final Predicate<Sent> chrome = sent -> sent.browser().equals("Chrome");
        assertEquals((long)visitors(kept(chrome.and(sent -> sent.name().equals("Signup")))), ((Number)signup.get("visitors")).longValue());
        assertEquals(new BigDecimal(visitors(kept(chrome.and(sent -> sent.name().equals("Signup")))) * 100)
            .divide(new BigDecimal(visitors(kept(chrome))), 2, java.math.RoundingMode.HALF_UP), new BigDecimal(signup.get("conversion_rate").toString()));
    }

    @Test
    void breakdownReportsUnderAFilter() throws IOException
    {
        final List<?> pages = (List<?>)stats("pages", "event:props:plan==pro|team|free;visit:source!=(direct)").get("pages");
        final List<Sent> kept = kept(sent -> sent.plan() != null && !source(sent).equals("(direct)"));
        assertEquals(1, pages.size(), "only the signup page had events with a plan: " + pages);
        assertEquals((long)visitors(kept), ((Number)((Map<?, ?>)pages.get(0)).get("visitors")).longValue());

        final List<?> sources = (List<?>)stats("sources", "event:page==/pricing").get("sources");
        final Map<String, Long> expected = kept(sent -> sent.path().equals("/pricing")).stream()
            .collect(Collectors.groupingBy(FilteredStatsTest::referrerDomain, Collectors.mapping(Sent::visitor,
                Collectors.collectingAndThen(Collectors.toSet(), set -> (long)set.size()))));
        assertEquals(expected, sources.stream().map(row -> (Map<?, ?>)row)
            .collect(Collectors.toMap(row -> (String)row.get("source"), row -> ((Number)row.get("visitors")).longValue())));

        final List<?> browsers = (List<?>)stats("browsers", "event:name==Download").get("browsers");
        final long firefox = visitors(kept(sent -> sent.name().equals("Download") && sent.browser().equals("Firefox")));
        final long chrome = visitors(kept(sent -> sent.name().equals("Download") && sent.browser().equals("Chrome")));
        assertEquals(Set.of("Chrome=" + chrome, "Firefox=" + firefox), browsers.stream().map(row -> (Map<?, ?>)row)
            .map(row -> row.get("browser") + "=" + row.get("visitors")).collect(Collectors.toSet()));

        final List<?> points = (List<?>)stats("timeseries", "event:name==Signup").get("points");
        assertEquals((long)visitors(kept(sent -> sent.name().equals("Signup"))), points.stream()
            .mapToLong(point -> ((Number)((Map<?, ?>)point).get("value")).longValue()).sum());
    }

    @Test
    void aFilterKeepingEverythingGivesTheRollupsFigures() throws IOException
    {
        final Map<String, Object> rollups = engine.stats("shop.example", "kpis?" + range);
        final Map<String, Object> store = stats("kpis", "event:name!=nothing-is-called-this");
        for (final String figure : List.of("visitors", "pageviews", "events", "sessions", "visits", "bounce_rate", "views_per_visit",
            "conversions"))
        {
            assertEquals(rollups.get(figure).toString(), store.get(figure).toString(), figure);
        }
        assertEquals(SENT.stream().filter(s -> s.type().equals("custom")).count(), number(rollups, "events"),
            "the rollups answer without filters, as before");
    }

    @Test
    void badFiltersAreA400NamingTheClauseAndCounted() throws IOException
    {
        final RawHttp.Answer answer = get("kpis", "event:page==/a;visit:city==Berlin");
        assertEquals(400, answer.status());
        final Map<String, Object> error = Json.parseObject(answer.body());
        assertEquals("invalid_filters", error.get("error"));
        assertTrue(((String)error.get("detail")).startsWith("filter clause 2 \"visit:city==Berlin\": unknown dimension"), answer.body());
        assertTrue(metrics().contains("tally_filtered_requests_total{outcome=\"invalid\"} "), "counted");
        for (final String report : List.of("sessions", "realtime"))
        {
            final RawHttp.Answer bad = engine.call("GET", "/api/v1/stats/shop.example/" + report + "?filters=event:name%3Da", null, admin);
            assertEquals(400, bad.status(), report);
            assertEquals("invalid_filters", Json.parseObject(bad.body()).get("error"), report);
        }
    }

    @Test
    void sessionsUnderAFilterAreTheSessionsWithAKeptEventWithAllTheirEvents() throws IOException
    {
        final Map<String, Object> body = Json.parseObject(sessions("event:name==Signup;event:props:plan==pro|team", "limit=100").body());
        final Set<Integer> visitors = kept(sent -> sent.name().equals("Signup") && !"free".equals(sent.plan())).stream()
            .map(Sent::visitor).collect(Collectors.toSet());
        final List<?> rows = (List<?>)body.get("sessions");
        assertEquals(visitors.size(), rows.size(), "one session a visitor with a kept event: " + body);
        assertTrue(visitors.size() > 3 && visitors.size() < 24);
        // each session lists all its events, kept or not, oldest first; only the kept Signup is marked kept
        assertEquals(visitors.stream().map(visitor -> kept(sent -> sent.visitor() == visitor).stream()
                .map(sent -> sent.type() + ":" + sent.path() + (sent.name().equals("Signup") ? ":kept" : "")).toList())
                .sorted(Comparator.comparing(Object::toString)).toList(),
            rows.stream().map(row -> ((List<?>)((Map<?, ?>)row).get("events")).stream().map(event -> (Map<?, ?>)event)
                .map(event -> event.get("type") + ":" + event.get("path") + (Boolean.TRUE.equals(event.get("kept")) ? ":kept" : ""))
                .toList()).sorted(Comparator.comparing(Object::toString)).toList());
        for (final Object row : rows)
        {
            assertEquals(((List<?>)((Map<?, ?>)row).get("events")).size(), ((Number)((Map<?, ?>)row).get("event_count")).intValue());
        }

        // the two latest: those of the last two visitors sent
        final List<?> latest = (List<?>)Json.parseObject(sessions("event:name==Signup;event:props:plan==pro|team", "limit=2").body())
            .get("sessions");
        assertEquals(rows.subList(0, 2), latest);
        final List<Integer> last = visitors.stream().sorted(Comparator.reverseOrder()).limit(2).toList();
        assertEquals(last.stream().map(visitor -> (long)kept(sent -> sent.visitor() == visitor).size()).toList(),
            latest.stream().map(row -> ((Number)((Map<?, ?>)row).get("event_count")).longValue()).toList());

        // converted=true: sessions that converted (Signup is a goal) among those with a /pricing view
        final List<?> converted = (List<?>)Json.parseObject(sessions("event:page==/pricing", "converted=true&limit=100").body())
            .get("sessions");
        assertEquals((long)visitors(kept(sent -> sent.name().equals("Signup") && kept(other -> other.visitor() == sent.visitor()
            && other.path().equals("/pricing")).size() > 0)), converted.size());
        assertTrue(converted.stream().allMatch(row -> Boolean.TRUE.equals(((Map<?, ?>)row).get("converted"))));
    }

    @Test
    void sessionsUnderAFilterKeepingEverythingAreTheJournalsSessions() throws IOException
    {
        final Map<String, Object> journal = engine.stats("shop.example", "sessions?" + range + "&limit=100");
        final List<?> store = (List<?>)Json.parseObject(sessions("event:name!=nothing-is-called-this", "limit=100").body())
            .get("sessions");
        final List<Object> withoutStoreFields = new ArrayList<>();
        for (final Object row : store)
        {
            final Map<String, Object> copy = new java.util.LinkedHashMap<>(Json.parseObject(Json.write(row)));
            copy.remove("event_count");
            final List<Object> events = new ArrayList<>();
            for (final Object event : (List<?>)copy.get("events"))
            {
                final Map<String, Object> plain = new java.util.LinkedHashMap<>(Json.parseObject(Json.write(event)));
                assertEquals(true, plain.remove("kept"));
                events.add(plain);
            }
            copy.put("events", events);
            withoutStoreFields.add(copy);
        }
        assertEquals(24, store.size());
        assertEquals(Json.write(journal.get("sessions")), Json.write(withoutStoreFields));
    }

    @Test
    void realtimeUnderAFilterCountsTheKeptEventsOfTheLastHalfHour() throws IOException
    {
        final Map<String, Object> journal = realtime(null);
        final Map<String, Object> everything = realtime("event:name!=nothing-is-called-this");
        for (final String figure : List.of("minutes", "events", "pageviews", "visitors"))
        {
            assertEquals(journal.get(figure).toString(), everything.get(figure).toString(), figure);
        }
        assertEquals((long)SENT.size(), number(everything, "events"));
        // every event was sent from sendFrom on: the minutes before hold none (the two answers' minutes may start apart)
        final List<?> minutes = (List<?>)everything.get("per_minute");
        final int firstMinute = (int)((sendFrom - (System.currentTimeMillis() - 30 * 60_000L)) / 60_000L);
        assertTrue(minutes.subList(0, Math.max(0, firstMinute)).stream().allMatch(m -> ((Number)m).longValue() == 0), minutes.toString());
        assertEquals((long)SENT.size(), minutes.stream().mapToLong(m -> ((Number)m).longValue()).sum());

        final Map<String, Object> pricing = realtime("event:page==/pricing*;visit:browser==Firefox");
        final List<Sent> kept = kept(sent -> sent.path().startsWith("/pricing") && sent.browser().equals("Firefox"));
        assertEquals((long)kept.size(), number(pricing, "events"));
        assertEquals(kept.stream().filter(sent -> sent.type().equals("pageview")).count(), number(pricing, "pageviews"));
        assertEquals((long)visitors(kept), number(pricing, "visitors"));
        assertEquals((long)kept.size(), ((List<?>)pricing.get("per_minute")).stream().mapToLong(m -> ((Number)m).longValue()).sum());
        assertTrue(!kept.isEmpty() && kept.size() < SENT.size());
        // the store held every record: the answer reaches the time of the request, after every event was sent
        assertTrue(!java.time.Instant.parse((String)pricing.get("through")).isBefore(java.time.Instant.ofEpochMilli(sentBy)),
            pricing.get("through") + " covers what was sent by " + java.time.Instant.ofEpochMilli(sentBy));
        assertEquals("event:page==/pricing*;visit:browser==Firefox", pricing.get("filters"));
    }

    @Test
    void withTheEventStoreOffAFilteredRequestIsA409AndCounted(@TempDir final Path otherDir) throws IOException
    {
        try (TestEngine off = TestEngine.start(otherDir))
        {
            final String token = off.engine().adminToken().value();
            final RawHttp.Answer answer = off.call("GET", "/api/v1/stats/shop.example/kpis?filters=event%3Aname%3D%3DSignup", null, token);
            assertEquals(409, answer.status());
            final Map<String, Object> error = Json.parseObject(answer.body());
            assertEquals("event_store_off", error.get("error"));
            assertTrue(((String)error.get("detail")).contains("--event-store true"), answer.body());
            assertEquals(200, off.call("GET", "/api/v1/stats/shop.example/kpis", null, token).status(), "unfiltered: the rollups");
            for (final String report : List.of("sessions", "realtime"))
            {
                final RawHttp.Answer refused = off.call("GET", "/api/v1/stats/shop.example/" + report + "?filters=event%3Aname%3D%3DSignup",
                    null, token);
                assertEquals(409, refused.status(), report);
                assertEquals("event_store_off", Json.parseObject(refused.body()).get("error"), report);
                assertEquals(200, off.call("GET", "/api/v1/stats/shop.example/" + report, null, token).status(), report + " unfiltered");
            }
            assertTrue(off.call("GET", "/metrics", null, null).body().contains("tally_filtered_requests_total{outcome=\"event_store_off\"} 3.0"));
        }
    }

    private static Map<String, Object> stats(final String report, final String filters) throws IOException
    {
        final RawHttp.Answer answer = get(report, filters);
        assertEquals(200, answer.status(), report + " " + filters + ": " + answer.body());
        return Json.parseObject(answer.body());
    }

    private static RawHttp.Answer get(final String report, final String filters) throws IOException
    {
        return engine.call("GET", "/api/v1/stats/shop.example/" + report + "?" + range + "&filters="
            + URLEncoder.encode(filters, StandardCharsets.UTF_8), null, admin);
    }

    private static RawHttp.Answer sessions(final String filters, final String more) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", "/api/v1/stats/shop.example/sessions?" + range + "&" + more + "&filters="
            + URLEncoder.encode(filters, StandardCharsets.UTF_8), null, admin);
        assertEquals(200, answer.status(), answer.body());
        return answer;
    }

    /** The realtime report, with {@code filters} unless null. */
    private static Map<String, Object> realtime(final String filters) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", "/api/v1/stats/shop.example/realtime" + (filters == null ? ""
            : "?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8)), null, admin);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    private static String metrics() throws IOException
    {
        return engine.call("GET", "/metrics", null, null).body();
    }

    private static List<Sent> kept(final Predicate<Sent> test)
    {
        return SENT.stream().filter(test).toList();
    }

    private static int visitors(final List<Sent> events)
    {
        return (int)events.stream().map(Sent::visitor).distinct().count();
    }

    private static long number(final Map<String, Object> body, final String key)
    {
        return ((Number)body.get(key)).longValue();
    }

    /** The visit's source: its landing page's utm_source, else the referrer's domain, else (direct). */
    private static String source(final Sent sent)
    {
        if (sent.landing().contains("utm_source=Newsletter"))
        {
            return "newsletter";
        }
        return referrerDomain(sent);
    }

    private static String referrerDomain(final Sent sent)
    {
        return sent.referrer() == null ? "(direct)" : java.net.URI.create(sent.referrer()).getHost().replaceFirst("^www\\.", "");
    }
}
