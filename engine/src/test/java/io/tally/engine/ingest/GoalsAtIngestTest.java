package io.tally.engine.ingest;

import io.tally.codec.json.Json;
import io.tally.engine.EngineConfig;
import io.tally.engine.http.HeadChecks;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Goals matched on the request path of the real server, managed through the admin API. */
class GoalsAtIngestTest
{
    private static final String TOKEN = "test-admin-token";
    private static final String PREMIUM = "{\"name\":\"Premium Plan Purchase\",\"kind\":\"macro\",\"value\":{\"amount\":\"29.00\"," +
        "\"currency\":\"EUR\"},\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}," +
        "{\"field\":\"prop_value\",\"key\":\"plan\",\"op\":\"equals\",\"value\":\"premium\"}]}";
    private static final String ALL_PURCHASES = "{\"name\":\"All Purchases\",\"kind\":\"micro\",\"weight\":2,\"type\":\"custom\"," +
        "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}],\"fire\":\"always\"}";
    private static final String SIGNUP_PAGE = "{\"name\":\"Signed up\",\"kind\":\"event\",\"counts_as_conversion\":false," +
        "\"type\":\"pageview\",\"conditions\":[{\"field\":\"url\",\"op\":\"contains\",\"value\":\"signedUp=true\"}]}";

    @TempDir
    Path dataDir;

    private TestEngine start(final UnaryOperator<EngineConfig.Builder> customize)
    {
        return TestEngine.start(dataDir, b -> customize.apply(b.adminToken(TOKEN)));
    }

    private static RawHttp.Answer admin(final TestEngine engine, final String method, final String path, final String body,
        final String token) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            final String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes.length + "\r\n" +
                (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
            return http.exchange(RawHttp.concat(head.getBytes(StandardCharsets.ISO_8859_1), bytes));
        }
    }

    private static RawHttp.Answer admin(final TestEngine engine, final String method, final String path, final String body)
        throws IOException
    {
        return admin(engine, method, path, body, TOKEN);
    }

    private static int send(final TestEngine engine, final String beacon, final String userAgent) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(RawHttp.post("/api/event", "application/json", beacon, "User-Agent: " + userAgent)).status();
        }
    }

    private static Map<String, Object> last(final TestEngine engine)
    {
        final List<Map<String, Object>> records = engine.dump();
        return records.get(records.size() - 1);
    }

    @Test
    void priorityFireOnceValuesAndWeightsGoIntoTheJournal() throws IOException
    {
        try (TestEngine engine = start(UnaryOperator.identity()))
        {
            assertEquals(201, admin(engine, "POST", "/api/v1/sites/shop.example/goals", PREMIUM).status());
            assertEquals(201, admin(engine, "POST", "/api/v1/sites/shop.example/goals", ALL_PURCHASES).status());
            assertEquals(201, admin(engine, "POST", "/api/v1/sites/shop.example/goals", SIGNUP_PAGE).status());

            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done\",\"mk\":[\"plan\"],\"mv\":[\"Premium\"]}", "A");
            Map<String, Object> record = last(engine);
            assertEquals("Premium Plan Purchase", record.get("goal"));
            assertEquals(true, record.get("first"));
            assertEquals(true, record.get("conversion"));
            assertEquals("29.00", record.get("value"));
            assertEquals("EUR", record.get("value_currency"));
            assertEquals(true, record.get("session_converted"));

            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done?value=35\",\"mk\":[\"plan\"],\"mv\":[\"premium\"]," +
                "\"ra\":35}", "A");
            record = last(engine);
            assertEquals("Premium Plan Purchase", record.get("goal"), "first match by priority, even when already converted");
            assertEquals(false, record.get("first"));
            assertEquals(false, record.get("conversion"), "fire-once: the second time is not a conversion");
            assertEquals("35", record.get("value"), "value= overrides the goal's value");

            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done?value=35\",\"v\":40,\"mk\":[\"plan\"]," +
                "\"mv\":[\"premium\"]}", "B");
            assertEquals("40", last(engine).get("value"), "v beats value=");
            assertEquals(true, last(engine).get("first"), "another visitor converts for the first time");

            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done\",\"mk\":[\"plan\"],\"mv\":[\"basic\"]}", "A");
            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/done\"}", "A");
            record = last(engine);
            assertEquals("All Purchases", record.get("goal"));
            assertEquals(new java.math.BigDecimal(2), record.get("weight"));
            assertEquals(false, record.get("first"));
            assertEquals(true, record.get("conversion"), "a goal that fires every time converts every time");
            assertNull(record.get("value"));

            send(engine, "{\"t\":\"e\",\"n\":\"purchase\",\"u\":\"https://shop.example/done\"}", "C");
            assertNull(last(engine).get("goal"), "event names are case-sensitive");
            assertEquals(false, last(engine).get("session_converted"));

            send(engine, "{\"t\":\"p\",\"u\":\"https://shop.example/welcome?SIGNEDUP=TRUE\"}", "C");
            record = last(engine);
            assertEquals("Signed up", record.get("goal"), "other text comparisons ignore case");
            assertEquals(false, record.get("conversion"), "an event goal is tracked, never a conversion");
        }
    }

    @Test
    void theAdminApiNeedsTheTokenAndNamesTheOffendingField() throws IOException
    {
        try (TestEngine engine = start(UnaryOperator.identity()))
        {
            assertEquals(401, admin(engine, "GET", "/api/v1/sites/shop.example/goals", null, null).status());
            assertEquals(401, admin(engine, "GET", "/api/v1/sites/shop.example/goals", null, "wrong").status());
            assertEquals(404, admin(engine, "GET", "/api/v1/sites/nobody.example/goals", null).status());

            final RawHttp.Answer invalid = admin(engine, "POST", "/api/v1/sites/shop.example/goals",
                "{\"name\":\"X\",\"type\":\"custom\",\"conditions\":[{\"field\":\"path\",\"op\":\"equals\",\"value\":\"/\"}]}");
            assertEquals(400, invalid.status());
            assertEquals("invalid_goal", Json.parseObject(invalid.body()).get("error"));
            assertTrue(((String)Json.parseObject(invalid.body()).get("detail")).startsWith("conditions[0].field:"), invalid.body());

            assertEquals(400, admin(engine, "POST", "/api/v1/sites/shop.example/goals", "{not json").status());
            assertEquals(201, admin(engine, "POST", "/api/v1/sites/shop.example/goals", PREMIUM).status());
            assertEquals(409, admin(engine, "POST", "/api/v1/sites/shop.example/goals", PREMIUM).status(), "names are unique");
            final RawHttp.Answer rename = admin(engine, "PUT", "/api/v1/sites/shop.example/goals/Premium%20Plan%20Purchase",
                ALL_PURCHASES);
            assertEquals(400, rename.status(), "a goal's name never changes");
            assertEquals(404, admin(engine, "DELETE", "/api/v1/sites/shop.example/goals/Nope", null).status());
            assertEquals(204, admin(engine, "DELETE", "/api/v1/sites/shop.example/goals/Premium%20Plan%20Purchase", null).status());
            assertEquals(List.of(), Json.parseObject(admin(engine, "GET", "/api/v1/sites/shop.example/goals", null).body()).get("goals"));
        }
    }

    @Test
    void anAdminBodyAtItsLimitIsReadAndOnePastIsRefusedWith413() throws IOException
    {
        try (TestEngine engine = start(UnaryOperator.identity()))
        {
            final String padded = PREMIUM.substring(0, PREMIUM.length() - 1) + " ".repeat(HeadChecks.MAX_ADMIN_BODY -
                PREMIUM.length()) + "}";
            assertEquals(HeadChecks.MAX_ADMIN_BODY, padded.getBytes(StandardCharsets.UTF_8).length);
            assertEquals(201, admin(engine, "POST", "/api/v1/sites/shop.example/goals", padded).status());
            try (RawHttp http = new RawHttp(engine.port()))
            {
                // answered from the head alone: the body is never read into memory
                http.send("POST /api/v1/sites/shop.example/goals HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN +
                    "\r\nContent-Length: " + (HeadChecks.MAX_ADMIN_BODY + 1) + "\r\n\r\n");
                final RawHttp.Answer tooLarge = http.read();
                assertEquals(413, tooLarge.status());
                assertEquals("body_too_large", Json.parseObject(tooLarge.body()).get("error"));
            }
            assertEquals(List.of("Premium Plan Purchase"), names(engine));
        }
    }

    @Test
    void goalsAreListedInPriorityOrderReorderedReplacedAndSurviveARestart() throws IOException
    {
        try (TestEngine engine = start(UnaryOperator.identity()))
        {
            admin(engine, "POST", "/api/v1/sites/shop.example/goals", PREMIUM);
            admin(engine, "POST", "/api/v1/sites/shop.example/goals", ALL_PURCHASES);
            assertEquals(List.of("Premium Plan Purchase", "All Purchases"), names(engine));
            assertEquals(400, admin(engine, "PUT", "/api/v1/sites/shop.example/goals/order", "[\"All Purchases\"]").status(),
                "every goal must be named");
            assertEquals(200, admin(engine, "PUT", "/api/v1/sites/shop.example/goals/order",
                "[\"All Purchases\",\"Premium Plan Purchase\"]").status());
            assertEquals(List.of("All Purchases", "Premium Plan Purchase"), names(engine));

            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/\",\"mk\":[\"plan\"],\"mv\":[\"premium\"]}", "A");
            assertEquals("All Purchases", last(engine).get("goal"), "the new order is used at once");

            final String narrowed = ALL_PURCHASES.replace("\"value\":\"Purchase\"}]", "\"value\":\"Purchase\"}," +
                "{\"field\":\"prop_key\",\"op\":\"equals\",\"value\":\"coupon\"}]");
            assertEquals(200, admin(engine, "PUT", "/api/v1/sites/shop.example/goals/All%20Purchases", narrowed).status());
        }
        try (TestEngine engine = start(UnaryOperator.identity()))
        {
            assertEquals(List.of("All Purchases", "Premium Plan Purchase"), names(engine), "goals survive a restart");
            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/\",\"mk\":[\"plan\"],\"mv\":[\"premium\"]}", "A");
            final Map<String, Object> record = last(engine);
            assertEquals("Premium Plan Purchase", record.get("goal"), "the replaced goal now needs a coupon");
            assertEquals(true, record.get("first"));
            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/\",\"mk\":[\"plan\"],\"mv\":[\"premium\"]}", "A");
            assertEquals(false, last(engine).get("first"));

            final List<Map<String, Object>> journal = engine.dump();
            assertEquals("All Purchases", journal.get(0).get("goal"), "changing goals never rewrites journaled events");
        }
        try (TestEngine engine = start(UnaryOperator.identity()))
        {
            send(engine, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/\",\"mk\":[\"plan\"],\"mv\":[\"premium\"]}", "A");
            assertEquals(false, last(engine).get("first"), "fire-once holds across a restart (rebuilt from the journal)");
            assertEquals(false, last(engine).get("conversion"));
        }
    }

    @Test
    void configuredGoalsSeedASiteWithoutSavedOnes() throws IOException
    {
        final Goal seeded = GoalJson.read(Json.parse(PREMIUM));
        try (TestEngine engine = start(b -> b.goals(Map.of("shop.example", List.of(seeded)))))
        {
            assertEquals(List.of("Premium Plan Purchase"), names(engine));
            admin(engine, "POST", "/api/v1/sites/shop.example/goals", ALL_PURCHASES);
        }
        try (TestEngine engine = start(b -> b.goals(Map.of("shop.example", List.of(seeded)))))
        {
            assertEquals(List.of("Premium Plan Purchase", "All Purchases"), names(engine), "saved goals win over the config");
        }
    }

    @Test
    void eventsUnderConcurrentGoalChangesSeeTheOldSetOrTheNewNeverAMix() throws Exception
    {
        try (TestEngine engine = start(UnaryOperator.identity()))
        {
            // Reordering two goals changes every index: a matcher of one set read with the names of the other
            // would file E1 under B. Correct answers are E1 -> A and E2 -> B, whatever the order.
            admin(engine, "POST", "/api/v1/sites/shop.example/goals",
                "{\"name\":\"A\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"E1\"}]}");
            admin(engine, "POST", "/api/v1/sites/shop.example/goals",
                "{\"name\":\"B\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"E2\"}]}");
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicInteger sent = new AtomicInteger();
            final List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 3; t++)
            {
                final int sender = t;
                final Thread thread = new Thread(() -> sendUntil(engine, stop, sent, sender));
                thread.start();
                senders.add(thread);
            }
            for (int round = 0; round < 100; round++)
            {
                final String order = round % 2 == 0 ? "[\"B\",\"A\"]" : "[\"A\",\"B\"]";
                assertEquals(200, admin(engine, "PUT", "/api/v1/sites/shop.example/goals/order", order).status());
            }
            stop.set(true);
            for (final Thread thread : senders)
            {
                thread.join();
            }
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(sent.get(), records.size());
            assertTrue(records.size() > 100, "events were flowing during the changes");
            for (final Map<String, Object> record : records)
            {
                assertEquals(record.get("name").equals("E1") ? "A" : "B", record.get("goal"), record.toString());
            }
        }
    }

    private static void sendUntil(final TestEngine engine, final AtomicBoolean stop, final AtomicInteger sent, final int sender)
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; !stop.get(); i++)
            {
                final String name = (i + sender) % 2 == 0 ? "E1" : "E2";
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"" + name + "\",\"u\":\"https://shop.example/\"}")).status());
                sent.incrementAndGet();
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> names(final TestEngine engine) throws IOException
    {
        final List<Object> goals = (List<Object>)Json.parseObject(admin(engine, "GET", "/api/v1/sites/shop.example/goals", null)
            .body()).get("goals");
        return goals.stream().map(g -> (String)((Map<String, Object>)g).get("name")).toList();
    }
}
