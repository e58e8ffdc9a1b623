package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonStrings;

import static io.tally.codec.Outcome.*;

/**
 * A JSON string that holds a JSON object, as Plausible's script sends {@code p} and {@code $}: the string is
 * unescaped into a buffer of its own (never the body's scratch, whose views must stay put) and a second cursor
 * reads the object from there, or from the body itself when the string had no escapes. Escapes inside the
 * object still go to the body's scratch, which has room because the string's own bytes took none of it.
 * Reusable, not thread-safe.
 */
final class NestedJson
{
    private final JsonStrings unescaper;
    private final JsonCursor cursor = new JsonCursor();
    private final TextView discard = new TextView();

    NestedJson(final JsonStrings unescaper)
    {
        this.unescaper = unescaper;
    }

    /**
     * Reads the string at {@code c} and points {@link #cursor()} at the first byte of its object.
     *
     * @return false when the body's string itself is broken (the error is on {@code c}), or when the string holds
     *     no object (the error is on the nested cursor, which is then released)
     */
    boolean open(final JsonCursor c)
    {
        final int quote = c.position();
        unescaper.clear(c.limit() - quote);
        if (unescaper.read(c, discard) != ACCEPTED)
        {
            return false;
        }
        final ByteBuf unescaped = unescaper.scratch();
        if (unescaped.isReadable())
        {
            cursor.reset(unescaped, 0, unescaped.writerIndex());
        }
        else
        {
            cursor.reset(c.buffer(), quote + 1, c.position() - 1);
        }
        cursor.skipWhitespace();
        if (cursor.atEnd() || cursor.peek() != '{')
        {
            cursor.fail(WRONG_TYPE, "the string must hold a JSON object");
            cursor.release();
            return false;
        }
        return true;
    }

    JsonCursor cursor()
    {
        return cursor;
    }

    /** Ends the string's reading once its object was read: {@code outcome}, or an error for text after it. */
    Outcome close(final Outcome outcome)
    {
        Outcome result = outcome;
        if (outcome == ACCEPTED)
        {
            cursor.skipWhitespace();
            result = cursor.atEnd() ? ACCEPTED : cursor.fail(INVALID_JSON, "the string has text after its object");
        }
        cursor.release();
        return result;
    }

    /** The error of the nested reading (valid after it failed, released or not). */
    Outcome error()
    {
        return cursor.error();
    }

    String errorDetail()
    {
        return cursor.errorDetail();
    }

    /** What says the string held no JSON object, rather than an object Tally refuses anywhere. */
    static boolean isShapeError(final Outcome outcome)
    {
        return outcome == INVALID_JSON || outcome == WRONG_TYPE || outcome == NOT_OBJECT || outcome == TRAILING_DATA ||
            outcome == INVALID_ESCAPE || outcome == INVALID_UTF8 || outcome == TOO_DEEP;
    }
}
