package io.tally.codec;

import io.netty.buffer.ByteBuf;

/** A reusable exact decimal: unscaled {@code long} and scale. */
public final class MutableDecimal
{
    private long unscaled;
    private int scale;

    public long unscaled()
    {
        return unscaled;
    }

    public int scale()
    {
        return scale;
    }

    public void set(final long unscaled, final int scale)
    {
        this.unscaled = unscaled;
        this.scale = scale;
    }

    /**
     * Parses {@code [start, end)} as digits with at most one point (no sign, no exponent), as a URL parameter
     * carries a value. A zero is scale 0 whatever zeros follow the point.
     *
     * @return false, leaving this unchanged, when the text is not such a number or does not fit.
     */
    public boolean parsePlain(final ByteBuf buffer, final int start, final int end)
    {
        long value = 0;
        int digits = 0;
        int newScale = -1;
        for (int i = start; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '.' && newScale < 0 && digits > 0)
            {
                newScale = 0;
                continue;
            }
            if (b < '0' || b > '9' || digits == 18)
            {
                return false;
            }
            value = value * 10 + (b - '0');
            digits++;
            if (newScale >= 0)
            {
                newScale++;
            }
        }
        if (digits == 0 || newScale == 0)
        {
            return false;
        }
        // a zero of any scale ("0.00") is the one zero, 0
        set(value, value == 0 ? 0 : Math.max(newScale, 0));
        return true;
    }

    @Override
    public String toString()
    {
        return Decimals.format(unscaled, scale);
    }
}
