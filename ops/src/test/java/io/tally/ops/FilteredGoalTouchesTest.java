package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A goal's time to conversion and first-touch sources under filters, over the real server with the event store on:
 * trusted events with known times go in over a socket, and the filtered figures are compared with a brute-force
 * computation over the events the test sent (the rollups' definitions: from the visitor's first event of its UTC day,
 * by that event's source), and, under a filter that keeps everything, with the rollups' own figures. The site is in
 * Tokyo, so the queried day starts at 15:00 UTC: many visitors' first events lie before the range, in their UTC day.
 */
class FilteredGoalTouchesTest
{
    private static final String SITE = "tokyo.example";
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    private static final long MINUTE = 60_000L;
    private static final String[] REFERRERS = {"", "https://www.news.example/story", "https://search.example/?q=tally",
        "https://t.co/x", "https://News.Example/other"};
    private static final String[] QUERIES = {"", "?utm_source=Mail", "?utm_source=ads&utm_medium=cpc", "?utm_source=mail"};
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    private static final String GOAL = "{\"name\":\"Signup\",\"kind\":\"micro\",\"weight\":1,\"type\":\"custom\",\"fire\":\"always\","
        + "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}";
    private static final String EVERYTHING = "event:name!=nothing-is-called-this";

    @TempDir
    static Path dataDir;
    private static StoreServedEngine served;
    private static TestEngine engine;
    private static String admin;
    private static LocalDate day;
    private static long fromMillis;
    private static long toMillis;
    /** The events sent, in the order they were sent (the journal's). */
    private static final List<Sent> SENT = new ArrayList<>();

    /** One event: its visitor key, time, and for a pageview its URL and referrer, for a Signup its plan. */
    record Sent(String vid, long time, String url, String referrer, String plan)
    {
        boolean signup()
        {
            return plan != null;
        }

        LocalDate utcDay()
        {
            return LocalDate.ofEpochDay(Math.floorDiv(time, 86_400_000L));
        }
    }

    @BeforeAll
    static void sendAndSeal() throws Exception
    {
        served = new StoreServedEngine(dataDir, List.of(new Site(SITE, List.of(), ZONE.getId())));
        engine = served.engine();
        admin = served.admin();
        assertEquals(201, engine.call("POST", "/api/v1/sites/" + SITE + "/goals", GOAL, admin).status());
        // the Tokyo day D runs from 15:00 UTC of D - 1: its visitors of that UTC day began before it
        day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        fromMillis = day.atStartOfDay(ZONE).toInstant().toEpochMilli();
        toMillis = day.plusDays(1).atStartOfDay(ZONE).toInstant().toEpochMilli();
        final Random random = new Random(20261207);
        final List<Sent> events = new ArrayList<>();
        for (int visitor = 0; visitor < 80; visitor++)
        {
            // half on the UTC day before the range's (from 09:00: many begin before 15:00 and convert after), half on its own
            final long utcDay = day.minusDays(1 - visitor % 2).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            visit(random, "v" + visitor, visitor % 2 == 0 ? utcDay + 9 * 60 * MINUTE + random.nextInt(6 * 60) * MINUTE
                : utcDay + random.nextInt(20 * 60) * MINUTE, events);
        }
        events.sort(Comparator.comparingLong(Sent::time));
        SENT.addAll(events);
        final String body = SENT.stream().map(FilteredGoalTouchesTest::line).collect(Collectors.joining("\n")) + "\n";
        final RawHttp.Answer answer = engine.call("POST", "/api/v1/events", body, engine.siteToken(SITE, admin));
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.body().contains("\"accepted\":" + SENT.size()), answer.body());
        served.awaitSealed();
    }

    /**
     * A visitor's UTC day: a first visit from one source (a Signup in it for some), a later visit from another with
     * one or two Signups; some never sign up.
     */
    private static void visit(final Random random, final String vid, final long start, final List<Sent> into)
    {
        final long first = start + random.nextInt(60_000);
        into.add(new Sent(vid, first, "https://" + SITE + "/landing" + QUERIES[random.nextInt(QUERIES.length)],
            REFERRERS[random.nextInt(REFERRERS.length)], null));
        if (vid.hashCode() % 7 == 3)
        {
            return;
        }
        if (random.nextInt(3) == 0)
        {
            into.add(new Sent(vid, first + 2 * MINUTE + random.nextInt(60_000), "https://" + SITE + "/join", "", plan(random)));
        }
        final long second = first + (40 + random.nextInt(130)) * MINUTE;
        into.add(new Sent(vid, second, "https://" + SITE + "/pricing" + QUERIES[random.nextInt(QUERIES.length)],
            REFERRERS[random.nextInt(REFERRERS.length)], null));
        final long signup = second + (1 + random.nextInt(9)) * MINUTE + random.nextInt(60_000);
        into.add(new Sent(vid, signup, "https://" + SITE + "/join", "", plan(random)));
        if (random.nextInt(4) == 0)
        {
            into.add(new Sent(vid, signup + 30_000, "https://" + SITE + "/join", "", plan(random)));
        }
    }

    private static String plan(final Random random)
    {
        return random.nextBoolean() ? "pro" : "team";
    }

    private static String line(final Sent sent)
    {
        final String common = "\"ts\":" + sent.time() + ",\"vid\":\"" + sent.vid() + "\",\"ua\":" + Json.write(AGENT);
        if (sent.signup())
        {
            return "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"" + sent.url() + "\",\"mk\":[\"plan\"],\"mv\":[\"" + sent.plan() + "\"],"
                + common + "}";
        }
        return "{\"t\":\"p\",\"u\":\"" + sent.url() + "\"" + (sent.referrer().isEmpty() ? "" : ",\"r\":\"" + sent.referrer() + "\"")
            + "," + common + "}";
    }

    @AfterAll
    static void stop()
    {
        served.close();
    }

    @Test
    void theTestsVisitorsBeganBeforeTheRangeAndCameBackFromElsewhere()
    {
        final List<Sent> conversions = conversions(sent -> true);
        assertTrue(conversions.size() > 20, "conversions in the range: " + conversions.size());
        assertTrue(conversions.stream().filter(sent -> first(sent).time() < fromMillis).count() > 5,
            "many conversions' visitors began before the range, where a query of the range alone does not read");
        assertNotEquals(percentiles(conversions, sent -> first(sent).time()), percentiles(conversions, FilteredGoalTouchesTest::firstInRange),
            "timing from the first event in the range would give other figures");
        assertNotEquals(bySource(conversions, "referrer"), bySource(conversions, sent -> referrerDomain(firstInRangeEvent(sent))),
            "the first source in the range would give other figures");
    }

    @Test
    void underAFilterKeepingEverythingTheFiguresAreTheRollupsAndTheBruteForces() throws IOException
    {
        final List<Sent> conversions = conversions(sent -> true);
        final Map<String, Object> rollups = signup(engine.stats(SITE, "goals?" + range()));
        final Map<String, Object> store = signup(stats("goals", EVERYTHING, ""));
        assertEquals(expectedTime(conversions), store.get("time_to_conversion"));
        assertEquals(rollups.get("time_to_conversion"), store.get("time_to_conversion"), "the rollups' figures");
        assertEquals(rollups.get("conversions"), store.get("conversions"));
        for (final String dimension : List.of("referrer", "utm_source"))
        {
            final String report = "sources?goal=Signup&touch=first&dimension=" + dimension;
            final List<?> fromStore = (List<?>)stats("sources", EVERYTHING, "&goal=Signup&touch=first&dimension=" + dimension).get("sources");
            assertEquals(bySource(conversions, dimension), fromStore, dimension);
            assertEquals(engine.stats(SITE, report + "&" + range()).get("sources"), fromStore, dimension + ": the rollups' rows");
        }
    }

    @Test
    void underAnEventFilterTheKeptConversionsAreTimedAndAttributedByTheirVisitorsFirstEvent() throws IOException
    {
        final List<Sent> conversions = conversions(sent -> sent.plan().equals("pro"));
        assertTrue(conversions.size() > 10 && conversions.size() < conversions(sent -> true).size());
        final Map<String, Object> store = signup(stats("goals", "event:props:plan==pro", ""));
        assertEquals(expectedTime(conversions), store.get("time_to_conversion"));
        assertEquals((long)conversions.size(), ((Number)store.get("conversions")).longValue());
        for (final String dimension : List.of("referrer", "utm_source"))
        {
            final Map<String, Object> body = stats("sources", "event:props:plan==pro", "&goal=Signup&touch=first&dimension=" + dimension);
            assertEquals("first", body.get("touch"));
            assertEquals(bySource(conversions, dimension), body.get("sources"), dimension);
        }
        final List<?> two = (List<?>)stats("sources", "event:props:plan==pro", "&goal=Signup&touch=first&limit=2").get("sources");
        assertEquals(bySource(conversions, "referrer").subList(0, 2), two, "limit");
        final Map<String, Object> none = signup(stats("goals", "event:props:plan==nobody", ""));
        assertEquals(Map.of("p50_seconds", new BigDecimal("0.0"), "p90_seconds", new BigDecimal("0.0")), none.get("time_to_conversion"),
            "no conversion kept: 0.0, as the rollups give a goal without conversions");
    }

    /** The Signups in the range that {@code kept} keeps (every Signup converts: the goal fires always). */
    private static List<Sent> conversions(final Predicate<Sent> kept)
    {
        return SENT.stream().filter(sent -> sent.signup() && sent.time() >= fromMillis && sent.time() < toMillis && kept.test(sent))
            .toList();
    }

    /** The first event (in the order sent) of the conversion's visitor in its UTC day: visitor ids are daily. */
    private static Sent first(final Sent conversion)
    {
        return SENT.stream().filter(sent -> sent.vid().equals(conversion.vid()) && sent.utcDay().equals(conversion.utcDay()))
            .findFirst().orElseThrow();
    }

    private static Sent firstInRangeEvent(final Sent conversion)
    {
        return SENT.stream().filter(sent -> sent.vid().equals(conversion.vid()) && sent.utcDay().equals(conversion.utcDay())
            && sent.time() >= fromMillis).findFirst().orElseThrow();
    }

    private static long firstInRange(final Sent conversion)
    {
        return firstInRangeEvent(conversion).time();
    }

    /** The 50th and 90th percentiles of the times to conversion, as the rollups keep them (HdrHistogram, 3 digits). */
    private static List<Long> percentiles(final List<Sent> conversions, final Function<Sent, Long> firstTime)
    {
        final Histogram histogram = new Histogram(3);
        histogram.setAutoResize(true);
        conversions.forEach(sent -> histogram.recordValue(Math.max(0, sent.time() - firstTime.apply(sent))));
        return List.of(histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90));
    }

    private static Map<String, Object> expectedTime(final List<Sent> conversions)
    {
        final List<Long> millis = percentiles(conversions, sent -> first(sent).time());
        // the report writes seconds as a double; JSON numbers are read back as exact decimals of that text
        return Map.of("p50_seconds", new BigDecimal(Double.toString(millis.get(0) / 1000.0)), "p90_seconds",
            new BigDecimal(Double.toString(millis.get(1) / 1000.0)));
    }

    private static List<Map<String, Object>> bySource(final List<Sent> conversions, final String dimension)
    {
        return bySource(conversions, dimension.equals("referrer") ? sent -> referrerDomain(first(sent))
            : sent -> utmSource(first(sent)));
    }

    /** Conversions by {@code source}, most first, then by source, as rows of the sources report. */
    private static List<Map<String, Object>> bySource(final List<Sent> conversions, final Function<Sent, String> source)
    {
        final Map<String, Long> counts = new HashMap<>();
        conversions.forEach(sent -> counts.merge(source.apply(sent), 1L, Long::sum));
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()))
            .map(entry -> Map.<String, Object>of("source", entry.getKey(), "conversions", BigDecimal.valueOf(entry.getValue()))).toList();
    }

    private static String referrerDomain(final Sent sent)
    {
        return sent.referrer().isEmpty() ? "(direct)" : URI.create(sent.referrer()).getHost().toLowerCase(Locale.ROOT)
            .replaceFirst("^www\\.", "");
    }

    private static String utmSource(final Sent sent)
    {
        final int at = sent.url().indexOf("utm_source=");
        return at < 0 ? "(none)" : sent.url().substring(at + "utm_source=".length()).split("&")[0].toLowerCase(Locale.ROOT);
    }

    private static String range()
    {
        return "from=" + day + "&to=" + day;
    }

    private static Map<String, Object> signup(final Map<String, Object> goals)
    {
        return (Map<String, Object>)((List<?>)goals.get("goals")).stream().map(row -> (Map<?, ?>)row)
            .filter(row -> row.get("name").equals("Signup")).findFirst().orElseThrow();
    }

    private static Map<String, Object> stats(final String report, final String filters, final String more) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", "/api/v1/stats/" + SITE + "/" + report + "?" + range() + more + "&filters="
            + URLEncoder.encode(filters, StandardCharsets.UTF_8), null, admin);
        assertEquals(200, answer.status(), report + " " + filters + ": " + answer.body());
        return Json.parseObject(answer.body());
    }
}
