package io.tally.engine.api.admin;

import io.tally.codec.json.Json;
import io.tally.engine.site.ShareLinks;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Share links over the real server: made, listed and revoked with the admin token only; a link reads its own site's
 * stats and nothing else, until it is revoked; they survive a restart; a site has at most
 * {@link ShareLinks#MAX_PER_SITE}. And {@code GET /api/v1/access}, what a bearer may read.
 */
class SharesApiTest
{
    private static final String ADMIN = "admin-token";
    private static final String READER = "shop-reader";
    private static final String SHARES = "/api/v1/sites/shop.example/shares";

    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.adminToken(ADMIN)
            .sites(List.of(new Site("shop.example", List.of(), "UTC", READER), new Site("blog.example"))));
    }

    private static Map<String, Object> json(final RawHttp.Answer answer)
    {
        return Json.parseObject(answer.body());
    }

    private static void assertError(final RawHttp.Answer answer, final int status, final String code)
    {
        assertEquals(status, answer.status(), answer.body());
        assertEquals(code, json(answer).get("error"), answer.body());
    }

    @Test
    void aShareLinkReadsItsSiteStatsOnlyUntilRevoked() throws IOException
    {
        try (TestEngine engine = start())
        {
            final RawHttp.Answer created = engine.call("POST", SHARES, null, ADMIN);
            assertEquals(201, created.status(), created.body());
            final String id = (String)json(created).get("id");
            assertTrue(id.matches("shr_[A-Za-z0-9_-]{22}"), id);
            assertEquals("/share/" + id, json(created).get("url"));

            assertEquals(200, engine.call("GET", "/api/v1/stats/shop.example/kpis", null, id).status());
            assertEquals(200, engine.call("GET", "/api/v1/stats/shop.example/goals?period=7d", null, id).status());
            assertError(engine.call("GET", "/api/v1/stats/shop.example/sessions", null, id), 403, "forbidden");
            assertEquals(200, engine.call("GET", "/api/v1/stats/shop.example/sessions", null, ADMIN).status(),
                "the sessions are the admin's and the read token's");
            assertError(engine.call("GET", "/api/v1/stats/blog.example/kpis", null, id), 401, "unauthorized");
            assertError(engine.call("GET", "/api/v1/sites/shop.example/goals", null, id), 401, "unauthorized");
            assertError(engine.call("GET", SHARES, null, id), 401, "unauthorized");
            assertEquals(Map.of("admin", false, "sites", List.of(Map.of("domain", "shop.example", "time_zone", "UTC"))),
                json(engine.call("GET", "/api/v1/access", null, id)));

            final RawHttp.Answer list = engine.call("GET", SHARES, null, ADMIN);
            assertEquals(200, list.status());
            final List<?> shares = (List<?>)json(list).get("shares");
            assertEquals(1, shares.size());
            assertEquals(id, ((Map<?, ?>)shares.get(0)).get("id"));
            assertEquals(Map.of("shares", List.of()), json(engine.call("GET", "/api/v1/sites/blog.example/shares", null, ADMIN)));

            assertError(engine.call("DELETE", "/api/v1/sites/blog.example/shares/" + id, null, ADMIN), 404, "no_such_share");
            assertEquals(204, engine.call("DELETE", SHARES + "/" + id, null, ADMIN).status());
            assertError(engine.call("GET", "/api/v1/stats/shop.example/kpis", null, id), 401, "unauthorized");
            assertError(engine.call("GET", "/api/v1/access", null, id), 401, "unauthorized");
            assertError(engine.call("DELETE", SHARES + "/" + id, null, ADMIN), 404, "no_such_share");
            assertEquals(Map.of("shares", List.of()), json(engine.call("GET", SHARES, null, ADMIN)));
        }
    }

    @Test
    void onlyTheAdminTokenManagesShareLinks() throws IOException
    {
        try (TestEngine engine = start())
        {
            assertError(engine.call("POST", SHARES, null, null), 401, "unauthorized");
            assertError(engine.call("POST", SHARES, null, READER), 401, "unauthorized");
            assertError(engine.call("GET", SHARES, null, READER), 401, "unauthorized");
            assertError(engine.call("POST", "/api/v1/sites/nope.example/shares", null, ADMIN), 404, "unknown_site");
            assertError(engine.call("PUT", SHARES, "{}", ADMIN), 405, "method_not_allowed");
            assertError(engine.call("GET", SHARES + "?x=1", null, ADMIN), 400, "unknown_parameter");
            assertError(engine.call("DELETE", SHARES + "/shr_unknown", null, ADMIN), 404, "no_such_share");
            assertEquals(Map.of("shares", List.of()), json(engine.call("GET", SHARES, null, ADMIN)));
        }
    }

    @Test
    void accessNamesWhatTheBearerReads() throws IOException
    {
        try (TestEngine engine = start())
        {
            final Map<String, Object> admin = json(engine.call("GET", "/api/v1/access", null, ADMIN));
            assertEquals(true, admin.get("admin"));
            assertEquals(2, ((List<?>)admin.get("sites")).size());
            assertEquals(Map.of("admin", false, "sites", List.of(Map.of("domain", "shop.example", "time_zone", "UTC"))),
                json(engine.call("GET", "/api/v1/access", null, READER)));
            assertError(engine.call("GET", "/api/v1/access", null, "wrong"), 401, "unauthorized");
            assertError(engine.call("GET", "/api/v1/access", null, null), 401, "unauthorized");
            assertError(engine.call("POST", "/api/v1/access", null, ADMIN), 405, "method_not_allowed");
        }
    }

    @Test
    void shareLinksSurviveARestartInAnOwnerOnlyFile() throws IOException
    {
        final String id;
        try (TestEngine engine = start())
        {
            id = (String)json(engine.call("POST", SHARES, null, ADMIN)).get("id");
        }
        final Path file = dataDir.resolve(ShareLinks.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (TestEngine engine = start())
        {
            assertEquals(200, engine.call("GET", "/api/v1/stats/shop.example/kpis", null, id).status());
        }
    }

    @Test
    void aSiteHasAtMostTheCapOfShareLinks() throws IOException
    {
        try (TestEngine engine = start())
        {
            String last = null;
            for (int i = 0; i < ShareLinks.MAX_PER_SITE; i++)
            {
                final RawHttp.Answer created = engine.call("POST", SHARES, null, ADMIN);
                assertEquals(201, created.status(), "link " + (i + 1) + ": " + created.body());
                final String id = (String)json(created).get("id");
                assertNotEquals(last, id);
                last = id;
            }
            assertEquals(ShareLinks.MAX_PER_SITE, ((List<?>)json(engine.call("GET", SHARES, null, ADMIN)).get("shares")).size());
            assertError(engine.call("POST", SHARES, null, ADMIN), 409, "too_many_shares");
            assertEquals(201, engine.call("POST", "/api/v1/sites/blog.example/shares", null, ADMIN).status(),
                "the cap is per site");
            assertEquals(204, engine.call("DELETE", SHARES + "/" + last, null, ADMIN).status());
            assertEquals(201, engine.call("POST", SHARES, null, ADMIN).status(), "a revoked link frees its place");
            assertError(engine.call("POST", SHARES, null, ADMIN), 409, "too_many_shares");
        }
    }
}
