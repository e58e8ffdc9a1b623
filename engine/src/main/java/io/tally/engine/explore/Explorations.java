package io.tally.engine.explore;

import io.tally.store.state.StateFiles;

/**
 * The funnels and experiments of every site, and the reports that read them from the event store. The engine keeps
 * the definitions; the reports come from the {@code explore} module, which the engine does not depend on: ops
 * {@link #connect}s them before the server starts (with the event store off they answer that it is off).
 */
public final class Explorations
{
    private final DefinitionBook<Funnel> funnels;
    private final DefinitionBook<Experiment> experiments;
    private volatile FunnelReports funnelReports;
    private volatile ExperimentReports experimentReports;

    public Explorations(final StateFiles files)
    {
        this.funnels = DefinitionBook.funnels(files);
        this.experiments = DefinitionBook.experiments(files);
    }

    public void connect(final FunnelReports funnelReports, final ExperimentReports experimentReports)
    {
        this.funnelReports = funnelReports;
        this.experimentReports = experimentReports;
    }

    public DefinitionBook<Funnel> funnels()
    {
        return funnels;
    }

    public DefinitionBook<Experiment> experiments()
    {
        return experiments;
    }

    /** The funnel reports; null until connected. */
    public FunnelReports funnelReports()
    {
        return funnelReports;
    }

    /** The experiment reports; null until connected. */
    public ExperimentReports experimentReports()
    {
        return experimentReports;
    }
}
