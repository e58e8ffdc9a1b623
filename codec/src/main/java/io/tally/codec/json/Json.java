package io.tally.codec.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader and writer for cold paths: configuration files, admin answers, the journal dump,
 * tests. Objects become {@link LinkedHashMap} (order kept), arrays {@link ArrayList}, numbers
 * {@link BigDecimal} (exact), plus {@link String}, {@link Boolean} and {@code null}. The ingest path never
 * uses it: beacons go through {@link io.tally.codec.BeaconDecoder}.
 */
public final class Json
{
    private static final int MAX_DEPTH = 256;

    private final String text;
    private int pos;

    private Json(final String text)
    {
        this.text = text;
    }

    /** Parses one JSON document; throws {@link IllegalArgumentException} with the position on bad input. */
    public static Object parse(final String text)
    {
        final Json reader = new Json(text);
        reader.skipWhitespace();
        final Object value = reader.readValue(0);
        reader.skipWhitespace();
        if (reader.pos != text.length())
        {
            throw reader.error("unexpected text after the value");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(final String text)
    {
        final Object value = parse(text);
        if (!(value instanceof Map))
        {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>)value;
    }

    /** Writes {@code value} (a tree as {@link #parse} makes, or any {@link Number}) as compact JSON. */
    public static String write(final Object value)
    {
        final StringBuilder out = new StringBuilder(64);
        write(out, value);
        return out.toString();
    }

    public static void write(final StringBuilder out, final Object value)
    {
        if (value == null)
        {
            out.append("null");
        }
        else if (value instanceof String)
        {
            writeString(out, (String)value);
        }
        else if (value instanceof Number || value instanceof Boolean)
        {
            out.append(value instanceof BigDecimal ? ((BigDecimal)value).toPlainString() : value.toString());
        }
        else if (value instanceof Map)
        {
            out.append('{');
            boolean first = true;
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)value).entrySet())
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                writeString(out, String.valueOf(entry.getKey()));
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        }
        else if (value instanceof Iterable)
        {
            out.append('[');
            boolean first = true;
            for (final Object element : (Iterable<?>)value)
            {
                if (!first)
                {
                    out.append(',');
                }
                first = false;
                write(out, element);
            }
            out.append(']');
        }
        else
        {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
        }
    }

    public static void writeString(final StringBuilder out, final CharSequence value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029)
                    {
                        out.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private Object readValue(final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            throw error("nested too deep");
        }
        if (pos >= text.length())
        {
            throw error("missing value");
        }
        final char c = text.charAt(pos);
        switch (c)
        {
            case '{': return readObject(depth);
            case '[': return readArray(depth);
            case '"': return readString();
            case 't': return readLiteral("true", Boolean.TRUE);
            case 'f': return readLiteral("false", Boolean.FALSE);
            case 'n': return readLiteral("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return readNumber();
                }
                throw error("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> readObject(final int depth)
    {
        final Map<String, Object> object = new LinkedHashMap<>();
        pos++;
        skipWhitespace();
        if (peek() == '}')
        {
            pos++;
            return object;
        }
        while (true)
        {
            skipWhitespace();
            if (peek() != '"')
            {
                throw error("expected a key");
            }
            final String key = readString();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            if (object.containsKey(key))
            {
                throw error("duplicate key '" + key + "'");
            }
            object.put(key, readValue(depth + 1));
            skipWhitespace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect('}');
            return object;
        }
    }

    private List<Object> readArray(final int depth)
    {
        final List<Object> array = new ArrayList<>();
        pos++;
        skipWhitespace();
        if (peek() == ']')
        {
            pos++;
            return array;
        }
        while (true)
        {
            skipWhitespace();
            array.add(readValue(depth + 1));
            skipWhitespace();
            if (peek() == ',')
            {
                pos++;
                continue;
            }
            expect(']');
            return array;
        }
    }

    private String readString()
    {
        pos++;
        final StringBuilder out = new StringBuilder();
        while (true)
        {
            if (pos >= text.length())
            {
                throw error("unterminated string");
            }
            final char c = text.charAt(pos++);
            if (c == '"')
            {
                return out.toString();
            }
            if (c < 0x20)
            {
                throw error("control character in string");
            }
            if (c != '\\')
            {
                out.append(c);
                continue;
            }
            if (pos >= text.length())
            {
                throw error("unterminated string");
            }
            final char kind = text.charAt(pos++);
            switch (kind)
            {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u': out.append(readHex4()); break;
                default:
                    throw error("unknown escape");
            }
        }
    }

    /** The four hex digits of a unicode escape at {@link #pos}, as the UTF-16 unit they name. */
    private char readHex4()
    {
        if (pos + 4 > text.length())
        {
            throw error("truncated \\u escape");
        }
        int code = 0;
        for (int i = pos; i < pos + 4; i++)
        {
            final int digit = hexDigit(text.charAt(i));
            if (digit < 0)
            {
                throw error("bad \\u escape");
            }
            code = (code << 4) | digit;
        }
        pos += 4;
        return (char)code;
    }

    /** The value of an ASCII hex digit, or -1: unlike {@link Character#digit}, no sign and no other scripts. */
    static int hexDigit(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    private BigDecimal readNumber()
    {
        final int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
        try
        {
            return new BigDecimal(text.substring(start, pos));
        }
        catch (final NumberFormatException ex)
        {
            pos = start;
            throw error("bad number");
        }
    }

    private Object readLiteral(final String literal, final Object value)
    {
        if (!text.startsWith(literal, pos))
        {
            throw error("unexpected text");
        }
        pos += literal.length();
        return value;
    }

    private char peek()
    {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(final char c)
    {
        if (peek() != c)
        {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace()
    {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0)
        {
            pos++;
        }
    }

    private IllegalArgumentException error(final String message)
    {
        return new IllegalArgumentException(message + " at offset " + pos);
    }
}
