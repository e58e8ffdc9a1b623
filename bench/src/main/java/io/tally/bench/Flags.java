package io.tally.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} (or {@code --name=value}) flags of one bench command, each given at most once;
 * unknown flags and stray arguments are errors ({@link IllegalArgumentException}, shown as usage errors).
 */
public final class Flags
{
    private final Map<String, String> values = new HashMap<>();
    private final boolean help;

    public Flags(final List<String> args, final Set<String> known)
    {
        boolean wantsHelp = false;
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h"))
            {
                wantsHelp = true;
                continue;
            }
            if (!arg.startsWith("--"))
            {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            final int equals = arg.indexOf('=');
            final String name = (equals < 0 ? arg : arg.substring(0, equals)).substring(2);
            if (!known.contains(name))
            {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            if (equals < 0 && i + 1 >= args.size())
            {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            final String value = equals < 0 ? args.get(++i) : arg.substring(equals + 1);
            if (values.put(name, value) != null)
            {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        this.help = wantsHelp;
    }

    public boolean wantsHelp()
    {
        return help;
    }

    public String string(final String name, final String fallback)
    {
        return values.getOrDefault(name, fallback);
    }

    /** One of {@code allowed}, upper-cased for {@code Enum.valueOf}; the allowed values are part of the error. */
    public String choice(final String name, final String fallback, final String... allowed)
    {
        final String value = string(name, fallback);
        for (final String candidate : allowed)
        {
            if (candidate.equals(value))
            {
                return value.toUpperCase(Locale.ROOT);
            }
        }
        throw new IllegalArgumentException("--" + name + " must be one of " + String.join(", ", allowed) + ": " + value);
    }

    /** A whole number in {@code [min, max]}; the limits are part of the error when it is outside. */
    public long number(final String name, final long fallback, final long min, final long max)
    {
        final String text = values.get(name);
        if (text == null)
        {
            return fallback;
        }
        final long value;
        try
        {
            value = Long.parseLong(text.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " must be a whole number: " + text);
        }
        return checkRange(name, value, min, max, "");
    }

    /**
     * A duration in milliseconds: {@code 10} or {@code 10s} (seconds), {@code 500ms}, {@code 2m}, in
     * {@code [minMillis, maxMillis]}.
     */
    public long millis(final String name, final long fallbackMillis, final long minMillis, final long maxMillis)
    {
        final String text = values.get(name);
        if (text == null)
        {
            return fallbackMillis;
        }
        final long unit;
        final String digits;
        if (text.endsWith("ms"))
        {
            unit = 1;
            digits = text.substring(0, text.length() - 2);
        }
        else if (text.endsWith("m"))
        {
            unit = 60_000;
            digits = text.substring(0, text.length() - 1);
        }
        else
        {
            unit = 1_000;
            digits = text.endsWith("s") ? text.substring(0, text.length() - 1) : text;
        }
        final long value;
        try
        {
            value = Long.parseLong(digits) * unit;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("--" + name + " must be a duration such as 10s, 500ms or 2m: " + text);
        }
        return checkRange(name, value, minMillis, maxMillis, " ms");
    }

    private static long checkRange(final String name, final long value, final long min, final long max, final String unit)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException("--" + name + " must be between " + min + unit + " and " + max + unit + ": " +
                value + unit);
        }
        return value;
    }
}
