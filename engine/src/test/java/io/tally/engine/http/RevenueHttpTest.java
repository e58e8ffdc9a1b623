package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Revenue over the real server: currencies must be ISO 4217 codes, and a zero amount is stored as 0. */
class RevenueHttpTest
{
    private static final String CUSTOM = "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/done\"";

    @TempDir
    Path dataDir;

    @Test
    void currenciesMustBeIso4217CodesInEitherCase() throws IOException
    {
        try (TestEngine engine = TestEngine.start(dataDir); RawHttp http = new RawHttp(engine.port()))
        {
            for (final String code : List.of("USD", "EUR", "JPY", "CHF", "chf", "Gbp"))
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    CUSTOM + ",\"ra\":5,\"rc\":\"" + code + "\"}")).status(), code);
            }
            for (final String code : List.of("ZZZ", "XXA", "AAA", "zzz", "QQQ"))
            {
                assertRefused(http.exchange(RawHttp.post("/api/event", "application/json",
                    CUSTOM + ",\"ra\":5,\"rc\":\"" + code + "\"}")), "'rc' is not an ISO 4217 currency code");
            }
            // Plausible's revenue with such a currency is dropped and the event kept, as Plausible does (docs/plausible.md)
            final RawHttp.Answer dropped = http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"name\":\"Paid\",\"url\":\"https://shop.example/\",\"revenue\":{\"currency\":\"ZZZ\",\"amount\":\"5\"}}"));
            assertEquals(202, dropped.status());
            assertEquals("revenue=1", dropped.header("tally-dropped"));
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "text/plain",
                "{\"n\":\"Paid\",\"u\":\"https://shop.example/\",\"$\":{\"currency\":\"jpy\",\"amount\":500}}")).status());
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                CUSTOM + ",\"rc\":\"usd\",\"ra\":1}")).status());
        }
        assertEquals(java.util.Arrays.asList("USD", "EUR", "JPY", "CHF", "CHF", "GBP", null, "JPY", "USD"),
            TestEngine.dump(dataDir).stream().map(r -> r.get("revenue") == null ? null : ((Map<?, ?>)r.get("revenue")).get("currency"))
                .toList());
    }

    private static void assertRefused(final RawHttp.Answer answer, final String detail)
    {
        assertEquals(400, answer.status(), answer.body());
        final Map<String, Object> error = Json.parseObject(answer.body());
        assertEquals("invalid_currency", error.get("error"));
        assertEquals(detail, ((String)error.get("detail")).replaceFirst(" \\(at byte \\d+\\)$", ""));
    }

    @Test
    void aZeroAmountIsStoredAsZeroWhateverItsSignAndScale() throws IOException
    {
        final List<String> zeros = List.of("-0.0", "0.00", "-0.0e5", "0e-30", "-0", "0.000e-2");
        try (TestEngine engine = TestEngine.start(dataDir); RawHttp http = new RawHttp(engine.port()))
        {
            for (final String zero : zeros)
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    CUSTOM + ",\"ra\":" + zero + ",\"rc\":\"EUR\"}")).status(), zero);
            }
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"name\":\"Paid\",\"url\":\"https://shop.example/\",\"revenue\":{\"currency\":\"EUR\",\"amount\":\"0.00\"}}")).status());
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"x\",\"u\":\"https://shop.example/\",\"v\":-0.0,\"sec\":0.0}")).status());
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                CUSTOM + ",\"ra\":0.50}")).status());
        }
        final List<Map<String, Object>> records = TestEngine.dump(dataDir);
        for (int i = 0; i <= zeros.size(); i++)
        {
            assertEquals(Map.of("amount", "0", "currency", "EUR"), records.get(i).get("revenue"), "record " + i);
        }
        assertEquals("0", records.get(zeros.size() + 1).get("value"));
        assertEquals("0", records.get(zeros.size() + 1).get("seconds"));
        assertEquals(Map.of("amount", "0.50", "currency", "USD"), records.get(zeros.size() + 2).get("revenue"),
            "a non-zero amount keeps its scale");
    }
}
