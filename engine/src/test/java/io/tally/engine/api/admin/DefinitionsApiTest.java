package io.tally.engine.api.admin;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Funnel and experiment definitions over the real server: kept, listed, read, replaced and deleted with the admin token
 * only; every refusal names the field at fault; the limits (steps, window, name, definitions a site) at and past them;
 * kept across a restart; the reports 404 for an unknown name and 409 while the event store is off.
 */
class DefinitionsApiTest
{
    private static final String ADMIN = "admin-token";
    private static final String FUNNELS = "/api/v1/sites/shop.example/funnels";
    private static final String EXPERIMENTS = "/api/v1/sites/shop.example/experiments";

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN).sites(List.of(new Site("shop.example"))));
    }

    private static String funnel(final String name, final int steps, final String window)
    {
        final StringBuilder list = new StringBuilder();
        for (int i = 0; i < steps; i++)
        {
            list.append(i == 0 ? "" : ",").append("{\"type\":\"event\",\"value\":\"E").append(i).append("\"}");
        }
        return "{\"name\":\"" + name + "\",\"window\":\"" + window + "\",\"steps\":[" + list + "]}";
    }

    /** A funnel whose second step is the event {@code value} with {@code filters} (none when null). */
    private static String step(final String name, final String value, final String filters)
    {
        return "{\"name\":\"" + name + "\",\"steps\":[{\"type\":\"event\",\"value\":\"A\"},{\"type\":\"event\",\"value\":\"" +
            value + "\"" + (filters == null ? "" : ",\"filters\":\"" + filters + "\"") + "}]}";
    }

    /** An experiment with {@code count} declared variants: the control V0, then V1, V2, ... */
    private static String weighted(final String name, final int count)
    {
        final StringBuilder weights = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            weights.append(i == 0 ? "" : ",").append("\"V").append(i).append("\":1");
        }
        return "{\"name\":\"" + name + "\",\"variant\":{\"property\":\"v\"},\"goal\":\"Buy\",\"control\":\"V0\"," +
            "\"weights\":{" + weights + "}}";
    }

    private static void assertRefused(final RawHttp.Answer answer, final String code, final String field)
    {
        assertEquals(400, answer.status(), answer.body());
        final Map<String, Object> body = Json.parseObject(answer.body());
        assertEquals(code, body.get("error"), answer.body());
        assertEquals(field, body.get("field"), answer.body());
    }

    @Test
    void funnelsAreKeptListedReplacedAndDeletedAcrossARestart() throws IOException
    {
        try (TestEngine engine = start())
        {
            assertEquals(401, engine.call("POST", FUNNELS, funnel("F", 2, "session"), null).status());
            final RawHttp.Answer created = engine.call("POST", FUNNELS, "{\"name\":\"Checkout\",\"window\":\"30m\",\"steps\":[" +
                "{\"type\":\"page\",\"value\":\"/pricing*\"},{\"type\":\"goal\",\"value\":\"Buy\",\"filters\":\"visit:country==DE\"," +
                "\"name\":\"Bought\"}]}", ADMIN);
            assertEquals(201, created.status(), created.body());
            assertEquals(Map.of("name", "Checkout", "window", "30m", "steps", List.of(
                Map.of("name", "/pricing*", "type", "page", "value", "/pricing*"),
                Map.of("name", "Bought", "type", "goal", "value", "Buy", "filters", "visit:country==DE"))),
                Json.parseObject(created.body()));
            assertEquals(200, engine.call("POST", FUNNELS, funnel("Checkout", 3, "1h"), ADMIN).status(), "replaced");
            assertEquals(201, engine.call("POST", FUNNELS, funnel("Other", 2, "session"), ADMIN).status());
            final List<?> list = (List<?>)Json.parseObject(engine.call("GET", FUNNELS, null, ADMIN).body()).get("funnels");
            assertEquals(2, list.size());
            assertEquals(3, ((List<?>)((Map<?, ?>)list.get(0)).get("steps")).size(), "the replacement is kept");
            assertEquals(204, engine.call("DELETE", FUNNELS + "/Other", null, ADMIN).status());
            assertEquals(404, engine.call("DELETE", FUNNELS + "/Other", null, ADMIN).status());
            assertEquals(404, engine.call("GET", FUNNELS + "/Other", null, ADMIN).status());
        }
        try (TestEngine engine = start())
        {
            final RawHttp.Answer kept = engine.call("GET", FUNNELS + "/Checkout", null, ADMIN);
            assertEquals(200, kept.status(), kept.body());
            assertEquals("1h", Json.parseObject(kept.body()).get("window"));
            final RawHttp.Answer off = engine.call("GET", "/api/v1/stats/shop.example/funnel?name=Checkout&period=7d", null, ADMIN);
            assertEquals(409, off.status(), off.body());
            assertEquals("event_store_off", Json.parseObject(off.body()).get("error"));
            final RawHttp.Answer export = engine.call("GET",
                "/api/v1/sites/shop.example/events/export?from=2026-01-01&to=2026-01-02", null, ADMIN);
            assertEquals(409, export.status(), export.body());
            assertEquals("event_store_off", Json.parseObject(export.body()).get("error"), "exports name the same refusal");
            assertEquals(404, engine.call("GET", "/api/v1/stats/shop.example/funnel?name=Nope&period=7d", null, ADMIN).status());
            assertEquals(400, engine.call("GET", "/api/v1/stats/shop.example/funnel?period=7d", null, ADMIN).status(),
                "a name is required");
            assertEquals(400, engine.call("GET", "/api/v1/stats/shop.example/funnel?name=Checkout&colour=red", null, ADMIN)
                .status(), "an unknown parameter");
        }
    }

    @Test
    void theListsAreReadWithTheSitesReadTokenOrAShareLinkAndSayWhetherTheStoreAnswers() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).sites(List.of(
            new Site("shop.example", List.of(), "UTC", "shop-read"), new Site("other.example", List.of(), "UTC", "other-read")))))
        {
            assertEquals(201, engine.call("POST", FUNNELS, funnel("Checkout", 3, "30m"), ADMIN).status());
            final String share = (String)Json.parseObject(engine.call("POST", "/api/v1/sites/shop.example/shares", null, ADMIN)
                .body()).get("id");
            for (final String reader : List.of(ADMIN, "shop-read", share))
            {
                final RawHttp.Answer list = engine.call("GET", "/api/v1/stats/shop.example/funnels", null, reader);
                assertEquals(200, list.status(), list.body());
                final Map<String, Object> body = Json.parseObject(list.body());
                assertEquals(Json.parseObject(engine.call("GET", FUNNELS, null, ADMIN).body()).get("funnels"), body.get("funnels"),
                    "the definitions as the admin API writes them");
                assertEquals(false, body.get("event_store"), "the store is off: the page says so before asking a report");
                assertEquals(List.of(), Json.parseObject(engine.call("GET", "/api/v1/stats/shop.example/experiments", null, reader)
                    .body()).get("experiments"));
            }
            assertEquals(401, engine.call("GET", "/api/v1/stats/shop.example/funnels", null, "other-read").status());
            assertEquals(401, engine.call("GET", "/api/v1/stats/shop.example/funnels", null, null).status());
            assertEquals(400, engine.call("GET", "/api/v1/stats/shop.example/funnels?period=7d", null, ADMIN).status(),
                "a list takes no parameter");
            assertEquals(401, engine.call("POST", FUNNELS, funnel("F", 2, "session"), "shop-read").status(),
                "a read token keeps no definition");
        }
    }

    @Test
    void aFunnelThatCannotBeKeptIsRefusedNamingTheField() throws IOException
    {
        try (TestEngine engine = start())
        {
            assertRefused(engine.call("POST", FUNNELS, funnel("F", 1, "session"), ADMIN), "invalid_funnel", "steps");
            assertEquals(201, engine.call("POST", FUNNELS, funnel("Two", 2, "session"), ADMIN).status(), "2 steps, the least");
            assertEquals(201, engine.call("POST", FUNNELS, funnel("Eight", 8, "session"), ADMIN).status(), "8 steps, the most");
            assertRefused(engine.call("POST", FUNNELS, funnel("F", 9, "session"), ADMIN), "invalid_funnel", "steps");
            assertEquals(201, engine.call("POST", FUNNELS, funnel("Month", 2, "30d"), ADMIN).status(), "30 days, the longest");
            assertRefused(engine.call("POST", FUNNELS, funnel("F", 2, "31d"), ADMIN), "invalid_funnel", "window");
            assertRefused(engine.call("POST", FUNNELS, funnel("F", 2, "0m"), ADMIN), "invalid_funnel", "window");
            assertRefused(engine.call("POST", FUNNELS, funnel("F", 2, "5 minutes"), ADMIN), "invalid_funnel", "window");
            assertEquals(201, engine.call("POST", FUNNELS, funnel("n".repeat(100), 2, "1s"), ADMIN).status(), "a 100-character name");
            assertRefused(engine.call("POST", FUNNELS, funnel("n".repeat(101), 2, "1s"), ADMIN), "invalid_funnel", "name");
            assertRefused(engine.call("POST", FUNNELS, "{\"name\":\"F\",\"steps\":[{\"type\":\"event\",\"value\":\"A\"}," +
                "{\"type\":\"click\",\"value\":\"B\"}]}", ADMIN), "invalid_funnel", "steps[1].type");
            assertRefused(engine.call("POST", FUNNELS, "{\"name\":\"F\",\"steps\":[{\"type\":\"event\",\"value\":\"A\"}," +
                "{\"type\":\"page\",\"value\":\"pricing\"}]}", ADMIN), "invalid_funnel", "steps[1].value");
            assertRefused(engine.call("POST", FUNNELS, "{\"name\":\"F\",\"steps\":[{\"type\":\"event\",\"value\":\"A\"}," +
                "{\"type\":\"event\",\"valu\":\"B\"}]}", ADMIN), "invalid_funnel", "steps[1].valu");
            assertRefused(engine.call("POST", FUNNELS, "{\"name\":\"F\",\"steps\":[{\"type\":\"event\",\"value\":\"A\"}," +
                "{\"type\":\"event\",\"value\":\"B\",\"filters\":\"\"}]}", ADMIN), "invalid_funnel", "steps[1].filters");
            assertEquals(201, engine.call("POST", FUNNELS, step("Long", "v".repeat(500), "f".repeat(1000)), ADMIN).status(),
                "a 500-character value, 1,000-character filters (checked by the event store's parser only when it runs)");
            assertRefused(engine.call("POST", FUNNELS, step("F", "v".repeat(501), null), ADMIN), "invalid_funnel", "steps[1].value");
            assertRefused(engine.call("POST", FUNNELS, step("F", "v", "f".repeat(1001)), ADMIN), "invalid_funnel", "steps[1].filters");
            assertEquals("invalid_json", Json.parseObject(engine.call("POST", FUNNELS, "{", ADMIN).body()).get("error"));
        }
    }

    @Test
    void aSiteKeepsAtMostItsCapOfFunnels() throws IOException
    {
        try (TestEngine engine = start())
        {
            for (int i = 0; i < 100; i++)
            {
                assertEquals(201, engine.call("POST", FUNNELS, funnel("F" + i, 2, "session"), ADMIN).status(), "funnel " + i);
            }
            final RawHttp.Answer past = engine.call("POST", FUNNELS, funnel("F100", 2, "session"), ADMIN);
            assertEquals(409, past.status(), past.body());
            assertEquals("too_many_funnels", Json.parseObject(past.body()).get("error"));
            assertEquals(200, engine.call("POST", FUNNELS, funnel("F7", 3, "session"), ADMIN).status(),
                "replacing one at the cap is no new one");
        }
    }

    @Test
    void experimentsNameTheirGoalVariantAndControl() throws IOException
    {
        try (TestEngine engine = start())
        {
            final String hero = "{\"name\":\"Hero\",\"variant\":{\"property\":\"hero\"},\"goal\":\"Buy\",\"control\":\"A\"}";
            assertRefused(engine.call("POST", EXPERIMENTS, hero, ADMIN), "invalid_experiment", "goal");
            assertEquals(201, engine.call("POST", "/api/v1/sites/shop.example/goals", "{\"name\":\"Buy\",\"type\":\"custom\"," +
                "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Buy\"}]}", ADMIN).status());
            assertEquals(201, engine.call("POST", EXPERIMENTS, hero, ADMIN).status());
            final RawHttp.Answer weighted = engine.call("POST", EXPERIMENTS, "{\"name\":\"Price\",\"variant\":{\"url_parameter\":" +
                "\"v\"},\"goal\":\"Buy\",\"control\":\"old\",\"weights\":{\"old\":80,\"new\":20}}", ADMIN);
            assertEquals(201, weighted.status(), weighted.body());
            assertEquals(Map.of("url_parameter", "v"), Json.parseObject(weighted.body()).get("variant"));
            assertRefused(engine.call("POST", EXPERIMENTS, "{\"name\":\"X\",\"variant\":{\"property\":\"a\",\"url_parameter\":\"b\"}," +
                "\"goal\":\"Buy\",\"control\":\"A\"}", ADMIN), "invalid_experiment", "variant");
            assertRefused(engine.call("POST", EXPERIMENTS, "{\"name\":\"X\",\"variant\":{\"cookie\":\"a\"},\"goal\":\"Buy\"," +
                "\"control\":\"A\"}", ADMIN), "invalid_experiment", "variant.cookie");
            assertRefused(engine.call("POST", EXPERIMENTS, "{\"name\":\"X\",\"variant\":{\"property\":\"a\"},\"goal\":\"Buy\"}",
                ADMIN), "invalid_experiment", "control");
            assertRefused(engine.call("POST", EXPERIMENTS, "{\"name\":\"X\",\"variant\":{\"property\":\"a\"},\"goal\":\"Buy\"," +
                "\"control\":\"A\",\"weights\":{\"B\":1,\"C\":1}}", ADMIN), "invalid_experiment", "weights");
            assertRefused(engine.call("POST", EXPERIMENTS, "{\"name\":\"X\",\"variant\":{\"property\":\"a\"},\"goal\":\"Buy\"," +
                "\"control\":\"A\",\"weights\":{\"A\":1,\"B\":0}}", ADMIN), "invalid_experiment", "weights.B");
            assertEquals(201, engine.call("POST", EXPERIMENTS, weighted("Twenty", 20), ADMIN).status(), "20 weights, the most");
            assertRefused(engine.call("POST", EXPERIMENTS, weighted("X", 21), ADMIN), "invalid_experiment", "weights");
            assertTrue(engine.call("GET", EXPERIMENTS, null, ADMIN).body().contains("\"Price\""));
            final RawHttp.Answer off = engine.call("GET", "/api/v1/stats/shop.example/experiment?name=Hero&period=7d", null, ADMIN);
            assertEquals(409, off.status(), off.body());
            assertEquals(404, engine.call("GET", "/api/v1/stats/shop.example/experiment?name=Nope&period=7d", null, ADMIN).status());
            assertEquals(204, engine.call("DELETE", EXPERIMENTS + "/Hero", null, ADMIN).status());
            assertEquals(404, engine.call("GET", EXPERIMENTS + "/Hero", null, ADMIN).status());
        }
    }
}
