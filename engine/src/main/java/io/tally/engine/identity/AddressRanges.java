package io.tally.engine.identity;

import java.util.List;

/** A set of CIDR ranges ({@code 10.0.0.0/8}, {@code ::1/128}, a bare address), such as the trusted proxies. */
public final class AddressRanges
{
    private final long[] highs;
    private final long[] lows;
    private final int[] prefixes;
    private final List<String> text;

    private AddressRanges(final long[] highs, final long[] lows, final int[] prefixes, final List<String> text)
    {
        this.highs = highs;
        this.lows = lows;
        this.prefixes = prefixes;
        this.text = text;
    }

    public static AddressRanges none()
    {
        return parse(List.of());
    }

    /** Parses each entry; throws {@link IllegalArgumentException} naming the first bad one. */
    public static AddressRanges parse(final List<String> cidrs)
    {
        final long[] highs = new long[cidrs.size()];
        final long[] lows = new long[cidrs.size()];
        final int[] prefixes = new int[cidrs.size()];
        final IpAddress address = new IpAddress();
        for (int i = 0; i < cidrs.size(); i++)
        {
            final String cidr = cidrs.get(i).trim();
            final int slash = cidr.indexOf('/');
            final String host = slash < 0 ? cidr : cidr.substring(0, slash);
            if (!address.parse(host))
            {
                throw new IllegalArgumentException("not an address or CIDR range: '" + cidr + "'");
            }
            final boolean v4 = address.isIpv4();
            int prefix = v4 ? 32 : 128;
            if (slash >= 0)
            {
                try
                {
                    prefix = Integer.parseInt(cidr.substring(slash + 1));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
                }
                if (prefix < 0 || prefix > (v4 ? 32 : 128))
                {
                    throw new IllegalArgumentException("bad prefix length in '" + cidr + "'");
                }
            }
            prefixes[i] = v4 ? prefix + 96 : prefix;
            highs[i] = address.high() & maskHigh(prefixes[i]);
            lows[i] = address.low() & maskLow(prefixes[i]);
        }
        return new AddressRanges(highs, lows, prefixes, List.copyOf(cidrs));
    }

    public boolean isEmpty()
    {
        return prefixes.length == 0;
    }

    public boolean contains(final long high, final long low)
    {
        for (int i = 0; i < prefixes.length; i++)
        {
            if ((high & maskHigh(prefixes[i])) == highs[i] && (low & maskLow(prefixes[i])) == lows[i])
            {
                return true;
            }
        }
        return false;
    }

    public boolean contains(final IpAddress address)
    {
        return contains(address.high(), address.low());
    }

    public List<String> asText()
    {
        return text;
    }

    private static long maskHigh(final int prefix)
    {
        return prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
    }

    private static long maskLow(final int prefix)
    {
        return prefix <= 64 ? 0 : prefix >= 128 ? -1L : -1L << (128 - prefix);
    }

    @Override
    public String toString()
    {
        return String.join(",", text);
    }
}
