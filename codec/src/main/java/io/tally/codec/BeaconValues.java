package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonNumbers;
import io.tally.codec.json.JsonSkipper;
import io.tally.codec.json.JsonStrings;

import static io.tally.codec.Outcome.*;

/**
 * Reads the value of one beacon member at a {@link JsonCursor} into the {@link Beacon}, with the member's own
 * rules: which JSON types it takes, its limits, its error code and detail. Shared by the beacon's own keys
 * and by {@link Plausible}'s objects, whose members are the same fields under other names. Every method
 * starts with the cursor at the value and leaves it after it. Not thread-safe.
 */
final class BeaconValues
{
    private static final String RC_NOT_A_CODE = "'rc' must be a three-letter ISO 4217 code";
    private static final String RC_NOT_ISO = "'rc' is not an ISO 4217 currency code";
    private static final String NAME_TOO_LONG_DETAIL = "'n' is longer than " + Beacon.MAX_NAME_CHARS + " characters";
    private static final String PROPERTY_KEY_TOO_LONG =
        "a property key is longer than " + Beacon.MAX_KEY_CHARS + " characters";

    private static final BeaconField[] FIELDS = BeaconField.values();
    private static final int NAME = BeaconField.NAME.ordinal();
    private static final int TARGET = BeaconField.TARGET.ordinal();

    private final JsonStrings strings;
    private final JsonNumbers numbers;
    private final TextView discard = new TextView();
    /** Each kept property key's {@link #fingerprint}, by index: a key given twice is found without comparing bytes. */
    private final long[] keyFingerprints = new long[Beacon.MAX_PROPERTIES];
    /** A bit of each kept key's fingerprint. */
    private long keyMask;
    private final TextView currencyText = new TextView();
    private Beacon beacon;
    private boolean currencyGiven;
    private boolean numericTarget;
    private boolean numericName;
    private boolean hashMode;
    /** The last {@link #lenientInteger}: a value, {@link #NOT_AN_INTEGER} or, past 18 digits, {@link #HUGE}. */
    private long integer;

    /** {@code sd} or {@code e} given as something that is no integer. */
    static final long NOT_AN_INTEGER = Long.MIN_VALUE;
    /** An integer past 18 digits: larger than any limit. */
    static final long HUGE = Long.MAX_VALUE;
    private static final int MOST_DIGITS = 18;

    BeaconValues(final JsonStrings strings, final JsonNumbers numbers)
    {
        this.strings = strings;
        this.numbers = numbers;
    }

    void begin(final Beacon into)
    {
        beacon = into;
        currencyGiven = false;
        numericTarget = false;
        numericName = false;
        hashMode = false;
    }

    /** Whether {@code n} was an integer (Plausible takes one as its text, for 404 tracking); wrong in a beacon. */
    boolean numericName()
    {
        return numericName;
    }

    /** Whether the script's numeric {@code h} (or {@code hashMode}) was 1: the page is in the URL's fragment. */
    boolean hashMode()
    {
        return hashMode;
    }

    /** Whether a currency was given: without one, revenue is in USD. */
    boolean currencyGiven()
    {
        return currencyGiven;
    }

    /** Whether {@code h} was a number: Plausible's script's hash-routing flag, wrong in a beacon. */
    boolean numericTarget()
    {
        return numericTarget;
    }

    /** The text field of ordinal {@code field}: a string, or null for none. */
    Outcome string(final JsonCursor c, final int field)
    {
        // a string first: it is what nearly every value is, and null takes a compare of four bytes
        if (c.peek() == '"')
        {
            return strings.read(c, beacon.texts[field]);
        }
        return c.consumeNull() ? ACCEPTED : c.fail(WRONG_TYPE, FIELDS[field].mustBeString());
    }

    Outcome type(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        if (c.peek() != '"')
        {
            return c.fail(WRONG_TYPE, "'t' must be a string");
        }
        if (strings.read(c, discard) != ACCEPTED)
        {
            return c.error();
        }
        final EventType type = discard.length() == 1 ? EventType.fromWire(discard.byteAt(0)) : null;
        if (type == null)
        {
            return c.fail(UNKNOWN_TYPE, "'t' must be one of p, e, c, f, d, x");
        }
        beacon.type = type;
        return ACCEPTED;
    }

    Outcome name(final JsonCursor c)
    {
        if (c.startsNumber())
        {
            return integerName(c);
        }
        final Outcome outcome = string(c, NAME);
        if (outcome == ACCEPTED && beacon.name().isPresent() && strings.units() > Beacon.MAX_NAME_CHARS)
        {
            return c.fail(NAME_TOO_LONG, NAME_TOO_LONG_DETAIL);
        }
        return outcome;
    }

    /** An integer name, kept as its JSON text: Plausible's {@code n: 404}. Any other number is refused. */
    private Outcome integerName(final JsonCursor c)
    {
        final int start = c.position();
        if (numbers.read(c) != ACCEPTED)
        {
            return c.error();
        }
        if (parseInteger(c.buffer(), start, c.position()) == NOT_AN_INTEGER)
        {
            return c.fail(WRONG_TYPE, "'n' must be a string or an integer");
        }
        numericName = true;
        beacon.texts[NAME].wrap(c.buffer(), start, c.position() - start);
        return ACCEPTED;
    }

    /** {@code h}: the link target; a number is Plausible's script's hash-routing flag. */
    Outcome target(final JsonCursor c)
    {
        if (c.startsNumber())
        {
            numericTarget = true;
            return hashModeNumber(c);
        }
        return string(c, TARGET);
    }

    /** {@code hashMode}: Plausible's long name of the numeric {@code h}; anything but a number means no hash mode. */
    Outcome hashModeFlag(final JsonCursor c, final JsonSkipper skipper, final int depthOfParent)
    {
        return c.startsNumber() ? hashModeNumber(c) : skipper.skip(c, depthOfParent);
    }

    private Outcome hashModeNumber(final JsonCursor c)
    {
        if (numbers.read(c) != ACCEPTED)
        {
            return c.error();
        }
        hashMode = !numbers.negative() && numbers.inRange() && numbers.unscaled() == 1 && numbers.scale() == 0;
        return ACCEPTED;
    }

    /**
     * A value Plausible reads as an integer ({@code sd}, {@code e}): a JSON integer, or a string holding only one
     * (as Elixir's {@code Integer.parse} takes it); anything else, null included, is {@link #NOT_AN_INTEGER}.
     * Leaves it in {@link #integer()}; only the JSON grammar can fail.
     */
    Outcome lenientInteger(final JsonCursor c, final JsonSkipper skipper, final int depthOfParent)
    {
        integer = NOT_AN_INTEGER;
        final int start = c.position();
        if (c.startsNumber())
        {
            if (numbers.read(c) != ACCEPTED)
            {
                return c.error();
            }
            integer = parseInteger(c.buffer(), start, c.position());
            return ACCEPTED;
        }
        if (c.peek() != '"')
        {
            return skipper.skip(c, depthOfParent);
        }
        if (strings.read(c, discard) != ACCEPTED)
        {
            return c.error();
        }
        integer = parseInteger(discard.buffer(), discard.offset(), discard.offset() + discard.length());
        return ACCEPTED;
    }

    long integer()
    {
        return integer;
    }

    /** {@code [+-]?digits} as a long; {@link #HUGE} past 18 digits (negative ones -1); else {@link #NOT_AN_INTEGER}. */
    static long parseInteger(final ByteBuf bytes, final int from, final int to)
    {
        int i = from;
        final boolean negative = i < to && bytes.getByte(i) == '-';
        if (i < to && (negative || bytes.getByte(i) == '+'))
        {
            i++;
        }
        if (i == to)
        {
            return NOT_AN_INTEGER;
        }
        long value = 0;
        for (int digits = 0; i < to; i++, digits++)
        {
            final byte b = bytes.getByte(i);
            if (b < '0' || b > '9')
            {
                return NOT_AN_INTEGER;
            }
            value = digits < MOST_DIGITS ? value * 10 + (b - '0') : HUGE;
        }
        return negative ? (value == HUGE ? -1 : -value) : value;
    }

    /** {@code ts}: epoch milliseconds as a number, or ISO-8601 as a string; kept as its text either way. */
    Outcome timestamp(final JsonCursor c)
    {
        if (c.peek() == '"')
        {
            return strings.read(c, beacon.field(BeaconField.TIMESTAMP));
        }
        final int start = c.position();
        final int read = nonNegativeNumber(c, "'ts' must be a number", "'ts' must be a non-negative number with at most 18 digits");
        if (read > 0)
        {
            beacon.field(BeaconField.TIMESTAMP).wrap(c.buffer(), start, c.position() - start);
            beacon.timestampIsNumber = true;
        }
        return c.outcome();
    }

    Outcome propertyKeys(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        if (c.peek() != '[')
        {
            return c.fail(WRONG_TYPE, "'mk' must be an array of strings");
        }
        c.advance();
        int count = 0;
        for (boolean more = c.enterArray(); more; more = c.nextElement())
        {
            if (c.peek() != '"')
            {
                return c.wrongValue(WRONG_TYPE, "'mk' must be an array of strings");
            }
            final TextView key = count < Beacon.MAX_PROPERTIES ? beacon.propKeys[count] : discard;
            if (strings.read(c, key) != ACCEPTED)
            {
                return c.error();
            }
            if (strings.units() > Beacon.MAX_KEY_CHARS)
            {
                return c.fail(KEY_TOO_LONG, PROPERTY_KEY_TOO_LONG);
            }
            if (isPropertyKey(count, key))
            {
                return duplicateProperty(c, key);
            }
            count++;
        }
        beacon.propKeyCount = count;
        return c.outcome();
    }

    Outcome propertyValues(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        if (c.peek() != '[')
        {
            return c.fail(WRONG_TYPE, "'mv' must be an array");
        }
        c.advance();
        int count = 0;
        for (boolean more = c.enterArray(); more; more = c.nextElement())
        {
            if (propertyValue(c, count) != ACCEPTED)
            {
                return c.error();
            }
            count++;
        }
        beacon.propValueCount = count;
        return c.outcome();
    }

    /**
     * The value of property {@code index} (or, past {@link Beacon#MAX_PROPERTIES}, a throwaway view): a string,
     * number or boolean, kept as its text; numbers keep their JSON spelling.
     */
    Outcome propertyValue(final JsonCursor c, final int index)
    {
        final TextView into = index < Beacon.MAX_PROPERTIES ? beacon.propValues[index] : discard;
        final byte b = c.peek();
        if (b == '"')
        {
            return strings.read(c, into);
        }
        final int start = c.position();
        if (c.startsNumber())
        {
            final Outcome outcome = numbers.read(c);
            into.wrap(c.buffer(), start, Math.min(c.position() - start, Beacon.MAX_VALUE_CHARS));
            return outcome;
        }
        if (c.consumeLiteral(JsonCursor.TRUE) || c.consumeLiteral(JsonCursor.FALSE))
        {
            into.wrap(c.buffer(), start, c.position() - start);
            return ACCEPTED;
        }
        return c.wrongValue(WRONG_TYPE, "'mv' values must be strings, numbers or booleans");
    }

    /**
     * Wraps property key {@code index} around {@code key}, which the caller already read and checked; a key one of
     * the properties before it has is a {@link Outcome#DUPLICATE_KEY}, as for any other object.
     */
    Outcome propertyKey(final JsonCursor c, final int index, final TextView key)
    {
        if (isPropertyKey(index, key))
        {
            return duplicateProperty(c, key);
        }
        final TextView into = index < Beacon.MAX_PROPERTIES ? beacon.propKeys[index] : discard;
        into.wrap(key.buffer(), key.offset(), key.length());
        return ACCEPTED;
    }

    /** Cold: the refusal's detail is made only for a key given twice. */
    private static Outcome duplicateProperty(final JsonCursor c, final TextView key)
    {
        return c.fail(DUPLICATE_KEY, "property '" + key + "' given twice");
    }

    /**
     * Whether one of the first {@code count} properties kept has {@code key}; remembers the key when it is kept
     * itself. Each key leaves its fingerprint and a bit of it in a 64-bit mask: a key whose bit is not set is new
     * without a look at any other (the usual case), one whose bit is set is compared by fingerprint, and by bytes
     * only where the fingerprints match. Keys past the cap are compared with the kept ones, not with each other.
     */
    private boolean isPropertyKey(final int count, final TextView key)
    {
        final long fingerprint = fingerprint(key);
        final long bit = 1L << (int)((fingerprint * 0x9E3779B97F4A7C15L) >>> 58);
        if (count == 0)
        {
            keyMask = 0;
        }
        final boolean seen = (keyMask & bit) != 0 && hasFingerprint(Math.min(count, Beacon.MAX_PROPERTIES), fingerprint, key);
        if (count < Beacon.MAX_PROPERTIES)
        {
            keyFingerprints[count] = fingerprint;
            keyMask |= bit;
        }
        return seen;
    }

    private boolean hasFingerprint(final int kept, final long fingerprint, final TextView key)
    {
        for (int i = 0; i < kept; i++)
        {
            if (keyFingerprints[i] == fingerprint && beacon.propKeys[i].contentEquals(key))
            {
                return true;
            }
        }
        return false;
    }

    /** The key's length and three of its bytes (first, middle, last): equal keys have equal fingerprints. */
    private static long fingerprint(final TextView key)
    {
        final int length = key.length();
        if (length == 0)
        {
            return 0;
        }
        final ByteBuf bytes = key.buffer();
        final int at = key.offset();
        return length
            | (bytes.getByte(at) & 0xFFL) << 16
            | (bytes.getByte(at + (length >> 1)) & 0xFFL) << 24
            | (bytes.getByte(at + length - 1) & 0xFFL) << 32;
    }

    /** Both property counts at once, for an object of properties. */
    void propertyCount(final int count)
    {
        beacon.propKeyCount = count;
        beacon.propValueCount = count;
    }

    /** {@code ra}, or a number as Plausible's {@code revenue.amount}: a non-negative exact amount. */
    Outcome revenue(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        if (!c.startsNumber())
        {
            return c.fail(INVALID_REVENUE, "'ra' must be a number");
        }
        if (numbers.read(c) != ACCEPTED)
        {
            return c.error();
        }
        if (numbers.negative() || !numbers.inRange())
        {
            return c.fail(INVALID_REVENUE, "'ra' must be a non-negative amount with at most 18 digits");
        }
        revenue(numbers.unscaled(), numbers.scale());
        return ACCEPTED;
    }

    void revenue(final long unscaled, final int scale)
    {
        beacon.hasRevenue = true;
        beacon.revenueUnscaled = unscaled;
        beacon.revenueScale = scale;
    }

    /** {@code rc}: a three-letter ISO 4217 code in either case. */
    Outcome currency(final JsonCursor c)
    {
        if (c.consumeNull())
        {
            return ACCEPTED;
        }
        if (c.peek() != '"')
        {
            return c.fail(INVALID_CURRENCY, RC_NOT_A_CODE);
        }
        if (strings.read(c, currencyText) != ACCEPTED)
        {
            return c.error();
        }
        if (currencyText.length() != 3)
        {
            return c.fail(INVALID_CURRENCY, RC_NOT_A_CODE);
        }
        for (int i = 0; i < 3; i++)
        {
            final byte upper = CurrencyCodes.upperCaseLetter(currencyText.byteAt(i));
            if (upper == 0)
            {
                return c.fail(INVALID_CURRENCY, RC_NOT_A_CODE);
            }
            beacon.currency[i] = upper;
        }
        if (!CurrencyCodes.isIso4217(beacon.currency[0], beacon.currency[1], beacon.currency[2]))
        {
            return c.fail(INVALID_CURRENCY, RC_NOT_ISO);
        }
        currencyGiven = true;
        return ACCEPTED;
    }

    /**
     * Plausible's {@code revenue.currency} as its script sends it: a three-letter ISO 4217 code in any case, kept
     * upper-cased. False, and nothing kept, for anything else: the caller drops the revenue.
     */
    boolean acceptCurrency(final TextView code)
    {
        if (code.length() != 3)
        {
            return false;
        }
        final byte first = CurrencyCodes.upperCaseLetter(code.byteAt(0));
        final byte second = CurrencyCodes.upperCaseLetter(code.byteAt(1));
        final byte third = CurrencyCodes.upperCaseLetter(code.byteAt(2));
        if (first == 0 || second == 0 || third == 0 || !CurrencyCodes.isIso4217(first, second, third))
        {
            return false;
        }
        beacon.currency[0] = first;
        beacon.currency[1] = second;
        beacon.currency[2] = third;
        currencyGiven = true;
        return true;
    }

    /** {@code v}: the goal value the beacon gives. */
    Outcome value(final JsonCursor c)
    {
        if (nonNegativeNumber(c, "'v' must be a number", "'v' must be a non-negative number with at most 18 digits") > 0)
        {
            beacon.hasValue = true;
            beacon.valueUnscaled = numbers.unscaled();
            beacon.valueScale = numbers.scale();
        }
        return c.outcome();
    }

    /** {@code sec}: engaged seconds. */
    Outcome seconds(final JsonCursor c)
    {
        if (nonNegativeNumber(c, "'sec' must be a number", "'sec' must be a non-negative number with at most 18 digits") > 0)
        {
            beacon.hasSeconds = true;
            beacon.secondsUnscaled = numbers.unscaled();
            beacon.secondsScale = numbers.scale();
        }
        return c.outcome();
    }

    /** 1 when a number was read (see {@link #numbers}), 0 for null, -1 on error (set on the cursor). */
    private int nonNegativeNumber(final JsonCursor c, final String notANumber, final String outOfRange)
    {
        if (c.consumeNull())
        {
            return 0;
        }
        if (!c.startsNumber())
        {
            c.fail(WRONG_TYPE, notANumber);
            return -1;
        }
        if (numbers.read(c) != ACCEPTED)
        {
            return -1;
        }
        if (numbers.negative() || !numbers.inRange())
        {
            c.fail(INVALID_NUMBER, outOfRange);
            return -1;
        }
        return 1;
    }
}
