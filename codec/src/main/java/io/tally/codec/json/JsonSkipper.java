package io.tally.codec.json;

import io.tally.codec.Outcome;
import io.tally.codec.TextView;

import static io.tally.codec.Outcome.*;

/**
 * Skips a JSON value of any kind, checking its grammar as it goes: the values of keys a body may carry but
 * the reader does not use. Iterative, with a bit per level saying whether it is an object (1) or an array
 * (0), so depth is bounded by {@code maxDepth} and never by the Java stack: a hundred thousand '[' are
 * {@link Outcome#TOO_DEEP}, not a {@link StackOverflowError}. Reusable, not thread-safe.
 */
public final class JsonSkipper
{
    private final JsonStrings strings;
    private final JsonNumbers numbers;
    private final int maxDepth;
    private final String tooDeep;
    private final TextView discard = new TextView();

    /** @param maxDepth at most 64, the bits of the level stack */
    public JsonSkipper(final JsonStrings strings, final JsonNumbers numbers, final int maxDepth)
    {
        if (maxDepth > Long.SIZE)
        {
            throw new IllegalArgumentException("maxDepth " + maxDepth + " > " + Long.SIZE);
        }
        this.strings = strings;
        this.numbers = numbers;
        this.maxDepth = maxDepth;
        this.tooDeep = "nested deeper than " + maxDepth + " levels";
    }

    /** Skips the value at the cursor, a member or element of a container {@code depthOfParent} deep. */
    public Outcome skip(final JsonCursor c, final int depthOfParent)
    {
        long objectBits = 0;
        int depth = 0;
        while (true)
        {
            c.skipWhitespace();
            if (c.pos >= c.limit)
            {
                return c.fail(INVALID_JSON, "missing value");
            }
            final byte b = c.in.getByte(c.pos);
            if (b == '{' || b == '[')
            {
                if (depthOfParent + depth + 1 > maxDepth)
                {
                    return c.fail(TOO_DEEP, tooDeep);
                }
                c.pos++;
                final boolean object = b == '{';
                objectBits = object ? objectBits | (1L << depth) : objectBits & ~(1L << depth);
                depth++;
                c.skipWhitespace();
                if (c.pos >= c.limit || c.in.getByte(c.pos) != (object ? '}' : ']'))
                {
                    // a container with members: its first value is next (after the key, in an object)
                    if (object && strings.readKey(c, discard) != ACCEPTED)
                    {
                        return c.error();
                    }
                    continue;
                }
                c.pos++;
                depth--;
            }
            else if (skipScalar(c, b) != ACCEPTED)
            {
                return c.error();
            }
            depth = closeContainers(c, objectBits, depth);
            if (depth <= 0)
            {
                return depth == 0 ? ACCEPTED : c.error();
            }
        }
    }

    /**
     * After a value: reads the closing bytes of the containers it ends and the ',' (and key) before the next
     * value. Returns the depth the next value is at, 0 when the skipped value is done, -1 on error.
     */
    private int closeContainers(final JsonCursor c, final long objectBits, final int depthIn)
    {
        int depth = depthIn;
        while (depth > 0)
        {
            final boolean inObject = (objectBits & (1L << (depth - 1))) != 0;
            final int next = c.afterValue(inObject);
            if (next == JsonCursor.BROKEN)
            {
                return -1;
            }
            if (next == JsonCursor.MORE)
            {
                return !inObject || strings.readKey(c, discard) == ACCEPTED ? depth : -1;
            }
            depth--;
        }
        return 0;
    }

    private Outcome skipScalar(final JsonCursor c, final byte b)
    {
        if (b == '"')
        {
            return strings.read(c, discard);
        }
        if (b == '-' || JsonCursor.isDigit(b))
        {
            return numbers.read(c);
        }
        if (c.consumeLiteral(JsonCursor.TRUE) || c.consumeLiteral(JsonCursor.FALSE) || c.consumeLiteral(JsonCursor.NULL))
        {
            return ACCEPTED;
        }
        return c.fail(INVALID_JSON, "invalid value");
    }
}
