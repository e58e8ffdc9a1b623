package io.tally.engine;

import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import io.tally.engine.ingest.IngestResult;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When the journal cannot take an event the answer is 503 with Retry-After, never 202, and nothing is written:
 * here the engine keeps more free space than any disk has, so every append is refused as a full disk's would be.
 */
class JournalUnavailableTest
{
    @TempDir
    Path dataDir;

    @Test
    void aBeaconTheJournalCannotTakeIsAnswered503AndNotStored() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.minFreeSpace(Long.MAX_VALUE / 4));
            RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"p\",\"u\":\"https://shop.example/\"}"));
            assertEquals(503, answer.status());
            assertEquals(Map.of("error", "disk_full", "detail", "the engine's disk is nearly full; retry later"),
                Json.parseObject(answer.body()));
            assertEquals(Long.toString(IngestResult.DISK_FULL_RETRY_SECONDS), answer.header("retry-after"));
            assertEquals(1, engine.engine().counters().count(Outcome.DISK_FULL));
            assertEquals(List.of(), engine.dump());
        }
    }

    @Test
    void aTrustedBatchTheJournalCannotTakeIsAnswered503SoTheSenderRetriesIt() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.minFreeSpace(Long.MAX_VALUE / 4)))
        {
            final String admin = engine.engine().adminToken().value();
            final String token = (String)Json.parseObject(engine.call("POST", "/api/v1/sites/shop.example/tokens", "", admin)
                .body()).get("token");
            final RawHttp.Answer answer = engine.call("POST", "/api/v1/events",
                "{\"t\":\"e\",\"n\":\"A\",\"u\":\"https://shop.example/\",\"id\":\"1\"}\n" +
                "{\"t\":\"e\",\"n\":\"B\",\"u\":\"https://shop.example/\",\"id\":\"2\"}\n", token);
            assertEquals(503, answer.status(), answer.body());
            assertEquals(Long.toString(IngestResult.DISK_FULL_RETRY_SECONDS), answer.header("retry-after"));
            assertEquals(0, ((Number)Json.parseObject(answer.body()).get("accepted")).intValue());
            assertEquals(List.of(), engine.dump());
        }
    }
}
