package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The page URL of a Plausible body as Plausible stores its page (lib/plausible/ingestion/request.ex,
 * {@code get_pathname}): the path percent-decoded and its trailing white space trimmed, the fragment kept (and
 * decoded) only in hash mode. Tally keeps the URL, not the path, so the URL is rewritten into a buffer of this
 * object and the beacon's view moved onto it; a URL that needs none of this (nearly all) is left as it is.
 * A {@code %3F} or {@code %23} stays encoded, since decoded it would end the path; a path that would not decode
 * to UTF-8 is kept as sent. Reusable, nothing allocated per event; not thread-safe.
 */
final class PageUrl
{
    /** The longest URL a beacon keeps, in UTF-8: the rewritten one is never longer than what was sent. */
    private static final int MOST_BYTES = Beacon.MAX_VALUE_CHARS * 3;

    private final ByteBuf out = Unpooled.buffer(MOST_BYTES);

    /** Rewrites {@code url} (moving the view) when Plausible would store another page than it says. */
    void normalize(final TextView url, final boolean hashMode)
    {
        final int authority = UrlParts.authorityStart(url);
        if (authority < 0)
        {
            return; // not absolute: the ingestor refuses it
        }
        final ByteBuf in = url.buffer();
        final int end = url.offset() + url.length();
        final int pathStart = UrlParts.authorityEnd(in, authority, end);
        final int pathEnd = indexOf(in, pathStart, end, (byte)'?', (byte)'#');
        final int hash = indexOf(in, pathEnd, end, (byte)'#', (byte)'#');
        final boolean fragment = hash < end;
        if (!has(in, pathStart, pathEnd, (byte)'%') && !isSpace(in, pathStart, pathEnd) && !fragment)
        {
            return;
        }
        out.clear();
        out.ensureWritable(url.length());
        out.writeBytes(in, url.offset(), pathStart - url.offset());
        decode(in, pathStart, pathEnd);
        trimTrailingSpace(pathStart - url.offset());
        out.writeBytes(in, pathEnd, hash - pathEnd);
        if (fragment && hashMode)
        {
            out.writeByte('#');
            decode(in, hash + 1, end);
        }
        url.wrap(out, 0, out.writerIndex());
    }

    /** Writes {@code [from, to)} percent-decoded, or as it is when the decoded bytes are no UTF-8. */
    private void decode(final ByteBuf in, final int from, final int to)
    {
        final int mark = out.writerIndex();
        for (int i = from; i < to; i++)
        {
            final byte b = in.getByte(i);
            final int high = b == '%' && i + 2 < to ? hex(in.getByte(i + 1)) : -1;
            final int low = high < 0 ? -1 : hex(in.getByte(i + 2));
            final int decoded = high < 0 || low < 0 ? -1 : high << 4 | low;
            if (decoded < 0 || decoded == '?' || decoded == '#')
            {
                out.writeByte(b);
                continue;
            }
            out.writeByte(decoded);
            i += 2;
        }
        if (!isUtf8(out, mark, out.writerIndex()))
        {
            out.writerIndex(mark);
            out.writeBytes(in, from, to - from);
        }
    }

    /** Drops the white space at the end of the written path, which starts at {@code pathStart} of {@link #out}. */
    private void trimTrailingSpace(final int pathStart)
    {
        int end = out.writerIndex();
        while (end > pathStart && isSpace(out.getByte(end - 1)))
        {
            end--;
        }
        out.writerIndex(end);
    }

    private static int indexOf(final ByteBuf in, final int from, final int to, final byte a, final byte b)
    {
        for (int i = from; i < to; i++)
        {
            final byte c = in.getByte(i);
            if (c == a || c == b)
            {
                return i;
            }
        }
        return to;
    }

    private static boolean has(final ByteBuf in, final int from, final int to, final byte wanted)
    {
        return indexOf(in, from, to, wanted, wanted) < to;
    }

    /** Whether the range ends in white space. */
    private static boolean isSpace(final ByteBuf in, final int from, final int to)
    {
        return to > from && isSpace(in.getByte(to - 1));
    }

    private static boolean isSpace(final byte b)
    {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0B || b == '\f';
    }

    private static int hex(final byte b)
    {
        if (b >= '0' && b <= '9')
        {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f')
        {
            return b - 'a' + 10;
        }
        return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
    }

    /** Well-formed UTF-8: no stray continuation bytes, no overlong forms, no surrogates, nothing past U+10FFFF. */
    static boolean isUtf8(final ByteBuf bytes, final int from, final int to)
    {
        int i = from;
        while (i < to)
        {
            final int lead = bytes.getByte(i) & 0xFF;
            if (lead < 0x80)
            {
                i++;
                continue;
            }
            final int length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 :
                lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
            if (length == 0 || i + length > to)
            {
                return false;
            }
            final int second = bytes.getByte(i + 1) & 0xFF;
            final int min = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
            final int max = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
            if (second < min || second > max)
            {
                return false;
            }
            for (int k = 2; k < length; k++)
            {
                if ((bytes.getByte(i + k) & 0xC0) != 0x80)
                {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}
