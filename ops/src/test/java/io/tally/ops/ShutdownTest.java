package io.tally.ops;

import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM drains: a request in flight is finished and answered, the journal is closed, the exit code is 0. */
class ShutdownTest
{
    @TempDir
    Path dataDir;

    @Test
    void sigtermFinishesTheRequestInFlightAndExitsZero() throws Exception
    {
        try (EngineProcess engine = EngineProcess.start(dataDir, "--site", "shop.example"))
        {
            try (RawHttp idle = new RawHttp(engine.port()); RawHttp inFlight = new RawHttp(engine.port()))
            {
                assertEquals(202, idle.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"p\",\"u\":\"https://shop.example/first\"}")).status());
                final byte[] request = RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"InFlight\",\"u\":\"https://shop.example/slow\"}");
                final int half = request.length - 20;
                inFlight.send(java.util.Arrays.copyOfRange(request, 0, half));
                Thread.sleep(300);

                engine.process().destroy();
                Thread.sleep(300);
                assertTrue(engine.process().isAlive(), "it waits for the request in flight");
                inFlight.send(java.util.Arrays.copyOfRange(request, half, request.length));
                final RawHttp.Answer answer = inFlight.read();
                assertEquals(202, answer.status());
                assertEquals("close", answer.header("connection"));
                assertTrue(idle.isClosedByServer(), "idle keep-alive connections are closed");
            }
            assertEquals(0, engine.terminate(), engine.log());
            assertTrue(engine.log().contains("stopped cleanly"), engine.log());
        }
        final List<Map<String, Object>> records = TestEngine.dump(dataDir);
        assertEquals(List.of("pageview", "InFlight"), records.stream().map(r -> r.get("name")).toList());
    }
}
