package io.tally.engine.api.request;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * %-decoding of one part of a request target, exactly once: a path segment keeps '+' as it is, a query name or
 * value reads '+' as a space (form rules). The decoded bytes must be UTF-8. A cold path (admin and stats API,
 * public resources); the event path never decodes.
 */
public final class PercentDecoder
{
    private PercentDecoder()
    {
    }

    /** A path segment: '+' stays '+'. */
    public static String segment(final String raw)
    {
        return decode(raw, false);
    }

    /** A query parameter's name or value: '+' is a space. */
    static String queryPart(final String raw)
    {
        return decode(raw, true);
    }

    /**
     * @throws IllegalArgumentException for a '%' not followed by two hex digits, or bytes that are not UTF-8;
     *     the message says which.
     */
    private static String decode(final String raw, final boolean plusIsSpace)
    {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0) && isAscii(raw))
        {
            return raw;
        }
        final byte[] bytes = new byte[raw.length()];
        int length = 0;
        for (int i = 0; i < raw.length(); i++)
        {
            final char c = raw.charAt(i);
            if (c == '%')
            {
                final int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                final int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (low < 0)
                {
                    throw new IllegalArgumentException("malformed %-escape '" + raw.substring(i, Math.min(raw.length(), i + 3)) +
                        "' (a % needs two hex digits; send % itself as %25)");
                }
                bytes[length++] = (byte)(high << 4 | low);
                i += 2;
            }
            else if (c > 0xFF)
            {
                throw new IllegalArgumentException("a character that is not a byte: send it %-encoded");
            }
            else
            {
                // a request line's bytes arrive as chars 0-255 (ISO-8859-1), so raw UTF-8 is put back as it was sent
                bytes[length++] = c == '+' && plusIsSpace ? (byte)' ' : (byte)c;
            }
        }
        return utf8(bytes, length);
    }

    private static String utf8(final byte[] bytes, final int length)
    {
        try
        {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new IllegalArgumentException("the %-decoded bytes are not UTF-8");
        }
    }

    private static boolean isAscii(final String raw)
    {
        for (int i = 0; i < raw.length(); i++)
        {
            if (raw.charAt(i) >= 0x80)
            {
                return false;
            }
        }
        return true;
    }
}
