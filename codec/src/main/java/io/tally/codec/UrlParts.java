package io.tally.codec;

import io.netty.buffer.ByteBuf;

/**
 * Finds the parts of an absolute URL inside a {@link TextView} without copying: the host (for site
 * resolution), the path (for the dump and goals), the {@code value=} query parameter, and the ASIN of an
 * Amazon product link. Results are written into caller-owned views; nothing is allocated.
 */
public final class UrlParts
{
    private static final byte[] DP = {'/', 'd', 'p', '/'};
    private static final byte[] GP_PRODUCT = {'/', 'g', 'p', '/', 'p', 'r', 'o', 'd', 'u', 'c', 't', '/'};
    private static final byte[] AMAZON = {'a', 'm', 'a', 'z', 'o', 'n', '.'};
    private static final byte[] VALUE = {'v', 'a', 'l', 'u', 'e', '='};
    private static final int ASIN_LENGTH = 10;

    private UrlParts()
    {
    }

    /**
     * Wraps {@code host} around the host of {@code url} ({@code scheme://[user@]host[:port]...}).
     *
     * @return false when {@code url} is not absolute or has an empty host.
     */
    public static boolean host(final TextView url, final TextView host)
    {
        final int authorityStart = authorityStart(url);
        if (authorityStart < 0)
        {
            return false;
        }
        final ByteBuf buffer = url.buffer();
        final int end = url.offset() + url.length();
        final int authorityEnd = authorityEnd(buffer, authorityStart, end);
        int hostStart = authorityStart;
        for (int i = authorityStart; i < authorityEnd; i++)
        {
            if (buffer.getByte(i) == '@')
            {
                hostStart = i + 1;
            }
        }
        int hostEnd = authorityEnd;
        if (hostStart < authorityEnd && buffer.getByte(hostStart) == '[')
        {
            final int close = ByteBufUtils.indexOf(buffer, hostStart, authorityEnd, (byte)']');
            hostEnd = close < 0 ? authorityEnd : close + 1;
        }
        else
        {
            final int colon = ByteBufUtils.indexOf(buffer, hostStart, authorityEnd, (byte)':');
            hostEnd = colon < 0 ? authorityEnd : colon;
        }
        if (hostEnd == hostStart)
        {
            return false;
        }
        host.wrap(buffer, hostStart, hostEnd - hostStart);
        return true;
    }

    /** Wraps {@code path} around the path of the absolute {@code url}; an empty path is left empty. */
    public static void path(final TextView url, final TextView path)
    {
        final ByteBuf buffer = url.buffer();
        final int end = url.offset() + url.length();
        final int authorityStart = authorityStart(url);
        final int pathStart = authorityStart < 0 ? url.offset() : authorityEnd(buffer, authorityStart, end);
        int pathEnd = pathStart;
        while (pathEnd < end)
        {
            final byte b = buffer.getByte(pathEnd);
            if (b == '?' || b == '#')
            {
                break;
            }
            pathEnd++;
        }
        path.wrap(buffer, pathStart, pathEnd - pathStart);
    }

    /**
     * Finds a {@code value=} query parameter holding a plain non-negative decimal (digits with at most one
     * point, at most 18 digits) and stores it in {@code into}.
     *
     * @return false when there is none or it is not such a number.
     */
    public static boolean valueParameter(final TextView url, final MutableDecimal into)
    {
        final ByteBuf buffer = url.buffer();
        final int end = url.offset() + url.length();
        final int fragment = ByteBufUtils.indexOf(buffer, url.offset(), end, (byte)'#');
        int i = ByteBufUtils.indexOf(buffer, url.offset(), fragment < 0 ? end : fragment, (byte)'?');
        if (i < 0)
        {
            return false;
        }
        while (i >= 0 && i < end)
        {
            final int nameStart = i + 1;
            if (regionMatches(buffer, nameStart, end, VALUE))
            {
                return into.parsePlain(buffer, nameStart + VALUE.length, parameterEnd(buffer, nameStart, end));
            }
            final int next = parameterEnd(buffer, nameStart, end);
            i = next < end && buffer.getByte(next) == '&' ? next : -1;
        }
        return false;
    }

    /** Wraps {@code asin} around the product id of an Amazon {@code /dp/} or {@code /gp/product/} link. */
    public static boolean asin(final TextView url, final TextView asin, final TextView scratchHost)
    {
        if (!url.isPresent() || !host(url, scratchHost) || !isAmazon(scratchHost))
        {
            return false;
        }
        final ByteBuf buffer = url.buffer();
        final int end = url.offset() + url.length();
        for (int i = scratchHost.offset() + scratchHost.length(); i < end; i++)
        {
            final int idStart = regionMatches(buffer, i, end, DP) ? i + DP.length :
                regionMatches(buffer, i, end, GP_PRODUCT) ? i + GP_PRODUCT.length : -1;
            if (idStart >= 0 && isAsin(buffer, idStart, end))
            {
                asin.wrap(buffer, idStart, ASIN_LENGTH);
                return true;
            }
        }
        return false;
    }

    private static boolean isAsin(final ByteBuf buffer, final int start, final int end)
    {
        if (start + ASIN_LENGTH > end)
        {
            return false;
        }
        for (int i = start; i < start + ASIN_LENGTH; i++)
        {
            final byte b = buffer.getByte(i);
            if (!(b >= '0' && b <= '9' || b >= 'A' && b <= 'Z'))
            {
                return false;
            }
        }
        if (start + ASIN_LENGTH == end)
        {
            return true;
        }
        final byte after = buffer.getByte(start + ASIN_LENGTH);
        return after == '/' || after == '?' || after == '#' || after == '&';
    }

    static int authorityStart(final TextView url)
    {
        final ByteBuf buffer = url.buffer();
        final int start = url.offset();
        final int end = start + url.length();
        int i = start;
        while (i < end && isSchemeChar(buffer.getByte(i), i == start))
        {
            i++;
        }
        if (i == start || i + 3 > end || buffer.getByte(i) != ':' || buffer.getByte(i + 1) != '/' ||
            buffer.getByte(i + 2) != '/')
        {
            return -1;
        }
        return i + 3;
    }

    static int authorityEnd(final ByteBuf buffer, final int from, final int end)
    {
        for (int i = from; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '/' || b == '?' || b == '#')
            {
                return i;
            }
        }
        return end;
    }

    private static int parameterEnd(final ByteBuf buffer, final int from, final int end)
    {
        for (int i = from; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '&' || b == '#')
            {
                return i;
            }
        }
        return end;
    }

    private static boolean isSchemeChar(final byte b, final boolean first)
    {
        final boolean letter = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z';
        return first ? letter : letter || b >= '0' && b <= '9' || b == '+' || b == '-' || b == '.';
    }

    private static boolean regionMatches(final ByteBuf buffer, final int at, final int end, final byte[] lowerAscii)
    {
        if (at + lowerAscii.length > end)
        {
            return false;
        }
        for (int i = 0; i < lowerAscii.length; i++)
        {
            if (ByteBufUtils.toLowerAscii(buffer.getByte(at + i)) != lowerAscii[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the host is an Amazon store: {@code amazon.} (after the start or a dot) followed by a country
     * suffix of at most two short labels ({@code de}, {@code com}, {@code co.uk}, {@code com.au}), so that
     * {@code amazon.evil.example} is not one.
     */
    private static boolean isAmazon(final TextView host)
    {
        final ByteBuf buffer = host.buffer();
        final int end = host.offset() + host.length();
        for (int i = host.offset(); i + AMAZON.length <= end; i++)
        {
            if ((i == host.offset() || buffer.getByte(i - 1) == '.') && regionMatches(buffer, i, end, AMAZON) &&
                isCountrySuffix(buffer, i + AMAZON.length, end))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isCountrySuffix(final ByteBuf buffer, final int start, final int end)
    {
        int labels = 1;
        int labelLength = 0;
        for (int i = start; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b == '.')
            {
                if (labelLength == 0 || ++labels > 2)
                {
                    return false;
                }
                labelLength = 0;
            }
            else if (++labelLength > 3 || !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'))
            {
                return false;
            }
        }
        return labelLength >= 2;
    }
}
