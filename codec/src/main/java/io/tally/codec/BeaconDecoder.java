package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;

import static io.tally.codec.Outcome.*;

/**
 * Decodes one beacon body (BEACON.md) straight from a {@link ByteBuf} into a reusable {@link Beacon}.
 * <p>
 * The scan uses absolute indices and never copies the body: strings without escapes become views of the
 * body itself; only strings with escapes are unescaped into a scratch buffer owned by this decoder. A
 * byte-class table keeps the common case (plain ASCII) in a tight loop; escapes, multi-byte UTF-8 and
 * errors drop to slower code. Errors are returned as an {@link Outcome}, with a one-line detail and the
 * byte offset, never thrown. Nesting is tracked in a bit stack, not by recursion, so no input can overflow
 * the stack; unknown keys are skipped whatever they hold, up to {@link #MAX_DEPTH} levels.
 * <p>
 * The body must be complete: callers that receive it in fragments hand over a composite buffer of the
 * pieces. Not thread-safe: one decoder per thread.
 */
public final class BeaconDecoder
{
    /** Deepest nesting accepted anywhere in a body, the beacon object counting as level 1. */
    public static final int MAX_DEPTH = 32;
    /** Most distinct unknown keys a beacon may carry (they are kept to detect duplicates). */
    public static final int MAX_UNKNOWN_KEYS = 64;

    private static final byte PLAIN = 0;
    private static final byte QUOTE = 1;
    private static final byte ESCAPE = 2;
    private static final byte CONTROL = 3;
    private static final byte LEAD2 = 4;
    private static final byte LEAD3 = 5;
    private static final byte LEAD4 = 6;
    private static final byte INVALID = 7;
    private static final byte[] STRING_CLASS = stringClasses();
    private static final ByteProcessor FIND_NON_PLAIN = b -> STRING_CLASS[b & 0xFF] == PLAIN;

    private static final int F_UNKNOWN = -1;
    private static final int F_T = 0;
    private static final int F_N = 1;
    private static final int F_U = 2;
    private static final int F_D = 3;
    private static final int F_R = 4;
    private static final int F_MK = 5;
    private static final int F_MV = 6;
    private static final int F_RA = 7;
    private static final int F_RC = 8;
    private static final int F_V = 9;
    private static final int F_H = 10;
    private static final int F_X = 11;
    private static final int F_TI = 12;
    private static final int F_FN = 13;
    private static final int F_FI = 14;
    private static final int F_FP = 15;
    private static final int F_EL = 16;
    private static final int F_EA = 17;
    private static final int F_EC = 18;
    private static final int F_SEC = 19;
    private static final int F_TS = 20;
    private static final int F_IP = 21;
    private static final int F_UA = 22;
    private static final int F_VID = 23;
    private static final int F_ID = 24;
    private static final int F_PROPS = 25;
    private static final int F_REVENUE = 26;
    private static final int F_SKIPPED = 27;
    private static final byte[] NAME = {'n', 'a', 'm', 'e'};
    private static final byte[] URL = {'u', 'r', 'l'};
    private static final byte[] DOMAIN = {'d', 'o', 'm', 'a', 'i', 'n'};
    private static final byte[] REFERRER = {'r', 'e', 'f', 'e', 'r', 'r', 'e', 'r'};
    private static final byte[] PROPS = {'p', 'r', 'o', 'p', 's'};
    private static final byte[] REVENUE = {'r', 'e', 'v', 'e', 'n', 'u', 'e'};
    private static final byte[] INTERACTIVE = {'i', 'n', 't', 'e', 'r', 'a', 'c', 't', 'i', 'v', 'e'};
    private static final byte[] CURRENCY = {'c', 'u', 'r', 'r', 'e', 'n', 'c', 'y'};
    private static final byte[] AMOUNT = {'a', 'm', 'o', 'u', 'n', 't'};
    private static final byte[] PAGEVIEW = {'p', 'a', 'g', 'e', 'v', 'i', 'e', 'w'};
    private static final byte[] ENGAGEMENT = {'e', 'n', 'g', 'a', 'g', 'e', 'm', 'e', 'n', 't'};

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] USD = {'U', 'S', 'D'};
    private static final ByteBuf[] DEFAULT_NAMES = defaultNames();

    private ByteBuf scratch = Unpooled.buffer(4096);
    private final ByteBuf propsScratch = Unpooled.buffer(1024);
    private final TextView key = new TextView();
    private final TextView discard = new TextView();
    private final TextView currencyText = new TextView();
    private final TextView[] unknownKeys = new TextView[MAX_UNKNOWN_KEYS];
    private int unknownKeyCount;

    private ByteBuf in;
    private int bodyStart;
    private int limit;
    private int pos;
    private Beacon beacon;
    private long seenFields;

    private int stringUnits;
    private long numberUnscaled;
    private int numberScale;
    private boolean numberNegative;
    private boolean numberInRange;
    private boolean wasNumber;
    private int exponentValue;
    private boolean currencyGiven;

    private boolean trusted;
    private boolean numericH;
    private final MutableDecimal amount = new MutableDecimal();
    private Outcome error;
    private String errorDetail;
    private int errorOffset;

    public BeaconDecoder()
    {
        for (int i = 0; i < MAX_UNKNOWN_KEYS; i++)
        {
            unknownKeys[i] = new TextView();
        }
    }

    /**
     * Decodes the readable bytes of {@code body} into {@code into}. The buffer's indices are not moved.
     *
     * @return {@link Outcome#ACCEPTED} or the error; see {@link #errorDetail()} and {@link #errorOffset()}.
     */
    public Outcome decode(final ByteBuf body, final Beacon into)
    {
        return decode(body, into, false);
    }

    /**
     * Decodes a body; when {@code trustedFields}, the server-side fields {@code ts}, {@code ip}, {@code ua},
     * {@code vid} and {@code id} are read too (for a browser beacon they are unknown keys, ignored).
     */
    public Outcome decode(final ByteBuf body, final Beacon into, final boolean trustedFields)
    {
        return decode(body, body.readerIndex(), body.writerIndex(), into, trustedFields);
    }

    /**
     * Decodes the bytes {@code [from, to)} of {@code buffer}, as {@link #decode(ByteBuf, Beacon, boolean)} does a
     * whole body: for a line of an NDJSON batch, without a slice per line.
     */
    public Outcome decode(final ByteBuf buffer, final int from, final int to, final Beacon into, final boolean trustedFields)
    {
        trusted = trustedFields;
        in = buffer;
        bodyStart = from;
        limit = to;
        pos = bodyStart;
        beacon = into;
        seenFields = 0;
        unknownKeyCount = 0;
        currencyGiven = false;
        numericH = false;
        error = null;
        errorDetail = null;
        errorOffset = -1;
        into.reset();
        scratch.clear();
        scratch.ensureWritable(limit - bodyStart);

        final Outcome outcome = decodeObject();
        in = null;
        if (outcome != ACCEPTED)
        {
            into.reset();
        }
        return outcome;
    }

    public Outcome error()
    {
        return error;
    }

    /** One line saying what was wrong, for the answer body; null after success. */
    public String errorDetail()
    {
        return errorDetail;
    }

    /** Offset in the body where the error was found; -1 after success. */
    public int errorOffset()
    {
        return errorOffset;
    }

    private Outcome decodeObject()
    {
        skipWhitespace();
        if (pos >= limit)
        {
            return fail(INVALID_JSON, "empty body");
        }
        if (in.getByte(pos) != '{')
        {
            return startsValue() ? fail(NOT_OBJECT, "the body must be a JSON object") : fail(INVALID_JSON, "not JSON");
        }
        pos++;
        skipWhitespace();
        if (pos < limit && in.getByte(pos) == '}')
        {
            pos++;
        }
        else
        {
            final Outcome members = decodeMembers();
            if (members != ACCEPTED)
            {
                return members;
            }
        }
        skipWhitespace();
        if (pos != limit)
        {
            return fail(TRAILING_DATA, "bytes after the JSON object");
        }
        return validate();
    }

    private Outcome decodeMembers()
    {
        while (true)
        {
            Outcome outcome = parseKey();
            if (outcome != ACCEPTED)
            {
                return outcome;
            }
            final int field = fieldOf(key, trusted);
            if (field == F_UNKNOWN)
            {
                outcome = rememberUnknownKey();
                if (outcome == ACCEPTED)
                {
                    outcome = skipValue(1);
                }
            }
            else if ((seenFields & bitsOf(field)) != 0)
            {
                return fail(DUPLICATE_KEY, "key '" + key + "' given twice");
            }
            else
            {
                seenFields |= bitsOf(field);
                outcome = startsValue() ? decodeField(field) : fail(INVALID_JSON, "invalid value");
            }
            if (outcome != ACCEPTED)
            {
                return outcome;
            }
            skipWhitespace();
            if (pos >= limit)
            {
                return fail(INVALID_JSON, "unterminated object");
            }
            final byte b = in.getByte(pos++);
            if (b == '}')
            {
                return ACCEPTED;
            }
            if (b != ',')
            {
                pos--;
                return fail(INVALID_JSON, "expected ',' or '}'");
            }
            skipWhitespace();
        }
    }

    private Outcome parseKey()
    {
        if (pos >= limit || in.getByte(pos) != '"')
        {
            return fail(INVALID_JSON, pos >= limit ? "unterminated object" : "expected a key");
        }
        final Outcome outcome = parseString(key);
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        if (stringUnits > Beacon.MAX_KEY_CHARS)
        {
            return fail(KEY_TOO_LONG, "a key is longer than " + Beacon.MAX_KEY_CHARS + " characters");
        }
        skipWhitespace();
        if (pos >= limit || in.getByte(pos) != ':')
        {
            return fail(INVALID_JSON, "expected ':'");
        }
        pos++;
        skipWhitespace();
        return pos < limit ? ACCEPTED : fail(INVALID_JSON, "missing value");
    }

    private Outcome rememberUnknownKey()
    {
        for (int i = 0; i < unknownKeyCount; i++)
        {
            if (unknownKeys[i].contentEquals(key))
            {
                return fail(DUPLICATE_KEY, "key '" + key + "' given twice");
            }
        }
        if (unknownKeyCount == MAX_UNKNOWN_KEYS)
        {
            return fail(TOO_MANY_KEYS, "more than " + MAX_UNKNOWN_KEYS + " unknown keys");
        }
        unknownKeys[unknownKeyCount++].wrap(key.buffer(), key.offset(), key.length());
        return ACCEPTED;
    }

    private Outcome decodeField(final int field)
    {
        final Beacon b = beacon;
        switch (field)
        {
            case F_T: return decodeType();
            case F_N: return decodeName();
            case F_U: return optionalString(b.url, "u");
            case F_D: return optionalString(b.domain, "d");
            case F_R: return optionalString(b.referrer, "r");
            case F_MK: return decodePropertyKeys();
            case F_MV: return decodePropertyValues();
            case F_RA: return decodeRevenue();
            case F_RC: return decodeCurrency("rc");
            case F_V: return decodeValue();
            case F_H: return decodeTarget();
            case F_PROPS: return decodeProps();
            case F_REVENUE: return decodeRevenueObject();
            case F_SKIPPED: return skipValue(1);
            case F_X: return optionalString(b.text, "x");
            case F_TI: return optionalString(b.title, "ti");
            case F_FN: return optionalString(b.formName, "fn");
            case F_FI: return optionalString(b.formId, "fi");
            case F_FP: return optionalString(b.formPlugin, "fp");
            case F_EL: return optionalString(b.label, "el");
            case F_EA: return optionalString(b.action, "ea");
            case F_EC: return optionalString(b.category, "ec");
            case F_SEC: return decodeSeconds();
            case F_TS: return decodeTimestamp();
            case F_IP: return optionalString(b.ip, "ip");
            case F_UA: return optionalString(b.userAgent, "ua");
            case F_VID: return optionalString(b.visitorKey, "vid");
            case F_ID: return optionalString(b.id, "id");
            default: throw new IllegalStateException("field " + field);
        }
    }

    private Outcome decodeType()
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        if (in.getByte(pos) != '"')
        {
            return fail(WRONG_TYPE, "'t' must be a string");
        }
        final Outcome outcome = parseString(discard);
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        final EventType type = discard.length() == 1 ? EventType.fromWire(discard.byteAt(0)) : null;
        if (type == null)
        {
            return fail(UNKNOWN_TYPE, "'t' must be one of p, e, c, f, d, x");
        }
        beacon.type = type;
        return ACCEPTED;
    }

    private Outcome decodeName()
    {
        final Outcome outcome = optionalString(beacon.name, "n");
        if (outcome == ACCEPTED && beacon.name.isPresent() && stringUnits > Beacon.MAX_NAME_CHARS)
        {
            return fail(NAME_TOO_LONG, "'n' is longer than " + Beacon.MAX_NAME_CHARS + " characters");
        }
        return outcome;
    }

    private Outcome optionalString(final TextView into, final String field)
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        if (in.getByte(pos) != '"')
        {
            return fail(WRONG_TYPE, "'" + field + "' must be a string");
        }
        return parseString(into);
    }

    private Outcome decodePropertyKeys()
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        if (in.getByte(pos) != '[')
        {
            return fail(WRONG_TYPE, "'mk' must be an array of strings");
        }
        pos++;
        int count = 0;
        for (boolean more = enterArray(); more; more = nextElement())
        {
            if (in.getByte(pos) != '"')
            {
                return wrongValue(WRONG_TYPE, "'mk' must be an array of strings");
            }
            final TextView into = count < Beacon.MAX_PROPERTIES ? beacon.propKeys[count] : discard;
            final Outcome outcome = parseString(into);
            if (outcome != ACCEPTED)
            {
                return outcome;
            }
            if (stringUnits > Beacon.MAX_KEY_CHARS)
            {
                return fail(KEY_TOO_LONG, "a property key is longer than " + Beacon.MAX_KEY_CHARS + " characters");
            }
            count++;
        }
        beacon.propKeyCount = count;
        return error == null ? ACCEPTED : error;
    }

    private Outcome decodePropertyValues()
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        if (in.getByte(pos) != '[')
        {
            return fail(WRONG_TYPE, "'mv' must be an array");
        }
        pos++;
        int count = 0;
        for (boolean more = enterArray(); more; more = nextElement())
        {
            final TextView into = count < Beacon.MAX_PROPERTIES ? beacon.propValues[count] : discard;
            final Outcome outcome = parseScalarAsText(into);
            if (outcome != ACCEPTED)
            {
                return outcome;
            }
            count++;
        }
        beacon.propValueCount = count;
        return error == null ? ACCEPTED : error;
    }

    /** After '[': true when an element follows, false at ']' or on error (then {@link #error} is set). */
    private boolean enterArray()
    {
        skipWhitespace();
        if (pos >= limit)
        {
            fail(INVALID_JSON, "unterminated array");
            return false;
        }
        if (in.getByte(pos) == ']')
        {
            pos++;
            return false;
        }
        return true;
    }

    /** After an element: true when another follows, false at ']' or on error (then {@link #error} is set). */
    private boolean nextElement()
    {
        skipWhitespace();
        if (pos >= limit)
        {
            fail(INVALID_JSON, "unterminated array");
            return false;
        }
        final byte b = in.getByte(pos++);
        if (b == ']')
        {
            return false;
        }
        if (b != ',')
        {
            pos--;
            fail(INVALID_JSON, "expected ',' or ']'");
            return false;
        }
        skipWhitespace();
        if (pos >= limit)
        {
            fail(INVALID_JSON, "unterminated array");
            return false;
        }
        return true;
    }

    private Outcome parseScalarAsText(final TextView into)
    {
        final byte b = in.getByte(pos);
        if (b == '"')
        {
            return parseString(into);
        }
        if (b == '-' || (b >= '0' && b <= '9'))
        {
            final int start = pos;
            final Outcome outcome = parseNumber();
            into.wrap(in, start, Math.min(pos - start, Beacon.MAX_VALUE_CHARS));
            return outcome;
        }
        if (consumeLiteral(TRUE) || consumeLiteral(FALSE))
        {
            into.wrap(in, pos - (b == 't' ? TRUE.length : FALSE.length), b == 't' ? TRUE.length : FALSE.length);
            return ACCEPTED;
        }
        return wrongValue(WRONG_TYPE, "'mv' values must be strings, numbers or booleans");
    }

    private Outcome decodeRevenue()
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        final byte b = in.getByte(pos);
        if (b != '-' && (b < '0' || b > '9'))
        {
            return fail(INVALID_REVENUE, "'ra' must be a number");
        }
        final Outcome outcome = parseNumber();
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        if (numberNegative || !numberInRange)
        {
            return fail(INVALID_REVENUE, "'ra' must be a non-negative amount with at most 18 digits");
        }
        beacon.hasRevenue = true;
        beacon.revenueUnscaled = numberUnscaled;
        beacon.revenueScale = numberScale;
        return ACCEPTED;
    }

    /** {@code field} names the key in error details: {@code rc}, or Plausible's {@code revenue.currency}. */
    private Outcome decodeCurrency(final String field)
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        if (in.getByte(pos) != '"')
        {
            return fail(INVALID_CURRENCY, "'" + field + "' must be a three-letter ISO 4217 code");
        }
        final Outcome outcome = parseString(currencyText);
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        if (currencyText.length() != 3)
        {
            return fail(INVALID_CURRENCY, "'" + field + "' must be a three-letter ISO 4217 code");
        }
        for (int i = 0; i < 3; i++)
        {
            final byte upper = CurrencyCodes.upperCaseLetter(currencyText.byteAt(i));
            if (upper == 0)
            {
                return fail(INVALID_CURRENCY, "'" + field + "' must be a three-letter ISO 4217 code");
            }
            beacon.currency[i] = upper;
        }
        if (!CurrencyCodes.isIso4217(beacon.currency[0], beacon.currency[1], beacon.currency[2]))
        {
            return fail(INVALID_CURRENCY, "'" + field + "' is not an ISO 4217 currency code");
        }
        currencyGiven = true;
        return ACCEPTED;
    }

    private Outcome decodeValue()
    {
        final Outcome outcome = nonNegativeNumber("v");
        if (outcome == ACCEPTED && wasNumber)
        {
            beacon.hasValue = true;
            beacon.valueUnscaled = numberUnscaled;
            beacon.valueScale = numberScale;
        }
        return outcome;
    }

    private Outcome decodeSeconds()
    {
        final Outcome outcome = nonNegativeNumber("sec");
        if (outcome == ACCEPTED && wasNumber)
        {
            beacon.hasSeconds = true;
            beacon.secondsUnscaled = numberUnscaled;
            beacon.secondsScale = numberScale;
        }
        return outcome;
    }

    private Outcome decodeTimestamp()
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        final byte b = in.getByte(pos);
        if (b == '"')
        {
            return parseString(beacon.timestamp);
        }
        final int start = pos;
        final Outcome outcome = nonNegativeNumber("ts");
        if (outcome == ACCEPTED && wasNumber)
        {
            beacon.timestamp.wrap(in, start, pos - start);
            beacon.timestampIsNumber = true;
        }
        return outcome;
    }

    /** {@code h}: the link target; a number is Plausible's script's hash-routing flag, ignored there. */
    private Outcome decodeTarget()
    {
        final byte b = in.getByte(pos);
        if (b == '-' || isDigit(b))
        {
            numericH = true;
            return parseNumber();
        }
        return optionalString(beacon.target, "h");
    }

    /** Plausible's {@code props}: an object of property names to strings, numbers or booleans. */
    private Outcome decodeProps()
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        final byte first = in.getByte(pos);
        if (first == '"')
        {
            return decodePropsString();
        }
        if (first != '{')
        {
            return fail(WRONG_TYPE, "'props' must be an object, or a string holding one");
        }
        return decodePropsObject();
    }

    /**
     * Plausible's script and many of its integrations send {@code props} as a string holding the JSON object.
     * The string is unescaped into its own buffer (never the body's scratch, whose views must stay put) and
     * the object is decoded from there; escapes inside it still go to the scratch, which has room because
     * the string's own bytes took none of it.
     */
    private Outcome decodePropsString()
    {
        final int contentStart = pos + 1;
        final ByteBuf bodyScratch = scratch;
        propsScratch.clear();
        propsScratch.ensureWritable(limit - pos);
        scratch = propsScratch;
        final Outcome string = parseString(discard);
        scratch = bodyScratch;
        if (string != ACCEPTED)
        {
            return string;
        }
        final ByteBuf body = in;
        final int resume = pos;
        final int bodyLimit = limit;
        if (propsScratch.isReadable())
        {
            in = propsScratch;
            pos = 0;
            limit = propsScratch.writerIndex();
        }
        else
        {
            pos = contentStart;
            limit = resume - 1;
        }
        final Outcome outcome = decodeNestedProps();
        in = body;
        pos = resume;
        limit = bodyLimit;
        if (outcome != ACCEPTED)
        {
            errorOffset = contentStart - 1 - bodyStart;
        }
        return outcome;
    }

    private Outcome decodeNestedProps()
    {
        skipWhitespace();
        if (pos >= limit || in.getByte(pos) != '{')
        {
            return fail(WRONG_TYPE, "'props' as a string must hold a JSON object");
        }
        final Outcome outcome = decodePropsObject();
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        skipWhitespace();
        return pos == limit ? ACCEPTED : fail(INVALID_JSON, "'props' string has text after its object");
    }

    private Outcome decodePropsObject()
    {
        pos++;
        skipWhitespace();
        int count = 0;
        if (pos < limit && in.getByte(pos) == '}')
        {
            pos++;
        }
        else
        {
            while (true)
            {
                final Outcome keyOutcome = parseKey();
                if (keyOutcome != ACCEPTED)
                {
                    return keyOutcome;
                }
                final TextView keyInto = count < Beacon.MAX_PROPERTIES ? beacon.propKeys[count] : discard;
                keyInto.wrap(key.buffer(), key.offset(), key.length());
                final Outcome value = parseScalarAsText(count < Beacon.MAX_PROPERTIES ? beacon.propValues[count] : discard);
                if (value != ACCEPTED)
                {
                    return value;
                }
                count++;
                skipWhitespace();
                if (pos >= limit)
                {
                    return fail(INVALID_JSON, "unterminated object");
                }
                final byte next = in.getByte(pos++);
                if (next == '}')
                {
                    break;
                }
                if (next != ',')
                {
                    pos--;
                    return fail(INVALID_JSON, "expected ',' or '}'");
                }
                skipWhitespace();
            }
        }
        beacon.propKeyCount = count;
        beacon.propValueCount = count;
        return ACCEPTED;
    }

    /** Plausible's {@code revenue}: {@code {"currency": "EUR", "amount": "29.99"}}, the amount a number or a string. */
    private Outcome decodeRevenueObject()
    {
        if (consumeNull())
        {
            return ACCEPTED;
        }
        if (in.getByte(pos) != '{')
        {
            return fail(INVALID_REVENUE, "'revenue' must be an object with currency and amount");
        }
        pos++;
        skipWhitespace();
        boolean hasAmount = false;
        while (pos < limit && in.getByte(pos) != '}')
        {
            final Outcome keyOutcome = parseKey();
            if (keyOutcome != ACCEPTED)
            {
                return keyOutcome;
            }
            final Outcome value;
            if (key.equalsAscii(AMOUNT))
            {
                value = decodeAmount();
                hasAmount = value == ACCEPTED;
            }
            else if (key.equalsAscii(CURRENCY))
            {
                value = decodeCurrency("revenue.currency");
            }
            else
            {
                value = skipValue(2);
            }
            if (value != ACCEPTED)
            {
                return value;
            }
            skipWhitespace();
            if (pos < limit && in.getByte(pos) == ',')
            {
                pos++;
                skipWhitespace();
            }
        }
        if (pos >= limit)
        {
            return fail(INVALID_JSON, "unterminated object");
        }
        pos++;
        return hasAmount ? ACCEPTED : fail(INVALID_REVENUE, "'revenue' needs an amount");
    }

    private Outcome decodeAmount()
    {
        if (in.getByte(pos) != '"')
        {
            return decodeRevenue();
        }
        final Outcome outcome = parseString(discard);
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        if (!amount.parsePlain(discard.buffer(), discard.offset(), discard.offset() + discard.length()))
        {
            return fail(INVALID_REVENUE, "'revenue.amount' must be a non-negative decimal");
        }
        beacon.hasRevenue = true;
        beacon.revenueUnscaled = amount.unscaled();
        beacon.revenueScale = amount.scale();
        return ACCEPTED;
    }

    private Outcome nonNegativeNumber(final String field)
    {
        wasNumber = false;
        if (consumeNull())
        {
            return ACCEPTED;
        }
        final byte b = in.getByte(pos);
        if (b != '-' && (b < '0' || b > '9'))
        {
            return fail(WRONG_TYPE, "'" + field + "' must be a number");
        }
        final Outcome outcome = parseNumber();
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        if (numberNegative || !numberInRange)
        {
            return fail(INVALID_NUMBER, "'" + field + "' must be a non-negative number with at most 18 digits");
        }
        wasNumber = true;
        return ACCEPTED;
    }

    private Outcome validate()
    {
        final Beacon b = beacon;
        if (b.type == null && b.name.isPresent())
        {
            // no 't' but a name: the Plausible Events API or its script (docs/plausible.md)
            b.type = b.name.equalsAscii(PAGEVIEW) ? EventType.PAGEVIEW :
                b.name.equalsAscii(ENGAGEMENT) ? EventType.ENGAGEMENT : EventType.CUSTOM;
            // Plausible's script sends its own version as 'v'; it is no goal value
            b.hasValue = false;
        }
        else if (numericH)
        {
            return fail(WRONG_TYPE, "'h' must be a string");
        }
        if (b.type == null)
        {
            return fail(MISSING_FIELD, "'t' is required");
        }
        if (!b.url.isPresent())
        {
            return fail(MISSING_FIELD, "'u' is required");
        }
        if (!b.name.isPresent() || b.name.length() == 0)
        {
            if (b.type == EventType.CUSTOM)
            {
                return fail(MISSING_FIELD, "'n' is required for custom events");
            }
            final ByteBuf defaultName = DEFAULT_NAMES[b.type.ordinal()];
            b.name.wrap(defaultName, 0, defaultName.readableBytes());
        }
        if (b.propKeyCount != b.propValueCount)
        {
            return fail(PROPS_MISMATCH, "'mk' has " + b.propKeyCount + " keys but 'mv' has " + b.propValueCount + " values");
        }
        if (b.hasRevenue && !currencyGiven)
        {
            System.arraycopy(USD, 0, b.currency, 0, 3);
        }
        return ACCEPTED;
    }

    // ---------------------------------------------------------------------------------------------- strings

    /**
     * Parses the JSON string at {@link #pos} (which holds the opening quote). Sets {@link #stringUnits} to its
     * length in UTF-16 characters and wraps {@code into} around its UTF-8 bytes, cut to
     * {@link Beacon#MAX_VALUE_CHARS} characters at a character boundary.
     */
    private Outcome parseString(final TextView into)
    {
        final int start = ++pos;
        int units = 0;
        int cut = -1;
        while (true)
        {
            final int runEnd = pos < limit ? in.forEachByte(pos, limit - pos, FIND_NON_PLAIN) : -1;
            if (runEnd < 0)
            {
                pos = limit;
                return fail(INVALID_JSON, "unterminated string");
            }
            final int run = runEnd - pos;
            if (cut < 0 && units + run > Beacon.MAX_VALUE_CHARS)
            {
                cut = pos + (Beacon.MAX_VALUE_CHARS - units);
            }
            units += run;
            pos = runEnd;
            final byte cls = STRING_CLASS[in.getByte(pos) & 0xFF];
            if (cls == QUOTE)
            {
                stringUnits = units;
                into.wrap(in, start, (cut < 0 ? pos : cut) - start);
                pos++;
                return ACCEPTED;
            }
            if (cls == ESCAPE)
            {
                return parseEscapedString(into, start, units, cut);
            }
            final int charUnits = utf8Units(cls);
            if (charUnits < 0)
            {
                return error;
            }
            if (cut < 0 && units + charUnits > Beacon.MAX_VALUE_CHARS)
            {
                cut = pos;
            }
            units += charUnits;
            pos += utf8Length(cls);
        }
    }

    /** The slow path: the string has escapes, so it is unescaped into the scratch buffer. */
    private Outcome parseEscapedString(final TextView into, final int start, final int unitsSoFar, final int cutSoFar)
    {
        final int scratchStart = scratch.writerIndex();
        scratch.writeBytes(in, start, pos - start);
        int units = unitsSoFar;
        int cut = cutSoFar < 0 ? -1 : scratchStart + (cutSoFar - start);
        while (true)
        {
            if (pos >= limit)
            {
                return fail(INVALID_JSON, "unterminated string");
            }
            final byte b = in.getByte(pos);
            final byte cls = STRING_CLASS[b & 0xFF];
            if (cls == QUOTE)
            {
                pos++;
                stringUnits = units;
                into.wrap(scratch, scratchStart, (cut < 0 ? scratch.writerIndex() : cut) - scratchStart);
                return ACCEPTED;
            }
            final int charUnits;
            if (cls == PLAIN)
            {
                charUnits = 1;
                if (cut < 0 && units + charUnits > Beacon.MAX_VALUE_CHARS)
                {
                    cut = scratch.writerIndex();
                }
                scratch.writeByte(b);
                pos++;
            }
            else if (cls == ESCAPE)
            {
                final int mark = scratch.writerIndex();
                charUnits = unescape();
                if (charUnits < 0)
                {
                    return error;
                }
                if (cut < 0 && units + charUnits > Beacon.MAX_VALUE_CHARS)
                {
                    cut = mark;
                }
            }
            else
            {
                charUnits = utf8Units(cls);
                if (charUnits < 0)
                {
                    return error;
                }
                if (cut < 0 && units + charUnits > Beacon.MAX_VALUE_CHARS)
                {
                    cut = scratch.writerIndex();
                }
                final int length = utf8Length(cls);
                scratch.writeBytes(in, pos, length);
                pos += length;
            }
            units += charUnits;
        }
    }

    /** Decodes the escape at {@link #pos} into the scratch buffer; returns its UTF-16 length or -1. */
    private int unescape()
    {
        if (pos + 1 >= limit)
        {
            fail(INVALID_JSON, "unterminated string");
            return -1;
        }
        final byte kind = in.getByte(pos + 1);
        final int simple = simpleEscape(kind);
        if (simple >= 0)
        {
            scratch.writeByte(simple);
            pos += 2;
            return 1;
        }
        if (kind != 'u')
        {
            fail(INVALID_ESCAPE, "unknown escape");
            return -1;
        }
        final int high = hex4(pos + 2);
        if (high < 0)
        {
            return -1;
        }
        pos += 6;
        if (high >= 0xDC00 && high <= 0xDFFF)
        {
            pos -= 6;
            fail(INVALID_ESCAPE, "lone low surrogate");
            return -1;
        }
        if (high < 0xD800 || high > 0xDBFF)
        {
            writeUtf8(high);
            return 1;
        }
        if (pos + 1 >= limit || in.getByte(pos) != '\\' || in.getByte(pos + 1) != 'u')
        {
            fail(INVALID_ESCAPE, "high surrogate without its low surrogate");
            return -1;
        }
        final int low = hex4(pos + 2);
        if (low < 0)
        {
            return -1;
        }
        if (low < 0xDC00 || low > 0xDFFF)
        {
            fail(INVALID_ESCAPE, "high surrogate without its low surrogate");
            return -1;
        }
        pos += 6;
        writeUtf8(Character.toCodePoint((char)high, (char)low));
        return 2;
    }

    private static int simpleEscape(final byte kind)
    {
        switch (kind)
        {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            default: return -1;
        }
    }

    private int hex4(final int at)
    {
        if (at + 4 > limit)
        {
            fail(INVALID_ESCAPE, "truncated \\u escape");
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + 4; i++)
        {
            final int digit = Character.digit(in.getByte(i), 16);
            if (digit < 0)
            {
                pos = i;
                fail(INVALID_ESCAPE, "\\u needs four hex digits");
                return -1;
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private void writeUtf8(final int codePoint)
    {
        if (codePoint < 0x80)
        {
            scratch.writeByte(codePoint);
        }
        else if (codePoint < 0x800)
        {
            scratch.writeByte(0xC0 | (codePoint >> 6));
            scratch.writeByte(0x80 | (codePoint & 0x3F));
        }
        else if (codePoint < 0x10000)
        {
            scratch.writeByte(0xE0 | (codePoint >> 12));
            scratch.writeByte(0x80 | ((codePoint >> 6) & 0x3F));
            scratch.writeByte(0x80 | (codePoint & 0x3F));
        }
        else
        {
            scratch.writeByte(0xF0 | (codePoint >> 18));
            scratch.writeByte(0x80 | ((codePoint >> 12) & 0x3F));
            scratch.writeByte(0x80 | ((codePoint >> 6) & 0x3F));
            scratch.writeByte(0x80 | (codePoint & 0x3F));
        }
    }

    /**
     * Validates the multi-byte UTF-8 sequence at {@link #pos} whose lead byte has class {@code cls}; returns
     * how many UTF-16 characters it is (1 or 2), or -1 with the error set. Overlong forms, surrogates and
     * code points past U+10FFFF are invalid, as RFC 3629 says.
     */
    private int utf8Units(final byte cls)
    {
        if (cls == CONTROL)
        {
            fail(INVALID_JSON, "control character in string");
            return -1;
        }
        if (cls == INVALID)
        {
            fail(INVALID_UTF8, "invalid UTF-8");
            return -1;
        }
        final int length = utf8Length(cls);
        if (pos + length > limit)
        {
            fail(INVALID_UTF8, "truncated UTF-8 sequence");
            return -1;
        }
        final int lead = in.getByte(pos) & 0xFF;
        final int second = in.getByte(pos + 1) & 0xFF;
        int low = 0x80;
        int high = 0xBF;
        if (lead == 0xE0)
        {
            low = 0xA0;
        }
        else if (lead == 0xED)
        {
            high = 0x9F;
        }
        else if (lead == 0xF0)
        {
            low = 0x90;
        }
        else if (lead == 0xF4)
        {
            high = 0x8F;
        }
        boolean valid = second >= low && second <= high;
        for (int i = 2; i < length && valid; i++)
        {
            final int next = in.getByte(pos + i) & 0xFF;
            valid = next >= 0x80 && next <= 0xBF;
        }
        if (!valid)
        {
            fail(INVALID_UTF8, "invalid UTF-8");
            return -1;
        }
        return length == 4 ? 2 : 1;
    }

    private static int utf8Length(final byte cls)
    {
        return cls == LEAD2 ? 2 : cls == LEAD3 ? 3 : 4;
    }

    // ---------------------------------------------------------------------------------------------- numbers

    /**
     * Validates the JSON number at {@link #pos} and parses it exactly into {@link #numberUnscaled} and
     * {@link #numberScale}; {@link #numberInRange} is false when it does not fit 18 digits after the point
     * or a {@code long} before it. Never goes through {@code double}.
     */
    private Outcome parseNumber()
    {
        numberNegative = false;
        numberInRange = true;
        long unscaled = 0;
        int scale = 0;
        if (in.getByte(pos) == '-')
        {
            numberNegative = true;
            pos++;
        }
        final int intStart = pos;
        while (pos < limit && isDigit(in.getByte(pos)))
        {
            unscaled = accumulate(unscaled, in.getByte(pos++));
        }
        final int intDigits = pos - intStart;
        if (intDigits == 0 || (intDigits > 1 && in.getByte(intStart) == '0'))
        {
            return fail(INVALID_JSON, "invalid number");
        }
        if (pos < limit && in.getByte(pos) == '.')
        {
            pos++;
            final int fracStart = pos;
            while (pos < limit && isDigit(in.getByte(pos)))
            {
                unscaled = accumulate(unscaled, in.getByte(pos++));
                scale++;
            }
            if (pos == fracStart)
            {
                return fail(INVALID_JSON, "invalid number");
            }
        }
        if (pos < limit && (in.getByte(pos) == 'e' || in.getByte(pos) == 'E'))
        {
            final Outcome exponent = parseExponent();
            if (exponent != ACCEPTED)
            {
                return exponent;
            }
            scale -= exponentValue;
        }
        return normalize(unscaled, scale);
    }

    private Outcome parseExponent()
    {
        pos++;
        boolean negative = false;
        if (pos < limit && (in.getByte(pos) == '+' || in.getByte(pos) == '-'))
        {
            negative = in.getByte(pos++) == '-';
        }
        final int start = pos;
        int value = 0;
        while (pos < limit && isDigit(in.getByte(pos)))
        {
            value = Math.min(value * 10 + (in.getByte(pos++) - '0'), 10_000);
        }
        if (pos == start)
        {
            return fail(INVALID_JSON, "invalid number");
        }
        exponentValue = negative ? -value : value;
        return ACCEPTED;
    }

    private Outcome normalize(final long unscaledIn, final int scaleIn)
    {
        long unscaled = unscaledIn;
        int scale = scaleIn;
        while (scale > Decimals.MAX_SCALE && unscaled % 10 == 0 && numberInRange)
        {
            unscaled /= 10;
            scale--;
        }
        while (scale < 0 && numberInRange)
        {
            if (unscaled > Long.MAX_VALUE / 10)
            {
                numberInRange = false;
            }
            unscaled *= 10;
            scale++;
        }
        if (scale > Decimals.MAX_SCALE)
        {
            numberInRange = false;
        }
        if (unscaled == 0)
        {
            // -0, 0.00 and -0.0e5 are all the one zero: stored as 0, never as "0.0" or with a sign
            numberNegative = false;
            scale = 0;
        }
        numberUnscaled = numberNegative ? -unscaled : unscaled;
        numberScale = scale;
        return ACCEPTED;
    }

    private long accumulate(final long unscaled, final byte digit)
    {
        final int d = digit - '0';
        if (unscaled > (Long.MAX_VALUE - d) / 10)
        {
            numberInRange = false;
            return unscaled;
        }
        return unscaled * 10 + d;
    }

    private static boolean isDigit(final byte b)
    {
        return b >= '0' && b <= '9';
    }

    // ---------------------------------------------------------------------------------------------- skipping

    /**
     * Skips the value at {@link #pos} whatever it holds, iteratively: a bit per level remembers whether it is
     * an object (1) or an array (0), so depth is bounded by {@link #MAX_DEPTH} and never by the Java stack.
     */
    private Outcome skipValue(final int depthOfParent)
    {
        long objectBits = 0;
        int depth = 0;
        while (true)
        {
            skipWhitespace();
            if (pos >= limit)
            {
                return fail(INVALID_JSON, "missing value");
            }
            final byte b = in.getByte(pos);
            boolean containerOpened = false;
            if (b == '{' || b == '[')
            {
                if (depthOfParent + depth + 1 > MAX_DEPTH)
                {
                    return fail(TOO_DEEP, "nested deeper than " + MAX_DEPTH + " levels");
                }
                pos++;
                objectBits = b == '{' ? objectBits | (1L << depth) : objectBits & ~(1L << depth);
                depth++;
                skipWhitespace();
                if (pos < limit && in.getByte(pos) == (b == '{' ? '}' : ']'))
                {
                    pos++;
                    depth--;
                }
                else
                {
                    containerOpened = true;
                }
            }
            else
            {
                final Outcome scalar = skipScalar(b);
                if (scalar != ACCEPTED)
                {
                    return scalar;
                }
            }
            if (containerOpened && (objectBits & (1L << (depth - 1))) != 0)
            {
                final Outcome memberKey = parseKey();
                if (memberKey != ACCEPTED)
                {
                    return memberKey;
                }
                continue;
            }
            if (containerOpened)
            {
                continue;
            }
            // a value ended: close containers or move to the next element
            while (true)
            {
                if (depth == 0)
                {
                    return ACCEPTED;
                }
                skipWhitespace();
                if (pos >= limit)
                {
                    return fail(INVALID_JSON, "unterminated container");
                }
                final boolean inObject = (objectBits & (1L << (depth - 1))) != 0;
                final byte next = in.getByte(pos++);
                if (next == (inObject ? '}' : ']'))
                {
                    depth--;
                    continue;
                }
                if (next != ',')
                {
                    pos--;
                    return fail(INVALID_JSON, inObject ? "expected ',' or '}'" : "expected ',' or ']'");
                }
                skipWhitespace();
                if (inObject)
                {
                    final Outcome memberKey = parseKey();
                    if (memberKey != ACCEPTED)
                    {
                        return memberKey;
                    }
                }
                break;
            }
        }
    }

    private Outcome skipScalar(final byte b)
    {
        if (b == '"')
        {
            return parseString(discard);
        }
        if (b == '-' || isDigit(b))
        {
            return parseNumber();
        }
        if (consumeLiteral(TRUE) || consumeLiteral(FALSE) || consumeLiteral(NULL))
        {
            return ACCEPTED;
        }
        return fail(INVALID_JSON, "invalid value");
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /** Whether the bytes at {@link #pos} can start a JSON value; a literal must be spelled out in full. */
    private boolean startsValue()
    {
        final byte b = in.getByte(pos);
        return b == '"' || b == '{' || b == '[' || b == '-' || isDigit(b) ||
            startsWith(TRUE) || startsWith(FALSE) || startsWith(NULL);
    }

    /** {@code outcome} for a value of the wrong type; bytes that start no JSON value at all are not JSON. */
    private Outcome wrongValue(final Outcome outcome, final String detail)
    {
        return startsValue() ? fail(outcome, detail) : fail(INVALID_JSON, "invalid value");
    }

    private boolean consumeNull()
    {
        return consumeLiteral(NULL);
    }

    private boolean consumeLiteral(final byte[] literal)
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

    private void skipWhitespace()
    {
        while (pos < limit)
        {
            final byte b = in.getByte(pos);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t')
            {
                return;
            }
            pos++;
        }
    }

    private Outcome fail(final Outcome outcome, final String detail)
    {
        if (error == null)
        {
            error = outcome;
            errorDetail = detail;
            errorOffset = Math.min(pos, limit) - bodyStart;
        }
        return error;
    }

    private static int fieldOf(final TextView key, final boolean trusted)
    {
        int field = fieldOf(key);
        if (field == F_UNKNOWN)
        {
            field = plausibleFieldOf(key);
        }
        return field != F_UNKNOWN || !trusted ? field : trustedFieldOf(key);
    }

    /** The seen-key bits of a field: Plausible's names share those of the short keys they stand for. */
    private static long bitsOf(final int field)
    {
        switch (field)
        {
            case F_PROPS: return (1L << F_MK) | (1L << F_MV);
            case F_REVENUE: return (1L << F_RA) | (1L << F_RC);
            default: return 1L << field;
        }
    }

    /** The keys of the Plausible Events API body, mapped to the beacon's. */
    private static int plausibleFieldOf(final TextView key)
    {
        if (key.equalsAscii(NAME))
        {
            return F_N;
        }
        if (key.equalsAscii(URL))
        {
            return F_U;
        }
        if (key.equalsAscii(DOMAIN))
        {
            return F_D;
        }
        if (key.equalsAscii(REFERRER))
        {
            return F_R;
        }
        if (key.equalsAscii(PROPS) || key.length() == 1 && key.byteAt(0) == 'p')
        {
            return F_PROPS;
        }
        if (key.equalsAscii(REVENUE) || key.length() == 1 && key.byteAt(0) == '$')
        {
            return F_REVENUE;
        }
        return key.equalsAscii(INTERACTIVE) ? F_SKIPPED : F_UNKNOWN;
    }

    private static int trustedFieldOf(final TextView key)
    {
        final int length = key.length();
        if (length == 2)
        {
            final int pair = (key.byteAt(0) << 8) | key.byteAt(1);
            switch (pair)
            {
                case ('t' << 8) | 's': return F_TS;
                case ('i' << 8) | 'p': return F_IP;
                case ('u' << 8) | 'a': return F_UA;
                case ('i' << 8) | 'd': return F_ID;
                default: return F_UNKNOWN;
            }
        }
        return length == 3 && key.byteAt(0) == 'v' && key.byteAt(1) == 'i' && key.byteAt(2) == 'd' ? F_VID : F_UNKNOWN;
    }

    private static int fieldOf(final TextView key)
    {
        final int length = key.length();
        if (length == 1)
        {
            switch (key.byteAt(0))
            {
                case 't': return F_T;
                case 'n': return F_N;
                case 'u': return F_U;
                case 'd': return F_D;
                case 'r': return F_R;
                case 'v': return F_V;
                case 'h': return F_H;
                case 'x': return F_X;
                default: return F_UNKNOWN;
            }
        }
        if (length == 2)
        {
            final int pair = (key.byteAt(0) << 8) | key.byteAt(1);
            switch (pair)
            {
                case ('m' << 8) | 'k': return F_MK;
                case ('m' << 8) | 'v': return F_MV;
                case ('r' << 8) | 'a': return F_RA;
                case ('r' << 8) | 'c': return F_RC;
                case ('t' << 8) | 'i': return F_TI;
                case ('f' << 8) | 'n': return F_FN;
                case ('f' << 8) | 'i': return F_FI;
                case ('f' << 8) | 'p': return F_FP;
                case ('e' << 8) | 'l': return F_EL;
                case ('e' << 8) | 'a': return F_EA;
                case ('e' << 8) | 'c': return F_EC;
                default: return F_UNKNOWN;
            }
        }
        if (length == 3 && key.byteAt(0) == 's' && key.byteAt(1) == 'e' && key.byteAt(2) == 'c')
        {
            return F_SEC;
        }
        return F_UNKNOWN;
    }

    private static byte[] stringClasses()
    {
        final byte[] classes = new byte[256];
        for (int b = 0; b < 0x20; b++)
        {
            classes[b] = CONTROL;
        }
        classes['"'] = QUOTE;
        classes['\\'] = ESCAPE;
        for (int b = 0x80; b < 0x100; b++)
        {
            classes[b] = INVALID;
        }
        for (int b = 0xC2; b <= 0xDF; b++)
        {
            classes[b] = LEAD2;
        }
        for (int b = 0xE0; b <= 0xEF; b++)
        {
            classes[b] = LEAD3;
        }
        for (int b = 0xF0; b <= 0xF4; b++)
        {
            classes[b] = LEAD4;
        }
        return classes;
    }

    private static ByteBuf[] defaultNames()
    {
        final EventType[] types = EventType.values();
        final ByteBuf[] names = new ByteBuf[types.length];
        for (final EventType type : types)
        {
            if (type.defaultNameBytes() != null)
            {
                names[type.ordinal()] = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(type.defaultNameBytes()));
            }
        }
        return names;
    }
}
