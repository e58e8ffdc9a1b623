package io.tally.cluster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The row reports of several workers as the cluster's: pages, sources, entry and exit pages, event names (or one
 * name's properties), countries, browsers, systems and devices (with their versions), and the time series (points
 * added by their start). Each worker answers with up to {@link #MAX_ROWS} rows (the most a report gives); the
 * rows are added by label, sorted again and only then cut to the caller's limit (and page, for event names). Exact
 * while no worker has more than {@link #MAX_ROWS} rows of a report; past that a row just outside one worker's top
 * {@link #MAX_ROWS} lacks that worker's part (a long tail of pages or names: its counts are small by then).
 */
final class ReportsMerge
{
    static final Set<String> REPORTS = Set.of("pages", "sources", "entry_pages", "exit_pages", "events", "countries",
        "timeseries", "browsers", "operating_systems", "devices");
    /** The reports that take {@code limit} (countries and the audience reports answer every row). */
    static final Set<String> LIMITED = Set.of("pages", "sources", "entry_pages", "exit_pages", "events");
    /** The most rows a report answers ({@code limit} at most 1,000), asked of every worker. */
    static final int MAX_ROWS = 1_000;
    /** The rows answered without {@code limit}. */
    static final int DEFAULT_ROWS = 100;

    private static final RowsMerge PAGES = new RowsMerge("page", List.of("visitors", "visits", "pageviews"),
        List.of("time_on_page", "scroll_depth"), "pageviews");
    private static final RowsMerge SOURCES = new RowsMerge("source", List.of("visitors", "visits"), List.of(), "visits");
    private static final RowsMerge ENTRY_PAGES = new RowsMerge("page", List.of("visitors", "visits"), List.of(), "visits");
    private static final RowsMerge EXIT_PAGES = new RowsMerge("page", List.of("visitors", "exits", "pageviews"), List.of(),
        "exits");
    private static final List<String> AUDIENCE_COUNTS = List.of("visitors", "pageviews", "conversions");
    private static final RowsMerge VERSIONS = new RowsMerge("version", AUDIENCE_COUNTS, List.of(), "visitors");
    private static final RowsMerge NAMES = new RowsMerge("name", List.of("events", "visitors"), List.of(), "events");
    private static final RowsMerge VALUES = new RowsMerge("value", List.of("events", "visitors"), List.of(), "events");
    private static final RowsMerge COUNTRIES = new RowsMerge("country",
        List.of("visitors", "pageviews", "conversions", "converting_visitors"), List.of(), "visitors");

    private ReportsMerge()
    {
    }

    /** A page of event names past the last one. */
    static final class PageTooFar extends Exception
    {
        private static final long serialVersionUID = 1L;

        PageTooFar(final String message)
        {
            super(message);
        }
    }

    /** Whether a report's rows are a goal's conversions (with {@code goal=}), all of them unless limited. */
    static boolean byGoal(final String report, final List<String> parameters)
    {
        return (report.equals("pages") || report.equals("sources")) &&
            parameters.stream().anyMatch(parameter -> parameter.startsWith("goal="));
    }

    /**
     * The cluster's answer of {@code report}; {@code limit}: the caller's, or null when not given; {@code page}: the
     * page of event names asked for.
     */
    static Map<String, Object> merge(final String report, final List<Map<String, Object>> answers, final Integer limit,
        final int page) throws PageTooFar
    {
        final Map<String, Object> merged = new LinkedHashMap<>(answers.get(0));
        final boolean byGoal = merged.containsKey("goal");
        final int rows = limit != null ? limit : byGoal ? Integer.MAX_VALUE : DEFAULT_ROWS;
        switch (report)
        {
            case "pages" -> merged.put("pages", (byGoal ? conversions("page") : PAGES).add(parts(answers, "pages"), rows));
            case "sources" -> merged.put("sources",
                (byGoal ? conversions("source") : SOURCES).add(parts(answers, "sources"), rows));
            case "entry_pages" -> merged.put("entry_pages", ENTRY_PAGES.add(parts(answers, "entry_pages"), rows));
            case "exit_pages" -> merged.put("exit_pages", firstRows(EXIT_PAGES.add(parts(answers, "exit_pages")), rows));
            case "browsers" -> merged.put(report, audience("browser", answers, report));
            case "operating_systems" -> merged.put(report, audience("os", answers, report));
            case "devices" -> merged.put(report, audience("device", answers, report));
            case "events" -> events(merged, answers, limit == null ? DEFAULT_ROWS : limit, page);
            case "countries" -> countries(merged, answers);
            case "timeseries" -> merged.put("points", points(answers));
            default -> throw new IllegalArgumentException("not a row report: " + report);
        }
        return merged;
    }

    private static RowsMerge conversions(final String label)
    {
        return new RowsMerge(label, List.of("conversions"), List.of(), "conversions");
    }

    private static void events(final Map<String, Object> merged, final List<Map<String, Object>> answers, final int limit,
        final int page) throws PageTooFar
    {
        if (merged.containsKey("name"))
        {
            final Set<String> keys = new LinkedHashSet<>();
            answers.forEach(answer -> keys.addAll(StatsMerge.map(answer.get("properties")).keySet()));
            final Map<String, Object> properties = new LinkedHashMap<>();
            for (final String key : keys)
            {
                final List<Object> parts = new ArrayList<>();
                answers.forEach(answer -> parts.add(StatsMerge.map(answer.get("properties")).get(key)));
                properties.put(key, new ArrayList<Object>(VALUES.add(parts)));
            }
            merged.put("properties", properties);
            return;
        }
        final List<Map<String, Object>> names = NAMES.add(parts(answers, "events"));
        final long pages = Math.max(1, (names.size() + (long)limit - 1) / limit);
        if (page > pages)
        {
            throw new PageTooFar("page " + page + " is past the last page, " + pages);
        }
        final int from = (int)Math.min(names.size(), (page - 1L) * limit);
        merged.put("events", new ArrayList<Object>(names.subList(from, Math.min(names.size(), from + limit))));
        merged.put("total_rows", names.size());
        merged.put("page", page);
        merged.put("limit", limit);
        merged.put("has_next_page", page < pages);
        for (final String meta : List.of("label", "action", "category"))
        {
            final String list = meta.equals("category") ? "categories" : meta + "s";
            merged.put(list, new RowsMerge(meta, List.of("events"), List.of(), "events").add(parts(answers, list)));
        }
    }

    /** A time series' points added by their start (every metric is a count; the workers have the same buckets). */
    private static List<Object> points(final List<Map<String, Object>> answers)
    {
        final Map<Object, BigDecimal> values = new LinkedHashMap<>();
        for (final Map<String, Object> answer : answers)
        {
            for (final Object point : (List<?>)answer.get("points"))
            {
                values.merge(StatsMerge.map(point).get("start"), StatsMerge.number(StatsMerge.map(point), "value"),
                    BigDecimal::add);
            }
        }
        final List<Object> points = new ArrayList<>();
        values.forEach((start, value) ->
        {
            final Map<String, Object> point = new LinkedHashMap<>();
            point.put("start", start);
            point.put("value", value);
            points.add(point);
        });
        return points;
    }

    private static void countries(final Map<String, Object> merged, final List<Map<String, Object>> answers)
    {
        final List<Map<String, Object>> rows = COUNTRIES.add(parts(answers, "countries"));
        rows.forEach(ReportsMerge::conversionRate);
        merged.put("countries", new ArrayList<Object>(rows));
        final Map<String, Object> unknown = new LinkedHashMap<>(StatsMerge.map(merged.get("unknown")));
        for (final String count : List.of("visitors", "pageviews", "conversions", "converting_visitors"))
        {
            BigDecimal total = BigDecimal.ZERO;
            for (final Map<String, Object> answer : answers)
            {
                total = total.add(StatsMerge.number(StatsMerge.map(answer.get("unknown")), count));
            }
            unknown.put(count, total);
        }
        conversionRate(unknown);
        merged.put("unknown", unknown);
    }

    private static void conversionRate(final Map<String, Object> row)
    {
        row.put("conversion_rate", StatsMerge.percent(StatsMerge.number(row, "converting_visitors"),
            StatsMerge.number(row, "visitors")));
    }

    /** The first {@code limit} rows (their exit rates are made again by {@link #exitRates(Map, List)}). */
    private static List<Object> firstRows(final List<Map<String, Object>> rows, final int limit)
    {
        return new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())));
    }

    /**
     * A merged exit pages report's pageviews and exit rates, from every worker's pages report: a worker has an exit
     * row only for a page a visit left from, while its visitors may have viewed the page too. The rate is remade from
     * the sums (null without pageviews, as one node answers); a page outside every worker's top pages keeps the
     * exit rows' own pageviews.
     */
    static void exitRates(final Map<String, Object> merged, final List<Map<String, Object>> pageAnswers)
    {
        final Map<Object, Map<String, Object>> pages = new LinkedHashMap<>();
        PAGES.add(parts(pageAnswers, "pages")).forEach(row -> pages.put(row.get("page"), row));
        for (final Object exit : (List<?>)merged.get("exit_pages"))
        {
            final Map<String, Object> row = StatsMerge.map(exit);
            final Map<String, Object> page = pages.get(row.get("page"));
            if (page != null)
            {
                row.put("pageviews", StatsMerge.number(page, "pageviews"));
            }
            final BigDecimal views = StatsMerge.number(row, "pageviews");
            row.put("exit_rate", views.signum() == 0 ? null : StatsMerge.percent(StatsMerge.number(row, "exits"), views));
        }
    }

    /**
     * An audience report's rows (a browser, a system, a device class) added by name, and a name's versions added by
     * version, each list sorted again by visitors.
     */
    private static List<Object> audience(final String label, final List<Map<String, Object>> answers, final String report)
    {
        final List<Object> parts = parts(answers, report);
        final Map<Object, List<Object>> versionsByName = new LinkedHashMap<>(); // each worker's versions of a name
        for (final Object part : parts)
        {
            if (part instanceof List<?> rows)
            {
                rows.forEach(row -> versionsByName.computeIfAbsent(StatsMerge.map(row).get(label), name -> new ArrayList<>())
                    .add(StatsMerge.map(row).get("versions")));
            }
        }
        final List<Map<String, Object>> rows = new RowsMerge(label, AUDIENCE_COUNTS, List.of(), "visitors").add(parts);
        for (final Map<String, Object> row : rows)
        {
            if (row.containsKey("versions"))
            {
                row.put("versions", new ArrayList<Object>(VERSIONS.add(versionsByName.get(row.get(label)))));
            }
        }
        return new ArrayList<>(rows);
    }

    private static List<Object> parts(final List<Map<String, Object>> answers, final String list)
    {
        final List<Object> parts = new ArrayList<>();
        answers.forEach(answer -> parts.add(answer.get(list)));
        return parts;
    }
}
