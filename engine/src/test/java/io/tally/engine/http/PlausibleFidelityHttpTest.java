package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request bodies of Plausible's own ingestion tests, POSTed to the real server over a socket: the answer, its
 * {@code Tally-Dropped} header and what the journal holds must be what Plausible records. The bodies and outcomes
 * are from plausible/analytics test/plausible/ingestion/request_test.exs (RT) and
 * test/plausible_web/controllers/api/external_controller_test.exs (EC), with the code they test,
 * lib/plausible/ingestion/request.ex. Each visitor gets its own address, so sessions do not run into each other.
 */
class PlausibleFidelityHttpTest
{
    @TempDir
    static Path dataDir;
    private static TestEngine engine;
    private static final AtomicInteger VISITOR = new AtomicInteger(1);

    @BeforeAll
    static void start()
    {
        engine = TestEngine.start(dataDir, b -> b.trustedProxies(io.tally.engine.identity.AddressRanges.parse(List.of("127.0.0.1")))
            .sites(List.of(site("dummy.site"), site("crash.site"), site("example.com"), site("test.com"))));
    }

    @AfterAll
    static void stop()
    {
        engine.close();
    }

    private static Site site(final String domain)
    {
        return new Site(domain, List.of(), "UTC");
    }

    /** A body, its answer and the records it journaled. */
    private record Sent(RawHttp.Answer answer, List<Map<String, Object>> records)
    {
        String dropped()
        {
            return answer.header("tally-dropped");
        }

        Map<String, Object> only()
        {
            assertEquals(1, records.size(), records::toString);
            return records.get(0);
        }
    }

    private static Sent post(final String body) throws IOException
    {
        return post(body, "198.51.100." + VISITOR.getAndIncrement());
    }

    private static Sent post(final String body, final String address) throws IOException
    {
        final int before = engine.dump().size();
        final RawHttp.Answer answer;
        try (RawHttp http = new RawHttp(engine.port()))
        {
            answer = http.exchange(RawHttp.post("/api/event", "text/plain", body.replace('\'', '"'),
                "X-Forwarded-For: " + address, "User-Agent: Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"));
        }
        final List<Map<String, Object>> all = engine.dump();
        return new Sent(answer, all.subList(before, all.size()));
    }

    private static void assertRefused(final Sent sent, final String code)
    {
        assertEquals(400, sent.answer().status(), sent.answer().body());
        assertEquals(code, Json.parseObject(sent.answer().body()).get("error"));
        assertTrue(sent.records().isEmpty(), "nothing of a refused body is journaled");
    }

    // RT "request can be built for multiple domains"; EC "can send to multiple dashboards by listing multiple domains"
    @Test
    void aDomainListRecordsTheEventOncePerSite() throws IOException
    {
        final Sent sent = post("{'n':'pageview','d':'dummy.site,crash.site','u':'http://dummy.site/index'}");
        assertEquals(202, sent.answer().status());
        assertNull(sent.dropped());
        assertEquals(2, sent.records().size());
        assertEquals("dummy.site", sent.records().get(0).get("site"));
        assertEquals("crash.site", sent.records().get(1).get("site"));
        assertEquals(sent.records().get(0).get("time"), sent.records().get(1).get("time"), "the same timestamp");
        assertEquals("/index", sent.records().get(1).get("path"));
    }

    @Test
    void listedDomainsThatAreNoSiteAreDroppedUnlessNoneIs() throws IOException
    {
        final Sent some = post("{'n':'pageview','d':' nobody.example , www.dummy.site,dummy.site,','u':'http://dummy.site/'}");
        assertEquals(202, some.answer().status());
        assertEquals("domain=2", some.dropped(), "the unknown one and the empty one; dummy.site twice is one site");
        assertEquals("dummy.site", some.only().get("site"));

        assertRefused(post("{'n':'pageview','d':'nobody.example,other.example','u':'http://dummy.site/'}"), "unknown_site");
        assertRefused(post("{'n':'pageview','d':'','u':'http://dummy.site/'}"), "unknown_site");
    }

    /** At most {@code DomainList.MAX_SITES} (10) sites per body: at the cap all are recorded, past it the rest dropped. */
    @Test
    void aListRecordsAtMostTenSites(@TempDir final Path otherDir) throws IOException
    {
        final List<Site> eleven = new java.util.ArrayList<>();
        final StringBuilder ten = new StringBuilder();
        for (int i = 1; i <= 11; i++)
        {
            eleven.add(site("s" + i + ".example"));
            ten.append(i == 1 ? "" : ",").append("s").append(i).append(".example");
        }
        try (TestEngine many = TestEngine.start(otherDir, b -> b.sites(eleven)); RawHttp http = new RawHttp(many.port()))
        {
            final String atCap = ten.substring(0, ten.lastIndexOf(","));
            final RawHttp.Answer tenSites = http.exchange(RawHttp.post("/api/event", "text/plain",
                "{\"n\":\"pageview\",\"u\":\"https://s1.example/\",\"d\":\"" + atCap + "\"}"));
            assertEquals(202, tenSites.status());
            assertNull(tenSites.header("tally-dropped"));
            assertEquals(10, many.dump().size());
            final RawHttp.Answer elevenSites = http.exchange(RawHttp.post("/api/event", "text/plain",
                "{\"n\":\"pageview\",\"u\":\"https://s1.example/\",\"d\":\"" + ten + "\"}"));
            assertEquals(202, elevenSites.status());
            assertEquals("domain=1", elevenSites.header("tally-dropped"));
            final List<Map<String, Object>> records = many.dump();
            assertEquals(20, records.size());
            assertFalse(records.stream().anyMatch(r -> "s11.example".equals(r.get("site"))), "the eleventh is dropped");
        }
    }

    /**
     * A listed site refused (here its monthly quota) after an earlier listed site's event was journaled: 202 with the
     * refusal reported, since a retry of a refused body would count the journaled event twice; refused first, the
     * body is refused.
     */
    @Test
    void aSiteRefusedAfterAnotherWasJournaledIsReportedNotRefused(@TempDir final Path otherDir) throws IOException
    {
        try (TestEngine two = TestEngine.start(otherDir, b -> b.sites(List.of(site("a.example"), site("b.example")))
            .quotas(Map.of("b.example", 1L))); RawHttp http = new RawHttp(two.port()))
        {
            final String both = "{\"n\":\"pageview\",\"u\":\"https://a.example/\",\"d\":\"a.example,b.example\"}";
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain", both)).status());
            final RawHttp.Answer partly = http.exchange(RawHttp.post("/api/event", "text/plain", both));
            assertEquals(202, partly.status());
            assertEquals("site_refused=1", partly.header("tally-dropped"));
            assertNull(partly.header("retry-after"));
            final RawHttp.Answer refused = http.exchange(RawHttp.post("/api/event", "text/plain",
                "{\"n\":\"pageview\",\"u\":\"https://a.example/\",\"d\":\"b.example,a.example\"}"));
            assertEquals(429, refused.status(), "b.example, first, is over its quota: nothing was journaled");
            final List<Map<String, Object>> records = two.dump();
            assertEquals(List.of("a.example", "b.example", "a.example"), records.stream().map(r -> r.get("site")).toList());
        }
    }

    // RT "request can be built with numeric event name"
    @Test
    void anIntegerNameIsStoredAsItsText() throws IOException
    {
        final Sent sent = post("{'n':404,'d':'dummy.site','u':'http://dummy.site/index'}");
        assertEquals(202, sent.answer().status());
        assertEquals("404", sent.only().get("name"));
        assertEquals("custom", sent.only().get("type"));
    }

    // request.ex put_props: m || meta || p || props; EC "casts custom props to string", "can send props stringified"
    @Test
    void propsUnderEachNameAndForm() throws IOException
    {
        assertEquals(Map.of("bool_test", "true", "number_test", "12"),
            post("{'name':'Signup','url':'http://example.com/','domain':'example.com','m':{'bool_test':true,'number_test':12}}")
                .only().get("props"));
        assertEquals(Map.of("a", "b"),
            post("{'name':'Signup','url':'http://example.com/','domain':'example.com','meta':'{\\'a\\':\\'b\\'}'}").only().get("props"));
        assertEquals(Map.of("number_test", "12"),
            post("{'name':'Signup','url':'http://example.com/','domain':'example.com','props':'{\\'number_test\\':12}'}")
                .only().get("props"));
    }

    // EC "filters out bad props" (in JSON: a nil key cannot be sent, so the false key holds the null), "ignores custom
    // prop with array value", "... map value", "... empty string value", "... nil value", "ignores malformed custom props"
    @Test
    void badPropsAreDroppedTheEventKept() throws IOException
    {
        final Sent sent = post("{'name':'Signup','url':'http://example.com/','domain':'example.com','props':{'false':null," +
            "'good':true,'      ':'    ','    ':'value','key':'    ','wat':['some-thing'],'foo':{'bar':'baz'},'e':''}}");
        assertEquals(202, sent.answer().status());
        assertEquals("prop_key=2, prop_value=5", sent.dropped());
        assertEquals(Map.of("good", "true"), sent.only().get("props"));

        final Sent malformed = post("{'name':'Signup','url':'http://example.com/','domain':'example.com','props':'\\'show-more:button\\''}");
        assertEquals("props_invalid=1", malformed.dropped());
        assertEquals(Map.of(), malformed.only().get("props"));
    }

    // EC "revenue values can be sent with minified keys", "does not fail when revenue value is invalid"; RT revenue cases
    @Test
    void revenueInEachFormAndAnInvalidOneDropped() throws IOException
    {
        assertEquals(Map.of("amount", "10.2", "currency", "USD"),
            post("{'n':'Payment','u':'http://example.com/','d':'example.com','$':'{\\'amount\\':10.2,\\'currency\\':\\'USD\\'}'}")
                .only().get("revenue"));
        assertEquals(Map.of("amount", "20.2", "currency", "EUR"),
            post("{'name':'pageview','domain':'dummy.site','url':'http://dummy.site/index.html','revenue':'{\\'amount\\':20.2,\\'currency\\':\\'EUR\\'}'}")
                .only().get("revenue"));
        assertEquals(Map.of("amount", "12.3", "currency", "USD"),
            post("{'name':'pageview','domain':'dummy.site','url':'http://dummy.site/','revenue':{'amount':'12.3','currency':'USD'}}")
                .only().get("revenue"));
        final Sent invalid = post("{'name':'Payment','url':'http://example.com/','domain':'example.com','revenue':{'amount':'1831d','currency':'ADSIE'}}");
        assertEquals(202, invalid.answer().status());
        assertEquals("revenue=1", invalid.dropped());
        assertNull(invalid.only().get("revenue"));
        assertEquals("Payment", invalid.only().get("name"));
    }

    // EC "URL is decoded", "decodes URL pathname, fragment and search", "trailing whitespace is removed",
    // "records hash when in hash mode", "does not record hash when hash mode is 0"; RT "pathname is set with hashMode"
    @Test
    void thePageIsStoredAsPlausibleStoresIt() throws IOException
    {
        final Sent decoded = post("{'name':'pageview','domain':'example.com','url':'http://www.example.com/opportunity/category/" +
            "%D8%AC%D9%88%D8%A7%D8%A6%D8%B2-%D9%88%D9%85%D8%B3%D8%A7%D8%A8%D9%82%D8%A7%D8%AA'}");
        assertEquals("/opportunity/category/\u062c\u0648\u0627\u0626\u0632-\u0648\u0645\u0633\u0627\u0628\u0642\u0627\u062a",
            decoded.only().get("path"));
        assertEquals("/path", post("{'name':'pageview','url':'http://www.example.com/path ','domain':'example.com'}").only().get("path"));
        final Sent search = post("{'n':'pageview','u':'https://test.com/%EF%BA%9D%EF%BB%AD?utm_source=%25balle%25','d':'test.com','h':1}");
        assertEquals("https://test.com/\uFE9D\uFEED?utm_source=%25balle%25", search.only().get("url"), "the query stays as sent");
        assertEquals("http://www.example.com/#page-a",
            post("{'n':'pageview','u':'http://www.example.com/#page-a','d':'example.com','h':1}").only().get("url"));
        assertEquals("http://www.example.com/",
            post("{'n':'pageview','u':'http://www.example.com/#page-a','d':'example.com','h':0}").only().get("url"));
        assertEquals("http://dummy.site/pictures/index.html#foo",
            post("{'name':'pageview','domain':'dummy.site','url':'http://dummy.site/pictures/index.html#foo','hashMode':1}")
                .only().get("url"));
    }

    // EC "ignores when referrer is internal", "ignores localhost referrer", "if the referrer is not http, https, or android
    // it is ignored", "ignores a malformed referrer URL", "stores referrer from android app", "parses subdomain referrer"
    @Test
    void referrersPlausibleWouldNotKeepAreDropped() throws IOException
    {
        for (final String dropped : List.of("https://example.com", "http://localhost:4000/", "ftp://wat", "https:://twitter.com"))
        {
            final Sent sent = post("{'name':'pageview','url':'http://example.com/','referrer':'" + dropped + "','domain':'example.com'}");
            assertEquals(202, sent.answer().status());
            assertEquals("referrer=1", sent.dropped(), dropped);
            assertFalse(sent.only().containsKey("referrer"), dropped);
        }
        for (final String kept : List.of("android-app://some.android.app", "https://blog.example.com", "http://m.facebook.com/"))
        {
            final Sent sent = post("{'name':'pageview','url':'http://example.com/','referrer':'" + kept + "','domain':'example.com'}");
            assertNull(sent.dropped(), kept);
            assertEquals(kept, sent.only().get("referrer"));
        }
    }

    // EC "scroll depth tests": "ingests valid scroll_depth for a engagement event", "ingests scroll_depth as 100 when sd > 100";
    // request.ex put_engagement_fields: engaged time 'e' in milliseconds, an engagement with neither refused
    @Test
    void engagementsKeepScrollDepthAndEngagedTime() throws IOException
    {
        final String address = "203.0.113.9";
        assertEquals(202, post("{'n':'pageview','u':'https://test.com','d':'test.com'}", address).answer().status());
        final Map<String, Object> engagement =
            post("{'n':'engagement','u':'https://test.com','d':'test.com','sd':25,'e':1234}", address).only();
        assertEquals("engagement", engagement.get("type"));
        assertEquals(new BigDecimal(25), engagement.get("scroll_depth"));
        assertEquals("1.234", engagement.get("seconds"), "milliseconds kept exact as seconds");
        assertEquals(new BigDecimal(100), post("{'n':'engagement','u':'https://test.com','d':'test.com','sd':101}", address)
            .only().get("scroll_depth"));
        final Sent badTime = post("{'n':'engagement','u':'https://test.com','d':'test.com','sd':'50','e':-3}", address);
        assertEquals("engaged_time=1", badTime.dropped());
        assertEquals(new BigDecimal(50), badTime.only().get("scroll_depth"));
        assertNull(badTime.only().get("seconds"));

        final Sent neither = post("{'n':'engagement','u':'https://test.com','d':'test.com'}", address);
        assertRefused(neither, "missing_field");
        assertRefused(post("{'n':'engagement','u':'https://test.com','d':'test.com','sd':-1,'e':0}", address), "missing_field");
    }

    // Plausible drops an engagement for which it has no session (lib/plausible/ingestion/event.ex register_session)
    @Test
    void anEngagementWithoutASessionIsDropped() throws IOException
    {
        final Sent sent = post("{'n':'engagement','u':'https://test.com','d':'test.com','sd':30,'e':500}", "203.0.113.77");
        assertEquals(202, sent.answer().status());
        assertEquals("no_session=1", sent.dropped());
        assertTrue(sent.records().isEmpty());
        final Map<String, Object> health = engine.health();
        assertTrue(((Map<?, ?>)health.get("dropped_fields")).containsKey("no_session"), health.toString());
    }

    // request.ex put_interactive: i / interactive (Tally's journal keeps no such flag: docs/plausible.md)
    @Test
    void interactiveFalseIsTaken() throws IOException
    {
        assertEquals(202, post("{'n':'Scroll','u':'https://test.com/','d':'test.com','i':false}").answer().status());
        assertEquals(202, post("{'name':'Scroll','url':'https://test.com/','domain':'test.com','interactive':false}").answer().status());
    }

    // Tally's own stricter rules, kept (docs/plausible.md): an absolute URL, the 2,000-character cut
    @Test
    void tallysStricterRulesStay() throws IOException
    {
        // Plausible records 'about:config' with hostname (none) (RT "hostname is (none) if host-less uri provided")
        assertRefused(post("{'name':'pageview','domain':'dummy.site','url':'about:config'}"), "invalid_url");
        // Plausible refuses a URL over 2,000 bytes (RT "returns validation error when url is too long"); Tally cuts it
        final Sent longUrl = post("{'name':'pageview','domain':'dummy.site','url':'https://dummy.site/" + "a".repeat(5000) + "'}");
        assertEquals(202, longUrl.answer().status());
        assertEquals(2000, ((String)longUrl.only().get("url")).length());
    }

    /** Every drop reason is counted in /healthz and /metrics, as the other counters are. */
    @Test
    void dropsAreCountedByReason() throws IOException
    {
        final long before = countOf("referrer");
        post("{'name':'pageview','url':'http://example.com/','referrer':'ftp://x','domain':'example.com'}");
        assertEquals(before + 1, countOf("referrer"));
        final String metrics = engine.call("GET", "/metrics", null, null).body();
        assertTrue(metrics.contains("tally_fields_dropped_total{reason=\"referrer\"} " + (before + 1)), metrics);
    }

    private static long countOf(final String reason) throws IOException
    {
        final Object count = ((Map<?, ?>)engine.health().get("dropped_fields")).get(reason);
        return count == null ? 0 : ((BigDecimal)count).longValueExact();
    }
}
