package io.tally.engine;

import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When the journal cannot take an event, the answer is 503 with Retry-After, never 202. */
class JournalUnavailableTest
{
    @TempDir
    Path dataDir;

    @Test
    void aClosedJournalIsAnswered503() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dataDir); RawHttp http = new RawHttp(engine.port()))
        {
            final byte[] request = RawHttp.post("/api/event", "application/json", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            assertEquals(202, http.exchange(request).status());
            engine.server().engine().journal().close();
            final RawHttp.Answer answer = http.exchange(request);
            assertEquals(503, answer.status());
            assertEquals("journal_unavailable", Json.parseObject(answer.body()).get("error"));
            assertEquals("1", answer.header("retry-after"));
            assertEquals(1, engine.server().engine().counters().count(Outcome.JOURNAL_UNAVAILABLE));
        }
    }
}
