package io.tally.explore.report;

import io.tally.explore.filter.Dimension;

import java.util.List;

/**
 * What the rows of a filtered report are grouped by: nothing (one row), a time bucket in a time zone, a filter
 * dimension ({@code event:page}, {@code visit:source}, {@code event:props:plan}, ...), or one of the few groupings
 * Tally's own reports use besides them ({@code visit:referrer_domain}, {@code event:label}, {@code event:action},
 * {@code event:category}). Made once per request; its SQL is fixed text, the key and zone are parameters.
 *
 * @param name       the grouping's name as given
 * @param expression the SQL of the key over one event's columns ({@code ?}: the {@link #parameter})
 * @param visit      whether the key is the session's (read from its first or last event), not each event's
 * @param parameter  the value bound to the {@code ?} of the expression, or null
 * @param dropEmpty  whether events without a key are left out (a goal breakdown) rather than keyed {@code (none)}
 * @param time       whether the key is a time bucket (visits count in the bucket they started in)
 */
public record Grouping(String name, String expression, boolean visit, String parameter, boolean dropEmpty, boolean time,
    String sessionExpression)
{
    /** One row for everything. */
    public static final Grouping TOTAL = new Grouping("", "''", false, null, false, false, null);

    /** The groupings besides the filter dimensions. */
    public static final List<String> EXTRA = List.of("visit:referrer_domain", "event:label", "event:action", "event:category",
        "visit:browser_version", "visit:os_version");

    /** Between a name and its version in the key of {@code visit:browser_version} and {@code visit:os_version}. */
    public static final char VERSION_SEPARATOR = '\u001f';

    /** Time buckets: {@code hour} ({@code yyyy-MM-ddTHH}), {@code day} ({@code yyyy-MM-dd}), {@code month} ({@code yyyy-MM}). */
    public static Grouping time(final String interval, final String zone)
    {
        final String format = switch (interval)
        {
            case "hour" -> "%Y-%m-%dT%H";
            case "day" -> "%Y-%m-%d";
            case "month" -> "%Y-%m";
            default -> throw new IllegalArgumentException("interval must be hour, day or month: " + interval);
        };
        return new Grouping("time:" + interval, "strftime(timezone(?, time AT TIME ZONE 'UTC'), '" + format + "')", false, zone,
            false, true, null);
    }

    /** The grouping named {@code name}: a filter dimension or one of {@link #EXTRA}; an IllegalArgumentException otherwise. */
    public static Grouping of(final String name)
    {
        switch (name)
        {
            case "visit:referrer_domain":
                return visit(name, "coalesce(nullif(" + Dimension.referrerDomainSql() + ", ''), '(direct)')", false);
            case "event:label":
            case "event:action":
            case "event:category":
                return new Grouping(name, name.substring("event:".length()), false, null, true, false, null);
            case "visit:browser_version":
            case "visit:os_version":
                final String column = name.substring("visit:".length(), name.indexOf('_'));
                return new Grouping(name, column + " || chr(31) || coalesce(" + column + "_version, '')", false, null, true,
                    false, null);
            default:
                break;
        }
        final Dimension dimension = java.util.Arrays.stream(Dimension.values())
            .filter(d -> d == Dimension.EVENT_PROPS ? name.startsWith(d.text()) && name.length() > d.text().length() : d.text().equals(name))
            .findFirst().orElseThrow(() -> new IllegalArgumentException("no such property to break down by: " + name));
        if (dimension == Dimension.EVENT_PROPS)
        {
            return new Grouping(name, dimension.expression(), false, name.substring(dimension.text().length()), false, false, null);
        }
        if (dimension.scope() == Dimension.Scope.VISIT)
        {
            return new Grouping(name, dimension.expression(), true, null, false, false, dimension.sessionValue());
        }
        return new Grouping(name, dimension.expression(), false, null, dimension == Dimension.EVENT_GOAL, false, null);
    }

    private static Grouping visit(final String name, final String expression, final boolean dropEmpty)
    {
        return new Grouping(name, expression, true, null, dropEmpty, false,
            "nullif(arg_min(coalesce(" + expression + ", ''), (time, journal_index)), '')");
    }
}
