package io.tally.engine.api.export;

import io.tally.engine.api.request.Range;
import io.tally.engine.api.stats.StatsApi;
import io.tally.engine.site.Site;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rollups' figures a day as CSV (RFC 4180, a header line): the KPIs report's figures, and each goal's row of the
 * goals report, for every day of a range in the site's time zone. The figures are the stats API's own, computed the
 * same way for one day at a time. Amounts are {@code <amount> <currency>}, several joined by {@code ;}.
 */
final class RollupCsv
{
    private final StatsApi stats;

    RollupCsv(final StatsApi stats)
    {
        this.stats = stats;
    }

    /** {@code date,visitors,pageviews,...}: a line per day. */
    String kpis(final Site site, final Range range)
    {
        final StringBuilder csv = new StringBuilder();
        final ZoneId zone = ZoneId.of(site.timeZone());
        for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plusDays(1))
        {
            final Map<String, Object> kpis = stats.kpis(site, Range.of(day, day, zone));
            if (csv.length() == 0)
            {
                header(csv, List.of("date"), kpis);
            }
            line(csv, List.of(day.toString()), kpis);
        }
        return csv.toString();
    }

    /** {@code date,name,kind,conversions,...}: a line per day and goal, goals in priority order. */
    String goals(final Site site, final Range range)
    {
        final StringBuilder csv = new StringBuilder();
        final ZoneId zone = ZoneId.of(site.timeZone());
        for (LocalDate day = range.from(); !day.isAfter(range.to()); day = day.plusDays(1))
        {
            for (final Object row : stats.goalRows(site, Range.of(day, day, zone)))
            {
                @SuppressWarnings("unchecked") final Map<String, Object> goal = (Map<String, Object>)row;
                if (csv.length() == 0)
                {
                    header(csv, List.of("date"), goal);
                }
                line(csv, List.of(day.toString()), goal);
            }
        }
        return csv.length() == 0 ? "date,name\n" : csv.toString();
    }

    /** The column names: {@code first}, then the row's keys, a nested object's as {@code key_inner}. */
    private static void header(final StringBuilder csv, final List<String> first, final Map<String, Object> row)
    {
        final List<String> names = new ArrayList<>(first);
        row.forEach((key, value) ->
        {
            if (value instanceof Map<?, ?> nested)
            {
                nested.keySet().forEach(inner -> names.add(key + "_" + inner));
            }
            else
            {
                names.add(key);
            }
        });
        join(csv, names);
    }

    private static void line(final StringBuilder csv, final List<String> first, final Map<String, Object> row)
    {
        final List<String> cells = new ArrayList<>(first);
        row.forEach((key, value) ->
        {
            if (value instanceof Map<?, ?> nested)
            {
                nested.values().forEach(inner -> cells.add(String.valueOf(inner)));
            }
            else
            {
                cells.add(text(value));
            }
        });
        join(csv, cells);
    }

    /** A cell: amounts as {@code 12.50 USD;3 EUR}, anything else as its text. */
    private static String text(final Object value)
    {
        if (value instanceof List<?> amounts)
        {
            final StringBuilder text = new StringBuilder();
            for (final Object amount : amounts)
            {
                final Map<?, ?> money = (Map<?, ?>)amount;
                text.append(text.length() == 0 ? "" : ";").append(money.get("amount")).append(' ').append(money.get("currency"));
            }
            return text.toString();
        }
        return value == null ? "" : value instanceof java.math.BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }

    private static void join(final StringBuilder csv, final List<String> cells)
    {
        for (int i = 0; i < cells.size(); i++)
        {
            csv.append(i == 0 ? "" : ",").append(quoted(cells.get(i)));
        }
        csv.append('\n');
    }

    /** RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled. */
    static String quoted(final String cell)
    {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0)
        {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
