package io.tally.codec;

import io.tally.codec.json.JsonCursor;

import static io.tally.codec.Outcome.*;

/**
 * The keys of one object that no table knows, remembered (as views, nothing copied) so that one given twice
 * is a {@link Outcome#DUPLICATE_KEY} like any other; their number is capped, which also bounds the quadratic
 * search. Reusable, not thread-safe.
 */
final class UnknownKeys
{
    private final TextView[] keys;
    private final String tooMany;
    private int count;

    UnknownKeys(final int max)
    {
        keys = new TextView[max];
        for (int i = 0; i < max; i++)
        {
            keys[i] = new TextView();
        }
        tooMany = "more than " + max + " unknown keys";
    }

    void clear()
    {
        count = 0;
    }

    /** Remembers {@code key}, or fails on the cursor when it was seen before or there are too many. */
    Outcome add(final JsonCursor c, final TextView key)
    {
        for (int i = 0; i < count; i++)
        {
            if (keys[i].contentEquals(key))
            {
                return c.fail(DUPLICATE_KEY, "key '" + key + "' given twice");
            }
        }
        if (count == keys.length)
        {
            return c.fail(TOO_MANY_KEYS, tooMany);
        }
        keys[count++].wrap(key.buffer(), key.offset(), key.length());
        return ACCEPTED;
    }
}
