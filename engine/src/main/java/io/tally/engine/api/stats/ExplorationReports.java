package io.tally.engine.api.stats;

import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.api.request.Range;
import io.tally.engine.explore.Experiment;
import io.tally.engine.explore.ExperimentReports;
import io.tally.engine.explore.Explorations;
import io.tally.engine.explore.Funnel;
import io.tally.engine.explore.FunnelReports;
import io.tally.engine.site.Site;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The stats reports read from the event store: {@code GET /api/v1/stats/{site}/funnel?name=F[&breakdown=DIM]} and
 * {@code .../experiment?name=E}, over {@code period} or {@code from}/{@code to} as every report. A name the site has
 * no definition of is a 404; with the event store off, a 409 saying so. {@code .../funnels} and {@code .../experiments}
 * list the site's definitions to whoever reads its reports (a read token, a share link: the dashboard's views list
 * them), with {@code event_store} saying whether their reports can be answered.
 */
public final class ExplorationReports
{
    public static final List<String> REPORTS = List.of("funnel", "experiment", "funnels", "experiments");
    private static final List<String> FUNNEL_PARAMETERS = List.of("period", "from", "to", "name", "breakdown");
    private static final List<String> EXPERIMENT_PARAMETERS = List.of("period", "from", "to", "name");

    private final Explorations explorations;

    public ExplorationReports(final Explorations explorations)
    {
        this.explorations = explorations;
    }

    /** Answers {@code report} (one of {@link #REPORTS}); {@code ranges} reads a query's range in a time zone. */
    public Answer handle(final Site site, final String report, final QueryParameters query,
        final BiFunction<QueryParameters, ZoneId, Range> ranges)
    {
        if (report.endsWith("s"))
        {
            query.allowOnly(List.of(), report);
            return list(site, report);
        }
        final boolean funnel = report.equals("funnel");
        query.allowOnly(funnel ? FUNNEL_PARAMETERS : EXPERIMENT_PARAMETERS, report);
        final Range range = ranges.apply(query, ZoneId.of(site.timeZone()));
        final String name = query.get("name");
        if (name == null)
        {
            throw new InvalidRequestException("invalid_query", "give name=NAME of the site's " + report);
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site.domain());
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        try
        {
            return funnel ? funnel(body, site, range, name, query.get("breakdown")) : experiment(body, site, range, name);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidRequestException("invalid_query", ex.getMessage());
        }
    }

    private Answer funnel(final Map<String, Object> body, final Site site, final Range range,
        final String name, final String breakdown)
    {
        final Funnel funnel = explorations.funnels().get(site.domain(), name);
        final FunnelReports reports = explorations.funnelReports();
        if (funnel == null || reports == null)
        {
            return funnel == null ? missing("funnel", site, name) : storeOff();
        }
        body.put("funnel", funnel.json());
        body.putAll(reports.funnel(site.domain(), funnel, range.fromMillis(), range.toMillis(), breakdown));
        return new Answer(200, Json.write(body));
    }

    private Answer experiment(final Map<String, Object> body, final Site site, final Range range,
        final String name)
    {
        final Experiment experiment = explorations.experiments().get(site.domain(), name);
        final ExperimentReports reports = explorations.experimentReports();
        if (experiment == null || reports == null)
        {
            return experiment == null ? missing("experiment", site, name) : storeOff();
        }
        body.put("experiment", experiment.json());
        body.putAll(reports.experiment(site.domain(), experiment, range.fromMillis(), range.toMillis()));
        return new Answer(200, Json.write(body));
    }

    /** The site's funnels or experiments, as the admin API writes them. */
    private Answer list(final Site site, final String report)
    {
        final boolean funnels = report.equals("funnels");
        final List<Object> list = new ArrayList<>();
        if (funnels)
        {
            explorations.funnels().list(site.domain()).forEach(f -> list.add(f.json()));
        }
        else
        {
            explorations.experiments().list(site.domain()).forEach(e -> list.add(e.json()));
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site.domain());
        body.put(report, list);
        body.put("event_store", (funnels ? explorations.funnelReports() : explorations.experimentReports()) != null);
        return new Answer(200, Json.write(body));
    }

    private static Answer missing(final String kind, final Site site, final String name)
    {
        return Answer.error(404, "no_such_" + kind, "no " + kind + " '" + name + "' for " + site.domain());
    }

    private static Answer storeOff()
    {
        return Answer.error(409, "event_store_off",
            "funnels and experiments read the event store: start the engine with --event-store true");
    }
}
