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
 * {@code GET /api/v1/operator} over the real server: the admin token's only; answers by code, the limiter with the
 * address it refused, every site's usage, the rollups' lag and the journal's appends, as the engine counted them.
 */
class OperatorReportTest
{
    private static final String ADMIN = "admin-token";

    @TempDir
    Path dataDir;

    @Test
    void theOperatorReportShowsWhatTheEngineCounted() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)
            .sites(List.of(new Site("shop.example"), new Site("blog.example")))))
        {
            assertEquals(200, engine.call("PUT", "/api/v1/limits", "{\"rate_per_second\": 0.001, \"burst\": 2}", ADMIN).status());
            int accepted = 0;
            int limited = 0;
            for (int i = 0; i < 4; i++)
            {
                try (RawHttp http = new RawHttp(engine.port()))
                {
                    final int status = http.exchange(RawHttp.post("/api/event", "application/json",
                        "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "User-Agent: A")).status();
                    accepted += status == 202 ? 1 : 0;
                    limited += status == 429 ? 1 : 0;
                }
            }
            assertEquals(2, accepted);
            assertEquals(2, limited);
            engine.awaitRollups();

            final RawHttp.Answer answer = engine.call("GET", "/api/v1/operator", null, ADMIN);
            assertEquals(200, answer.status(), answer.body());
            final Map<String, Object> report = Json.parseObject(answer.body());
            assertEquals(2L, ((Number)report.get("journal_appends")).longValue());
            final Map<?, ?> answers = (Map<?, ?>)((Map<?, ?>)report.get("health")).get("answers");
            assertEquals(2L, ((Number)answers.get("accepted")).longValue(), answers.toString());
            assertEquals(2L, ((Number)answers.get("rate_limited")).longValue(), answers.toString());
            final Map<?, ?> limits = (Map<?, ?>)report.get("limits");
            assertEquals(2L, ((Number)limits.get("burst")).longValue());
            final List<?> top = (List<?>)limits.get("top_limited");
            assertEquals("127.0.0.1", ((Map<?, ?>)top.get(0)).get("address"), top.toString());
            assertEquals(2L, ((Number)((Map<?, ?>)top.get(0)).get("limited")).longValue());
            final List<?> usage = (List<?>)report.get("usage");
            assertEquals(List.of("shop.example", "blog.example"), usage.stream().map(u -> ((Map<?, ?>)u).get("site")).toList());
            assertEquals(2L, ((Number)((Map<?, ?>)usage.get(0)).get("events")).longValue());
            assertEquals(0L, ((Number)((Map<?, ?>)report.get("rollups")).get("lag_events")).longValue(), "caught up");
            assertTrue(((Map<?, ?>)((Map<?, ?>)report.get("health")).get("disk")).containsKey("journal_bytes"));

            assertEquals(401, engine.call("GET", "/api/v1/operator", null, "not-the-token").status());
            assertEquals(405, engine.call("POST", "/api/v1/operator", "{}", ADMIN).status());
            assertEquals(400, engine.call("GET", "/api/v1/operator?x=1", null, ADMIN).status());
        }
    }
}
