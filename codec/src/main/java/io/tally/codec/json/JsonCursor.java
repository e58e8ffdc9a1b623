package io.tally.codec.json;

import io.netty.buffer.ByteBuf;
import io.tally.codec.Outcome;

import static io.tally.codec.Outcome.ACCEPTED;
import static io.tally.codec.Outcome.INVALID_JSON;

/**
 * A position in a range of a {@link ByteBuf} holding JSON, read with absolute indices so the buffer's own
 * indices never move: whitespace, literals, the separators of arrays and objects, and the first error met
 * with its offset. The readers of this package ({@link JsonStrings}, {@link JsonNumbers}, {@link JsonSkipper},
 * {@link JsonMembers}) all move one cursor; a second cursor reads JSON nested inside a string of the first.
 * Reusable, allocation-free, not thread-safe.
 */
public final class JsonCursor
{
    public static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    public static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    public static final byte[] NULL = {'n', 'u', 'l', 'l'};
    /** {@link #skipWhitespace()} at the end of the range: no byte value. */
    public static final int END = Integer.MIN_VALUE;

    /** {@link #afterValue}: another member or element follows its ','. */
    public static final int MORE = 1;
    /** {@link #afterValue}: the container's closing byte was read. */
    public static final int CLOSED = 0;
    /** {@link #afterValue}: neither; the error is set. */
    public static final int BROKEN = -1;

    ByteBuf in;
    int pos;
    int limit;
    private int origin;
    private Outcome error;
    private String errorDetail;
    private int errorOffset;

    /** Starts reading {@code [from, to)} of {@code buffer}; error offsets count from {@code from}. */
    public JsonCursor reset(final ByteBuf buffer, final int from, final int to)
    {
        in = buffer;
        origin = from;
        pos = from;
        limit = to;
        error = null;
        errorDetail = null;
        errorOffset = -1;
        return this;
    }

    /** Lets go of the buffer, so a released body is not kept reachable; the error stays readable. */
    public void release()
    {
        in = null;
    }

    public ByteBuf buffer()
    {
        return in;
    }

    public int position()
    {
        return pos;
    }

    public int limit()
    {
        return limit;
    }

    public boolean atEnd()
    {
        return pos >= limit;
    }

    /** The byte at the position; only when not {@link #atEnd()}. */
    public byte peek()
    {
        return in.getByte(pos);
    }

    public void advance()
    {
        pos++;
    }

    /**
     * Moves past JSON whitespace; returns the byte then at the position, or {@link #END}. Handing the byte back
     * saves the caller reading it again: every {@code getByte} of a {@link ByteBuf} checks its bounds.
     */
    public int skipWhitespace()
    {
        final ByteBuf in = this.in;
        final int limit = this.limit;
        int at = pos;
        while (at < limit)
        {
            final byte b = in.getByte(at);
            // bytes above ' ' are never whitespace: one compare for nearly every byte
            if (b > ' ' || (b != ' ' && b != '\n' && b != '\r' && b != '\t'))
            {
                pos = at;
                return b;
            }
            at++;
        }
        pos = at;
        return END;
    }

    /** Whether the bytes at the position can start a JSON value; a literal must be spelled out in full. */
    public boolean startsValue()
    {
        final byte b = in.getByte(pos);
        return b == '"' || b == '{' || b == '[' || b == '-' || isDigit(b) ||
            startsWith(TRUE) || startsWith(FALSE) || startsWith(NULL);
    }

    public boolean startsNumber()
    {
        final byte b = in.getByte(pos);
        return b == '-' || isDigit(b);
    }

    public boolean consumeNull()
    {
        return consumeLiteral(NULL);
    }

    public boolean consumeLiteral(final byte[] literal)
    {
        if (startsWith(literal))
        {
            pos += literal.length;
            return true;
        }
        return false;
    }

    private boolean startsWith(final byte[] literal)
    {
        if (pos + literal.length > limit)
        {
            return false;
        }
        for (int i = 0; i < literal.length; i++)
        {
            if (in.getByte(pos + i) != literal[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * After '[': true when an element follows (whitespace skipped), false at ']' (consumed) or on error.
     * Callers that get false tell the two apart with {@link #error()}.
     */
    public boolean enterArray()
    {
        final int b = skipWhitespace();
        if (b == END)
        {
            fail(INVALID_JSON, "unterminated array");
            return false;
        }
        if (b == ']')
        {
            pos++;
            return false;
        }
        return true;
    }

    /** After an array element: true when another follows, false at ']' (consumed) or on error. */
    public boolean nextElement()
    {
        if (afterValue(false) != MORE)
        {
            return false;
        }
        if (pos >= limit)
        {
            fail(INVALID_JSON, "unterminated array");
            return false;
        }
        return true;
    }

    /**
     * After a value inside an object or array: reads the ',' that must come before another (whitespace after
     * it skipped) or the closing byte, the one grammar every container of a body obeys.
     */
    public int afterValue(final boolean inObject)
    {
        final int b = skipWhitespace();
        if (b == END)
        {
            fail(INVALID_JSON, inObject ? "unterminated object" : "unterminated array");
            return BROKEN;
        }
        if (b == (inObject ? '}' : ']'))
        {
            pos++;
            return CLOSED;
        }
        if (b != ',')
        {
            fail(INVALID_JSON, inObject ? "expected ',' or '}'" : "expected ',' or ']'");
            return BROKEN;
        }
        pos++;
        skipWhitespace();
        return MORE;
    }

    /** {@code outcome} for a value of the wrong type; bytes that start no JSON value at all are not JSON. */
    public Outcome wrongValue(final Outcome outcome, final String detail)
    {
        return startsValue() ? fail(outcome, detail) : fail(INVALID_JSON, "invalid value");
    }

    /** Records the error at the position unless one was met before; returns the first error. */
    public Outcome fail(final Outcome outcome, final String detail)
    {
        return failAt(Math.min(pos, limit), outcome, detail);
    }

    /** As {@link #fail}, at index {@code at} of the buffer. */
    public Outcome failAt(final int at, final Outcome outcome, final String detail)
    {
        if (error == null)
        {
            error = outcome;
            errorDetail = detail;
            errorOffset = at - origin;
        }
        return error;
    }

    /** The first error met, or null. */
    public Outcome error()
    {
        return error;
    }

    /** The first error, or {@link Outcome#ACCEPTED} when none was met: for readers that return booleans. */
    public Outcome outcome()
    {
        return error == null ? ACCEPTED : error;
    }

    public String errorDetail()
    {
        return errorDetail;
    }

    /** Offset of the first error from the start of the range; -1 when there is none. */
    public int errorOffset()
    {
        return errorOffset;
    }

    static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }
}
