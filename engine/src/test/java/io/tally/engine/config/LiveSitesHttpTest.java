package io.tally.engine.config;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sites added and removed through the admin API on the real server: a new site's beacons are taken and counted at
 * once, a removed one's are refused as an unknown site's while its data stays, and the changes outlive a restart.
 */
class LiveSitesHttpTest
{
    @TempDir
    Path dir;

    private static RawHttp.Answer beacon(final TestEngine engine, final String host) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(RawHttp.post("/api/event", "application/json", "{\"t\":\"p\",\"u\":\"https://" + host + "/\"}"));
        }
    }

    private static RawHttp.Answer admin(final TestEngine engine, final String method, final String path, final String body)
        throws IOException
    {
        return engine.call(method, path, body, engine.engine().adminToken().value());
    }

    @SuppressWarnings("unchecked")
    private static List<String> listed(final TestEngine engine) throws IOException
    {
        final RawHttp.Answer answer = admin(engine, "GET", "/api/v1/sites", null);
        assertEquals(200, answer.status(), answer.body());
        return ((List<Map<String, Object>>)Json.parseObject(answer.body()).get("sites")).stream()
            .map(site -> site.get("domain") + " " + site.get("source")).toList();
    }

    @Test
    void aSiteAddedByTheApiIsCountedAtOnceAndRefusedOnceRemovedWhileItsDataStays() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dir))
        {
            assertEquals("unknown_site", Json.parseObject(beacon(engine, "blog.example").body()).get("error"));
            final RawHttp.Answer added = admin(engine, "POST", "/api/v1/sites",
                "{\"domain\": \"Blog.Example\", \"time_zone\": \"Europe/Berlin\", \"aliases\": [\"blog.example.net\"]}");
            assertEquals(201, added.status(), added.body());
            assertEquals("added blog.example", Json.parseObject(added.body()).get("changes"));
            assertEquals(List.of("shop.example config", "blog.example api"), listed(engine));

            assertEquals(202, beacon(engine, "blog.example").status());
            assertEquals(202, beacon(engine, "www.blog.example.net").status(), "through its alias");
            assertEquals(new BigDecimal(2), engine.stats("blog.example", "kpis?period=7d").get("pageviews"));

            final RawHttp.Answer removed = admin(engine, "DELETE", "/api/v1/sites/blog.example", null);
            assertEquals(200, removed.status(), removed.body());
            assertEquals("removed blog.example (their data stays on disk)", Json.parseObject(removed.body()).get("changes"));
            final RawHttp.Answer refused = beacon(engine, "blog.example");
            assertEquals(400, refused.status());
            assertEquals("unknown_site", Json.parseObject(refused.body()).get("error"));
            assertEquals(404, admin(engine, "GET", "/api/v1/stats/blog.example/kpis?period=7d", null).status());
            assertEquals(404, admin(engine, "DELETE", "/api/v1/sites/blog.example", null).status(), "removed already");
            assertEquals(List.of("shop.example config"), listed(engine));
            assertEquals(202, beacon(engine, "shop.example").status(), "the other site never noticed");

            assertEquals(201, admin(engine, "POST", "/api/v1/sites", "{\"domain\": \"blog.example\"}").status());
            assertEquals(new BigDecimal(2), engine.stats("blog.example", "kpis?period=7d").get("pageviews"),
                "added again, it finds its data where it was");
        }
    }

    @Test
    void changesMadeThroughTheApiOutliveARestart() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dir))
        {
            assertEquals(201, admin(engine, "POST", "/api/v1/sites", "{\"domain\": \"new.example\", \"monthly_quota\": 1}").status());
            assertEquals(200, admin(engine, "DELETE", "/api/v1/sites/shop.example", null).status());
            assertEquals(202, beacon(engine, "new.example").status());
        }
        assertTrue(Files.exists(dir.resolve(LiveSites.FILE)));
        try (TestEngine engine = TestEngine.start(dir))
        {
            assertEquals(List.of("new.example api"), listed(engine), "shop.example stays removed though configured");
            assertEquals("unknown_site", Json.parseObject(beacon(engine, "shop.example").body()).get("error"));
            final RawHttp.Answer overQuota = beacon(engine, "new.example");
            assertEquals(429, overQuota.status(), "its quota of 1 was used before the restart: " + overQuota.body());
            assertEquals("quota_exceeded", Json.parseObject(overQuota.body()).get("error"));

            final RawHttp.Answer changed = admin(engine, "POST", "/api/v1/sites", "{\"domain\": \"new.example\"}");
            assertEquals(200, changed.status(), changed.body());
            assertEquals("changed new.example", Json.parseObject(changed.body()).get("changes"));
            assertEquals(202, beacon(engine, "new.example").status(), "no quota any more");
            assertEquals(201, admin(engine, "POST", "/api/v1/sites", "{\"domain\": \"shop.example\"}").status());
        }
        try (TestEngine engine = TestEngine.start(dir))
        {
            assertEquals(List.of("shop.example api", "new.example api"), listed(engine));
        }
    }

    @Test
    void aSiteTheApiCannotTakeIsRefusedWithWhyAndChangesNothing() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dir))
        {
            final RawHttp.Answer typo = admin(engine, "POST", "/api/v1/sites", "{\"domain\": \"x.example\", \"timezone\": \"UTC\"}");
            assertEquals(400, typo.status());
            assertEquals(Map.of("error", "invalid_site", "detail", "site.timezone: unknown key; did you mean time_zone?"),
                Json.parseObject(typo.body()));
            final RawHttp.Answer taken = admin(engine, "POST", "/api/v1/sites",
                "{\"domain\": \"other.example\", \"aliases\": [\"shop-alias.example\"]}");
            assertEquals(409, taken.status());
            assertEquals("name_taken", Json.parseObject(taken.body()).get("error"));
            assertEquals(400, admin(engine, "POST", "/api/v1/sites", "\"x.example\"]").status());
            assertEquals(401, engine.call("POST", "/api/v1/sites", "{\"domain\": \"y.example\"}", "wrong").status());
            assertEquals(401, engine.call("GET", "/api/v1/sites", null, null).status());
            assertEquals(405, admin(engine, "PUT", "/api/v1/sites", "{}").status());
            assertEquals(List.of("shop.example config"), listed(engine));
            assertFalse(Files.exists(dir.resolve(LiveSites.FILE)), "nothing was saved");
            assertEquals("unknown_site", Json.parseObject(beacon(engine, "other.example").body()).get("error"));
        }
    }
}
