package io.tally.codec;

/**
 * Exact decimals as an unscaled {@code long} and a scale (digits after the point), the way revenue and goal
 * values are carried everywhere in Tally. Formatting is for cold paths (dumps, APIs).
 */
public final class Decimals
{
    /** The most digits after the point an exact amount may have. */
    public static final int MAX_SCALE = 18;

    private Decimals()
    {
    }

    public static String format(final long unscaled, final int scale)
    {
        return appendTo(new StringBuilder(24), unscaled, scale).toString();
    }

    public static StringBuilder appendTo(final StringBuilder out, final long unscaled, final int scale)
    {
        if (scale == 0)
        {
            return out.append(unscaled);
        }
        final String digits = unscaled < 0 ? Long.toUnsignedString(-unscaled) : Long.toString(unscaled);
        if (unscaled < 0)
        {
            out.append('-');
        }
        if (digits.length() <= scale)
        {
            out.append("0.");
            for (int i = digits.length(); i < scale; i++)
            {
                out.append('0');
            }
            return out.append(digits);
        }
        final int point = digits.length() - scale;
        return out.append(digits, 0, point).append('.').append(digits, point, digits.length());
    }
}
