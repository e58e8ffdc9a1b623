package io.tally.engine.ingest;

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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A restart does not cut the sessions of the last 30 minutes: they are read back from the journal, so a visitor's
 * next event goes on in the same session, and a Plausible engagement of that session is stored, not dropped.
 */
class SessionsAcrossRestartsTest
{
    @TempDir
    Path dataDir;

    private TestEngine start()
    {
        return TestEngine.start(dataDir, b -> b.sites(List.of(new Site("shop.example"))));
    }

    private static RawHttp.Answer send(final TestEngine engine, final String body, final String userAgent) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json", body,
                "User-Agent: " + userAgent));
            assertEquals(202, answer.status(), answer.body());
            return answer;
        }
    }

    @Test
    void aVisitorsNextEventAfterARestartContinuesItsSession() throws IOException
    {
        try (TestEngine engine = start())
        {
            send(engine, "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "browser/1");
            send(engine, "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "browser/2");
        }
        try (TestEngine engine = start())
        {
            send(engine, "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}", "browser/1");
            final RawHttp.Answer engagement = send(engine,
                "{\"n\":\"engagement\",\"u\":\"https://shop.example/pricing\",\"d\":\"shop.example\",\"sd\":40,\"e\":1500}",
                "browser/2");
            assertNull(engagement.header("Tally-Dropped"), "the session of browser/2 is still live: nothing is dropped");
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(4, records.size());
            assertEquals(records.get(0).get("session"), records.get(2).get("session"), "browser/1 went on in its session");
            assertEquals(records.get(1).get("session"), records.get(3).get("session"), "and so did browser/2");
            assertNotEquals(records.get(0).get("session"), records.get(1).get("session"));
        }
    }
}
