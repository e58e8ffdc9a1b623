package io.tally.store.rollup.day;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where a visit came from, in the four dimensions the stats API breaks conversions down by: the referrer's
 * domain ({@code (direct)} without one), and the page URL's {@code utm_source}, {@code utm_medium} and
 * {@code utm_campaign} ({@code (none)} when absent). Read from the journal's strings in the rollup agent,
 * never on the request path.
 */
public final class Source
{
    public static final String[] DIMENSIONS = {"referrer", "utm_source", "utm_medium", "utm_campaign"};
    public static final String DIRECT = "(direct)";
    public static final String NONE = "(none)";

    private Source()
    {
    }

    /** The four dimensions of a visit that landed on {@code url} from {@code referrer}. */
    public static String[] of(final String url, final String referrer)
    {
        return new String[] {referrerDomain(referrer), parameter(url, "utm_source"), parameter(url, "utm_medium"),
            parameter(url, "utm_campaign")};
    }

    public static String referrerDomain(final String referrer)
    {
        final int scheme = referrer.indexOf("://");
        if (referrer.isEmpty() || scheme < 0)
        {
            return DIRECT;
        }
        int end = scheme + 3;
        while (end < referrer.length() && "/?#:".indexOf(referrer.charAt(end)) < 0)
        {
            end++;
        }
        String host = referrer.substring(scheme + 3, end).toLowerCase(Locale.ROOT);
        host = host.substring(host.lastIndexOf('@') + 1);
        host = host.startsWith("www.") ? host.substring(4) : host;
        return host.isEmpty() ? DIRECT : host;
    }

    public static String parameter(final String url, final String name)
    {
        final int query = url.indexOf('?');
        final int fragment = url.indexOf('#');
        if (query < 0 || (fragment >= 0 && fragment < query))
        {
            return NONE;
        }
        final int end = fragment < 0 ? url.length() : fragment;
        for (int pair = query + 1; pair < end; pair = nextPair(url, pair, end))
        {
            final int valueStart = pair + name.length() + 1;
            if (valueStart <= end && url.startsWith(name, pair) && url.charAt(valueStart - 1) == '=')
            {
                final String value = decode(url.substring(valueStart, nextPair(url, pair, end) - 1)).trim();
                return value.isEmpty() ? NONE : value.toLowerCase(Locale.ROOT);
            }
        }
        return NONE;
    }

    /** Where the pair after the one at {@code pair} starts: just past its {@code &}, or one past {@code end}. */
    private static int nextPair(final String url, final int pair, final int end)
    {
        final int ampersand = url.indexOf('&', pair);
        return ampersand < 0 || ampersand >= end ? end + 1 : ampersand + 1;
    }

    private static String decode(final String value)
    {
        if (value.indexOf('%') < 0 && value.indexOf('+') < 0)
        {
            return value;
        }
        try
        {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        }
        catch (final IllegalArgumentException ex)
        {
            return value;
        }
    }
}
