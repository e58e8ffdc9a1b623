package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The filtered realtime report says how far the event store reaches: with the sealer stopped after a first event,
 * a second event is in the journal (the unfiltered report counts it) but not in the store, and {@code through} is
 * the first event's receive time, before the second was sent.
 */
class FilteredRealtimeLagTest
{
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

    @TempDir
    Path dataDir;

    @Test
    void throughIsTheLastSealedEventsReceiveTime() throws Exception
    {
        try (StoreServedEngine served = new StoreServedEngine(dataDir))
        {
            final TestEngine engine = served.engine();
            final long sendFrom = System.currentTimeMillis();
            assertTrue(!Instant.parse((String)realtime(engine, served.admin(), "event:page==/a").get("through"))
                .isBefore(Instant.ofEpochMilli(sendFrom)), "an empty journal is all in the store: through is the request's time");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                served.send(http, 1, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/a\"}");
            }
            served.awaitSealed();
            served.stopSealing();
            final long second = System.currentTimeMillis();
            try (RawHttp http = new RawHttp(engine.port()))
            {
                served.send(http, 2, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/b\"}");
            }
            engine.awaitRollups();

            assertEquals(2L, number(realtime(engine, served.admin(), null), "events"), "the journal's report counts both");
            final Map<String, Object> all = realtime(engine, served.admin(), "event:name!=nothing-is-called-this");
            assertEquals(1L, number(all, "events"), "the store holds the first only: " + all);
            final Instant through = Instant.parse((String)all.get("through"));
            assertTrue(!through.isBefore(Instant.ofEpochMilli(sendFrom)) && through.isBefore(Instant.ofEpochMilli(second + 1)),
                through + " is the first event's receive time: after " + Instant.ofEpochMilli(sendFrom) + ", not after "
                    + Instant.ofEpochMilli(second));
            assertEquals(0L, number(realtime(engine, served.admin(), "event:page==/b"), "events"), "the second is not sealed");
        }
    }

    private static Map<String, Object> realtime(final TestEngine engine, final String token, final String filters) throws IOException
    {
        final RawHttp.Answer answer = engine.call("GET", "/api/v1/stats/shop.example/realtime" + (filters == null ? ""
            : "?filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8)), null, token);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    private static long number(final Map<String, Object> body, final String key)
    {
        return ((Number)body.get(key)).longValue();
    }
}
