package io.tally.codec.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;

import static io.tally.codec.Outcome.*;
import static io.tally.codec.json.JsonBytes.*;

/**
 * Reads JSON strings and object keys at a {@link JsonCursor} into {@link TextView}s, counting their length in
 * UTF-16 characters as a browser does. A string without escapes becomes a view of the buffer itself, found
 * eight bytes at a time ({@link JsonBytes#findNonPlain}); a string with escapes is unescaped into this reader's scratch
 * buffer, which is never compacted, so earlier views stay put until {@link #clear}. A view is cut to
 * {@code maxChars} characters at a character boundary, never inside a surrogate pair; UTF-8 is validated
 * as RFC 3629 says. Reusable, not thread-safe.
 */
public final class JsonStrings
{

    private final int maxChars;
    private final int maxKeyChars;
    private final String keyTooLong;
    private ByteBuf scratch;
    private int units;

    /**
     * @param maxChars    views are cut to this many UTF-16 characters
     * @param maxKeyChars object keys longer than this are {@link Outcome#KEY_TOO_LONG}
     */
    public JsonStrings(final int scratchCapacity, final int maxChars, final int maxKeyChars)
    {
        this.scratch = Unpooled.buffer(scratchCapacity);
        this.maxChars = maxChars;
        this.maxKeyChars = maxKeyChars;
        this.keyTooLong = "a key is longer than " + maxKeyChars + " characters";
    }

    /** Forgets earlier unescaped strings and makes room for those of {@code bytes} more input bytes. */
    public void clear(final int bytes)
    {
        scratch.clear();
        scratch.ensureWritable(bytes);
    }

    /** Where unescaped strings go; readable when some string since {@link #clear} had escapes. */
    public ByteBuf scratch()
    {
        return scratch;
    }

    /** The length in UTF-16 characters of the last string read, before any cut. */
    public int units()
    {
        return units;
    }

    /**
     * Reads an object key and its ':' into {@code into}; on success the cursor is at the value, which is
     * there (an object cut short after ':' is {@link Outcome#INVALID_JSON}).
     */
    public Outcome readKey(final JsonCursor c, final TextView into)
    {
        if (c.pos >= c.limit || c.in.getByte(c.pos) != '"')
        {
            return c.fail(INVALID_JSON, c.pos >= c.limit ? "unterminated object" : "expected a key");
        }
        final Outcome outcome = read(c, into);
        if (outcome != ACCEPTED)
        {
            return outcome;
        }
        if (units > maxKeyChars)
        {
            return c.fail(KEY_TOO_LONG, keyTooLong);
        }
        if (c.skipWhitespace() != ':')
        {
            return c.fail(INVALID_JSON, "expected ':'");
        }
        c.pos++;
        return c.skipWhitespace() != JsonCursor.END ? ACCEPTED : c.fail(INVALID_JSON, "missing value");
    }

    /**
     * Reads the string whose opening quote is at the cursor. Sets {@link #units()} and wraps {@code into}
     * around its UTF-8 bytes, cut to {@code maxChars} characters.
     */
    public Outcome read(final JsonCursor c, final TextView into)
    {
        final ByteBuf in = c.in;
        final int limit = c.limit;
        final int start = ++c.pos;
        int pos = start;
        int count = 0;
        int cut = -1;
        while (true)
        {
            final int runEnd = findNonPlain(in, pos, limit);
            if (runEnd < 0)
            {
                c.pos = limit;
                return c.fail(INVALID_JSON, "unterminated string");
            }
            final int run = runEnd - pos;
            if (cut < 0 && count + run > maxChars)
            {
                cut = pos + (maxChars - count);
            }
            count += run;
            pos = runEnd;
            final byte cls = STRING_CLASS[in.getByte(pos) & 0xFF];
            if (cls == QUOTE)
            {
                units = count;
                into.wrap(in, start, (cut < 0 ? pos : cut) - start);
                c.pos = pos + 1;
                return ACCEPTED;
            }
            c.pos = pos;
            if (cls == ESCAPE)
            {
                return readEscaped(c, into, start, count, cut);
            }
            final int charUnits = utf8Units(c, cls);
            if (charUnits < 0)
            {
                return c.error();
            }
            if (cut < 0 && count + charUnits > maxChars)
            {
                cut = pos;
            }
            count += charUnits;
            pos += utf8Length(cls);
        }
    }

    /** The slow path: the string has escapes, so it is unescaped into the scratch buffer. */
    private Outcome readEscaped(final JsonCursor c, final TextView into, final int start, final int unitsSoFar,
        final int cutSoFar)
    {
        final int scratchStart = scratch.writerIndex();
        scratch.writeBytes(c.in, start, c.pos - start);
        int count = unitsSoFar;
        int cut = cutSoFar < 0 ? -1 : scratchStart + (cutSoFar - start);
        while (true)
        {
            if (c.pos >= c.limit)
            {
                return c.fail(INVALID_JSON, "unterminated string");
            }
            final byte cls = STRING_CLASS[c.in.getByte(c.pos) & 0xFF];
            if (cls == QUOTE)
            {
                c.pos++;
                units = count;
                into.wrap(scratch, scratchStart, (cut < 0 ? scratch.writerIndex() : cut) - scratchStart);
                return ACCEPTED;
            }
            final int mark = scratch.writerIndex();
            final int charUnits = cls == PLAIN ? copyPlain(c) : cls == ESCAPE ? unescape(c) : copyMultiByte(c, cls);
            if (charUnits < 0)
            {
                return c.error();
            }
            if (cut < 0 && count + charUnits > maxChars)
            {
                // the character that crosses the limit is left out whole, whatever its length in bytes
                cut = mark;
            }
            count += charUnits;
        }
    }

    private int copyPlain(final JsonCursor c)
    {
        scratch.writeByte(c.in.getByte(c.pos++));
        return 1;
    }

    private int copyMultiByte(final JsonCursor c, final byte cls)
    {
        final int charUnits = utf8Units(c, cls);
        if (charUnits > 0)
        {
            final int length = utf8Length(cls);
            scratch.writeBytes(c.in, c.pos, length);
            c.pos += length;
        }
        return charUnits;
    }

    /** Decodes the escape at the cursor into the scratch buffer; returns its UTF-16 length or -1. */
    private int unescape(final JsonCursor c)
    {
        if (c.pos + 1 >= c.limit)
        {
            c.fail(INVALID_JSON, "unterminated string");
            return -1;
        }
        final byte kind = c.in.getByte(c.pos + 1);
        final int simple = simpleEscape(kind);
        if (simple >= 0)
        {
            scratch.writeByte(simple);
            c.pos += 2;
            return 1;
        }
        if (kind != 'u')
        {
            c.fail(INVALID_ESCAPE, "unknown escape");
            return -1;
        }
        return unescapeUnicode(c);
    }

    /** A {@code \\uXXXX} escape, or two of them making a surrogate pair: the one code point as UTF-8. */
    private int unescapeUnicode(final JsonCursor c)
    {
        final int high = hex4(c, c.pos + 2);
        if (high < 0)
        {
            return -1;
        }
        if (high >= 0xDC00 && high <= 0xDFFF)
        {
            c.fail(INVALID_ESCAPE, "lone low surrogate");
            return -1;
        }
        c.pos += 6;
        if (high < 0xD800 || high > 0xDBFF)
        {
            writeUtf8(high);
            return 1;
        }
        if (c.pos + 1 >= c.limit || c.in.getByte(c.pos) != '\\' || c.in.getByte(c.pos + 1) != 'u')
        {
            c.fail(INVALID_ESCAPE, "high surrogate without its low surrogate");
            return -1;
        }
        final int low = hex4(c, c.pos + 2);
        if (low < 0)
        {
            return -1;
        }
        if (low < 0xDC00 || low > 0xDFFF)
        {
            c.fail(INVALID_ESCAPE, "high surrogate without its low surrogate");
            return -1;
        }
        c.pos += 6;
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

    private static int hex4(final JsonCursor c, final int at)
    {
        if (at + 4 > c.limit)
        {
            c.fail(INVALID_ESCAPE, "truncated \\u escape");
            return -1;
        }
        int value = 0;
        for (int i = at; i < at + 4; i++)
        {
            final int digit = Json.hexDigit((char)(c.in.getByte(i) & 0xFF));
            if (digit < 0)
            {
                c.pos = i;
                c.fail(INVALID_ESCAPE, "\\u needs four hex digits");
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
}
