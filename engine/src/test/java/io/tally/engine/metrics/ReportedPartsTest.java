package io.tally.engine.metrics;

import io.tally.engine.Engine;
import io.tally.store.agent.SupervisedAgent;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A part made beside the engine, added to its reports: its agent is listed in {@code /healthz} and {@code /metrics}
 * after the engine's own, its families are in every scrape.
 */
class ReportedPartsTest
{
    @TempDir
    Path dataDir;

    @Test
    void anAgentAndAMetricSourceAddedBesideTheEngineAreInItsReports() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dataDir, UnaryOperator.identity(), ReportedPartsTest::addPart))
        {
            final Map<?, ?> agents = (Map<?, ?>)engine.health().get("agents");
            assertEquals(List.of("rollups", "beside"), List.copyOf(agents.keySet()));
            final Map<?, ?> beside = (Map<?, ?>)agents.get("beside");
            assertEquals("new", beside.get("state"));
            assertEquals(0, ((Number)beside.get("restarts")).intValue());
            assertEquals("ok", engine.health().get("status"), "an agent not started yet is no problem");
            final String text = engine.call("GET", "/metrics", null, null).body();
            assertTrue(text.contains("# TYPE tally_beside_things gauge\n"), text);
            assertTrue(text.contains("tally_beside_things 7.0\n"), text);
            assertTrue(text.contains("tally_agent_running{agent=\"beside\"} 0.0\n"), text);
        }
    }

    @Test
    void twoAgentsCannotShareAName()
    {
        final ReportedParts parts = new ReportedParts();
        parts.addAgent("rollups", unstarted());
        assertThrows(IllegalArgumentException.class, () -> parts.addAgent("rollups", unstarted()));
        assertEquals(List.of("rollups"), List.copyOf(parts.agents().keySet()));
    }

    private static AutoCloseable addPart(final Engine engine)
    {
        engine.reportedParts().addAgent("beside", unstarted());
        engine.reportedParts().addMetrics(all -> all.metricSnapshot(MetricFamilies.gauge("tally_beside_things",
            "things beside the engine", 7)));
        return () -> { };
    }

    /** An agent no runner starts: {@code /healthz} shows it as new. */
    private static SupervisedAgent unstarted()
    {
        return new SupervisedAgent("tally-beside", () ->
        {
            throw new IllegalStateException("never started");
        }, Throwable::printStackTrace);
    }
}
