package io.tally.engine.api.admin;

import io.tally.engine.explore.Experiment;
import io.tally.engine.explore.Explorations;
import io.tally.engine.explore.Funnel;
import io.tally.engine.explore.FunnelReports;
import io.tally.engine.explore.InvalidDefinitionException;
import io.tally.engine.site.GoalBook;
import io.tally.matcher.Goal;

/** The checks of a funnel or experiment that need more than its JSON: its filters parse, its goal exists. */
final class Definitions
{
    private Definitions()
    {
    }

    /** Each step's filters parse (when the event store's reports are connected: they hold the parser). */
    static void checkFilters(final Explorations explorations, final Funnel funnel)
    {
        final FunnelReports reports = explorations.funnelReports();
        for (int i = 0; reports != null && i < funnel.steps().size(); i++)
        {
            final String filters = funnel.steps().get(i).filters();
            try
            {
                if (filters != null)
                {
                    reports.checkFilters(filters);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new InvalidDefinitionException("steps[" + i + "].filters", ex.getMessage());
            }
        }
    }

    /** The experiment's goal is one of the site's goals. */
    static void checkGoal(final GoalBook goals, final String site, final Experiment experiment)
    {
        for (final Goal goal : goals.goals(site))
        {
            if (goal.name().equals(experiment.goal()))
            {
                return;
            }
        }
        throw new InvalidDefinitionException("goal", "no goal named '" + experiment.goal() + "' for " + site);
    }
}
