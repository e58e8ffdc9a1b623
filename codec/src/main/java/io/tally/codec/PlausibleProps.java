package io.tally.codec;

import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonMembers;
import io.tally.codec.json.JsonSkipper;

import static io.tally.codec.Outcome.ACCEPTED;

/**
 * Plausible's properties, {@code props} (or {@code p}, {@code m}, {@code meta}): an object of names to scalars,
 * or a string holding one, read as Plausible's lib/plausible/ingestion/request.ex reads them. A property with a
 * blank key, or a null, blank, array or object value, is dropped ({@link DropReason#PROP_KEY},
 * {@link DropReason#PROP_VALUE}); properties that are no object, nor a string holding one, are none at all
 * ({@link DropReason#PROPS_INVALID}). The object obeys the body's grammar, and a key too long or given twice
 * is refused as anywhere. Not thread-safe.
 */
final class PlausibleProps implements JsonMembers.Handler
{
    /** {@code props} is a member of the beacon object (level 1)... */
    private static final int BEACON_DEPTH = 1;
    /** ...so its own members' values are two levels deep. */
    private static final int PROPS_DEPTH = 2;

    private final BeaconValues values;
    private final JsonMembers members;
    private final JsonSkipper skipper;
    private final NestedJson nested;
    private Beacon beacon;
    private int count;

    PlausibleProps(final BeaconValues values, final JsonMembers members, final JsonSkipper skipper, final NestedJson nested)
    {
        this.values = values;
        this.members = members;
        this.skipper = skipper;
        this.nested = nested;
    }

    void begin(final Beacon into)
    {
        beacon = into;
    }

    /** Reads the value of {@code props} at the cursor. */
    Outcome read(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        final byte first = c.peek();
        if (first == '"')
        {
            return readString(c);
        }
        if (first != '{')
        {
            beacon.dropped.add(DropReason.PROPS_INVALID);
            return skipper.skip(c, BEACON_DEPTH);
        }
        return readObject(c);
    }

    private Outcome readObject(final JsonCursor c)
    {
        count = 0;
        if (members.read(c, this) != ACCEPTED)
        {
            return c.error();
        }
        values.propertyCount(count);
        return ACCEPTED;
    }

    /** A string holding the object; one holding no JSON object is no properties, as for Plausible. */
    private Outcome readString(final JsonCursor c)
    {
        final int quote = c.position();
        final int keysDropped = beacon.dropped.count(DropReason.PROP_KEY);
        final int valuesDropped = beacon.dropped.count(DropReason.PROP_VALUE);
        final Outcome outcome;
        if (nested.open(c))
        {
            outcome = nested.close(readObject(nested.cursor()));
        }
        else
        {
            if (c.outcome() != ACCEPTED)
            {
                return c.error();
            }
            outcome = nested.error();
        }
        if (outcome == ACCEPTED)
        {
            return ACCEPTED;
        }
        if (!NestedJson.isShapeError(outcome))
        {
            return c.failAt(quote, outcome, nested.errorDetail());
        }
        // none of its properties is kept, so none was dropped on its own
        beacon.dropped.add(DropReason.PROP_KEY, keysDropped - beacon.dropped.count(DropReason.PROP_KEY));
        beacon.dropped.add(DropReason.PROP_VALUE, valuesDropped - beacon.dropped.count(DropReason.PROP_VALUE));
        values.propertyCount(0);
        beacon.dropped.add(DropReason.PROPS_INVALID);
        return ACCEPTED;
    }

    /** One member of the object: a scalar is a property kept as text; the rest are dropped. */
    @Override
    public Outcome member(final JsonCursor c, final TextView key)
    {
        if (isBlank(key))
        {
            beacon.dropped.add(DropReason.PROP_KEY);
            return skipper.skip(c, PROPS_DEPTH);
        }
        final byte first = c.peek();
        if (first == '{' || first == '[')
        {
            beacon.dropped.add(DropReason.PROP_VALUE);
            return skipper.skip(c, PROPS_DEPTH);
        }
        if (c.consumeNull())
        {
            beacon.dropped.add(DropReason.PROP_VALUE);
            return ACCEPTED;
        }
        if (values.propertyKey(c, count, key) != ACCEPTED || values.propertyValue(c, count) != ACCEPTED)
        {
            return c.error();
        }
        if (count < Beacon.MAX_PROPERTIES && isBlank(beacon.propValues[count]))
        {
            beacon.dropped.add(DropReason.PROP_VALUE);
            return ACCEPTED;
        }
        count++;
        return ACCEPTED;
    }

    /** Empty or only ASCII white space: what Plausible's {@code String.trim_leading(v) == ""} drops. */
    private static boolean isBlank(final TextView text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final byte b = text.byteAt(i);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != 0x0B && b != '\f')
            {
                return false;
            }
        }
        return true;
    }
}
