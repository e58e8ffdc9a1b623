package io.tally.codec.json;

import io.netty.buffer.ByteBuf;
import io.tally.codec.Decimals;
import io.tally.codec.Outcome;

import static io.tally.codec.Outcome.ACCEPTED;
import static io.tally.codec.Outcome.INVALID_JSON;
import static io.tally.codec.json.JsonCursor.isDigit;

/**
 * Reads a JSON number at a {@link JsonCursor} exactly, as an unscaled {@code long} and a decimal scale, never
 * through {@code double}: money and goal values must add up to the cent. A number is validated against the
 * JSON grammar whatever its size; {@link #inRange()} then says whether it fit 18 digits after the point and
 * a {@code long} in all. Reusable, not thread-safe.
 */
public final class JsonNumbers
{
    /** Exponents are clamped here: any larger one overflows the {@code long} or the scale anyway. */
    private static final int EXPONENT_CAP = 10_000;

    private long unscaled;
    private int scale;
    private boolean negative;
    private boolean inRange;
    /** The digits read so far, for {@link #readFraction}. */
    private long fraction;

    /** The value with its sign; meaningful when {@link #inRange()}. Zero is 0 at scale 0, never negative. */
    public long unscaled()
    {
        return unscaled;
    }

    public int scale()
    {
        return scale;
    }

    public boolean negative()
    {
        return negative;
    }

    public boolean inRange()
    {
        return inRange;
    }

    /** Reads the number at the cursor, which starts with '-' or a digit. */
    public Outcome read(final JsonCursor c)
    {
        final ByteBuf in = c.in;
        negative = false;
        inRange = true;
        long digits = 0;
        int fractionDigits = 0;
        if (in.getByte(c.pos) == '-')
        {
            negative = true;
            c.pos++;
        }
        final int intStart = c.pos;
        while (c.pos < c.limit && isDigit(in.getByte(c.pos)))
        {
            digits = accumulate(digits, in.getByte(c.pos++));
        }
        final int intDigits = c.pos - intStart;
        if (intDigits == 0 || (intDigits > 1 && in.getByte(intStart) == '0'))
        {
            return c.fail(INVALID_JSON, "invalid number");
        }
        if (c.pos < c.limit && in.getByte(c.pos) == '.')
        {
            fraction = digits;
            fractionDigits = readFraction(c);
            if (fractionDigits < 0)
            {
                return c.error();
            }
            digits = fraction;
        }
        int exponent = 0;
        if (c.pos < c.limit && (in.getByte(c.pos) == 'e' || in.getByte(c.pos) == 'E'))
        {
            exponent = readExponent(c);
            if (exponent == Integer.MIN_VALUE)
            {
                return c.error();
            }
        }
        normalize(digits, fractionDigits - exponent);
        return ACCEPTED;
    }

    /**
     * The digits after '.', appended to {@link #fraction} (set to those before it); returns how many, or
     * -1 with the error set. Apart from {@link #read} to keep that small enough for the JIT to inline.
     */
    private int readFraction(final JsonCursor c)
    {
        final ByteBuf in = c.in;
        c.pos++;
        final int start = c.pos;
        long digits = fraction;
        while (c.pos < c.limit && isDigit(in.getByte(c.pos)))
        {
            digits = accumulate(digits, in.getByte(c.pos++));
        }
        if (c.pos == start)
        {
            c.fail(INVALID_JSON, "invalid number");
            return -1;
        }
        fraction = digits;
        return c.pos - start;
    }

    /** The exponent after 'e', clamped; {@link Integer#MIN_VALUE} with the error set when it has no digits. */
    private static int readExponent(final JsonCursor c)
    {
        final ByteBuf in = c.in;
        c.pos++;
        boolean minus = false;
        if (c.pos < c.limit && (in.getByte(c.pos) == '+' || in.getByte(c.pos) == '-'))
        {
            minus = in.getByte(c.pos++) == '-';
        }
        final int start = c.pos;
        int value = 0;
        while (c.pos < c.limit && isDigit(in.getByte(c.pos)))
        {
            value = Math.min(value * 10 + (in.getByte(c.pos++) - '0'), EXPONENT_CAP);
        }
        if (c.pos == start)
        {
            c.fail(INVALID_JSON, "invalid number");
            return Integer.MIN_VALUE;
        }
        return minus ? -value : value;
    }

    /** Brings the digits to a scale in [0, {@link Decimals#MAX_SCALE}], dropping trailing zeros if need be. */
    private void normalize(final long digits, final int scaleIn)
    {
        long value = digits;
        int s = scaleIn;
        while (s > Decimals.MAX_SCALE && value % 10 == 0 && inRange)
        {
            value /= 10;
            s--;
        }
        while (s < 0 && inRange)
        {
            if (value > Long.MAX_VALUE / 10)
            {
                inRange = false;
            }
            value *= 10;
            s++;
        }
        if (s > Decimals.MAX_SCALE)
        {
            inRange = false;
        }
        if (value == 0)
        {
            // -0, 0.00 and -0.0e5 are all the one zero: stored as 0, never as "0.0" or with a sign
            negative = false;
            s = 0;
        }
        unscaled = negative ? -value : value;
        scale = s;
    }

    private long accumulate(final long value, final byte digit)
    {
        final int d = digit - '0';
        if (value > (Long.MAX_VALUE - d) / 10)
        {
            inRange = false;
            return value;
        }
        return value * 10 + d;
    }
}
