package io.tally.explore;

import io.tally.store.Journal;
import io.tally.store.agent.BackgroundIdle;
import io.tally.store.agent.SupervisedAgent;
import io.tally.store.state.FreeSpace;
import org.agrona.concurrent.AgentRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The event store beside the engine: the {@link EventSealAgent} on its own thread ({@code tally-events}), supervised
 * (restarted with back-off after a failure), on the engine's journal. Made after the engine has recovered; closed
 * before it (the agent seals what was journaled before the close).
 */
public final class EventStore implements AutoCloseable
{
    /** The agent's name in {@code /healthz} and in {@code /metrics}' {@code agent} label. */
    public static final String AGENT = "events";
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    /** DuckDB threads a query of the API may use: the API's threads are few, and ingest keeps the cores. */
    private static final int QUERY_THREADS = 2;

    private final EventFiles files;
    private final EventStoreCounters counters = new EventStoreCounters();
    private final SupervisedAgent agent;
    private final AgentRunner runner;
    private final EventQueries queries;

    /** Seals {@code journal} under {@code dataDir}, writing only while {@code freeSpace} keeps its reserve. */
    public EventStore(final Path dataDir, final Journal journal, final int retentionDays, final long sealIntervalMillis,
        final LongSupplier clock, final FreeSpace freeSpace)
    {
        this.files = new EventFiles(dataDir);
        final org.agrona.ErrorHandler errors = error -> LOG.warn("event store: {}", String.valueOf(error));
        this.agent = new SupervisedAgent("tally-events",
            () -> new EventSealAgent(journal, files, retentionDays, sealIntervalMillis, clock, counters, freeSpace), errors);
        this.runner = new AgentRunner(BackgroundIdle.strategy(), errors, null, agent);
        AgentRunner.startOnThread(runner);
        try
        {
            this.queries = new EventQueries(dataDir, QUERY_THREADS);
        }
        catch (final java.sql.SQLException ex)
        {
            runner.close();
            throw new IllegalStateException("event store: cannot open DuckDB for queries: " + ex.getMessage(), ex);
        }
    }

    /** The reader of the store's files for the API (exports, filtered reports), closed with the store. */
    public EventQueries queries()
    {
        return queries;
    }

    public SupervisedAgent agent()
    {
        return agent;
    }

    public EventStoreCounters counters()
    {
        return counters;
    }

    public EventFiles files()
    {
        return files;
    }

    @Override
    public void close()
    {
        try
        {
            queries.close();
        }
        catch (final java.sql.SQLException ex)
        {
            LOG.warn("event store: closing its queries: {}", ex.getMessage());
        }
        runner.close();
    }
}
