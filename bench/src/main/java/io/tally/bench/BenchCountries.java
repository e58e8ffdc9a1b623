package io.tally.bench;

import io.tally.engine.identity.IpAddress;
import io.tally.testing.MmdbWriter;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A country database with the shape of a real one, written in the MaxMind DB format for benchmarks: 100,000 IPv4 /24
 * networks and 20,000 IPv6 /48s over 250 countries, records with a continent, a country and its names (so lookups
 * walk a deep tree and skip fields as real ones do), and client addresses in it or outside it.
 */
final class BenchCountries
{
    private static final int IPV4_NETWORKS = 100_000;
    private static final int IPV6_NETWORKS = 20_000;

    private final Random random;
    private final int[] ipv4 = new int[IPV4_NETWORKS];
    private final long[] ipv6 = new long[IPV6_NETWORKS];

    BenchCountries(final Random random)
    {
        this.random = random;
    }

    /** Writes the database to {@code file}. */
    Path write(final Path file)
    {
        final MmdbWriter writer = new MmdbWriter("GeoLite2-Country");
        final Map<String, Object>[] records = countries();
        final Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < IPV4_NETWORKS; i++)
        {
            int network;
            do
            {
                network = (1 + random.nextInt(222)) << 16 | random.nextInt(1 << 16); // a.b.c of 1-222.x.x.0/24
            }
            while (!taken.add(network));
            ipv4[i] = network;
            writer.network((network >>> 16) + "." + ((network >>> 8) & 0xFF) + "." + (network & 0xFF) + ".0/24",
                records[random.nextInt(records.length)]);
        }
        for (int i = 0; i < IPV6_NETWORKS; i++)
        {
            ipv6[i] = 0x2001_0000_0000L | (long)i << 4 | random.nextInt(16); // 2001:xxxx:xxxx::/48, distinct
            writer.network(String.format("2001:%x:%x::/48", (ipv6[i] >>> 16) & 0xFFFF, ipv6[i] & 0xFFFF),
                records[random.nextInt(records.length)]);
        }
        writer.write(file);
        return file;
    }

    /** A client in a random network of the database (one in five IPv6), or ({@code outside}) in none. */
    IpAddress client(final boolean outside)
    {
        final IpAddress address = new IpAddress();
        if (outside)
        {
            return address.set(0, 0xFFFF_0000_0000L | 0xE000_0000L | random.nextInt(1 << 24)); // 224.x.x.x: none
        }
        if (random.nextInt(5) == 0)
        {
            final long network = ipv6[random.nextInt(ipv6.length)];
            return address.set(network << 16 | random.nextInt(1 << 16), random.nextLong());
        }
        return address.set(0, 0xFFFF_0000_0000L | (long)ipv4[random.nextInt(ipv4.length)] << 8 | random.nextInt(256));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] countries()
    {
        final Map<String, Object>[] records = new Map[250];
        for (int i = 0; i < records.length; i++)
        {
            records[i] = MmdbWriter.country("" + (char)('A' + i / 26 % 26) + (char)('A' + i % 26));
        }
        return records;
    }
}
