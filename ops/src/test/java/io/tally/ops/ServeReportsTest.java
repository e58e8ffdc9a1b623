package io.tally.ops;

import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notifier in the whole-engine reports, as {@code tally serve} composes it beside the engine: its agent in
 * {@code /healthz} and {@code /metrics}, its families in {@code /metrics} from the first scrape.
 */
class ServeReportsTest
{
    @TempDir
    Path dataDir;

    @Test
    void healthListsTheNotificationAgentAfterTheRollups() throws Exception
    {
        try (TestEngine engine = ServedEngine.start(dataDir))
        {
            final Map<?, ?> agents = (Map<?, ?>)engine.health().get("agents");
            assertEquals(List.of("rollups", "notifications"), List.copyOf(agents.keySet()));
        }
    }

    @Test
    void metricsHaveTheNotificationFamilies() throws Exception
    {
        try (TestEngine engine = ServedEngine.start(dataDir))
        {
            final String text = engine.call("GET", "/metrics", null, null).body();
            for (final String family : List.of("tally_notifications_sent", "tally_notifications_failed",
                "tally_notifications_dropped"))
            {
                assertTrue(text.contains("# TYPE " + family + "_total counter\n"), family);
                assertTrue(text.contains("# HELP " + family + "_total "), family);
                for (final String channel : List.of("webhook", "email"))
                {
                    assertTrue(text.contains(family + "_total{channel=\"" + channel + "\"} 0.0\n"), family + " " + channel);
                }
            }
            assertTrue(text.contains("# TYPE tally_notifications_pending gauge\n"));
            assertTrue(text.contains("tally_notifications_pending 0.0\n"));
            assertTrue(text.contains("tally_agent_running{agent=\"notifications\"} "));
        }
    }
}
