package io.tally.codec.json;

import io.tally.codec.Outcome;
import io.tally.codec.TextView;

import static io.tally.codec.Outcome.ACCEPTED;

/**
 * The one loop over the members of a JSON object: key, ':', value, then ',' or '}'. What a member means is
 * up to a {@link Handler}, one per kind of object (a beacon, its properties, its revenue...), so every object
 * of a body obeys the same grammar: a missing or trailing comma is {@link Outcome#INVALID_JSON} wherever it is.
 * Reusable, not thread-safe; handlers may read nested objects with this same loop.
 */
public final class JsonMembers
{
    /** Reads the value of one member. */
    public interface Handler
    {
        /**
         * Called with the cursor at the member's value (never at the end of the input) and its key; must
         * read or skip the whole value, or fail on the cursor.
         */
        Outcome member(JsonCursor c, TextView key);
    }

    private final JsonStrings strings;
    private final TextView key = new TextView();

    public JsonMembers(final JsonStrings strings)
    {
        this.strings = strings;
    }

    /** Reads the object whose '{' is at the cursor, handing each member to {@code handler}. */
    public Outcome read(final JsonCursor c, final Handler handler)
    {
        c.pos++;
        if (c.skipWhitespace() == '}')
        {
            c.pos++;
            return ACCEPTED;
        }
        while (true)
        {
            if (strings.readKey(c, key) != ACCEPTED || handler.member(c, key) != ACCEPTED)
            {
                return c.error();
            }
            final int next = c.afterValue(true);
            if (next != JsonCursor.MORE)
            {
                return next == JsonCursor.CLOSED ? ACCEPTED : c.error();
            }
        }
    }
}
