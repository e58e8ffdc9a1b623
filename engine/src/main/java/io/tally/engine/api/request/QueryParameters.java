package io.tally.engine.api.request;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query parameters of an admin or stats API request, each name and value %-decoded once (form rules), each
 * name at most once, and read strictly: a parameter the route does not take, a repeated one, or a value out of
 * its range is an {@link InvalidRequestException} naming it, never silently ignored (an ignored filter would
 * answer a wrong figure that looks right).
 */
public final class QueryParameters
{
    static final QueryParameters NONE = new QueryParameters(Map.of());

    private final Map<String, String> values;

    private QueryParameters(final Map<String, String> values)
    {
        this.values = values;
    }

    /** {@code raw}: the query without its '?', as sent; null for none. */
    static QueryParameters parse(final String raw)
    {
        if (raw == null || raw.isEmpty())
        {
            return NONE;
        }
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String pair : raw.split("&", -1))
        {
            if (pair.isEmpty())
            {
                continue;
            }
            final int equals = pair.indexOf('=');
            final String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            final String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (values.putIfAbsent(name, value) != null)
            {
                throw new InvalidRequestException("repeated_parameter", "parameter '" + name + "' is given more than once");
            }
        }
        return new QueryParameters(values);
    }

    private static String decode(final String raw)
    {
        try
        {
            return PercentDecoder.queryPart(raw);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidRequestException("invalid_query", "the query: " + ex.getMessage());
        }
    }

    /** Refuses a parameter not in {@code allowed}; {@code what} names the route in the answer. */
    public void allowOnly(final Collection<String> allowed, final String what)
    {
        for (final String name : values.keySet())
        {
            if (!allowed.contains(name))
            {
                throw new InvalidRequestException("unknown_parameter", "unknown parameter '" + name + "': " + what +
                    (allowed.isEmpty() ? " takes none" : " takes " + String.join(", ", allowed)));
            }
        }
    }

    public boolean has(final String name)
    {
        return values.containsKey(name);
    }

    /** The value, or null when the parameter is not given. */
    public String get(final String name)
    {
        return values.get(name);
    }

    /** The value, one of {@code choices}; {@code fallback} when not given. */
    public String choice(final String name, final String fallback, final Collection<String> choices)
    {
        final String value = values.getOrDefault(name, fallback);
        if (!choices.contains(value))
        {
            throw new InvalidRequestException("invalid_query", name + ": one of " + String.join(", ", choices));
        }
        return value;
    }

    /** The value, a whole number from {@code min} to {@code max}; {@code fallback} when not given. */
    public int whole(final String name, final int fallback, final int min, final int max)
    {
        final String value = values.get(name);
        if (value == null)
        {
            return fallback;
        }
        try
        {
            final int number = Integer.parseInt(value);
            if (number >= min && number <= max)
            {
                return number;
            }
        }
        catch (final NumberFormatException ex)
        {
            // answered below, as a number out of range is
        }
        throw new InvalidRequestException("invalid_query", name + ": a whole number " +
            (max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max));
    }
}
