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
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plausible's Stats API v1 over the real server with the event store on. Each request is one of the examples of
 * Plausible's published reference, "Stats API v1 reference (legacy)" (plausible.io/docs/stats-api-v1, the
 * plausible/docs repository's docs/stats-api-v1.md), quoted above its test with the answer the page shows; the
 * figures come from a plain count over the events this test sent, the shapes from the page.
 */
class PlausibleStatsApiTest
{
    private static final String SITE = "shop.example";
    private static final String CHROME =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private static final String DOWNLOAD_GOAL = "{\"name\":\"Download\",\"kind\":\"micro\",\"weight\":1,\"type\":\"custom\","
        + "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Download\"}]}";
    private static final int VISITORS = 30;

    @TempDir
    static Path dataDir;
    private static StoreServedEngine served;
    private static TestEngine engine;
    private static LocalDate sentOn;
    private static final List<Sent> SENT = new ArrayList<>();

    /** One event sent: its visitor, type, page, the visit's source and a download's method. */
    record Sent(int visitor, String type, String page, String source, String method)
    {
    }

    @BeforeAll
    static void send() throws Exception
    {
        served = new StoreServedEngine(dataDir);
        engine = served.engine();
        assertEquals(201, engine.call("POST", "/api/v1/sites/shop.example/goals", DOWNLOAD_GOAL, served.admin()).status());
        sentOn = LocalDate.now(ZoneOffset.UTC);
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int visitor = 0; visitor < VISITORS; visitor++)
            {
                final String source = visitor % 3 == 0 ? "google" : visitor % 3 == 1 ? "news.ycombinator.com" : "(direct)";
                final String landing = visitor % 2 == 0 ? "/" : "/blog/open-source-licenses";
                final String url = "https://shop.example" + landing + (visitor % 3 == 0 ? "?utm_source=Google" : "");
                send(http, new Sent(visitor, "pageview", landing, source, null), "{\"t\":\"p\",\"u\":\"" + url + "\""
                    + (visitor % 3 == 1 ? ",\"r\":\"https://news.ycombinator.com/item?id=1\"" : "") + "}");
                if (visitor % 4 == 0)
                {
                    send(http, new Sent(visitor, "pageview", "/order/confirmation", source, null),
                        "{\"t\":\"p\",\"u\":\"https://shop.example/order/confirmation\"}");
                }
                if (visitor % 5 < 2)
                {
                    final String method = visitor % 5 == 0 ? "HTTP" : "Magnet";
                    send(http, new Sent(visitor, "custom", "/download", source, method), "{\"t\":\"e\",\"n\":\"Download\","
                        + "\"u\":\"https://shop.example/download\",\"mk\":[\"method\"],\"mv\":[\"" + method + "\"]}");
                }
            }
        }
        served.awaitSealed();
    }

    private static void send(final RawHttp http, final Sent sent, final String body) throws IOException
    {
        served.send(http, sent.visitor(), CHROME, body);
        SENT.add(sent);
    }

    @AfterAll
    static void stop()
    {
        served.close();
    }

    /**
     * <pre>
     * curl "https://plausible.io/api/v1/stats/aggregate?site_id=$SITE_ID&amp;period=6mo&amp;metrics=visitors,pageviews,bounce_rate,visit_duration"
     * {"results": {"bounce_rate": {"value": 53.0}, "pageviews": {"value": 673814}, "visit_duration": {"value": 86.0},
     *              "visitors": {"value": 201524}}}
     * </pre>
     * Bounce rate and visit duration are checked against the rollups' KPIs over the same events.
     */
    @Test
    void aggregate() throws IOException
    {
        final Map<String, Object> results = results("aggregate?site_id=" + SITE + "&period=6mo&metrics=visitors,pageviews,bounce_rate,visit_duration");
        assertEquals(Set.of("visitors", "pageviews", "bounce_rate", "visit_duration"), results.keySet());
        assertEquals(VISITORS, value(results, "visitors"));
        assertEquals(SENT.stream().filter(sent -> sent.type().equals("pageview")).count(), value(results, "pageviews"));
        final long bounced = SENT.stream().collect(Collectors.groupingBy(Sent::visitor, Collectors.counting())).values().stream()
            .filter(events -> events == 1).count();
        assertEquals(Math.round(100.0 * bounced / VISITORS), value(results, "bounce_rate"));
        final Map<String, Object> kpis = engine.stats(SITE, "kpis?from=" + sentOn.minusDays(1) + "&to=" + sentOn.plusDays(1));
        assertEquals(((Number)kpis.get("visit_duration")).longValue(), value(results, "visit_duration"));
        assertEquals(new BigDecimal(kpis.get("bounce_rate").toString()).setScale(0, RoundingMode.HALF_UP).longValue(),
            value(results, "bounce_rate"));
    }

    /**
     * <pre>
     * curl "https://plausible.io/api/v1/stats/timeseries?site_id=$SITE_ID&amp;period=6mo"
     * {"results": [{"date": "2020-08-01", "visitors": 36085}, {"date": "2020-09-01", "visitors": 27688}, ...,
     *              {"date": "2021-01-01", "visitors": 0}]}
     * </pre>
     */
    @Test
    void timeseries() throws IOException
    {
        final List<?> points = list("timeseries?site_id=" + SITE + "&period=6mo");
        assertEquals(6, points.size(), "a point per calendar month");
        final Map<?, ?> last = (Map<?, ?>)points.get(5);
        assertEquals(sentOn.withDayOfMonth(1).toString(), last.get("date"));
        assertEquals(Set.of("date", "visitors"), last.keySet());
        assertEquals(VISITORS, ((Number)last.get("visitors")).longValue());
        assertEquals(sentOn.withDayOfMonth(1).minusMonths(5).toString(), ((Map<?, ?>)points.get(0)).get("date"));
        assertEquals(0L, ((Number)((Map<?, ?>)points.get(0)).get("visitors")).longValue());
    }

    /**
     * <pre>
     * curl "https://plausible.io/api/v1/stats/breakdown?site_id=$SITE_ID&amp;period=6mo&amp;property=visit:source&amp;metrics=visitors,bounce_rate&amp;limit=5"
     * {"results": [{"bounce_rate": 49.0, "source": "(Direct / None)", "visitors": 94932},
     *              {"bounce_rate": 75.0, "source": "Hacker News", "visitors": 22540}, ...]}
     * </pre>
     * Tally names a source by its domain (or {@code utm_source}), not Plausible's names: docs/plausible.md.
     */
    @Test
    void breakdownBySource() throws IOException
    {
        final List<?> rows = list("breakdown?site_id=" + SITE + "&period=6mo&property=visit:source&metrics=visitors,bounce_rate&limit=5");
        final Map<String, String> expected = new LinkedHashMap<>();
        for (final String source : List.of("(direct)", "google", "news.ycombinator.com"))
        {
            final Set<Integer> visitors = SENT.stream().filter(s -> s.source().equals(source)).map(Sent::visitor).collect(Collectors.toSet());
            final long bounced = visitors.stream().filter(v -> SENT.stream().filter(s -> s.visitor() == v).count() == 1).count();
            expected.put(source, visitors.size() + " " + Math.round(100.0 * bounced / visitors.size()));
        }
        assertEquals(expected, rows.stream().map(row -> (Map<?, ?>)row).collect(Collectors.toMap(row -> (String)row.get("source"),
            row -> row.get("visitors") + " " + row.get("bounce_rate"), (a, b) -> a, LinkedHashMap::new)).entrySet().stream()
            .sorted(Map.Entry.comparingByKey()).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                LinkedHashMap::new)));
        assertEquals(Set.of("source", "visitors", "bounce_rate"), ((Map<?, ?>)rows.get(0)).keySet());
    }

    /**
     * <pre>
     * curl "https://plausible.io/api/v1/stats/breakdown?site_id=$SITE_ID&amp;period=6mo&amp;property=event:page&amp;limit=5"
     * {"results": [{"page": "/", "visitors": 94298}, {"page": "/blog/open-source-licenses", "visitors": 18803}, ...]}
     * </pre>
     */
    @Test
    void topPages() throws IOException
    {
        final List<?> rows = list("breakdown?site_id=" + SITE + "&period=6mo&property=event:page&limit=5");
        final Map<String, Long> expected = SENT.stream().collect(Collectors.groupingBy(Sent::page,
            Collectors.collectingAndThen(Collectors.mapping(Sent::visitor, Collectors.toSet()), set -> (long)set.size())));
        assertEquals(expected, rows.stream().map(row -> (Map<?, ?>)row).collect(Collectors.toMap(row -> (String)row.get("page"),
            row -> ((Number)row.get("visitors")).longValue())));
        final List<Long> visitors = rows.stream().map(row -> ((Number)((Map<?, ?>)row).get("visitors")).longValue()).toList();
        assertEquals(visitors.stream().sorted(java.util.Comparator.reverseOrder()).toList(), visitors, "most visitors first");
        assertEquals(2, list("breakdown?site_id=" + SITE + "&period=6mo&property=event:page&limit=2").size(), "limit");
        assertEquals(rows.subList(2, 4), list("breakdown?site_id=" + SITE + "&period=6mo&property=event:page&limit=2&page=2"),
            "page 2 is the next two");
    }

    /**
     * <pre>
     * curl "https://plausible.io/api/v1/stats/aggregate?site_id=$SITE_ID&amp;period=6mo&amp;filters=event:page%3D%3D%2Forder%2Fconfirmation"
     * {"results": {"visitors": {"value": 1480}}}
     * </pre>
     */
    @Test
    void visitorsToASpecificPage() throws IOException
    {
        final Map<String, Object> results = results("aggregate?site_id=" + SITE + "&period=6mo&filters=event:page%3D%3D%2Forder%2Fconfirmation");
        assertEquals(Set.of("visitors"), results.keySet());
        assertEquals(count(sent -> sent.page().equals("/order/confirmation")), value(results, "visitors"));
    }

    /**
     * <pre>
     * curl "https://plausible.io/api/v1/stats/timeseries?site_id=$SITE_ID&amp;period=6mo&amp;filters=visit:source%3D%3DGoogle"
     * {"results": [{"date": "2020-09-01", "visitors": 2962}, ..., {"date": "2021-02-01", "visitors": 5802}]}
     * </pre>
     */
    @Test
    void monthlyTrafficFromGoogle() throws IOException
    {
        final List<?> points = list("timeseries?site_id=" + SITE + "&period=6mo&filters=visit:source%3D%3DGoogle");
        assertEquals(6, points.size());
        assertEquals(SENT.stream().filter(s -> s.source().equals("google")).map(Sent::visitor).distinct().count(),
            ((Number)((Map<?, ?>)points.get(5)).get("visitors")).longValue());
    }

    /**
     * <pre>
     * curl "https://plausible.io/api/v1/stats/breakdown?site_id=$SITE_ID&amp;period=6mo&amp;property=event:props:method&amp;filters=event:goal%3D%3DDownload"
     * {"results": [{"method": "HTTP", "visitors": 1477}, {"method": "Magnet", "visitors": 370}]}
     * </pre>
     */
    @Test
    void breakdownOfDownloadMethods() throws IOException
    {
        final List<?> rows = list("breakdown?site_id=" + SITE + "&period=6mo&property=event:props:method&filters=event:goal%3D%3DDownload");
        final List<String> expected = new ArrayList<>();
        SENT.stream().filter(s -> s.method() != null).collect(Collectors.groupingBy(Sent::method, Collectors.counting()))
            .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
            .forEach(entry -> expected.add(entry.getKey() + "=" + entry.getValue()));
        assertEquals(expected, rows.stream().map(row -> (Map<?, ?>)row).map(row -> row.get("method") + "=" + row.get("visitors")).toList());
    }

    /** The conversion rate under a goal filter: the goal's visitors over all visitors of the filter without the goal. */
    @Test
    void conversionRateAndComparison() throws IOException
    {
        final Map<String, Object> results = results("aggregate?site_id=" + SITE
            + "&period=6mo&metrics=visitors,conversion_rate,events&compare=previous_period&filters=event:goal%3D%3DDownload");
        final long converting = SENT.stream().filter(s -> s.method() != null).map(Sent::visitor).distinct().count();
        assertEquals(converting, value(results, "visitors"));
        assertEquals(BigDecimal.valueOf(converting * 100).divide(BigDecimal.valueOf(VISITORS), 1, RoundingMode.HALF_UP),
            new BigDecimal(((Map<?, ?>)results.get("conversion_rate")).get("value").toString()));
        assertEquals(converting, value(results, "events"), "events: the goal's conversions, one a visitor here");
        assertEquals(100L, ((Number)((Map<?, ?>)results.get("visitors")).get("change")).longValue(), "nothing before: +100%");
        final List<?> goals = list("breakdown?site_id=" + SITE + "&period=6mo&property=event:goal&metrics=visitors,conversion_rate");
        assertEquals("[{goal=Download, visitors=" + converting + ", conversion_rate="
            + ((Map<?, ?>)results.get("conversion_rate")).get("value") + "}]", goals.toString(), "a goal breakdown: the same rate");
    }

    @Test
    void authorisationAndErrorsAreAsPlausiblesAndTallysOwnRoutesStay() throws IOException
    {
        final String path = "/api/v1/stats/aggregate?site_id=" + SITE;
        assertEquals(401, engine.call("GET", path, null, null).status());
        assertEquals(401, engine.call("GET", path, null, "not-a-token").status());
        assertEquals(401, engine.call("GET", "/api/v1/stats/aggregate?site_id=nobody.example", null, "not-a-token").status());
        assertEquals(401, engine.call("GET", "/api/v1/stats/aggregate?site_id=nobody.example", null, served.admin()).status(),
            "an unknown site: the same 401 as a site the token does not read");
        assertEquals(400, engine.call("GET", "/api/v1/stats/aggregate", null, served.admin()).status(), "no site_id");
        assertEquals(200, engine.call("GET", path, null, StoreServedEngine.READ_TOKEN).status(), "a read token of the site");
        assertEquals(401, engine.call("GET", path, null, StoreServedEngine.OTHER_READ_TOKEN).status(), "another site's read token");
        final RawHttp.Answer unknown = engine.call("GET", path + "&metrics=visitors,sessions", null, served.admin());
        assertEquals(400, unknown.status());
        assertTrue(((String)Json.parseObject(unknown.body()).get("error")).startsWith("The metric `sessions` is not recognized."),
            unknown.body());
        final RawHttp.Answer rate = engine.call("GET", path + "&metrics=conversion_rate", null, served.admin());
        assertEquals(400, rate.status(), "a conversion rate needs a goal");
        final RawHttp.Answer filter = engine.call("GET", path + "&filters=visit:city%3D%3DBerlin", null, served.admin());
        assertEquals(400, filter.status());
        assertTrue(((String)Json.parseObject(filter.body()).get("error")).contains("unknown dimension \"visit:city\""), filter.body());
        assertEquals(400, engine.call("GET", "/api/v1/stats/breakdown?site_id=" + SITE, null, served.admin()).status(),
            "a breakdown needs a property");
        assertEquals(200, engine.call("GET", "/api/v1/stats/" + SITE + "/kpis", null, served.admin()).status(),
            "Tally's own reports: three segments");
    }

    private static Map<String, Object> results(final String path) throws IOException
    {
        return cast(call(path).get("results"));
    }

    private static List<?> list(final String path) throws IOException
    {
        return (List<?>)call(path).get("results");
    }

    private static Map<String, Object> call(final String path) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", "/api/v1/stats/" + path, null, served.admin());
        assertEquals(200, answer.status(), path + ": " + answer.body());
        return Json.parseObject(answer.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(final Object value)
    {
        return (Map<String, Object>)value;
    }

    private static long value(final Map<String, Object> results, final String metric)
    {
        return ((Number)((Map<?, ?>)results.get(metric)).get("value")).longValue();
    }

    private static long count(final Predicate<Sent> test)
    {
        return SENT.stream().filter(test).map(Sent::visitor).distinct().count();
    }
}
