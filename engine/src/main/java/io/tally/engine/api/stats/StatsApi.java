package io.tally.engine.api.stats;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.ApiDates;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.api.request.Range;
import io.tally.engine.geo.GeoIp;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.Site;
import io.tally.matcher.Goal;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.NewestFirstReader;
import io.tally.store.UrlPath;
import io.tally.store.rollup.RangeTotals;
import io.tally.store.rollup.SiteWideTotals;
import io.tally.store.rollup.Rollups;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stats API, {@code GET /api/v1/stats/{site}/kpis|goals|events|timeseries|sources|pages|sessions}, read from
 * the {@link Rollups} (sessions: from the newest journal records). Ranges are
 * whole days in the site's time zone ({@code period=today|7d|30d|month|12mo}, or {@code from}/{@code to}
 * dates, inclusive); {@code compare=previous} adds the same figures for the range just before.
 */
public final class StatsApi
{
    /** The reports and the parameters each takes. */
    private static final Map<String, List<String>> PARAMETERS = parameters();
    static final List<String> METRICS = List.of("visitors", "pageviews", "events", "sessions", "conversions");
    static final List<String> INTERVALS = List.of("hour", "day", "month");
    static final List<String> TOUCHES = List.of("first", "last");
    static final List<String> DIMENSIONS = List.of("referrer", "utm_source", "utm_medium", "utm_campaign");
    static final List<String> BOOLEANS = List.of("true", "false");

    /** Event names on a page of the events report when {@code limit} is not given. */
    static final int DEFAULT_EVENT_ROWS = 100;
    /** Most event names on a page of the events report. */
    static final int MAX_EVENT_ROWS = 1_000;

    /** Journal records the sessions report looks back through at most: it runs on an I/O thread. */
    static final int MAX_SESSION_SCAN = 20_000;
    static final int DEFAULT_SESSIONS = 20;
    static final int MAX_SESSIONS = 100;

    private final Rollups rollups;
    private final GoalBook goals;
    private final Journal journal;
    private final Clock clock;
    private final CountriesReport countries;
    private final FilteredRequests filtered;

    private static Map<String, List<String>> parameters()
    {
        final Map<String, List<String>> reports = new LinkedHashMap<>();
        reports.put("kpis", range("compare"));
        reports.put("goals", range());
        reports.put("events", range("name", "limit", "page"));
        reports.put("timeseries", range("metric", "interval"));
        reports.put("sources", range("goal", "touch", "dimension", "limit"));
        reports.put("pages", range("goal", "limit"));
        reports.put("entry_pages", range("limit"));
        reports.put("exit_pages", range("limit"));
        reports.put("sessions", range("converted", "limit"));
        AudienceReports.LABELS.keySet().stream().sorted().forEach(report -> reports.put(report, range()));
        reports.put("countries", range());
        return Collections.unmodifiableMap(reports);
    }

    /**
     * Every report reads its range from period, or from and to, and takes {@code filters};
     * {@code more}: the report's own parameters.
     */
    private static List<String> range(final String... more)
    {
        final List<String> names = new ArrayList<>(List.of("period", "from", "to", "filters"));
        names.addAll(List.of(more));
        return List.copyOf(names);
    }

    public StatsApi(final Rollups rollups, final GoalBook goals, final Journal journal, final Clock clock, final GeoIp geoIp,
        final FilteredRequests filtered)
    {
        this.filtered = filtered;
        this.rollups = rollups;
        this.goals = goals;
        this.journal = journal;
        this.clock = clock;
        this.countries = new CountriesReport(geoIp);
    }

    /**
     * One report. Each takes only its own parameters ({@link #PARAMETERS}): an unknown one, a repeated one or a bad
     * value is an {@link InvalidRequestException}.
     */
    public Answer handle(final Site site, final String report, final QueryParameters query)
    {
        final List<String> allowed = PARAMETERS.get(report);
        if (allowed == null)
        {
            return Answer.error(404, "not_found", "reports: " + String.join(", ", PARAMETERS.keySet()) + ", usage");
        }
        query.allowOnly(allowed, report);
        final ZoneId zone = ZoneId.of(site.timeZone());
        final Range range = range(query, zone);
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", site.domain());
        body.put("from", range.from().toString());
        body.put("to", range.to().toString());
        if (query.has("filters"))
        {
            return filtered(body, site, report, range, zone, query);
        }
        switch (report)
        {
            case "kpis" -> kpis(body, site, range, zone, query);
            case "goals" -> body.put("goals", goalRows(site, range));
            case "events" -> events(body, site, range, query);
            case "timeseries" -> timeseries(body, site, range, zone, query);
            case "sources" -> sources(body, site, range, query);
            case "pages" -> pages(body, site, range, query);
            case "entry_pages" -> body.put("entry_pages", SiteWideReports.sources(siteWide(site, range).entryPages(), "page",
                rowLimit(query)));
            case "exit_pages" -> body.put("exit_pages", SiteWideReports.exitPages(siteWide(site, range), rowLimit(query)));
            case "sessions" -> body.put("sessions", sessions(site, range, query.choice("converted", "false", BOOLEANS)
                .equals("true"), query.whole("limit", DEFAULT_SESSIONS, 1, MAX_SESSIONS)));
            case "browsers", "operating_systems", "devices" ->
                AudienceReports.answer(body, report, rollups.totals(site.domain(), range.fromMillis(), range.toMillis()));
            case "countries" -> countries.answer(body, rollups.totals(site.domain(), range.fromMillis(), range.toMillis()));
            default -> throw new IllegalStateException("a report without a case: " + report);
        }
        return new Answer(200, Json.write(body));
    }

    private void kpis(final Map<String, Object> body, final Site site, final Range range, final ZoneId zone,
        final QueryParameters query)
    {
        final boolean compare = query.has("compare");
        if (compare)
        {
            query.choice("compare", null, List.of("previous"));
        }
        body.putAll(kpis(site, range));
        if (compare)
        {
            final Range previous = range.previous(zone);
            final Map<String, Object> before = new LinkedHashMap<>();
            before.put("from", previous.from().toString());
            before.put("to", previous.to().toString());
            before.putAll(kpis(site, previous));
            body.put("previous", before);
        }
    }

    /**
     * Event names with their events and visitors, most events first, a page of them ({@code limit}, {@code page}:
     * a site's names add up over the hours of a range), with labels, actions and categories; with {@code name},
     * that name's property keys and values instead.
     */
    private void events(final Map<String, Object> body, final Site site, final Range range, final QueryParameters query)
    {
        final String name = query.get("name");
        if (name != null && (query.has("limit") || query.has("page")))
        {
            throw new InvalidRequestException("invalid_query", "limit and page page the event names: not with name");
        }
        final int limit = query.whole("limit", DEFAULT_EVENT_ROWS, 1, MAX_EVENT_ROWS);
        final int page = query.whole("page", 1, 1, Integer.MAX_VALUE);
        final RangeTotals totals = rollups.totals(site.domain(), range.fromMillis(), range.toMillis());
        if (name != null)
        {
            body.put("name", name);
            body.put("properties", propertyRows(totals, name));
            return;
        }
        final Map<String, long[]> names = totals.names();
        final long pages = Math.max(1, (names.size() + (long)limit - 1) / limit);
        if (page > pages)
        {
            throw new InvalidRequestException("invalid_query", "page " + page + " is past the last page, " + pages);
        }
        body.put("events", eventRows(names, (page - 1L) * limit, limit));
        body.put("total_rows", names.size());
        body.put("page", page);
        body.put("limit", limit);
        body.put("has_next_page", page < pages);
        body.put("labels", rows("label", "events", totals.labels()));
        body.put("actions", rows("action", "events", totals.actions()));
        body.put("categories", rows("category", "events", totals.categories()));
    }

    private void timeseries(final Map<String, Object> body, final Site site, final Range range, final ZoneId zone,
        final QueryParameters query)
    {
        final String metric = query.choice("metric", "visitors", METRICS);
        final String interval = query.choice("interval", "day", INTERVALS);
        TimeBuckets.checkHourly(interval, range);
        body.put("metric", metric);
        body.put("interval", interval);
        body.put("points", timeseries(site, range, zone, metric, interval));
    }

    /** The figures of the goal {@code goal=NAME} names (required), empty when it had no match; puts its name. */
    private Optional<RangeTotals.GoalTotals> goal(final Site site, final Range range, final QueryParameters query,
        final Map<String, Object> body)
    {
        final String name = query.get("goal");
        if (name == null)
        {
            throw new InvalidRequestException("invalid_query", "give goal=NAME");
        }
        body.put("goal", name);
        return Optional.ofNullable(rollups.totals(site.domain(), range.fromMillis(), range.toMillis()).goal(name));
    }

    /** Sources of all traffic (visits, visitors by the session's source); with {@code goal}, the goal's conversions. */
    private void sources(final Map<String, Object> body, final Site site, final Range range, final QueryParameters query)
    {
        final String dimension = query.choice("dimension", "referrer", DIMENSIONS);
        if (!query.has("goal"))
        {
            if (query.has("touch"))
            {
                throw new InvalidRequestException("invalid_query", "touch: only with goal=NAME");
            }
            body.put("dimension", dimension);
            body.put("sources", SiteWideReports.sources(siteWide(site, range).sources(DIMENSIONS.indexOf(dimension)), "source",
                rowLimit(query)));
            return;
        }
        final Optional<RangeTotals.GoalTotals> goal = goal(site, range, query, body);
        final String touch = query.choice("touch", "last", TOUCHES);
        body.put("touch", touch);
        body.put("dimension", dimension);
        body.put("sources", limited(rows("source", "conversions",
            goal.map(g -> g.bySource(dimension, touch.equals("first"))).orElse(Map.of())), query));
    }

    /** Pages of all traffic; with {@code goal}, the goal's conversions by entry page. */
    private void pages(final Map<String, Object> body, final Site site, final Range range, final QueryParameters query)
    {
        if (!query.has("goal"))
        {
            body.put("pages", SiteWideReports.pages(siteWide(site, range), rowLimit(query)));
            return;
        }
        body.put("pages", limited(rows("page", "conversions", goal(site, range, query, body)
            .map(RangeTotals.GoalTotals::byEntryPage).orElse(Map.of())), query));
    }

    private SiteWideTotals siteWide(final Site site, final Range range)
    {
        return rollups.totals(site.domain(), range.fromMillis(), range.toMillis()).siteWide();
    }

    /** The rows a site-wide report gives: {@code limit}, 100 unless given, 1 to 1,000. */
    static int rowLimit(final QueryParameters query)
    {
        return query.whole("limit", DEFAULT_EVENT_ROWS, 1, MAX_EVENT_ROWS);
    }

    /** A goal's rows, the first {@code limit} when it is given (all of them when not). */
    private static List<Object> limited(final List<Object> rows, final QueryParameters query)
    {
        return query.has("limit") ? rows.subList(0, Math.min(rows.size(), rowLimit(query))) : rows;
    }

    /** One point per hour, day or month of the range (in the site's time zone), oldest first. */
    private List<Object> timeseries(final Site site, final Range range, final ZoneId zone, final String metric,
        final String interval)
    {
        final List<Object> points = new ArrayList<>();
        final List<ZonedDateTime> starts = TimeBuckets.starts(range, zone, interval);
        final ZonedDateTime end = range.to().plusDays(1).atStartOfDay(zone);
        for (int i = 0; i < starts.size(); i++)
        {
            final ZonedDateTime start = starts.get(i);
            final ZonedDateTime stop = i + 1 < starts.size() ? starts.get(i + 1) : end;
            final RangeTotals totals = rollups.totals(site.domain(), start.toInstant().toEpochMilli(), stop.toInstant().toEpochMilli());
            final Map<String, Object> point = new LinkedHashMap<>();
            point.put("start", interval.equals("hour") ? start.toOffsetDateTime().toString() : start.toLocalDate().toString());
            point.put("value", switch (metric)
            {
                case "visitors" -> totals.visitors();
                case "pageviews" -> totals.pageviews();
                case "events" -> totals.events();
                case "sessions" -> totals.sessions();
                default -> totals.conversions();
            });
            points.add(point);
        }
        return points;
    }

    /**
     * A report under {@code filters}: answered by the event store, or a 409 when it is off; every outcome counted.
     */
    private Answer filtered(final Map<String, Object> body, final Site site, final String report, final Range range,
        final ZoneId zone, final QueryParameters query)
    {
        return filtered.answer(body, reports -> new FilteredStatsApi(goals, reports, countries).answer(body, site, report, range,
            zone, query));
    }

    /**
     * The most recent sessions in the range with their events, oldest event first, and the goal each matched:
     * read from the newest {@link #MAX_SESSION_SCAN} journal records, so a goal can be tried out at once.
     */
    private List<Object> sessions(final Site site, final Range range, final boolean convertedOnly, final int limit)
    {
        final Map<Long, List<Map<String, Object>>> sessions = new LinkedHashMap<>();
        final Map<Long, Boolean> converted = new HashMap<>();
        final Map<Long, Long> visitors = new HashMap<>();
        try (NewestFirstReader reader = journal.newNewestFirstReader())
        {
            final JournalReader.RecordHandler collect = (index, record) ->
            {
                // newest first: once the page is full, only its sessions' earlier events are still wanted (all of
                // them when only converted sessions are: which of the others converted is not known yet)
                final boolean wanted = convertedOnly || sessions.size() < limit || sessions.containsKey(record.sessionId());
                if (wanted && record.eventTime() >= range.fromMillis() && record.eventTime() < range.toMillis() &&
                    record.robotReason() == EventRecord.ROBOT_NONE && record.string(EventRecord.SITE).equals(site.domain()))
                {
                    sessions.computeIfAbsent(record.sessionId(), s -> new ArrayList<>()).add(sessionEvent(record));
                    converted.merge(record.sessionId(), record.hasFlag(EventRecord.FLAG_SESSION_CONVERTED), Boolean::logicalOr);
                    visitors.put(record.sessionId(), record.visitorId());
                }
            };
            for (int scanned = 0; scanned < MAX_SESSION_SCAN; )
            {
                final int read = reader.read(collect, Math.min(1024, MAX_SESSION_SCAN - scanned));
                if (read == 0)
                {
                    break;
                }
                scanned += read;
            }
        }
        final List<Object> rows = new ArrayList<>();
        for (final Map.Entry<Long, List<Map<String, Object>>> entry : sessions.entrySet())
        {
            if (rows.size() == limit)
            {
                break;
            }
            if (convertedOnly && !converted.get(entry.getKey()))
            {
                continue;
            }
            final List<Map<String, Object>> events = new ArrayList<>(entry.getValue());
            Collections.reverse(events);
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("session", Long.toUnsignedString(entry.getKey()));
            row.put("visitor", Long.toUnsignedString(visitors.get(entry.getKey())));
            row.put("converted", converted.get(entry.getKey()));
            row.put("events", events);
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, Object> sessionEvent(final EventRecordDecoder record)
    {
        final Map<String, Object> event = new LinkedHashMap<>();
        event.put("ts", record.eventTime());
        event.put("type", record.type().dumpName());
        event.put("name", record.string(EventRecord.NAME));
        event.put("path", UrlPath.of(record.string(EventRecord.URL)));
        event.put("goal", record.hasFlag(EventRecord.FLAG_GOAL) ? record.string(EventRecord.GOAL) : null);
        event.put("conversion", record.hasFlag(EventRecord.FLAG_CONVERSION));
        return event;
    }

    public Map<String, Object> kpis(final Site site, final Range range)
    {
        final RangeTotals totals = rollups.totals(site.domain(), range.fromMillis(), range.toMillis());
        final Map<String, Object> kpis = new LinkedHashMap<>();
        kpis.put("visitors", totals.visitors());
        kpis.put("pageviews", totals.pageviews());
        kpis.put("events", totals.events());
        kpis.put("sessions", totals.sessions());
        if (goals.matcher(site.domain()).hasConversionGoal())
        {
            kpis.put("conversions", totals.conversions());
            kpis.put("conversion_rate", percent(totals.conversions(), totals.visitors()));
        }
        kpis.put("revenue", money(totals.revenue()));
        SiteWideReports.kpis(kpis, totals.siteWide().visits());
        return kpis;
    }

    /** A row per configured goal, in priority order. */
    public List<Object> goalRows(final Site site, final Range range)
    {
        final RangeTotals totals = rollups.totals(site.domain(), range.fromMillis(), range.toMillis());
        final List<Object> rows = new ArrayList<>();
        for (final Goal goal : goals.matcher(site.domain()).goals())
        {
            rows.add(goalRow(goal.name(), goal.kind().jsonName(), totals.goal(goal.name()), totals.visitors()));
        }
        return rows;
    }

    private static Map<String, Object> goalRow(final String name, final String kind, final RangeTotals.GoalTotals goal,
        final long visitors)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("kind", kind);
        row.put("conversions", goal == null ? 0 : goal.conversions());
        row.put("visitors", goal == null ? 0 : goal.convertingVisitors());
        row.put("conversion_rate", percent(goal == null ? 0 : goal.convertingVisitors(), visitors));
        row.put("matches", goal == null ? 0 : goal.matches());
        row.put("value", money(goal == null ? Map.of() : goal.value()));
        row.put("weight", goal == null ? 0 : goal.weight());
        row.put("revenue", money(goal == null ? Map.of() : goal.revenue()));
        final Map<String, Object> time = new LinkedHashMap<>();
        time.put("p50_seconds", goal == null ? 0 : goal.timeToConversionMillis(50) / 1000.0);
        time.put("p90_seconds", goal == null ? 0 : goal.timeToConversionMillis(90) / 1000.0);
        row.put("time_to_conversion", time);
        return row;
    }

    private static List<Object> rows(final String label, final String countLabel, final Map<String, Long> counts)
    {
        final List<Object> rows = new ArrayList<>();
        counts.forEach((value, count) ->
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put(label, value);
            row.put(countLabel, count);
            rows.add(row);
        });
        return rows;
    }

    /** Rows {@code from} to {@code from + limit} of the names, in their order. */
    private static List<Object> eventRows(final Map<String, long[]> names, final long from, final int limit)
    {
        final List<Object> rows = new ArrayList<>();
        names.entrySet().stream().skip(from).limit(limit).forEach(entry ->
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", entry.getKey());
            row.put("events", entry.getValue()[0]);
            row.put("visitors", entry.getValue()[1]);
            rows.add(row);
        });
        return rows;
    }

    private static Map<String, Object> propertyRows(final RangeTotals totals, final String name)
    {
        final Map<String, Object> keys = new LinkedHashMap<>();
        totals.properties(name).forEach((key, values) ->
        {
            final List<Object> rows = new ArrayList<>();
            values.forEach((value, counts) ->
            {
                final Map<String, Object> row = new LinkedHashMap<>();
                row.put("value", value);
                row.put("events", counts[0]);
                row.put("visitors", counts[1]);
                rows.add(row);
            });
            keys.put(key, rows);
        });
        return keys;
    }

    /** The days {@code period} or {@code from}/{@code to} name (not both); the last 30 days by default. */
    public Range range(final QueryParameters query, final ZoneId zone)
    {
        final String from = query.get("from");
        final String to = query.get("to");
        if (from != null || to != null)
        {
            if (from == null || to == null || query.has("period"))
            {
                throw new InvalidRequestException("invalid_range", "give period, or both from and to (YYYY-MM-DD)");
            }
            final LocalDate start = ApiDates.day(from);
            final LocalDate end = ApiDates.day(to);
            if (end.isBefore(start) || end.toEpochDay() - start.toEpochDay() > 3660)
            {
                throw new InvalidRequestException("invalid_range", "to must be on or after from, at most ten years later");
            }
            return Range.of(start, end, zone);
        }
        final LocalDate today = LocalDate.now(clock.withZone(zone));
        final String period = query.get("period");
        return switch (period == null ? "30d" : period)
        {
            case "today" -> Range.of(today, today, zone);
            case "7d" -> Range.of(today.minusDays(6), today, zone);
            case "30d" -> Range.of(today.minusDays(29), today, zone);
            case "month" -> Range.of(today.withDayOfMonth(1), today.withDayOfMonth(today.lengthOfMonth()), zone);
            case "12mo" -> Range.of(today.withDayOfMonth(1).minusMonths(11), today.withDayOfMonth(today.lengthOfMonth()), zone);
            default -> throw new InvalidRequestException("invalid_range", "period must be today, 7d, 30d, month or 12mo");
        };
    }

    /** {@code part / whole} in percent, two decimals; 0 for an empty whole. */
    static BigDecimal percent(final long part, final long whole)
    {
        return whole == 0 ? BigDecimal.ZERO :
            BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
    }

    static List<Object> money(final Map<String, BigDecimal> amounts)
    {
        final List<Object> list = new ArrayList<>();
        amounts.forEach((currency, amount) ->
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("currency", currency);
            entry.put("amount", amount.toPlainString());
            list.add(entry);
        });
        return list;
    }
}
