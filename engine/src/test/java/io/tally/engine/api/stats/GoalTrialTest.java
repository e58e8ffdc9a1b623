package io.tally.engine.api.stats;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code POST /api/v1/sites/{site}/goals/test} over the real server and journal: a goal, not saved, matched with the
 * real matcher against the site's newest events (each type's fields, properties, a link's host, ALL and ANY),
 * robots and other sites left out, its validation errors naming the field, and its scan bound held at and past it.
 */
class GoalTrialTest
{
    private static final String ADMIN = "admin-token";
    private static final String GOALS = "/api/v1/sites/shop.example/goals";
    private static final String TEST = GOALS + "/test";

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN)
            .sites(List.of(new Site("shop.example"), new Site("blog.example"))));
    }

    private static void send(final TestEngine engine, final String userAgent, final String beacon) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", beacon, "User-Agent: " + userAgent)).status());
        }
    }

    private static Map<String, Object> trial(final TestEngine engine, final String goal) throws IOException
    {
        final RawHttp.Answer answer = engine.call("POST", TEST, goal, ADMIN);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    private static long number(final Map<String, Object> body, final String key)
    {
        return ((Number)body.get(key)).longValue();
    }

    private static void sendTheVisits(final TestEngine engine) throws IOException
    {
        send(engine, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
        send(engine, "A", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing/team?x=1\"}");
        send(engine, "A", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/buy\",\"mk\":[\"plan\"],\"mv\":[\"pro\"]}");
        send(engine, "B", "{\"t\":\"p\",\"u\":\"https://shop.example/Pricing\"}");
        send(engine, "B", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/buy\",\"mk\":[\"plan\"],\"mv\":[\"team\"]}");
        send(engine, "B", "{\"t\":\"c\",\"u\":\"https://shop.example/\",\"h\":\"https://docs.example.org/start\",\"x\":\"Docs\"}");
        send(engine, "C", "{\"t\":\"f\",\"u\":\"https://shop.example/join\",\"fi\":\"signup\"}");
        send(engine, "C", "{\"t\":\"p\",\"u\":\"https://blog.example/pricing\"}");
        send(engine, "Googlebot/2.1 (+http://www.google.com/bot.html)", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
    }

    @Test
    void aGoalIsTriedOnTheSitesRecentEventsWithTheRealMatcherAndNotSaved() throws IOException
    {
        try (TestEngine engine = start())
        {
            assertEquals(201, engine.call("POST", GOALS, "{\"name\":\"Buy\",\"type\":\"custom\"," +
                "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}]}", ADMIN).status());
            sendTheVisits(engine);

            final Map<String, Object> pricing = trial(engine, "{\"name\":\"Pricing\",\"type\":\"pageview\"," +
                "\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\",\"value\":\"/pricing\"}]}");
            assertEquals(3L, number(pricing, "events"), "paths fold case; the robot and the blog are left out: " + pricing);
            assertEquals(2L, number(pricing, "sessions"));
            assertEquals(2L, number(pricing, "visitors"));
            assertEquals(7L, number(pricing, "scanned"), "the shop's events by people");
            assertEquals(0L, number(pricing, "taken_by_other_goals"));
            final List<?> examples = (List<?>)pricing.get("examples");
            assertEquals(List.of("/Pricing", "/pricing/team", "/pricing"), examples.stream().map(e -> ((Map<?, ?>)e).get("path")).toList(),
                "newest first");

            final Map<String, Object> pro = trial(engine, "{\"name\":\"Pro\",\"type\":\"custom\",\"match\":\"all\",\"conditions\":[" +
                "{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"},{\"field\":\"prop_value\",\"key\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"}]}");
            assertEquals(1L, number(pro, "events"), pro.toString());
            assertEquals(1L, number(pro, "taken_by_other_goals"), "Buy matched it at ingest");
            assertEquals("Buy", ((Map<?, ?>)((List<?>)pro.get("examples")).get(0)).get("current_goal"));

            assertEquals(1L, number(trial(engine, "{\"name\":\"Docs\",\"type\":\"click\",\"conditions\":[" +
                "{\"field\":\"domain\",\"op\":\"equals\",\"value\":\"docs.example.org\"}]}"), "events"), "a link's host");
            assertEquals(2L, number(trial(engine, "{\"name\":\"Either\",\"type\":\"custom\",\"match\":\"any\",\"conditions\":[" +
                "{\"field\":\"prop_value\",\"key\":\"plan\",\"op\":\"equals\",\"value\":\"pro\"}," +
                "{\"field\":\"prop_value\",\"key\":\"plan\",\"op\":\"equals\",\"value\":\"team\"}]}"), "events"), "any");
            assertEquals(1L, number(trial(engine, "{\"name\":\"Signup form\",\"kind\":\"event\",\"type\":\"form\",\"conditions\":[" +
                "{\"field\":\"form_id\",\"op\":\"equals\",\"value\":\"signup\"}]}"), "events"));
            assertEquals(0L, number(trial(engine, "{\"name\":\"Nothing\",\"type\":\"custom\",\"conditions\":[" +
                "{\"field\":\"event\",\"op\":\"equals\",\"value\":\"purchase\"}]}"), "events"), "event names are case-sensitive");

            assertEquals(List.of("Buy"), ((List<?>)Json.parseObject(engine.call("GET", GOALS, null, ADMIN).body()).get("goals"))
                .stream().map(g -> ((Map<?, ?>)g).get("name")).toList(), "a trial saves nothing");
        }
    }

    @Test
    void aGoalTheApiRefusesNamesTheFieldAndOnlyTheAdminTriesGoals() throws IOException
    {
        try (TestEngine engine = start())
        {
            final RawHttp.Answer refused = engine.call("POST", TEST, "{\"name\":\"Bad\",\"type\":\"pageview\"," +
                "\"conditions\":[{\"field\":\"path\",\"op\":\"resembles\",\"value\":\"/\"}]}", ADMIN);
            assertEquals(400, refused.status(), refused.body());
            final Map<String, Object> body = Json.parseObject(refused.body());
            assertEquals("invalid_goal", body.get("error"));
            assertEquals("conditions[0].op", body.get("field"));
            final RawHttp.Answer saved = engine.call("POST", GOALS, "{\"name\":\"Bad\",\"type\":\"pageview\",\"weight\":9," +
                "\"conditions\":[{\"field\":\"path\",\"op\":\"equals\",\"value\":\"/\"}]}", ADMIN);
            assertEquals("weight", Json.parseObject(saved.body()).get("field"), "saving names it too: " + saved.body());
            assertEquals(401, engine.call("POST", TEST, "{}", "not-the-token").status());
            assertEquals(404, engine.call("POST", "/api/v1/sites/nowhere.example/goals/test", "{}", ADMIN).status());
        }
    }

    @Test
    void aTrialReadsBackItsScanLimitOfRecordsAndNoFurther() throws IOException
    {
        try (TestEngine engine = start())
        {
            send(engine, "oldest", "{\"t\":\"p\",\"u\":\"https://shop.example/first\"}");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                for (int i = 1; i < GoalTrial.MAX_SCAN; i++)
                {
                    assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                        "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "User-Agent: newer")).status());
                }
            }
            final String first = "{\"name\":\"First\",\"type\":\"pageview\",\"conditions\":[{\"field\":\"path\",\"op\":\"equals\",\"value\":\"/first\"}]}";
            final Map<String, Object> atTheLimit = trial(engine, first);
            assertEquals(1L, number(atTheLimit, "events"), "at the limit, the oldest record is the scan's last");
            assertEquals((long)GoalTrial.MAX_SCAN, number(atTheLimit, "scanned"));
            send(engine, "newer", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            final Map<String, Object> past = trial(engine, first);
            assertEquals(0L, number(past, "events"), "one record past it, the oldest is out of reach");
            assertEquals((long)GoalTrial.MAX_SCAN, number(past, "scanned"));
        }
    }
}
