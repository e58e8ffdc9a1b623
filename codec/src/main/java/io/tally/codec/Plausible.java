package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonMembers;
import io.tally.codec.json.JsonSkipper;
import io.tally.codec.json.JsonStrings;

import static io.tally.codec.Outcome.*;

/**
 * Bodies written for Plausible's Events API or its script (docs/plausible.md), taken as beacons: the object
 * forms of {@code props} and {@code revenue}, {@code props} as a string holding its object, and the type a
 * body without {@code t} gets from its name. The long key names themselves are in {@link FieldTable} and
 * {@link BeaconField}. Both objects are read with the beacon's own {@link JsonMembers} loop, so they obey
 * the same grammar. Not thread-safe.
 */
final class Plausible
{
    private static final byte[] AMOUNT = {'a', 'm', 'o', 'u', 'n', 't'};
    private static final byte[] CURRENCY = {'c', 'u', 'r', 'r', 'e', 'n', 'c', 'y'};
    private static final byte[] PAGEVIEW = {'p', 'a', 'g', 'e', 'v', 'i', 'e', 'w'};
    private static final byte[] ENGAGEMENT = {'e', 'n', 'g', 'a', 'g', 'e', 'm', 'e', 'n', 't'};
    /** The revenue object is a member of the beacon, so its members are two levels deep. */
    private static final int REVENUE_DEPTH = 2;

    private final BeaconValues values;
    private final JsonMembers members;
    private final JsonSkipper skipper;
    private final JsonStrings strings;
    private final JsonStrings propsStrings;
    private final JsonCursor nested = new JsonCursor();
    private final TextView discard = new TextView();
    private final MutableDecimal amount = new MutableDecimal();
    private final Props props = new Props();
    private final Revenue revenue = new Revenue();

    /**
     * @param strings      the body's string reader
     * @param propsStrings where a {@code props} string is unescaped: never the body's scratch, whose views
     *                     must stay put
     */
    Plausible(final BeaconValues values, final JsonMembers members, final JsonSkipper skipper, final JsonStrings strings,
        final JsonStrings propsStrings)
    {
        this.strings = strings;
        this.values = values;
        this.members = members;
        this.skipper = skipper;
        this.propsStrings = propsStrings;
    }

    /** {@code props}: an object of property names to strings, numbers or booleans, or a string holding one. */
    Outcome props(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        final byte first = c.peek();
        if (first == '"')
        {
            return propsString(c);
        }
        if (first != '{')
        {
            return c.fail(WRONG_TYPE, "'props' must be an object, or a string holding one");
        }
        return propsObject(c);
    }

    private Outcome propsObject(final JsonCursor c)
    {
        props.count = 0;
        if (members.read(c, props) != ACCEPTED)
        {
            return c.error();
        }
        values.propertyCount(props.count);
        return ACCEPTED;
    }

    /**
     * Plausible's script and many of its integrations send {@code props} as a string holding the JSON object.
     * The string is unescaped into its own buffer and the object read from there (or from the body, when the
     * string had no escapes) with a second cursor; escapes inside it still go to the body's scratch, which
     * has room because the string's own bytes took none of it. Any error points at the string.
     */
    private Outcome propsString(final JsonCursor c)
    {
        final int quote = c.position();
        propsStrings.clear(c.limit() - quote);
        if (propsStrings.read(c, discard) != ACCEPTED)
        {
            return c.error();
        }
        final ByteBuf unescaped = propsStrings.scratch();
        if (unescaped.isReadable())
        {
            nested.reset(unescaped, 0, unescaped.writerIndex());
        }
        else
        {
            nested.reset(c.buffer(), quote + 1, c.position() - 1);
        }
        final Outcome outcome = nestedProps(nested);
        nested.release();
        return outcome == ACCEPTED ? ACCEPTED : c.failAt(quote, outcome, nested.errorDetail());
    }

    private Outcome nestedProps(final JsonCursor c)
    {
        c.skipWhitespace();
        if (c.atEnd() || c.peek() != '{')
        {
            return c.fail(WRONG_TYPE, "'props' as a string must hold a JSON object");
        }
        if (propsObject(c) != ACCEPTED)
        {
            return c.error();
        }
        c.skipWhitespace();
        return c.atEnd() ? ACCEPTED : c.fail(INVALID_JSON, "'props' string has text after its object");
    }

    /** {@code revenue}: {@code {"currency": "EUR", "amount": "29.99"}}, the amount a number or a string. */
    Outcome revenue(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        if (c.peek() != '{')
        {
            return c.fail(INVALID_REVENUE, "'revenue' must be an object with currency and amount");
        }
        revenue.begin();
        if (members.read(c, revenue) != ACCEPTED)
        {
            return c.error();
        }
        return revenue.hasAmount ? ACCEPTED : c.fail(INVALID_REVENUE, "'revenue' needs an amount");
    }

    /** A body without {@code t} but with a name is Plausible's: its type follows from the name. */
    static void inferType(final Beacon b)
    {
        b.type = b.name().equalsAscii(PAGEVIEW) ? EventType.PAGEVIEW :
            b.name().equalsAscii(ENGAGEMENT) ? EventType.ENGAGEMENT : EventType.CUSTOM;
        // Plausible's script sends its own version as 'v'; it is no goal value
        b.hasValue = false;
    }

    /** The members of a {@code props} object: each is one property, its value a scalar kept as text. */
    private final class Props implements JsonMembers.Handler
    {
        int count;

        @Override
        public Outcome member(final JsonCursor c, final TextView key)
        {
            if (values.propertyKey(c, count, key) != ACCEPTED || values.propertyValue(c, count) != ACCEPTED)
            {
                return c.error();
            }
            count++;
            return ACCEPTED;
        }
    }

    /** The members of a {@code revenue} object: amount and currency once each; other keys are skipped. */
    private final class Revenue implements JsonMembers.Handler
    {
        private final UnknownKeys unknownKeys = new UnknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS);
        boolean hasAmount;
        private boolean hasCurrency;

        void begin()
        {
            hasAmount = false;
            hasCurrency = false;
            unknownKeys.clear();
        }

        @Override
        public Outcome member(final JsonCursor c, final TextView key)
        {
            if (key.equalsAscii(AMOUNT))
            {
                if (hasAmount)
                {
                    return c.fail(DUPLICATE_KEY, "key 'revenue.amount' given twice");
                }
                hasAmount = true;
                return c.startsValue() ? readAmount(c) : c.fail(INVALID_JSON, "invalid value");
            }
            if (key.equalsAscii(CURRENCY))
            {
                if (hasCurrency)
                {
                    return c.fail(DUPLICATE_KEY, "key 'revenue.currency' given twice");
                }
                hasCurrency = true;
                return c.startsValue() ? values.currency(c, true) : c.fail(INVALID_JSON, "invalid value");
            }
            if (unknownKeys.add(c, key) != ACCEPTED)
            {
                return c.error();
            }
            return skipper.skip(c, REVENUE_DEPTH);
        }
    }

    /** The amount: a JSON number, or a string holding a plain decimal as Plausible's docs show it. */
    private Outcome readAmount(final JsonCursor c)
    {
        if (c.peek() != '"')
        {
            return values.revenue(c);
        }
        if (strings.read(c, discard) != ACCEPTED)
        {
            return c.error();
        }
        if (!amount.parsePlain(discard.buffer(), discard.offset(), discard.offset() + discard.length()))
        {
            return c.fail(INVALID_REVENUE, "'revenue.amount' must be a non-negative decimal");
        }
        values.revenue(amount.unscaled(), amount.scale());
        return ACCEPTED;
    }
}
