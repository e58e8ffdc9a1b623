package io.tally.engine.api.stats;

import io.tally.store.rollup.SiteWideTotals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The site-wide reports' rows, for all traffic ({@link SiteWideTotals}): pages, sources, entry and exit pages, and
 * the visit KPIs. Seconds are whole (rounded), rates are percentages with two decimals; a figure with nothing to
 * average (no engagement on a page, no visit) is null.
 */
final class SiteWideReports
{
    private SiteWideReports()
    {
    }

    /** The visit KPIs: visits, bounce rate (%), mean visit duration (s), views per visit. */
    static void kpis(final Map<String, Object> into, final SiteWideTotals.Visits visits)
    {
        into.put("visits", visits.visits());
        into.put("bounce_rate", StatsApi.percent(visits.bounces(), visits.visits()));
        into.put("visit_duration", visits.visits() == 0 ? 0 : Math.round((double)visits.durationMillis() / visits.visits() / 1000));
        into.put("views_per_visit", visits.visits() == 0 ? BigDecimal.ZERO :
            BigDecimal.valueOf(visits.pageviews()).divide(BigDecimal.valueOf(visits.visits()), 2, RoundingMode.HALF_UP));
    }

    /** Pages by pageviews: visitors, visits, pageviews, time on page (engaged time per engaged visitor), scroll depth. */
    static List<Object> pages(final SiteWideTotals totals, final int limit)
    {
        final List<Object> rows = new ArrayList<>();
        for (final SiteWideTotals.PageRow page : totals.pages())
        {
            if (rows.size() == limit)
            {
                break;
            }
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("page", page.page());
            row.put("visitors", page.visitors());
            row.put("visits", page.visits());
            row.put("pageviews", page.pageviews());
            row.put("time_on_page", page.engagedVisitors() == 0 ? null :
                Math.round((double)page.engagedMillis() / page.engagedVisitors() / 1000));
            row.put("scroll_depth", page.scrollCount() == 0 ? null : Math.round((double)page.scrollSum() / page.scrollCount()));
            rows.add(row);
        }
        return rows;
    }

    /** Sources (or entry pages, {@code label} "page") by visits: visitors, visits. */
    static List<Object> sources(final List<SiteWideTotals.SourceRow> sources, final String label, final int limit)
    {
        final List<Object> rows = new ArrayList<>();
        for (final SiteWideTotals.SourceRow source : sources.subList(0, Math.min(limit, sources.size())))
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put(label, source.source());
            row.put("visitors", source.visitors());
            row.put("visits", source.visits());
            rows.add(row);
        }
        return rows;
    }

    /**
     * Exit pages by exits: visitors, exits, the page's pageviews and the exit rate (exits per pageview of the page, %;
     * null without pageviews). The pageviews let a cluster's workers' rows be added and the rate made again.
     */
    static List<Object> exitPages(final SiteWideTotals totals, final int limit)
    {
        final Map<String, Long> pageviews = new HashMap<>();
        totals.pages().forEach(page -> pageviews.put(page.page(), page.pageviews()));
        final List<Object> rows = new ArrayList<>();
        final List<SiteWideTotals.ExitRow> exits = totals.exitPages();
        for (final SiteWideTotals.ExitRow exit : exits.subList(0, Math.min(limit, exits.size())))
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("page", exit.page());
            row.put("visitors", exit.visitors());
            row.put("exits", exit.exits());
            final long views = pageviews.getOrDefault(exit.page(), 0L);
            row.put("pageviews", views);
            row.put("exit_rate", views == 0 ? null : StatsApi.percent(exit.exits(), views));
            rows.add(row);
        }
        return rows;
    }
}
