package io.tally.engine.api.stats;

import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.api.request.Range;
import io.tally.engine.site.GoalBook;
import io.tally.store.rollup.SiteWideTotals;
import io.tally.engine.site.Site;
import io.tally.matcher.Goal;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stats reports under {@code filters}, answered by the event store ({@link FilteredReports}) in the shapes the
 * rollups' reports have (docs/rollups.md, "Filters", says what each figure counts and where they differ). The
 * conversion rate of a goal filter is the filter's visitors over those of the same filter without its goal clauses.
 */
final class FilteredStatsApi
{
    private static final String GOAL = "event:goal";
    /** Rows a report reads at most before it pages them (the event store's cap on groups). */
    private static final int ALL_ROWS = 10_000;
    private static final char VERSION_SEPARATOR = '\u001f';

    private final GoalBook goals;
    private final FilteredReports reports;
    private final CountriesReport countries;

    /** The request being answered: its site, range and filters. */
    private record Scope(Site site, Range range, ZoneId zone, String filters)
    {
        FilteredReports.Query query(final String groupBy, final FilteredReports.Order order, final int limit, final long offset)
        {
            return new FilteredReports.Query(site.domain(), range.fromMillis(), range.toMillis(), filters, false, groupBy,
                zone.getId(), order, limit, offset);
        }

        Scope of(final Range other)
        {
            return new Scope(site, other, zone, filters);
        }
    }

    FilteredStatsApi(final GoalBook goals, final FilteredReports reports, final CountriesReport countries)
    {
        this.goals = goals;
        this.reports = reports;
        this.countries = countries;
    }

    /** Puts {@code report}'s figures under {@code filters} into {@code body}. */
    void answer(final Map<String, Object> body, final Site site, final String report, final Range range,
        final ZoneId zone, final QueryParameters query)
    {
        final String filters = query.get("filters");
        final FilteredReports.Described described = reports.describe(filters);
        final Scope scope = new Scope(site, range, zone, filters);
        body.put("filters", filters);
        switch (report)
        {
            case "kpis" -> kpis(body, scope, described, query);
            case "goals" -> body.put("goals", goalRows(scope));
            case "events" -> events(body, scope, query);
            case "timeseries" -> timeseries(body, scope, query);
            case "sources" -> sources(body, scope, query);
            case "pages" -> pages(body, scope, query);
            case "entry_pages" -> body.put("entry_pages", visitRows(scope, "visit:entry_page", "page", StatsApi.rowLimit(query)));
            case "exit_pages" -> body.put("exit_pages", exitRows(scope, StatsApi.rowLimit(query)));
            case "browsers", "operating_systems", "devices" -> audience(body, scope, report);
            case "countries" -> countries(body, scope);
            case "sessions" -> FilteredSessions.answer(body, reports, scope.query("", FilteredReports.Order.KEY, 1, 0), query);
            default -> throw new InvalidRequestException("invalid_query", report + " takes no filters");
        }
    }

    private void kpis(final Map<String, Object> body, final Scope scope, final FilteredReports.Described described,
        final QueryParameters query)
    {
        final boolean compare = query.has("compare");
        if (compare)
        {
            query.choice("compare", null, List.of("previous"));
        }
        body.putAll(kpis(scope, described));
        if (compare)
        {
            final Range previous = scope.range().previous(scope.zone());
            final Map<String, Object> before = new LinkedHashMap<>();
            before.put("from", previous.from().toString());
            before.put("to", previous.to().toString());
            before.putAll(kpis(scope.of(previous), described));
            body.put("previous", before);
        }
    }

    /**
     * The KPIs of the kept events. With an {@code event:goal} clause, {@code conversion_rate} is Plausible's: the
     * kept (converting) visitors over the visitors of the same filter without its goal clauses.
     */
    private Map<String, Object> kpis(final Scope scope, final FilteredReports.Described described)
    {
        final FilteredReports.Figures total = total(scope, false);
        final Map<String, Object> kpis = new LinkedHashMap<>();
        kpis.put("visitors", total.visitors());
        kpis.put("pageviews", total.pageviews());
        kpis.put("events", total.events());
        kpis.put("sessions", total.sessions());
        if (described.tests(GOAL))
        {
            final long denominator = total(scope, true).visitors();
            kpis.put("conversions", total.conversions());
            kpis.put("conversion_rate", StatsApi.percent(total.visitors(), denominator));
            kpis.put("conversion_rate_visitors", denominator);
        }
        else if (goals.matcher(scope.site().domain()).hasConversionGoal())
        {
            kpis.put("conversions", total.conversions());
            kpis.put("conversion_rate", StatsApi.percent(total.conversions(), total.visitors()));
        }
        kpis.put("revenue", money(total.revenue()));
        visitKpis(kpis, total);
        return kpis;
    }

    /** Visits, bounce rate (%), mean visit duration (whole seconds), views per visit, as the rollups' KPIs give them. */
    private static void visitKpis(final Map<String, Object> into, final FilteredReports.Figures figures)
    {
        SiteWideReports.kpis(into, new SiteWideTotals.Visits(figures.visits(), figures.bounces(), figures.durationMillis(),
            figures.visitPageviews()));
    }

    /** A row per configured goal: its figures among the kept events; the rate over the visitors without goal clauses. */
    private List<Object> goalRows(final Scope scope)
    {
        final Map<String, FilteredReports.Figures> byGoal = FilteredReports.Figures.byKey(reports.rows(scope.query(GOAL, FilteredReports.Order.KEY,
            ALL_ROWS, 0)));
        final long visitors = total(scope, true).visitors();
        final Map<String, FilteredReports.ConversionTime> times = reports.timeToConversion(scope.query("",
            FilteredReports.Order.KEY, 1, 0));
        final List<Object> rows = new ArrayList<>();
        for (final Goal goal : goals.matcher(scope.site().domain()).goals())
        {
            final FilteredReports.Figures figures = byGoal.getOrDefault(goal.name(), FilteredReports.Figures.empty(goal.name()));
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", goal.name());
            row.put("kind", goal.kind().jsonName());
            row.put("conversions", figures.conversions());
            row.put("visitors", figures.convertingVisitors());
            row.put("conversion_rate", StatsApi.percent(figures.convertingVisitors(), visitors));
            row.put("matches", figures.matches());
            row.put("value", money(figures.goalValue()));
            row.put("weight", figures.weight());
            row.put("revenue", money(figures.revenue()));
            row.put("time_to_conversion", timeToConversion(times.get(goal.name())));
            rows.add(row);
        }
        return rows;
    }

    /** The percentiles in seconds, as the rollups' goals report gives them; 0.0 without a conversion. */
    private static Map<String, Object> timeToConversion(final FilteredReports.ConversionTime time)
    {
        final Map<String, Object> seconds = new LinkedHashMap<>();
        seconds.put("p50_seconds", time == null ? 0.0 : time.p50Millis() / 1000.0);
        seconds.put("p90_seconds", time == null ? 0.0 : time.p90Millis() / 1000.0);
        return seconds;
    }

    /** Event names with their events and visitors, most events first, a page of them; labels, actions, categories. */
    private void events(final Map<String, Object> body, final Scope scope, final QueryParameters query)
    {
        if (query.has("name"))
        {
            throw new InvalidRequestException("invalid_query",
                "name: not with filters (filter with event:name==NAME and read /api/v1/stats/breakdown?property=event:props:KEY)");
        }
        final int limit = query.whole("limit", StatsApi.DEFAULT_EVENT_ROWS, 1, StatsApi.MAX_EVENT_ROWS);
        final int page = query.whole("page", 1, 1, Integer.MAX_VALUE);
        final List<FilteredReports.Figures> names = new ArrayList<>(reports.rows(scope.query("event:name",
            FilteredReports.Order.EVENTS, ALL_ROWS, 0)));
        names.removeIf(row -> row.events() == 0);
        final long pages = Math.max(1, (names.size() + (long)limit - 1) / limit);
        if (page > pages)
        {
            throw new InvalidRequestException("invalid_query", "page " + page + " is past the last page, " + pages);
        }
        final List<Object> rows = new ArrayList<>();
        names.stream().skip((page - 1L) * limit).limit(limit).forEach(row -> rows.add(row("name", row.key(), "events", row.events(),
            "visitors", row.visitors())));
        body.put("events", rows);
        body.put("total_rows", names.size());
        body.put("page", page);
        body.put("limit", limit);
        body.put("has_next_page", page < pages);
        for (final String part : List.of("label", "action", "category"))
        {
            final List<Object> counts = new ArrayList<>();
            reports.rows(scope.query("event:" + part, FilteredReports.Order.EVENTS, ALL_ROWS, 0))
                .forEach(row -> counts.add(row(part, row.key(), "events", row.events() + row.pageviews())));
            body.put(part.equals("category") ? "categories" : part + "s", counts);
        }
    }

    /** One point per hour, day or month of the range, oldest first, empty buckets as 0. */
    private void timeseries(final Map<String, Object> body, final Scope scope, final QueryParameters query)
    {
        final String metric = query.choice("metric", "visitors", StatsApi.METRICS);
        final String interval = query.choice("interval", "day", StatsApi.INTERVALS);
        TimeBuckets.checkHourly(interval, scope.range());
        final Map<String, FilteredReports.Figures> buckets = FilteredReports.Figures.byKey(reports.rows(scope.query("time:" + interval,
            FilteredReports.Order.KEY, ALL_ROWS, 0)));
        final List<Object> points = new ArrayList<>();
        for (final ZonedDateTime start : TimeBuckets.starts(scope.range(), scope.zone(), interval))
        {
            final FilteredReports.Figures figures = buckets.getOrDefault(TimeBuckets.key(start, interval), FilteredReports.Figures.empty(""));
            final Map<String, Object> point = new LinkedHashMap<>();
            point.put("start", interval.equals("hour") ? start.toOffsetDateTime().toString() : start.toLocalDate().toString());
            point.put("value", metric(figures, metric));
            points.add(point);
        }
        body.put("metric", metric);
        body.put("interval", interval);
        body.put("points", points);
    }

    static long metric(final FilteredReports.Figures figures, final String metric)
    {
        return switch (metric)
        {
            case "visitors" -> figures.visitors();
            case "pageviews" -> figures.pageviews();
            case "events" -> figures.events();
            case "sessions" -> figures.sessions();
            default -> figures.conversions();
        };
    }

    /** Sources of the kept events' visits; with {@code goal}, the goal's conversions by the converting visit's source. */
    private void sources(final Map<String, Object> body, final Scope scope, final QueryParameters query)
    {
        final String dimension = query.choice("dimension", "referrer", StatsApi.DIMENSIONS);
        final String groupBy = dimension.equals("referrer") ? "visit:referrer_domain" : "visit:" + dimension;
        body.put("dimension", dimension);
        if (!query.has("goal"))
        {
            if (query.has("touch"))
            {
                throw new InvalidRequestException("invalid_query", "touch: only with goal=NAME");
            }
            body.put("sources", visitRows(scope, groupBy, "source", StatsApi.rowLimit(query)));
            return;
        }
        final String touch = query.choice("touch", "last", StatsApi.TOUCHES);
        body.put("goal", query.get("goal"));
        body.put("touch", touch);
        body.put("sources", touch.equals("first") ? firstTouch(scope, query.get("goal"), groupBy, query)
            : goalConversions(scope, query.get("goal"), groupBy, "source", query));
    }

    /** A goal's conversions among the kept events by the converting visitor's first source, most first. */
    private List<Object> firstTouch(final Scope scope, final String goal, final String groupBy, final QueryParameters query)
    {
        final List<Object> rows = new ArrayList<>();
        reports.firstTouch(withGoal(scope, goal).query(groupBy, FilteredReports.Order.CONVERSIONS,
            query.has("limit") ? StatsApi.rowLimit(query) : ALL_ROWS, 0))
            .forEach((source, conversions) -> rows.add(row("source", source, "conversions", conversions)));
        return rows;
    }

    /** The scope with a clause {@code event:goal==goal} (the name's special characters escaped) added to its filters. */
    private static Scope withGoal(final Scope scope, final String goal)
    {
        return new Scope(scope.site(), scope.range(), scope.zone(),
            scope.filters() + ";event:goal==" + goal.replace("\\", "\\\\").replace("|", "\\|").replace(";", "\\;").replace("*", "\\*"));
    }

    /** Pages of the kept events; with {@code goal}, the goal's conversions by entry page. */
    private void pages(final Map<String, Object> body, final Scope scope, final QueryParameters query)
    {
        if (query.has("goal"))
        {
            body.put("goal", query.get("goal"));
            body.put("pages", goalConversions(scope, query.get("goal"), "visit:entry_page", "page", query));
            return;
        }
        final List<Object> rows = new ArrayList<>();
        for (final FilteredReports.Figures page : reports.rows(scope.query("event:page", FilteredReports.Order.PAGEVIEWS,
            StatsApi.rowLimit(query), 0)))
        {
            final Map<String, Object> row = row("page", page.key(), "visitors", page.visitors(), "visits", page.visits(),
                "pageviews", page.pageviews());
            row.put("time_on_page", page.engagedVisitors() == 0 ? null : Math.round((double)page.engagedMillis() / page.engagedVisitors() / 1000));
            row.put("scroll_depth", page.scrollCount() == 0 ? null : Math.round((double)page.scrollSum() / page.scrollCount()));
            rows.add(row);
        }
        body.put("pages", rows);
    }

    /** A goal's conversions among the kept events, by a visit's source or entry page, most first. */
    private List<Object> goalConversions(final Scope scope, final String goal, final String groupBy, final String label,
        final QueryParameters query)
    {
        final List<Object> rows = new ArrayList<>();
        for (final FilteredReports.Figures row : reports.rows(withGoal(scope, goal).query(groupBy, FilteredReports.Order.CONVERSIONS,
            query.has("limit") ? StatsApi.rowLimit(query) : ALL_ROWS, 0)))
        {
            if (row.conversions() > 0)
            {
                rows.add(row(label, row.key(), "conversions", row.conversions()));
            }
        }
        return rows;
    }

    /** Visits and visitors by a visit's property, most visits first. */
    private List<Object> visitRows(final Scope scope, final String groupBy, final String label, final int limit)
    {
        final List<Object> rows = new ArrayList<>();
        for (final FilteredReports.Figures row : reports.rows(scope.query(groupBy, FilteredReports.Order.VISITS, limit, 0)))
        {
            if (row.visits() > 0)
            {
                rows.add(row(label, row.key(), "visitors", row.visitors(), "visits", row.visits()));
            }
        }
        return rows;
    }

    /** Exit pages by exits: visitors, exits, the page's pageviews and the exit rate (exits per pageview, among the kept events). */
    private List<Object> exitRows(final Scope scope, final int limit)
    {
        final Map<String, FilteredReports.Figures> pages = FilteredReports.Figures.byKey(reports.rows(scope.query("event:page",
            FilteredReports.Order.PAGEVIEWS, ALL_ROWS, 0)));
        final List<Object> rows = new ArrayList<>();
        for (final FilteredReports.Figures exit : reports.rows(scope.query("visit:exit_page", FilteredReports.Order.VISITS,
            limit, 0)))
        {
            if (exit.visits() == 0)
            {
                continue;
            }
            final Map<String, Object> row = row("page", exit.key(), "visitors", exit.visitors(), "exits", exit.visits());
            final long views = pages.containsKey(exit.key()) ? pages.get(exit.key()).pageviews() : 0;
            row.put("pageviews", views);
            row.put("exit_rate", views == 0 ? null : StatsApi.percent(exit.visits(), views));
            rows.add(row);
        }
        return rows;
    }

    /** Browsers, systems (with their versions) or devices: visitors, pageviews, conversions, most visitors first. */
    private void audience(final Map<String, Object> body, final Scope scope, final String report)
    {
        final String label = AudienceReports.LABELS.get(report);
        final List<Object> rows = new ArrayList<>();
        final Map<String, List<Object>> versions = new HashMap<>();
        if (!report.equals("devices"))
        {
            for (final FilteredReports.Figures version : reports.rows(scope.query("visit:" + label + "_version",
                FilteredReports.Order.VISITORS, ALL_ROWS, 0)))
            {
                final int cut = version.key().indexOf(VERSION_SEPARATOR);
                versions.computeIfAbsent(version.key().substring(0, cut), name -> new ArrayList<>())
                    .add(audienceRow("version", version.key().substring(cut + 1), version));
            }
        }
        for (final FilteredReports.Figures name : reports.rows(scope.query("visit:" + label, FilteredReports.Order.VISITORS,
            ALL_ROWS, 0)))
        {
            // the rollups name an event without a browser, system or device class "(unknown)"
            final Map<String, Object> row = audienceRow(label, name.key().equals("(none)") ? "(unknown)" : name.key(), name);
            if (!report.equals("devices"))
            {
                row.put("versions", versions.getOrDefault(name.key(), List.of()));
            }
            rows.add(row);
        }
        body.put(report, rows);
    }

    private static Map<String, Object> audienceRow(final String label, final String value, final FilteredReports.Figures figures)
    {
        return row(label, value, "visitors", figures.visitors(), "pageviews", figures.pageviews(), "conversions",
            figures.conversions());
    }

    /** Countries of the kept events: visitors, pageviews, conversions, converting visitors, rate; unknown apart. */
    private void countries(final Map<String, Object> body, final Scope scope)
    {
        final List<FilteredReports.Figures> rows = new ArrayList<>(reports.rows(scope.query("visit:country",
            FilteredReports.Order.VISITORS, ALL_ROWS, 0)));
        rows.sort(Comparator.comparingLong(FilteredReports.Figures::visitors).reversed().thenComparing(FilteredReports.Figures::key));
        final List<Object> known = new ArrayList<>();
        Map<String, Object> unknown = countryRow(null, FilteredReports.Figures.empty(""));
        for (final FilteredReports.Figures row : rows)
        {
            if (row.key().equals("(none)"))
            {
                unknown = countryRow(null, row);
            }
            else
            {
                known.add(countryRow(row.key(), row));
            }
        }
        body.put("geoip", countries.database());
        body.put("countries", known);
        body.put("unknown", unknown);
    }

    private static Map<String, Object> countryRow(final String code, final FilteredReports.Figures figures)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        if (code != null)
        {
            row.put("country", code);
        }
        row.put("visitors", figures.visitors());
        row.put("pageviews", figures.pageviews());
        row.put("conversions", figures.conversions());
        row.put("converting_visitors", figures.convertingVisitors());
        row.put("conversion_rate", StatsApi.percent(figures.convertingVisitors(), figures.visitors()));
        return row;
    }

    private FilteredReports.Figures total(final Scope scope, final boolean dropGoal)
    {
        final List<FilteredReports.Figures> rows = reports.rows(new FilteredReports.Query(scope.site().domain(),
            scope.range().fromMillis(), scope.range().toMillis(), scope.filters(), dropGoal, "", scope.zone().getId(),
            FilteredReports.Order.KEY, 1, 0));
        return rows.isEmpty() ? FilteredReports.Figures.empty("") : rows.get(0);
    }

    /** A row of label-value pairs, in order. */
    private static Map<String, Object> row(final Object... pairs)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2)
        {
            row.put((String)pairs[i], pairs[i + 1]);
        }
        return row;
    }

    /** Amounts by currency, in currency order, as the rollups' reports give them. */
    private static List<Object> money(final Map<String, BigDecimal> amounts)
    {
        return StatsApi.money(new java.util.TreeMap<>(amounts));
    }
}
