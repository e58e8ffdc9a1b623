package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Funnels and experiments over a real {@code tally serve} with the event store on, over real sockets: definitions made
 * through the admin API, events sent as beacons, the reports read back once sealed; definitions survive a restart.
 */
class FunnelsServeTest
{
    private static final String SITE = "shop.example";
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    @TempDir
    Path dir;

    @Test
    void aFunnelAndAnExperimentAreAnsweredFromTheEventsSent() throws Exception
    {
        final Path data = dir.resolve("data");
        awayFromMidnight();
        try (EngineProcess engine = EngineProcess.start(data, "--site", SITE, "--admin-token", "T", "--event-store", "true",
            "--events-seal-interval", "200");
            RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(201, admin(http, "POST", "/api/v1/sites/shop.example/goals", "{\"name\":\"Buy\",\"type\":\"custom\"," +
                "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Buy\"}]}").status());
            assertEquals(201, admin(http, "POST", "/api/v1/sites/shop.example/funnels", "{\"name\":\"Checkout\",\"window\":\"30m\"," +
                "\"steps\":[{\"type\":\"page\",\"value\":\"/pricing\"},{\"type\":\"event\",\"value\":\"Signup\"}," +
                "{\"type\":\"goal\",\"value\":\"Buy\",\"name\":\"Bought\"}]}").status());
            assertEquals(201, admin(http, "POST", "/api/v1/sites/shop.example/experiments", "{\"name\":\"Hero\"," +
                "\"variant\":{\"property\":\"hero\"},\"goal\":\"Buy\",\"control\":\"A\"}").status());
            for (int i = 0; i < 10; i++)
            {
                final String agent = "User-Agent: " + BROWSER + " v" + i;
                beacon(http, "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\",\"mk\":[\"hero\"],\"mv\":[\"" +
                    (i % 2 == 0 ? "A" : "B") + "\"]}", agent);
                if (i < 8)
                {
                    beacon(http, "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/signup\"}", agent);
                }
                if (i < 5)
                {
                    beacon(http, "{\"t\":\"e\",\"n\":\"Buy\",\"u\":\"https://shop.example/buy\",\"ra\":10.5,\"rc\":\"EUR\"}", agent);
                }
            }
            final String today = LocalDate.now(ZoneOffset.UTC).toString();
            final Map<String, Object> funnel = awaitFunnel(http, "/api/v1/stats/shop.example/funnel?name=Checkout&from=" + today +
                "&to=" + today, 10);
            final List<?> steps = (List<?>)funnel.get("steps");
            assertStep(steps.get(0), "/pricing", 10, 0, "100.00");
            assertStep(steps.get(1), "Signup", 8, 2, "80.00");
            assertStep(steps.get(2), "Bought", 5, 3, "50.00");
            assertEquals(List.of(Map.of("currency", "EUR", "amount", "52.5")), ((Map<?, ?>)steps.get(2)).get("revenue"));
            assertNotNull(((Map<?, ?>)steps.get(2)).get("median_seconds_from_previous"));

            final Map<String, Object> byHero = Json.parseObject(admin(http, "GET",
                "/api/v1/stats/shop.example/funnel?name=Checkout&period=today&breakdown=event:props:hero", null).body());
            final List<?> rows = (List<?>)((Map<?, ?>)byHero.get("breakdown")).get("rows");
            assertEquals("A", ((Map<?, ?>)rows.get(0)).get("value"), byHero.toString());
            assertStep(((List<?>)((Map<?, ?>)rows.get(0)).get("steps")).get(2), "Bought", 3, 1, "60.00");
            assertEquals("B", ((Map<?, ?>)rows.get(1)).get("value"), byHero.toString());
            assertStep(((List<?>)((Map<?, ?>)rows.get(1)).get("steps")).get(2), "Bought", 2, 2, "40.00");

            final Map<String, Object> experiment = Json.parseObject(admin(http, "GET",
                "/api/v1/stats/shop.example/experiment?name=Hero&period=today", null).body());
            final List<?> variants = (List<?>)experiment.get("variants");
            assertVariant(variants.get(0), "A", 5, 3);
            assertVariant(variants.get(1), "B", 5, 2);
            assertEquals(false, ((Map<?, ?>)experiment.get("sample_ratio")).get("mismatch"));
            assertEquals(0, engine.terminate());
        }
        try (EngineProcess engine = EngineProcess.start(data, "--site", SITE, "--admin-token", "T");
            RawHttp http = new RawHttp(engine.port()))
        {
            assertTrue(admin(http, "GET", "/api/v1/sites/shop.example/funnels", null).body().contains("\"Checkout\""),
                "kept across a restart");
            final RawHttp.Answer off = admin(http, "GET", "/api/v1/stats/shop.example/funnel?name=Checkout&period=today", null);
            assertEquals(409, off.status(), off.body());
            assertTrue(off.body().contains("event_store_off"), off.body());
            assertEquals(0, engine.terminate());
        }
    }

    /**
     * Polls the funnel until its first step has {@code first} visitors, or 60 s pass: the last visitor's first event is
     * the last event sent, and the store seals a prefix of the journal, so then every event is sealed.
     */
    private static Map<String, Object> awaitFunnel(final RawHttp http, final String path, final long first) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Object> answer;
        do
        {
            final RawHttp.Answer reply = admin(http, "GET", path, null);
            assertEquals(200, reply.status(), reply.body());
            answer = Json.parseObject(reply.body());
            final List<?> steps = (List<?>)answer.get("steps");
            if (((BigDecimal)((Map<?, ?>)steps.get(0)).get("visitors")).longValue() == first)
            {
                return answer;
            }
            Thread.sleep(100);
        }
        while (System.nanoTime() < deadline);
        return answer;
    }

    /** Visitor ids change at UTC midnight: events sent across it would be two visitors each. */
    static void awayFromMidnight() throws InterruptedException
    {
        final long millisOfDay = Instant.now().toEpochMilli() % 86_400_000L;
        if (millisOfDay > 86_400_000L - 120_000L)
        {
            Thread.sleep(86_400_000L - millisOfDay + 1_000L);
        }
    }

    private static void assertStep(final Object row, final String name, final long visitors, final long dropoff,
        final String rate)
    {
        final Map<?, ?> step = (Map<?, ?>)row;
        assertEquals(name, step.get("name"), step.toString());
        assertEquals(new BigDecimal(visitors), step.get("visitors"), step.toString());
        assertEquals(new BigDecimal(dropoff), step.get("dropoff"), step.toString());
        assertEquals(new BigDecimal(rate), step.get("conversion_rate"), step.toString());
    }

    private static void assertVariant(final Object row, final String name, final long visitors, final long conversions)
    {
        final Map<?, ?> variant = (Map<?, ?>)row;
        assertEquals(name, variant.get("variant"), variant.toString());
        assertEquals(new BigDecimal(visitors), variant.get("visitors"), variant.toString());
        assertEquals(new BigDecimal(conversions), variant.get("conversions"), variant.toString());
    }

    private static void beacon(final RawHttp http, final String body, final String agent) throws Exception
    {
        assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", body, agent)).status());
    }

    private static RawHttp.Answer admin(final RawHttp http, final String method, final String path, final String body)
        throws Exception
    {
        final byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        final String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer T\r\n" +
            (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n") + "\r\n";
        return http.exchange(RawHttp.concat(head.getBytes(StandardCharsets.US_ASCII), bytes));
    }
}
