package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonMembers;
import io.tally.codec.json.JsonNumbers;
import io.tally.codec.json.JsonSkipper;
import io.tally.codec.json.JsonStrings;

import static io.tally.codec.Outcome.*;

/**
 * Bodies written for Plausible's Events API or its script (docs/plausible.md), taken as beacons with Plausible's
 * own rules: the object forms of {@code props} and {@code revenue} (or strings holding them), where a bad
 * property, a bad revenue or a bad {@code sd} or {@code e} is dropped and reported rather than refusing the event
 * (Plausible's lib/plausible/ingestion/request.ex does the same); the type a body without {@code t} gets from its
 * name; and, once the body is read, {@link #finish} for what Plausible stores differently (the page, the
 * referrer, an engagement's scroll depth and time). The long key names themselves are in {@link FieldTable}.
 * The objects are read with the beacon's own {@link JsonMembers} loop, so they obey the same grammar: broken
 * JSON in the body is still refused. Not thread-safe.
 */
final class Plausible
{
    private static final byte[] AMOUNT = {'a', 'm', 'o', 'u', 'n', 't'};
    private static final byte[] CURRENCY = {'c', 'u', 'r', 'r', 'e', 'n', 'c', 'y'};
    private static final byte[] PAGEVIEW = {'p', 'a', 'g', 'e', 'v', 'i', 'e', 'w'};
    private static final byte[] ENGAGEMENT = {'e', 'n', 'g', 'a', 'g', 'e', 'm', 'e', 'n', 't'};
    /** The props and revenue objects are members of the beacon, so their members are two levels deep. */
    private static final int OBJECT_DEPTH = 2;
    private static final int MAX_SCROLL_DEPTH = 100;
    /** Plausible ignores an engaged time of 30 days or more (an old script sent such values). */
    static final long MAX_ENGAGED_MILLIS = 30L * 24 * 60 * 60 * 1000;
    private static final int MILLIS_SCALE = 3;
    /** {@code sd} or {@code e} not in the body. */
    private static final long ABSENT = Long.MIN_VALUE + 1;

    private final BeaconValues values;
    private final JsonMembers members;
    private final JsonSkipper skipper;
    private final JsonNumbers numbers;
    private final JsonStrings strings;
    private final JsonStrings propsStrings;
    private final JsonStrings revenueStrings;
    private final JsonCursor nested = new JsonCursor();
    private final TextView discard = new TextView();
    private final MutableDecimal amount = new MutableDecimal();
    private final Props props = new Props();
    private final Revenue revenue = new Revenue();
    private final PageUrl pageUrl = new PageUrl();
    private final TextView pageHost = new TextView();
    private final TextView referrerHost = new TextView();
    private Beacon beacon;
    private long scrollDepth;
    private long engagedMillis;

    /**
     * @param strings      the body's string reader
     * @param propsStrings where a {@code props} string is unescaped: never the body's scratch, whose views
     *                     must stay put
     */
    Plausible(final BeaconValues values, final JsonMembers members, final JsonSkipper skipper, final JsonNumbers numbers,
        final JsonStrings strings, final JsonStrings propsStrings)
    {
        this.strings = strings;
        this.values = values;
        this.members = members;
        this.skipper = skipper;
        this.numbers = numbers;
        this.propsStrings = propsStrings;
        this.revenueStrings = new JsonStrings(256, Beacon.MAX_VALUE_CHARS, Beacon.MAX_KEY_CHARS);
    }

    void begin(final Beacon into)
    {
        beacon = into;
        scrollDepth = ABSENT;
        engagedMillis = ABSENT;
    }

    // ------------------------------------------------------------------------------------------------ props

    /**
     * {@code props} (or {@code p}, {@code m}, {@code meta}): an object of property names to scalars, or a string
     * holding one. Anything else is no properties at all, dropped as {@link DropReason#PROPS_INVALID}.
     */
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
            beacon.dropped.add(DropReason.PROPS_INVALID);
            return skipper.skip(c, 1);
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
     * has room because the string's own bytes took none of it. A string that holds no JSON object is no
     * properties, as for Plausible; a key too long or given twice in it is refused as anywhere else.
     */
    private Outcome propsString(final JsonCursor c)
    {
        final int quote = c.position();
        final int keysDropped = beacon.dropped.count(DropReason.PROP_KEY);
        final int valuesDropped = beacon.dropped.count(DropReason.PROP_VALUE);
        if (!readNested(c, propsStrings))
        {
            return c.error();
        }
        final Outcome outcome = nestedObject(nested) ? propsObject(nested) : nested.error();
        final Outcome whole = outcome == ACCEPTED ? afterNestedObject(nested) : outcome;
        nested.release();
        if (whole == ACCEPTED)
        {
            return ACCEPTED;
        }
        if (isShapeError(whole))
        {
            // none of its properties is kept, so none was dropped on its own
            beacon.dropped.add(DropReason.PROP_KEY, keysDropped - beacon.dropped.count(DropReason.PROP_KEY));
            beacon.dropped.add(DropReason.PROP_VALUE, valuesDropped - beacon.dropped.count(DropReason.PROP_VALUE));
            values.propertyCount(0);
            beacon.dropped.add(DropReason.PROPS_INVALID);
            return ACCEPTED;
        }
        return c.failAt(quote, whole, nested.errorDetail());
    }

    /** Reads the JSON string at the cursor through {@code unescaper} and points {@link #nested} at its text. */
    private boolean readNested(final JsonCursor c, final JsonStrings unescaper)
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
            nested.reset(unescaped, 0, unescaped.writerIndex());
        }
        else
        {
            nested.reset(c.buffer(), quote + 1, c.position() - 1);
        }
        return true;
    }

    private static boolean nestedObject(final JsonCursor c)
    {
        c.skipWhitespace();
        if (c.atEnd() || c.peek() != '{')
        {
            c.fail(WRONG_TYPE, "the string must hold a JSON object");
            return false;
        }
        return true;
    }

    private static Outcome afterNestedObject(final JsonCursor c)
    {
        c.skipWhitespace();
        return c.atEnd() ? ACCEPTED : c.fail(INVALID_JSON, "the string has text after its object");
    }

    /** What says the string held no JSON object, rather than an object Tally refuses anywhere. */
    private static boolean isShapeError(final Outcome outcome)
    {
        return outcome == INVALID_JSON || outcome == WRONG_TYPE || outcome == NOT_OBJECT || outcome == TRAILING_DATA ||
            outcome == INVALID_ESCAPE || outcome == INVALID_UTF8 || outcome == TOO_DEEP;
    }

    /** The members of a {@code props} object: each scalar is one property, kept as text; the rest are dropped. */
    private final class Props implements JsonMembers.Handler
    {
        int count;

        @Override
        public Outcome member(final JsonCursor c, final TextView key)
        {
            if (isBlank(key))
            {
                beacon.dropped.add(DropReason.PROP_KEY);
                return skipper.skip(c, OBJECT_DEPTH);
            }
            final byte first = c.peek();
            if (first == '{' || first == '[')
            {
                beacon.dropped.add(DropReason.PROP_VALUE);
                return skipper.skip(c, OBJECT_DEPTH);
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

    // ---------------------------------------------------------------------------------------------- revenue

    /**
     * {@code revenue} (or {@code $}): {@code {"currency": "EUR", "amount": "29.99"}}, or a string holding it as the
     * script sends {@code $}; the amount a number or a decimal string. Any other revenue is dropped, the event kept.
     */
    Outcome revenue(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        final byte first = c.peek();
        if (first == '"')
        {
            return revenueString(c);
        }
        if (first != '{')
        {
            dropRevenue();
            return skipper.skip(c, 1);
        }
        return revenueObject(c);
    }

    private Outcome revenueObject(final JsonCursor c)
    {
        revenue.begin();
        if (members.read(c, revenue) != ACCEPTED)
        {
            return c.error();
        }
        if (revenue.invalid || !revenue.hasAmount)
        {
            dropRevenue();
        }
        return ACCEPTED;
    }

    /** A string holding the revenue object: whatever is wrong inside it drops the revenue, never the event. */
    private Outcome revenueString(final JsonCursor c)
    {
        if (!readNested(c, revenueStrings))
        {
            return c.error();
        }
        final boolean read = nestedObject(nested) && revenueObject(nested) == ACCEPTED && afterNestedObject(nested) == ACCEPTED;
        nested.release();
        if (!read)
        {
            dropRevenue();
        }
        return ACCEPTED;
    }

    private void dropRevenue()
    {
        beacon.dropped.add(DropReason.REVENUE);
        beacon.hasRevenue = false;
    }

    /** The members of a {@code revenue} object: amount and currency once each; other keys are skipped. */
    private final class Revenue implements JsonMembers.Handler
    {
        private final UnknownKeys unknownKeys = new UnknownKeys(BeaconDecoder.MAX_UNKNOWN_KEYS);
        boolean hasAmount;
        boolean invalid;
        private boolean hasCurrency;

        void begin()
        {
            hasAmount = false;
            hasCurrency = false;
            invalid = false;
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
            return skipper.skip(c, OBJECT_DEPTH);
        }

        /** The amount: a non-negative JSON number, or a string holding a plain decimal as Plausible's docs show it. */
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
                return skipper.skip(c, OBJECT_DEPTH);
            }
            if (strings.read(c, discard) != ACCEPTED)
            {
                return c.error();
            }
            if (amount.parsePlain(discard.buffer(), discard.offset(), discard.offset() + discard.length()))
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
                return skipper.skip(c, OBJECT_DEPTH);
            }
            if (strings.read(c, discard) != ACCEPTED)
            {
                return c.error();
            }
            if (!values.acceptCurrency(discard))
            {
                invalid = true;
            }
            return ACCEPTED;
        }
    }

    // ----------------------------------------------------------------------------------- engagement fields

    /** {@code sd}, as {@link BeaconValues#lenientInteger} read it. */
    void scrollDepth(final long value)
    {
        scrollDepth = value;
    }

    /** {@code e}, as {@link BeaconValues#lenientInteger} read it. */
    void engagedMillis(final long value)
    {
        engagedMillis = value;
    }

    /**
     * An engagement's scroll depth, as Plausible takes {@code sd}: 0 to 100, more is 100; a negative or
     * non-integer one is dropped. Also for a beacon's {@code x} that sends it.
     */
    void applyScrollDepth(final Beacon b)
    {
        if (scrollDepth == ABSENT)
        {
            return;
        }
        if (scrollDepth < 0)
        {
            b.dropped.add(DropReason.SCROLL_DEPTH);
            return;
        }
        b.scrollDepth = (int)Math.min(scrollDepth, MAX_SCROLL_DEPTH);
    }

    // --------------------------------------------------------------------------------------------- finish

    /**
     * What Plausible does once the whole body is known: an engagement needs a scroll depth or an engaged time,
     * the page's path is decoded and trimmed (its fragment kept only in hash mode), and a referrer that is no
     * outside http(s) page is dropped.
     */
    Outcome finish(final JsonCursor c, final Beacon b, final boolean hashMode)
    {
        if (b.type == EventType.ENGAGEMENT && !engagement(b))
        {
            return c.fail(MISSING_FIELD, "an engagement needs an integer 'sd' or a positive integer 'e'");
        }
        pageUrl.normalize(b.url(), hashMode);
        referrer(b);
        return ACCEPTED;
    }

    /**
     * Stores {@code e} as engaged seconds (milliseconds, so scale 3); false when neither {@code sd} nor a positive
     * {@code e} is usable, which Plausible refuses (its missing engaged time is 0).
     */
    private boolean engagement(final Beacon b)
    {
        applyScrollDepth(b);
        long millis = engagedMillis;
        if (millis != ABSENT && (millis < 0 || millis >= MAX_ENGAGED_MILLIS))
        {
            b.dropped.add(DropReason.ENGAGED_TIME);
            millis = ABSENT;
        }
        if (millis != ABSENT && !b.hasSeconds)
        {
            b.hasSeconds = true;
            b.secondsUnscaled = millis;
            b.secondsScale = millis == 0 ? 0 : MILLIS_SCALE;
        }
        return b.scrollDepth != Beacon.NO_SCROLL_DEPTH || (millis != ABSENT && millis > 0) ||
            (b.hasSeconds && b.secondsUnscaled > 0);
    }

    /**
     * Plausible keeps a referrer only when it is an http, https or android-app URL with a host that is not the
     * page's own site (nor {@code localhost}); an empty one is no referrer.
     */
    private void referrer(final Beacon b)
    {
        final TextView referrer = b.referrer();
        if (!referrer.isPresent())
        {
            return;
        }
        if (referrer.length() == 0)
        {
            referrer.reset();
            return;
        }
        if (!Referrers.isOutside(referrer, b.url(), referrerHost, pageHost))
        {
            referrer.reset();
            b.dropped.add(DropReason.REFERRER);
        }
    }

    /** A body without {@code t} but with a name is Plausible's: its type follows from the name. */
    static void inferType(final Beacon b)
    {
        b.type = b.name().equalsAscii(PAGEVIEW) ? EventType.PAGEVIEW :
            b.name().equalsAscii(ENGAGEMENT) ? EventType.ENGAGEMENT : EventType.CUSTOM;
        b.plausible = true;
        // Plausible's script sends its own version as 'v'; it is no goal value
        b.hasValue = false;
    }
}
