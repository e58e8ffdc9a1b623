package io.tally.explore.funnel;

import java.util.List;
import java.util.Map;

/**
 * A dimension funnels and experiments break visitors down by, as the stats API names it ({@code visit:country} or
 * just {@code country}; {@code event:props:plan}): the SQL expression over the view {@code events} that reads it, and
 * the parameter it takes (a property's key), or null.
 */
record Breakdown(String name, String sql, String parameter)
{
    private static final Map<String, String> COLUMNS = Map.of(
        "country", "country",
        "device", "device",
        "browser", "browser",
        "os", "os",
        "referrer", "referrer",
        "page", "path",
        "name", "name");
    static final List<String> NAMES = List.of("country", "device", "browser", "os", "referrer", "page", "name", "props:KEY");

    /** The breakdown {@code dimension} names; null for none. @throws IllegalArgumentException for an unknown one. */
    static Breakdown of(final String dimension)
    {
        if (dimension == null)
        {
            return null;
        }
        final String name = strip(strip(dimension, "visit:"), "event:");
        if (name.startsWith("props:") && name.length() > "props:".length())
        {
            return new Breakdown(dimension, "props[?]", name.substring("props:".length()));
        }
        final String column = COLUMNS.get(name);
        if (column == null)
        {
            throw new IllegalArgumentException("breakdown: one of " + String.join(", ", NAMES) +
                " (with visit: or event: before it or not), not '" + dimension + "'");
        }
        return new Breakdown(dimension, column, null);
    }

    private static String strip(final String text, final String prefix)
    {
        return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
    }
}
