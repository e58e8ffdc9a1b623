package io.tally.codec;

import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonMembers;
import io.tally.codec.json.JsonSkipper;

import static io.tally.codec.Outcome.*;

/**
 * The members of the beacon object itself: each key is looked up in the {@link FieldTable}, refused when its
 * member was given before (under any of its names), and its value read by {@link BeaconValues} or
 * {@link Plausible}; unknown keys are remembered and their values skipped. Not thread-safe.
 */
final class BeaconMembers implements JsonMembers.Handler
{
    /** The beacon object is level 1, so its members' values start at level 2. */
    private static final int BEACON_DEPTH = 1;
    private static final int NAME = BeaconField.NAME.ordinal();
    private static final int TARGET = BeaconField.TARGET.ordinal();
    private static final int TIMESTAMP = BeaconField.TIMESTAMP.ordinal();

    private final BeaconValues values;
    private final Plausible plausible;
    private final JsonSkipper skipper;
    private final UnknownKeys unknownKeys = new UnknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS);
    private boolean trusted;
    private long seen;

    BeaconMembers(final BeaconValues values, final Plausible plausible, final JsonSkipper skipper)
    {
        this.values = values;
        this.plausible = plausible;
        this.skipper = skipper;
    }

    /** Starts a beacon; {@code trustedFields}: whether the server-side fields are keys or unknown. */
    void begin(final boolean trustedFields)
    {
        trusted = trustedFields;
        seen = 0;
        unknownKeys.clear();
    }

    @Override
    public Outcome member(final JsonCursor c, final TextView key)
    {
        final int member = FieldTable.memberOf(key, trusted);
        if (member == FieldTable.UNKNOWN)
        {
            return unknownKeys.add(c, key) == ACCEPTED ? skipper.skip(c, BEACON_DEPTH) : c.error();
        }
        final long bits = FieldTable.bitsOf(member);
        if ((seen & bits) != 0)
        {
            return c.fail(DUPLICATE_KEY, "key '" + key + "' given twice");
        }
        seen |= bits;
        return c.startsValue() ? read(c, member) : c.fail(INVALID_JSON, "invalid value");
    }

    private Outcome read(final JsonCursor c, final int member)
    {
        switch (member)
        {
            case FieldTable.TYPE: return values.type(c);
            case FieldTable.PROP_KEYS: return values.propertyKeys(c);
            case FieldTable.PROP_VALUES: return values.propertyValues(c);
            case FieldTable.REVENUE_AMOUNT: return values.revenue(c);
            case FieldTable.CURRENCY: return values.currency(c);
            case FieldTable.VALUE: return values.value(c);
            case FieldTable.SECONDS: return values.seconds(c);
            case FieldTable.PROPS: return plausible.props(c);
            case FieldTable.REVENUE: return plausible.revenue(c);
            case FieldTable.IGNORED: return skipper.skip(c, BEACON_DEPTH);
            case FieldTable.HASH_MODE: return values.hashModeFlag(c, skipper, BEACON_DEPTH);
            case FieldTable.SCROLL_DEPTH: return engagementField(c, true);
            case FieldTable.ENGAGED_MILLIS: return engagementField(c, false);
            default: return text(c, member);
        }
    }

    /** Plausible's {@code sd} or {@code e}: an integer or a string holding one; what it means waits for the name. */
    private Outcome engagementField(final JsonCursor c, final boolean scrollDepth)
    {
        if (c.consumeNull())
        {
            return ACCEPTED; // none given
        }
        if (values.lenientInteger(c, skipper, BEACON_DEPTH) != ACCEPTED)
        {
            return c.error();
        }
        if (scrollDepth)
        {
            plausible.scrollDepth(values.integer());
        }
        else
        {
            plausible.engagedMillis(values.integer());
        }
        return ACCEPTED;
    }

    /** A text field: most are any string or null; three have rules of their own. */
    private Outcome text(final JsonCursor c, final int member)
    {
        // int compares against constants: cheaper per member than a switch over the enum
        if (member == NAME)
        {
            return values.name(c);
        }
        if (member == TARGET)
        {
            return values.target(c);
        }
        return member == TIMESTAMP ? values.timestamp(c) : values.string(c, member);
    }
}
