package io.tally.ops;

import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.explore.Experiment;
import io.tally.engine.explore.ExperimentReports;
import io.tally.engine.explore.Funnel;
import io.tally.engine.explore.FunnelReports;
import io.tally.explore.EventQueries;
import io.tally.explore.experiment.ExperimentQuery;
import io.tally.explore.funnel.FunnelQuery;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * The engine's funnel and experiment reports, read from the event store through the {@code explore} module: the
 * engine's definitions become explore's queries here. Connected only with {@code --event-store true} (otherwise the
 * reports answer that the store is off). DuckDB runs each query on half the cores at most: ingest keeps the rest.
 * The reader is opened at the first report, not at start: the engine starts no slower for it.
 */
final class ExploreReports implements FunnelReports, ExperimentReports, AutoCloseable
{
    private final Path dataDir;
    private EventQueries queries;
    private boolean closed;

    private ExploreReports(final Path dataDir)
    {
        this.dataDir = dataDir;
    }

    /** Connects the reports to {@code engine} when the event store runs; null (nothing to close) when it does not. */
    static ExploreReports connect(final Engine engine, final EngineConfig config, final EventsCommand.StoreSettings settings)
    {
        return settings.enabled() ? connect(engine, config.dataDir()) : null;
    }

    /** Connects the reports to {@code engine}, reading the event store under {@code dataDir}. */
    static ExploreReports connect(final Engine engine, final Path dataDir)
    {
        final ExploreReports reports = new ExploreReports(dataDir);
        engine.explorations().connect(reports, reports);
        return reports;
    }

    /** The event store's reader, opened at the first call. */
    private synchronized EventQueries queries() throws SQLException
    {
        if (closed)
        {
            throw new IllegalStateException("the engine is stopping");
        }
        if (queries == null)
        {
            queries = new EventQueries(dataDir, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        }
        return queries;
    }

    @Override
    public void checkFilters(final String filters)
    {
        FunnelQuery.checkFilters(filters);
    }

    @Override
    public Map<String, Object> funnel(final String site, final Funnel funnel, final long fromMillis, final long toMillis,
        final String breakdown)
    {
        final List<FunnelQuery.Step> steps = funnel.steps().stream()
            .map(step -> new FunnelQuery.Step(step.name(), step.type(), step.value(), step.filters())).toList();
        try
        {
            return new FunnelQuery(queries()).run(site, steps, funnel.window().millis(), fromMillis, toMillis, breakdown);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("funnel " + funnel.name() + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public Map<String, Object> experiment(final String site, final Experiment experiment, final long fromMillis,
        final long toMillis)
    {
        final ExperimentQuery.Definition definition = new ExperimentQuery.Definition(
            experiment.source().equals(Experiment.URL_PARAMETER), experiment.key(), experiment.goal(), experiment.control(),
            experiment.weights());
        try
        {
            return new ExperimentQuery(queries()).run(site, definition, fromMillis, toMillis);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("experiment " + experiment.name() + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        try
        {
            if (queries != null)
            {
                queries.close();
            }
        }
        catch (final SQLException ex)
        {
            // the in-memory database is gone with the process: nothing is lost
        }
    }
}
