package io.tally.engine.http;

import io.tally.engine.identity.AddressRanges;
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

/** Integrations written for Plausible point at {@code /api/event} unchanged. */
class PlausibleBodiesTest
{
    @TempDir
    Path dataDir;

    @Test
    void theEventsApiBodyAndTheScriptsShortKeysAreJournaledAsBeacons() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.trustedProxies(AddressRanges.parse(List.of("127.0.0.1")))))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"name\":\"Signup\",\"url\":\"https://shop.example/join?value=5\",\"domain\":\"shop.example\"," +
                        "\"referrer\":\"https://news.example/\",\"props\":{\"plan\":\"pro\",\"seats\":3}," +
                        "\"revenue\":{\"currency\":\"EUR\",\"amount\":\"29.99\"},\"interactive\":true}",
                    "X-Forwarded-For: 198.51.100.7", "User-Agent: Mozilla/5.0")).status());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain",
                    "{\"n\":\"pageview\",\"u\":\"https://shop.example/pricing\",\"d\":\"shop.example\",\"r\":null,\"w\":1440,\"h\":0}",
                    "X-Forwarded-For: 198.51.100.8", "User-Agent: Mozilla/5.0")).status());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain",
                    "{\"n\":\"Download\",\"u\":\"https://shop.example/\",\"d\":\"shop.example\",\"p\":\"{\\\"file\\\":\\\"a.pdf\\\"}\"}",
                    "X-Forwarded-For: 198.51.100.8", "User-Agent: Mozilla/5.0")).status());
                final RawHttp.Answer nested = http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"name\":\"Signup\",\"url\":\"https://shop.example/\",\"props\":{\"nested\":{\"a\":1}}}"));
                assertEquals(202, nested.status(), "a nested value drops that property, as Plausible does");
                assertEquals("prop_value=1", nested.header("tally-dropped"));
            }
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(4, records.size());
            assertEquals(Map.of(), records.get(3).get("props"));
            final Map<String, Object> signup = records.get(0);
            assertEquals("custom", signup.get("type"));
            assertEquals("Signup", signup.get("name"));
            assertEquals("https://news.example/", signup.get("referrer"));
            assertEquals(Map.of("plan", "pro", "seats", "3"), signup.get("props"));
            assertEquals(Map.of("amount", "29.99", "currency", "EUR"), signup.get("revenue"));
            final Map<String, Object> pageview = records.get(1);
            assertEquals("pageview", pageview.get("type"));
            assertEquals("/pricing", pageview.get("path"));
            assertNotEquals(signup.get("visitor"), pageview.get("visitor"), "the address comes through the trusted proxy");
            assertEquals(Map.of("file", "a.pdf"), records.get(2).get("props"), "the script's props as a JSON string");
        }
    }

    @Test
    void theScriptsRevenueKeyAndEngagementEventsKeepTheirMeaning() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain",
                    "{\"n\":\"Purchase\",\"u\":\"https://shop.example/done\",\"d\":\"shop.example\",\"v\":36," +
                        "\"$\":{\"amount\":15.99,\"currency\":\"EUR\"}}")).status());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain",
                    "{\"n\":\"engagement\",\"u\":\"https://shop.example/done\",\"d\":\"shop.example\",\"sd\":40,\"e\":3000}"))
                    .status());
                assertEquals(400, http.exchange(RawHttp.post("/api/event", "text/plain",
                    "{\"n\":\"Purchase\",\"u\":\"https://shop.example/\",\"$\":{\"amount\":1},\"revenue\":{\"amount\":2}}"))
                    .status(), "$ and revenue together are one key given twice");
            }
            final List<Map<String, Object>> records = engine.dump();
            assertEquals(2, records.size());
            assertEquals(Map.of("amount", "15.99", "currency", "EUR"), records.get(0).get("revenue"));
            assertEquals(null, records.get(0).get("value"), "the script's version is no goal value");
            assertEquals("engagement", records.get(1).get("type"));
            assertEquals("engagement", records.get(1).get("name"));
        }
    }
}
