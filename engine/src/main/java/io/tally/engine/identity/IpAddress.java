package io.tally.engine.identity;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * IP addresses as 128-bit numbers in two {@code long}s, IPv4 mapped into IPv6 ({@code ::ffff:a.b.c.d}), so
 * both families share one key space. Text is parsed by hand: no {@link InetAddress#getByName} (which may
 * resolve names) and no allocation.
 */
public final class IpAddress
{
    private static final long IPV4_MAPPED_PREFIX = 0xFFFF_0000_0000L;

    private final int[] groups = new int[8];
    private long high;
    private long low;

    public long high()
    {
        return high;
    }

    public long low()
    {
        return low;
    }

    public IpAddress set(final long high, final long low)
    {
        this.high = high;
        this.low = low;
        return this;
    }

    public IpAddress set(final IpAddress other)
    {
        return set(other.high, other.low);
    }

    public IpAddress set(final InetAddress address)
    {
        final byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address)
        {
            return set(0, IPV4_MAPPED_PREFIX | (toLong(bytes, 0, 4) & 0xFFFF_FFFFL));
        }
        return set(toLong(bytes, 0, 8), toLong(bytes, 8, 8));
    }

    public boolean isIpv4()
    {
        return high == 0 && (low >>> 32) == 0xFFFF;
    }

    /**
     * Parses {@code text[start, end)} as an IPv4 or IPv6 address (surrounding spaces allowed).
     *
     * @return false, leaving this unchanged, when it is not one.
     */
    public boolean parse(final CharSequence text, final int start, final int end)
    {
        int from = start;
        int to = end;
        while (from < to && text.charAt(from) == ' ')
        {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ')
        {
            to--;
        }
        if (from < to && text.charAt(from) == '[' && text.charAt(to - 1) == ']')
        {
            from++;
            to--;
        }
        for (int i = from; i < to; i++)
        {
            if (text.charAt(i) == ':')
            {
                return parseIpv6(text, from, to);
            }
        }
        final long v4 = parseIpv4(text, from, to);
        if (v4 < 0)
        {
            return false;
        }
        return set(0, IPV4_MAPPED_PREFIX | v4) != null;
    }

    public boolean parse(final CharSequence text)
    {
        return parse(text, 0, text.length());
    }

    /** The IPv4 address in {@code [start, end)} as an unsigned 32-bit value, or -1. */
    private static long parseIpv4(final CharSequence text, final int start, final int end)
    {
        long value = 0;
        int octets = 0;
        int i = start;
        while (octets < 4)
        {
            int octet = 0;
            final int digitsStart = i;
            while (i < end && i - digitsStart < 3 && Character.isDigit(text.charAt(i)))
            {
                octet = octet * 10 + (text.charAt(i++) - '0');
            }
            if (i == digitsStart || octet > 255 || (i - digitsStart > 1 && text.charAt(digitsStart) == '0'))
            {
                return -1;
            }
            value = (value << 8) | octet;
            octets++;
            if (octets < 4)
            {
                if (i >= end || text.charAt(i) != '.')
                {
                    return -1;
                }
                i++;
            }
        }
        return i == end ? value : -1;
    }

    private boolean parseIpv6(final CharSequence text, final int start, final int end)
    {
        final int[] groups = this.groups;
        int count = 0;
        int gap = -1;
        int i = start;
        if (end - start >= 2 && text.charAt(i) == ':' && text.charAt(i + 1) == ':')
        {
            gap = 0;
            i += 2;
        }
        while (i < end)
        {
            if (count == 8)
            {
                return false;
            }
            final int groupStart = i;
            int group = 0;
            while (i < end && i - groupStart < 4 && Character.digit(text.charAt(i), 16) >= 0)
            {
                group = (group << 4) | Character.digit(text.charAt(i++), 16);
            }
            if (i < end && text.charAt(i) == '.')
            {
                final long v4 = parseIpv4(text, groupStart, end);
                if (v4 < 0 || count > 6)
                {
                    return false;
                }
                groups[count++] = (int)(v4 >>> 16);
                groups[count++] = (int)(v4 & 0xFFFF);
                i = end;
                break;
            }
            if (i == groupStart)
            {
                return false;
            }
            groups[count++] = group;
            if (i == end)
            {
                break;
            }
            if (text.charAt(i) != ':')
            {
                return false;
            }
            i++;
            if (i < end && text.charAt(i) == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }
                gap = count;
                i++;
            }
            else if (i == end)
            {
                return false;
            }
        }
        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }
        long hi = 0;
        long lo = 0;
        final int zeros = 8 - count;
        for (int g = 0; g < 8; g++)
        {
            final int group = gap < 0 || g < gap ? groups[g] : g < gap + zeros ? 0 : groups[g - zeros];
            if (g < 4)
            {
                hi = (hi << 16) | group;
            }
            else
            {
                lo = (lo << 16) | group;
            }
        }
        set(hi, lo);
        return true;
    }

    private static long toLong(final byte[] bytes, final int offset, final int length)
    {
        long value = 0;
        for (int i = offset; i < offset + length; i++)
        {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    @Override
    public String toString()
    {
        if (isIpv4())
        {
            return ((low >>> 24) & 0xFF) + "." + ((low >>> 16) & 0xFF) + "." + ((low >>> 8) & 0xFF) + "." + (low & 0xFF);
        }
        final StringBuilder out = new StringBuilder(39);
        for (int g = 0; g < 8; g++)
        {
            final long word = g < 4 ? high : low;
            final int shift = 48 - 16 * (g % 4);
            if (g > 0)
            {
                out.append(':');
            }
            out.append(Integer.toHexString((int)((word >>> shift) & 0xFFFF)));
        }
        return out.toString();
    }
}
