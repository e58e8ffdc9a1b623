package io.tally.engine.api.stats;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each stats report takes only its own query parameters, each once, each with a value it understands: anything
 * else is refused with the parameter named, never ignored (an ignored filter answers a wrong figure that looks
 * right).
 */
class StatsParametersTest
{
    private static final String ADMIN = "admin-token";
    private static final String STATS = "/api/v1/stats/shop.example/";

    @TempDir
    Path dataDir;

    private static void assertRefused(final TestEngine engine, final String report, final String code, final String detail)
        throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", STATS + report, null, ADMIN);
        assertEquals(400, answer.status(), report + ": " + answer.body());
        assertEquals(Map.of("error", code, "detail", detail), Json.parseObject(answer.body()), report);
    }

    private static String takes(final String parameter, final String report, final String parameters)
    {
        return "unknown parameter '" + parameter + "': " + report + " takes period, from, to, filters" + parameters;
    }

    @Test
    void aParameterAReportDoesNotTakeIsRefusedByName() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)))
        {
            assertRefused(engine, "kpis?period=today&segment=pro", "unknown_parameter", takes("segment", "kpis", ", compare"));
            assertRefused(engine, "sessions?segment=pro", "unknown_parameter", takes("segment", "sessions", ", converted, limit"));
            assertRefused(engine, "goals?compare=previous", "unknown_parameter", takes("compare", "goals", ""));
            assertRefused(engine, "events?metric=visitors", "unknown_parameter", takes("metric", "events", ", name, limit, page"));
            assertRefused(engine, "timeseries?limit=5", "unknown_parameter", takes("limit", "timeseries", ", metric, interval"));
            assertRefused(engine, "sources?goal=Buy&interval=day", "unknown_parameter",
                takes("interval", "sources", ", goal, touch, dimension, limit"));
            assertRefused(engine, "pages?goal=Buy&touch=first", "unknown_parameter", takes("touch", "pages", ", goal, limit"));
            assertRefused(engine, "entry_pages?dimension=referrer", "unknown_parameter", takes("dimension", "entry_pages", ", limit"));
            assertRefused(engine, "exit_pages?goal=Buy", "unknown_parameter", takes("goal", "exit_pages", ", limit"));
            assertRefused(engine, "sessions?page=2", "unknown_parameter", takes("page", "sessions", ", converted, limit"));
            assertRefused(engine, "kpis?Period=today", "unknown_parameter", takes("Period", "kpis", ", compare"));
        }
    }

    @Test
    void aRepeatedParameterOrABadValueIsRefusedByName() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)))
        {
            assertRefused(engine, "kpis?period=today&period=7d", "repeated_parameter", "parameter 'period' is given more than once");
            assertRefused(engine, "kpis?period=today&period=today", "repeated_parameter", "parameter 'period' is given more than once");
            assertRefused(engine, "kpis?compare=next", "invalid_query", "compare: one of previous");
            assertRefused(engine, "kpis?period=today&from=2026-01-01&to=2026-01-02", "invalid_range",
                "give period, or both from and to (YYYY-MM-DD)");
            assertRefused(engine, "kpis?from=2026-01-01", "invalid_range", "give period, or both from and to (YYYY-MM-DD)");
            assertRefused(engine, "kpis?period=fortnight", "invalid_range", "period must be today, 7d, 30d, month or 12mo");
            assertRefused(engine, "timeseries?metric=bounces", "invalid_query",
                "metric: one of visitors, pageviews, events, sessions, conversions");
            assertRefused(engine, "timeseries?interval=week", "invalid_query", "interval: one of hour, day, month");
            assertRefused(engine, "sources?goal=Buy&touch=middle", "invalid_query", "touch: one of first, last");
            assertRefused(engine, "sources?goal=Buy&dimension=color", "invalid_query",
                "dimension: one of referrer, utm_source, utm_medium, utm_campaign");
            assertRefused(engine, "sources?touch=first", "invalid_query", "touch: only with goal=NAME");
            assertRefused(engine, "sources?dimension=color", "invalid_query",
                "dimension: one of referrer, utm_source, utm_medium, utm_campaign");
            assertRefused(engine, "pages?limit=0", "invalid_query", "limit: a whole number from 1 to " + StatsApi.MAX_EVENT_ROWS);
            assertRefused(engine, "exit_pages?limit=1001", "invalid_query", "limit: a whole number from 1 to " + StatsApi.MAX_EVENT_ROWS);
            assertRefused(engine, "sessions?converted=yes", "invalid_query", "converted: one of true, false");
            assertRefused(engine, "sessions?limit=0", "invalid_query", "limit: a whole number from 1 to " + StatsApi.MAX_SESSIONS);
            assertRefused(engine, "sessions?limit=" + (StatsApi.MAX_SESSIONS + 1), "invalid_query",
                "limit: a whole number from 1 to " + StatsApi.MAX_SESSIONS);
            assertEquals(200, engine.call("GET", STATS + "sessions?limit=" + StatsApi.MAX_SESSIONS, null, ADMIN).status());
            assertRefused(engine, "kpis?period=%zz", "invalid_query",
                "the query: malformed %-escape '%zz' (a % needs two hex digits; send % itself as %25)");

            final RawHttp.Answer compared = engine.call("GET", STATS + "kpis?period=today&compare=previous", null, ADMIN);
            assertEquals(200, compared.status(), compared.body());
            assertEquals(BigDecimal.ZERO, ((Map<?, ?>)Json.parseObject(compared.body()).get("previous")).get("visitors"));
        }
    }
}
