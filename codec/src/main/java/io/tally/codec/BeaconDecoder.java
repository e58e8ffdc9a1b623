package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.json.JsonCursor;
import io.tally.codec.json.JsonMembers;
import io.tally.codec.json.JsonNumbers;
import io.tally.codec.json.JsonSkipper;
import io.tally.codec.json.JsonStrings;

import static io.tally.codec.Outcome.*;

/**
 * Decodes one beacon body (BEACON.md) straight from a {@link ByteBuf} into a reusable {@link Beacon}.
 * <p>
 * The body is read in place with absolute indices and never copied: strings without escapes become views of
 * the body itself; only strings with escapes are unescaped into a scratch buffer owned by this decoder.
 * Errors are returned as an {@link Outcome}, with a one-line detail and the byte offset, never thrown.
 * Nesting is tracked in a bit stack, not by recursion, so no input can overflow the stack; unknown keys are
 * skipped whatever they hold, up to {@link #MAX_DEPTH} levels.
 * <p>
 * The work is in parts: the JSON readers of {@code io.tally.codec.json} (a cursor, strings, numbers, a
 * skipper and the one member loop every object goes through), the {@link FieldTable} of keys, the
 * {@link BeaconMembers} of the beacon object, the {@link BeaconValues} each member's value is read by, and
 * {@link Plausible}'s forms. This class starts a body and checks the whole beacon at its end.
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

    private static final byte[] USD = {'U', 'S', 'D'};
    private static final ByteBuf[] DEFAULT_NAMES = defaultNames();

    private final JsonCursor cursor = new JsonCursor();
    private final JsonStrings strings = new JsonStrings(4096, Beacon.MAX_VALUE_CHARS, Beacon.MAX_KEY_CHARS);
    private final JsonMembers members = new JsonMembers(strings);
    private final BeaconValues values;
    private final BeaconMembers beaconMembers;
    private final Plausible plausible;

    public BeaconDecoder()
    {
        final JsonNumbers numbers = new JsonNumbers();
        final JsonSkipper skipper = new JsonSkipper(strings, numbers, MAX_DEPTH);
        final JsonStrings propsStrings = new JsonStrings(1024, Beacon.MAX_VALUE_CHARS, Beacon.MAX_KEY_CHARS);
        values = new BeaconValues(strings, numbers);
        plausible = new Plausible(values, members, skipper, numbers, strings, propsStrings);
        beaconMembers = new BeaconMembers(values, plausible, skipper);
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
        cursor.reset(buffer, from, to);
        into.reset();
        // room for every string of the body unescaped, so the scratch never moves under earlier views
        strings.clear(to - from);
        values.begin(into);
        plausible.begin(into);
        beaconMembers.begin(trustedFields);
        final Outcome outcome = decodeObject(into);
        cursor.release();
        if (outcome != ACCEPTED)
        {
            into.reset();
        }
        return outcome;
    }

    public Outcome error()
    {
        return cursor.error();
    }

    /** One line saying what was wrong, for the answer body; null after success. */
    public String errorDetail()
    {
        return cursor.errorDetail();
    }

    /** Offset in the body where the error was found; -1 after success. */
    public int errorOffset()
    {
        return cursor.errorOffset();
    }

    private Outcome decodeObject(final Beacon into)
    {
        final JsonCursor c = cursor;
        c.skipWhitespace();
        if (c.atEnd())
        {
            return c.fail(INVALID_JSON, "empty body");
        }
        if (c.peek() != '{')
        {
            return c.startsValue() ? c.fail(NOT_OBJECT, "the body must be a JSON object") : c.fail(INVALID_JSON, "not JSON");
        }
        if (members.read(c, beaconMembers) != ACCEPTED)
        {
            return c.error();
        }
        c.skipWhitespace();
        if (!c.atEnd())
        {
            return c.fail(TRAILING_DATA, "bytes after the JSON object");
        }
        return validate(c, into);
    }

    /** The rules of the whole beacon, once every member is read; fills in the defaults. */
    private Outcome validate(final JsonCursor c, final Beacon b)
    {
        if (b.type == null && b.name().isPresent())
        {
            // no 't' but a name: the Plausible Events API or its script (docs/plausible.md)
            Plausible.inferType(b);
        }
        else if (values.numericTarget())
        {
            return c.fail(WRONG_TYPE, "'h' must be a string");
        }
        if (b.type == null)
        {
            return c.fail(MISSING_FIELD, "'t' is required");
        }
        if (!b.plausible && values.numericName())
        {
            return c.fail(WRONG_TYPE, "'n' must be a string");
        }
        if (!b.url().isPresent())
        {
            return c.fail(MISSING_FIELD, "'u' is required");
        }
        if (!b.name().isPresent() || b.name().length() == 0)
        {
            if (b.type == EventType.CUSTOM)
            {
                return c.fail(MISSING_FIELD, "'n' is required for custom events");
            }
            final ByteBuf defaultName = DEFAULT_NAMES[b.type.ordinal()];
            b.name().wrap(defaultName, 0, defaultName.readableBytes());
        }
        if (b.propKeyCount != b.propValueCount)
        {
            return c.fail(PROPS_MISMATCH, "'mk' has " + b.propKeyCount + " keys but 'mv' has " + b.propValueCount + " values");
        }
        if (b.hasRevenue && !values.currencyGiven())
        {
            System.arraycopy(USD, 0, b.currency, 0, 3);
        }
        if (b.droppedPropertyCount() > 0)
        {
            b.dropped.add(DropReason.PROPS, b.droppedPropertyCount());
        }
        if (b.plausible)
        {
            return plausible.finish(c, b, values.hashMode());
        }
        if (b.type == EventType.ENGAGEMENT)
        {
            plausible.applyScrollDepth(b);
        }
        return ACCEPTED;
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
