package io.tally.engine;

import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Revenue over the real server: a zero amount is stored as 0. */
class RevenueHttpTest
{
    private static final String CUSTOM = "{\"t\":\"e\",\"n\":\"Paid\",\"u\":\"https://shop.example/done\"";

    @TempDir
    Path dataDir;

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
