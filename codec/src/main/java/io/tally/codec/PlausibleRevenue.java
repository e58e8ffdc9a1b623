package io.tally.codec;

import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonMembers;
import io.tally.codec.json.JsonNumbers;
import io.tally.codec.json.JsonSkipper;
import io.tally.codec.json.JsonStrings;

import static io.tally.codec.Outcome.*;

/**
 * Plausible's revenue, {@code revenue} (or {@code $}): {@code {"currency": "EUR", "amount": "29.99"}}, or a string
 * holding it as the script sends {@code $}; the amount a non-negative number or decimal string, the currency an
 * ISO 4217 code in any case (none is USD). Any other revenue is dropped ({@link DropReason#REVENUE}) and the event
 * kept, as Plausible's extra/lib/plausible/ingestion/request/revenue.ex does. An object in the body obeys the
 * body's grammar and key rules. Not thread-safe.
 */
final class PlausibleRevenue implements JsonMembers.Handler
{
    private static final byte[] AMOUNT = {'a', 'm', 'o', 'u', 'n', 't'};
    private static final byte[] CURRENCY = {'c', 'u', 'r', 'r', 'e', 'n', 'c', 'y'};
    /** {@code revenue} is a member of the beacon object (level 1)... */
    private static final int BEACON_DEPTH = 1;
    /** ...so its own members' values are two levels deep. */
    private static final int REVENUE_DEPTH = 2;

    private final BeaconValues values;
    private final JsonMembers members;
    private final JsonSkipper skipper;
    private final JsonNumbers numbers;
    private final JsonStrings strings;
    private final NestedJson nested;
    private final UnknownKeys unknownKeys = new UnknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS);
    private final TextView text = new TextView();
    private final MutableDecimal amount = new MutableDecimal();
    private Beacon beacon;
    private boolean hasAmount;
    private boolean hasCurrency;
    private boolean invalid;

    PlausibleRevenue(final BeaconValues values, final JsonMembers members, final JsonSkipper skipper,
        final JsonNumbers numbers, final JsonStrings strings, final NestedJson nested)
    {
        this.values = values;
        this.members = members;
        this.skipper = skipper;
        this.numbers = numbers;
        this.strings = strings;
        this.nested = nested;
    }

    void begin(final Beacon into)
    {
        beacon = into;
    }

    /** Reads the value of {@code revenue} at the cursor. */
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
            drop();
            return skipper.skip(c, BEACON_DEPTH);
        }
        return readObject(c);
    }

    private Outcome readObject(final JsonCursor c)
    {
        hasAmount = false;
        hasCurrency = false;
        invalid = false;
        unknownKeys.clear();
        if (members.read(c, this) != ACCEPTED)
        {
            return c.error();
        }
        if (invalid || !hasAmount)
        {
            drop();
        }
        return ACCEPTED;
    }

    /** A string holding the object: whatever is wrong inside it drops the revenue, never the event. */
    private Outcome readString(final JsonCursor c)
    {
        if (nested.open(c))
        {
            if (nested.close(readObject(nested.cursor())) != ACCEPTED)
            {
                drop();
            }
            return ACCEPTED;
        }
        if (c.outcome() != ACCEPTED)
        {
            return c.error();
        }
        drop();
        return ACCEPTED;
    }

    private void drop()
    {
        if (beacon.dropped.count(DropReason.REVENUE) == 0)
        {
            beacon.dropped.add(DropReason.REVENUE);
        }
        beacon.hasRevenue = false;
    }

    /** Amount and currency once each; other keys are skipped. */
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
            return readAmount(c);
        }
        if (key.equalsAscii(CURRENCY))
        {
            if (hasCurrency)
            {
                return c.fail(DUPLICATE_KEY, "key 'revenue.currency' given twice");
            }
            hasCurrency = true;
            return readCurrency(c);
        }
        if (unknownKeys.add(c, key) != ACCEPTED)
        {
            return c.error();
        }
        return skipper.skip(c, REVENUE_DEPTH);
    }

    /** A non-negative JSON number, or a string holding a plain decimal as Plausible's docs show it. */
    private Outcome readAmount(final JsonCursor c)
    {
        if (c.startsNumber())
        {
            if (numbers.read(c) != ACCEPTED)
            {
                return c.error();
            }
            if (numbers.negative() || !numbers.inRange())
            {
                invalid = true;
                return ACCEPTED;
            }
            values.revenue(numbers.unscaled(), numbers.scale());
            return ACCEPTED;
        }
        if (c.peek() != '"')
        {
            invalid = true;
            return skipper.skip(c, REVENUE_DEPTH);
        }
        if (strings.read(c, text) != ACCEPTED)
        {
            return c.error();
        }
        if (amount.parsePlain(text.buffer(), text.offset(), text.offset() + text.length()))
        {
            values.revenue(amount.unscaled(), amount.scale());
        }
        else
        {
            invalid = true;
        }
        return ACCEPTED;
    }

    /** A three-letter ISO 4217 code in any case; null is none (USD, as for {@code rc}); anything else is invalid. */
    private Outcome readCurrency(final JsonCursor c)
    {
        if (c.peek() != '"')
        {
            if (c.consumeNull())
            {
                return ACCEPTED;
            }
            invalid = true;
            return skipper.skip(c, REVENUE_DEPTH);
        }
        if (strings.read(c, text) != ACCEPTED)
        {
            return c.error();
        }
        if (!values.acceptCurrency(text))
        {
            invalid = true;
        }
        return ACCEPTED;
    }
}
