package io.tally.engine.api.plausible;

import io.tally.codec.json.Json;
import io.tally.engine.api.AdminToken;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.api.request.Range;
import io.tally.engine.api.stats.FilteredReports;
import io.tally.engine.api.stats.FilteredRequests;
import io.tally.engine.api.stats.TimeBuckets;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plausible's Stats API v1 ({@code GET /api/v1/stats/aggregate|timeseries|breakdown}), so clients written for
 * Plausible read Tally: the same parameters and answer shapes, errors as {@code {"error": "..."}} like Plausible's.
 * Answered by the event store (filters, any property, visits of any group); without it every request is a 409.
 * Authorised by the admin token or the site's read token ({@code Authorization: Bearer}); a site the bearer does not
 * read and an unknown site get the same 401, so a token cannot probe which sites exist. docs/plausible.md has the
 * details and where Tally's values differ.
 */
public final class PlausibleStatsApi
{
    public static final List<String> ENDPOINTS = List.of("aggregate", "timeseries", "breakdown");
    private static final List<String> COMMON = List.of("site_id", "period", "date", "metrics", "filters", "with_imported");
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1_000;
    private static final String UNAUTHORIZED = "Invalid API key or site ID. Please make sure you're using a valid API key "
        + "with access to the site you've requested.";

    private final SiteDirectory sites;
    private final AdminToken token;
    private final FilteredRequests filtered;
    private final Clock clock;

    /** The request being answered. */
    private record Ask(Site site, Range range, ZoneId zone, String filters, List<String> metrics,
        FilteredReports reports)
    {
        FilteredReports.Query query(final String groupBy, final boolean dropGoal, final FilteredReports.Order order,
            final int limit, final long offset)
        {
            return new FilteredReports.Query(site.domain(), range.fromMillis(), range.toMillis(), filters, dropGoal, groupBy,
                zone.getId(), order, limit, offset);
        }

        FilteredReports.Figures total(final boolean dropGoal)
        {
            final List<FilteredReports.Figures> rows = reports.rows(query("", dropGoal, FilteredReports.Order.KEY, 1, 0));
            return rows.isEmpty() ? FilteredReports.Figures.empty("") : rows.get(0);
        }

        Ask over(final Range other)
        {
            return new Ask(site, other, zone, filters, metrics, reports);
        }
    }

    public PlausibleStatsApi(final SiteDirectory sites, final AdminToken token, final FilteredRequests filtered, final Clock clock)
    {
        this.sites = sites;
        this.token = token;
        this.filtered = filtered;
        this.clock = clock;
    }

    public Answer handle(final String endpoint, final String authorization, final QueryParameters query)
    {
        final String siteId = query.get("site_id");
        if (siteId == null || siteId.isEmpty())
        {
            return error(400, "Missing site ID. Please provide the required site_id parameter with your request.");
        }
        final Site site = sites.byDomain(siteId);
        if (site == null || !token.authorizes(authorization) && !site.isReadToken(AdminToken.bearer(authorization)))
        {
            return error(401, UNAUTHORIZED);
        }
        final FilteredReports reports = filtered.reports();
        if (reports == null)
        {
            filtered.refusedStoreOff();
            return error(409, "Plausible's Stats API is answered by the event store, which is off: start tally serve with "
                + "--event-store true (TALLY_EVENT_STORE=true)");
        }
        try
        {
            final Object results = answer(endpoint, site, query, reports);
            filtered.answered();
            return new Answer(200, Json.write(Map.of("results", results)));
        }
        catch (final InvalidRequestException | IllegalArgumentException ex)
        {
            filtered.invalid();
            return error(400, ex.getMessage());
        }
    }

    private Object answer(final String endpoint, final Site site, final QueryParameters query, final FilteredReports reports)
    {
        final List<String> allowed = new ArrayList<>(COMMON);
        allowed.addAll(switch (endpoint)
        {
            case "aggregate" -> List.of("compare");
            case "timeseries" -> List.of("interval");
            default -> List.of("property", "limit", "page");
        });
        query.allowOnly(allowed, endpoint);
        query.choice("with_imported", "false", List.of("true", "false"));
        final ZoneId zone = ZoneId.of(site.timeZone());
        final String period = query.get("period");
        final Range range = PlausiblePeriod.of(period, query.get("date"), LocalDate.now(clock.withZone(zone)), zone);
        final String filters = query.get("filters");
        final FilteredReports.Described described = filters == null ? new FilteredReports.Described(List.of())
            : reports.describe(filters);
        final Ask ask = new Ask(site, range, zone, filters, PlausibleMetrics.parse(query.get("metrics")), reports);
        final String property = endpoint.equals("breakdown") ? property(query) : null;
        checkMetrics(ask.metrics(), described, property);
        return switch (endpoint)
        {
            case "aggregate" -> aggregate(ask, query);
            case "timeseries" -> timeseries(ask, period, query);
            default -> breakdown(ask, property, query);
        };
    }

    /** Plausible's rules: a conversion rate needs a goal; a time on page needs a page. */
    private static void checkMetrics(final List<String> metrics, final FilteredReports.Described described, final String property)
    {
        if (metrics.contains("conversion_rate") && !described.tests("event:goal") && !"event:goal".equals(property))
        {
            throw new InvalidRequestException("invalid_metric",
                "Metric `conversion_rate` can only be queried with event:goal filters or a breakdown by event:goal");
        }
        if (metrics.contains("time_on_page") && !described.tests("event:page") && !"event:page".equals(property))
        {
            throw new InvalidRequestException("invalid_metric",
                "Metric `time_on_page` can only be queried with an event:page filter or a breakdown by event:page");
        }
    }

    private static Map<String, Object> aggregate(final Ask ask, final QueryParameters query)
    {
        final boolean compare = query.has("compare");
        if (compare)
        {
            query.choice("compare", null, List.of("previous_period"));
        }
        final Map<String, Object> now = values(ask);
        final Map<String, Object> before = compare ? values(ask.over(ask.range().previous(ask.zone()))) : Map.of();
        final Map<String, Object> results = new LinkedHashMap<>();
        for (final String metric : ask.metrics())
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("value", now.get(metric));
            if (compare)
            {
                entry.put("change", PlausibleMetrics.change(metric, now.get(metric), before.get(metric)));
            }
            results.put(metric, entry);
        }
        return results;
    }

    /** The metrics of the whole range. */
    private static Map<String, Object> values(final Ask ask)
    {
        final FilteredReports.Figures total = ask.total(false);
        final long denominator = ask.metrics().contains("conversion_rate") ? ask.total(true).visitors() : 0;
        final Map<String, Object> values = new HashMap<>();
        ask.metrics().forEach(metric -> values.put(metric, PlausibleMetrics.value(metric, total, denominator)));
        return values;
    }

    /** A point per hour ({@code period=day}), day or month, with {@code date} and the metrics. */
    private static List<Object> timeseries(final Ask ask, final String period, final QueryParameters query)
    {
        final boolean months = "6mo".equals(period) || "12mo".equals(period);
        final String interval = "day".equals(period) ? "hour" : query.choice("interval", months ? "month" : "day",
            List.of("day", "month"));
        TimeBuckets.checkHourly(interval, ask.range());
        final Map<String, FilteredReports.Figures> buckets = FilteredReports.Figures.byKey(ask.reports().rows(ask.query("time:" + interval, false,
            FilteredReports.Order.KEY, 10_000, 0)));
        final Map<String, FilteredReports.Figures> withoutGoal = ask.metrics().contains("conversion_rate")
            ? FilteredReports.Figures.byKey(ask.reports().rows(ask.query("time:" + interval, true, FilteredReports.Order.KEY, 10_000, 0))) : Map.of();
        final List<Object> points = new ArrayList<>();
        for (final ZonedDateTime start : TimeBuckets.starts(ask.range(), ask.zone(), interval))
        {
            final String key = TimeBuckets.key(start, interval);
            final Map<String, Object> point = new LinkedHashMap<>();
            point.put("date", interval.equals("hour") ? start.toLocalDate() + " " + String.format(java.util.Locale.ROOT,
                "%02d:00:00", start.getHour()) : interval.equals("month") ? key + "-01" : key);
            final FilteredReports.Figures figures = buckets.getOrDefault(key, FilteredReports.Figures.empty(key));
            final long denominator = withoutGoal.getOrDefault(key, FilteredReports.Figures.empty(key)).visitors();
            ask.metrics().forEach(metric -> point.put(metric, PlausibleMetrics.value(metric, figures, denominator)));
            points.add(point);
        }
        return points;
    }

    /** Rows of {@code property}'s values, most of the first count metric first, a page of {@code limit}. */
    private static List<Object> breakdown(final Ask ask, final String property, final QueryParameters query)
    {
        final int limit = query.whole("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        final int page = query.whole("page", 1, 1, 1_000_000);
        final String label = property.startsWith("event:props:") ? property.substring("event:props:".length())
            : property.substring(property.indexOf(':') + 1);
        final List<FilteredReports.Figures> rows = ask.reports().rows(ask.query(property, false, order(ask.metrics()), limit,
            (page - 1L) * limit));
        final Map<String, FilteredReports.Figures> denominators = denominators(ask, property, rows);
        final List<Object> results = new ArrayList<>();
        for (final FilteredReports.Figures row : rows)
        {
            if (row.visitors() == 0 && row.events() == 0 && row.pageviews() == 0)
            {
                continue;
            }
            final Map<String, Object> result = new LinkedHashMap<>();
            result.put(label, row.key());
            final long denominator = denominators.getOrDefault(row.key(), FilteredReports.Figures.empty("")).visitors();
            ask.metrics().forEach(metric -> result.put(metric, PlausibleMetrics.value(metric, row, denominator)));
            results.add(result);
        }
        return results;
    }

    /**
     * The visitors each row's conversion rate divides by: a goal breakdown's, every goal's, are the visitors of the
     * filter (goal clauses aside); another breakdown's are the row's own visitors without the goal clauses.
     */
    private static Map<String, FilteredReports.Figures> denominators(final Ask ask, final String property,
        final List<FilteredReports.Figures> rows)
    {
        if (!ask.metrics().contains("conversion_rate"))
        {
            return Map.of();
        }
        if (property.equals("event:goal"))
        {
            final FilteredReports.Figures all = ask.total(true);
            final Map<String, FilteredReports.Figures> same = new HashMap<>();
            rows.forEach(row -> same.put(row.key(), all));
            return same;
        }
        return FilteredReports.Figures.byKey(ask.reports().rows(ask.query(property, true, FilteredReports.Order.KEY, 10_000, 0)));
    }

    private static FilteredReports.Order order(final List<String> metrics)
    {
        for (final String metric : metrics)
        {
            switch (metric)
            {
                case "visits":
                    return FilteredReports.Order.VISITS;
                case "pageviews":
                    return FilteredReports.Order.PAGEVIEWS;
                case "visitors":
                    return FilteredReports.Order.VISITORS;
                default:
                    break;
            }
        }
        return FilteredReports.Order.VISITORS;
    }

    private static String property(final QueryParameters query)
    {
        final String property = query.get("property");
        if (property == null || property.isEmpty())
        {
            throw new InvalidRequestException("invalid_property", "The `property` parameter is required for breakdown, "
                + "e.g. property=event:page");
        }
        if (property.startsWith("time:") || property.equals("event:hostname"))
        {
            throw new InvalidRequestException("invalid_property", "Invalid property '" + property + "'");
        }
        return property;
    }

    private static Answer error(final int status, final String message)
    {
        return new Answer(status, Json.write(Map.of("error", message)));
    }
}
