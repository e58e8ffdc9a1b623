package io.tally.codec;

import io.netty.buffer.ByteBuf;

/**
 * Which referrers Plausible keeps (its lib/plausible/ingestion/source.ex): an http, https or android-app URL with
 * a host, not {@code localhost} and not the page's own host (a leading {@code www.} aside). Reads views only.
 */
final class Referrers
{
    private static final byte[] HTTP = {'h', 't', 't', 'p', ':', '/', '/'};
    private static final byte[] HTTPS = {'h', 't', 't', 'p', 's', ':', '/', '/'};
    private static final byte[] ANDROID_APP = {'a', 'n', 'd', 'r', 'o', 'i', 'd', '-', 'a', 'p', 'p', ':', '/', '/'};
    private static final byte[] LOCALHOST = {'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't'};
    private static final byte[] WWW = {'w', 'w', 'w', '.'};

    private Referrers()
    {
    }

    /**
     * Whether {@code referrer} is a page of another site that Plausible would keep.
     *
     * @param referrerHost scratch view for the referrer's host
     * @param pageHost     scratch view for the page's host
     */
    static boolean isOutside(final TextView referrer, final TextView pageUrl, final TextView referrerHost,
        final TextView pageHost)
    {
        if (!startsWithIgnoreCase(referrer, 0, HTTP) && !startsWithIgnoreCase(referrer, 0, HTTPS) &&
            !startsWithIgnoreCase(referrer, 0, ANDROID_APP))
        {
            return false;
        }
        if (!UrlParts.host(referrer, referrerHost) || equalsIgnoreCase(referrerHost, 0, LOCALHOST))
        {
            return false;
        }
        return !UrlParts.host(pageUrl, pageHost) || !sameHost(referrerHost, pageHost);
    }

    /** Equal ignoring ASCII case and a leading {@code www.} on either. */
    private static boolean sameHost(final TextView a, final TextView b)
    {
        final int skipA = startsWithIgnoreCase(a, 0, WWW) ? WWW.length : 0;
        final int skipB = startsWithIgnoreCase(b, 0, WWW) ? WWW.length : 0;
        final int length = a.length() - skipA;
        if (length != b.length() - skipB)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (lower(a.byteAt(skipA + i)) != lower(b.byteAt(skipB + i)))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(final TextView text, final int from, final byte[] lowerAscii)
    {
        return text.length() - from == lowerAscii.length && startsWithIgnoreCase(text, from, lowerAscii);
    }

    private static boolean startsWithIgnoreCase(final TextView text, final int from, final byte[] lowerAscii)
    {
        if (text.length() - from < lowerAscii.length)
        {
            return false;
        }
        final ByteBuf bytes = text.buffer();
        final int at = text.offset() + from;
        for (int i = 0; i < lowerAscii.length; i++)
        {
            if (lower(bytes.getByte(at + i)) != lowerAscii[i])
            {
                return false;
            }
        }
        return true;
    }

    private static byte lower(final byte b)
    {
        return b >= 'A' && b <= 'Z' ? (byte)(b + ('a' - 'A')) : b;
    }
}
