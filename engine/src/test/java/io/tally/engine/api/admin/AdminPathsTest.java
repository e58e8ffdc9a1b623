package io.tally.engine.api.admin;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Paths of the admin and stats API over the real server: every segment is %-decoded exactly once, with path rules
 * ('+' stays '+'), the same way on every route, and a site has one name in all of them.
 */
class AdminPathsTest
{
    private static final String ADMIN = "admin-token";
    private static final String GOALS = "/api/v1/sites/shop.example/goals";

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN));
    }

    private static String goal(final String name, final String event)
    {
        return Json.write(Map.of("name", name, "type", "custom",
            "conditions", List.of(Map.of("field", "event", "op", "equals", "value", event))));
    }

    /** The event value of the goal's one condition, as read back. */
    private static Object event(final RawHttp.Answer answer)
    {
        return ((Map<?, ?>)((List<?>)Json.parseObject(answer.body()).get("conditions")).get(0)).get("value");
    }

    private static String malformed(final String escape)
    {
        return "malformed %-escape '" + escape + "' (a % needs two hex digits; send % itself as %25)";
    }

    private static void assertAnswer(final RawHttp.Answer answer, final int status, final String code, final String detail)
    {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(Map.of("error", code, "detail", detail), Json.parseObject(answer.body()));
    }

    @Test
    void goalsNamedWithPercentSlashPlusSpaceOrNonAsciiAreReadReplacedAndDeletedByTheirEscapedName() throws IOException
    {
        final Map<String, String> escaped = new LinkedHashMap<>();
        escaped.put("100% off", "100%25%20off");
        escaped.put("a/b", "a%2Fb");
        escaped.put("a+b", "a%2Bb");
        escaped.put("a b", "a%20b");
        escaped.put("ü", "%C3%BC");
        try (TestEngine engine = start())
        {
            for (final String name : escaped.keySet())
            {
                assertEquals(201, engine.call("POST", GOALS, goal(name, "Old"), ADMIN).status(), name);
            }
            assertEquals("a+b", Json.parseObject(engine.call("GET", GOALS + "/a+b", null, ADMIN).body()).get("name"),
                "a '+' in a path is a '+'");
            for (final Map.Entry<String, String> entry : escaped.entrySet())
            {
                final String name = entry.getKey();
                final String path = GOALS + "/" + entry.getValue();
                final RawHttp.Answer read = engine.call("GET", path, null, ADMIN);
                assertEquals(200, read.status(), name + ": " + read.body());
                assertEquals(name, Json.parseObject(read.body()).get("name"));
                assertEquals(200, engine.call("PUT", path, goal(name, "New"), ADMIN).status(), name);
                assertEquals("New", event(engine.call("GET", path, null, ADMIN)), name);
                assertEquals(204, engine.call("DELETE", path, null, ADMIN).status(), name);
                assertAnswer(engine.call("GET", path, null, ADMIN), 404, "no_such_goal", "no goal named '" + name + "'");
            }
            assertEquals(List.of(), Json.parseObject(engine.call("GET", GOALS, null, ADMIN).body()).get("goals"));
        }
    }

    @Test
    void aMalformedEscapeOrAnUnknownParameterIsARefusalOnEveryRouteAndCounted() throws IOException
    {
        try (TestEngine engine = start())
        {
            assertAnswer(engine.call("GET", GOALS + "/100%", null, ADMIN), 400, "invalid_path", "the path: " + malformed("%"));
            assertAnswer(engine.call("GET", GOALS + "/%zz", null, ADMIN), 400, "invalid_path", "the path: " + malformed("%zz"));
            assertAnswer(engine.call("GET", GOALS + "/%C3", null, ADMIN), 400, "invalid_path",
                "the path: the %-decoded bytes are not UTF-8");
            assertAnswer(engine.call("DELETE", "/api/v1/sites/shop.example/tokens/%G1", null, ADMIN), 400, "invalid_path",
                "the path: " + malformed("%G1"));
            assertAnswer(engine.call("GET", "/api/v1/stats/shop%2.example/kpis", null, ADMIN), 400, "invalid_path",
                "the path: " + malformed("%2."));
            assertAnswer(engine.call("GET", "/api/v1/limits?x=%zz", null, ADMIN), 400, "invalid_query",
                "the query: " + malformed("%zz"));
            assertAnswer(engine.call("GET", "/api/v1/limits?x=1", null, ADMIN), 400, "unknown_parameter",
                "unknown parameter 'x': limits takes none");
            assertAnswer(engine.call("GET", GOALS + "?sort=name", null, ADMIN), 400, "unknown_parameter",
                "unknown parameter 'sort': goals takes none");
            assertAnswer(engine.call("GET", "/api/v1/sites/shop.example/tokens?all", null, ADMIN), 400, "unknown_parameter",
                "unknown parameter 'all': tokens takes none");
            assertAnswer(engine.call("GET", "/api/v1/stats/shop.example/usage?period=today", null, ADMIN), 400,
                "unknown_parameter", "unknown parameter 'period': usage takes none");
            final String metrics = engine.call("GET", "/metrics", null, null).body();
            assertEquals("tally_requests_total{endpoint=\"admin\",status=\"400\"} 10.0", metrics.lines()
                .filter(l -> l.startsWith("tally_requests_total{endpoint=\"admin\",status=\"400\"}")).findFirst().orElse(null));
        }
    }

    @Test
    void aRawNonAsciiNameIsReadAsTheUtf8ItWasSentAs() throws IOException
    {
        try (TestEngine engine = start(); RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(201, engine.call("POST", GOALS, goal("ü", "E"), ADMIN).status());
            final byte[] head = ("GET " + GOALS + "/ü HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ADMIN + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
            final RawHttp.Answer answer = http.exchange(head);
            assertEquals(200, answer.status(), answer.body());
            assertEquals("ü", Json.parseObject(answer.body()).get("name"));
        }
    }

    @Test
    void aSiteHasOneNameInGoalsStatsAndLimitsItsDomainInAnyCase() throws IOException
    {
        try (TestEngine engine = start())
        {
            for (final String[] name : new String[][] {{"shop.example.", "shop.example."}, {"shop-alias.example", "shop-alias.example"},
                {"www.shop.example", "www.shop.example"}, {"..%252f", "..%2f"}, {"shop.example%20", "shop.example "}})
            {
                final String detail = "no site '" + name[1] + "' is configured (name it by its domain)";
                assertAnswer(engine.call("GET", "/api/v1/sites/" + name[0] + "/goals", null, ADMIN), 404, "unknown_site", detail);
                assertAnswer(engine.call("GET", "/api/v1/stats/" + name[0] + "/kpis", null, ADMIN), 404, "unknown_site", detail);
                assertAnswer(engine.call("PUT", "/api/v1/limits", "{\"sites\":{\"" + name[1] + "\":null}}", ADMIN), 400,
                    "invalid_limits", "sites: no site '" + name[1] + "' is configured");
            }
            assertEquals(200, engine.call("GET", "/api/v1/sites/Shop.Example/goals", null, ADMIN).status());
            assertEquals(200, engine.call("GET", "/api/v1/stats/Shop.Example/kpis", null, ADMIN).status());
            assertEquals(200, engine.call("PUT", "/api/v1/limits", "{\"sites\":{\"Shop.Example\":{\"burst\":5}}}", ADMIN).status());
        }
    }
}
