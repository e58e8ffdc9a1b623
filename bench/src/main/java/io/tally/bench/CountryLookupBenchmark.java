package io.tally.bench;

import io.tally.engine.geo.CountryLookup;
import io.tally.engine.geo.GeoIp;
import io.tally.engine.geo.GeoIpDatabase;
import io.tally.engine.identity.IpAddress;
import io.tally.testing.MmdbWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The country of a client address at ingest. The database is made here in the MaxMind DB format with the shape of a
 * country database: 100,000 IPv4 /24 networks and 20,000 IPv6 /48s over 250 countries, records with a
 * continent, a country and its names, so lookups walk a deep tree and skip fields as real ones do.
 * <ul>
 *   <li>{@code hit}: an address the I/O thread's {@link CountryLookup} holds (2,048 clients cycled, chosen so that
 *       none takes another's slot);</li>
 *   <li>{@code miss}: an address it has not (a pool four times its slots, so nearly every lookup reads the
 *       database), three in four in a network of the database, one not;</li>
 *   <li>{@code reader}: the MaxMind reader alone, what a miss costs without the cache in front.</li>
 * </ul>
 * Run with {@code bench/jmh.sh CountryLookup}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CountryLookupBenchmark
{
    private static final int IPV4_NETWORKS = 100_000;
    private static final int IPV6_NETWORKS = 20_000;
    private static final int HOT = 2048;
    private static final int COLD = 4 * CountryLookup.DEFAULT_SLOTS;

    private Path dir;
    private GeoIp geoIp;
    private GeoIpDatabase database;
    private CountryLookup lookup;
    private final IpAddress[] hot = new IpAddress[HOT];
    private final IpAddress[] cold = new IpAddress[COLD];
    private int nextHot;
    private int nextCold;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("tally-jmh-geoip");
        final Random random = new Random(0x6E01L);
        final MmdbWriter writer = new MmdbWriter("GeoLite2-Country");
        final Map<String, Object>[] records = countries();
        final int[] ipv4 = new int[IPV4_NETWORKS];
        final java.util.Set<Integer> taken = new java.util.HashSet<>();
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
        final long[] ipv6 = new long[IPV6_NETWORKS];
        for (int i = 0; i < IPV6_NETWORKS; i++)
        {
            ipv6[i] = 0x2001_0000_0000L | (long)i << 4 | random.nextInt(16); // 2001:xxxx:xxxx::/48, distinct
            writer.network(String.format("2001:%x:%x::/48", (ipv6[i] >>> 16) & 0xFFFF, ipv6[i] & 0xFFFF),
                records[random.nextInt(records.length)]);
        }
        final Path file = dir.resolve("countries.mmdb");
        writer.write(file);
        geoIp = GeoIp.open(file);
        database = geoIp.database();
        lookup = new CountryLookup(geoIp);
        hotClients(random, ipv4, ipv6);
        for (int i = 0; i < COLD; i++)
        {
            cold[i] = address(random, ipv4, ipv6, random.nextInt(4) == 0);
        }
    }

    /** Clients that all stay in the cache: candidates that share a slot are dropped until a pass reads nothing. */
    private void hotClients(final Random random, final int[] ipv4, final long[] ipv6)
    {
        java.util.List<IpAddress> kept = new java.util.ArrayList<>();
        for (int i = 0; i < 4 * HOT; i++)
        {
            kept.add(address(random, ipv4, ipv6, false));
        }
        kept.forEach(lookup::country);
        boolean missed = true;
        while (missed)
        {
            missed = false;
            final java.util.List<IpAddress> next = new java.util.ArrayList<>();
            for (final IpAddress address : kept)
            {
                final long reads = geoIp.databaseReads();
                lookup.country(address);
                if (geoIp.databaseReads() == reads)
                {
                    next.add(address);
                }
                else
                {
                    missed = true;
                }
            }
            kept = next;
        }
        for (int i = 0; i < HOT; i++)
        {
            hot[i] = kept.get(i);
        }
    }

    /** A client: in a random network of the database (one in five IPv6), or one of no network. */
    private static IpAddress address(final Random random, final int[] ipv4, final long[] ipv6, final boolean outside)
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

    @TearDown(Level.Trial)
    public void tearDown()
    {
        TempDirs.delete(dir);
    }

    @Benchmark
    public int hit()
    {
        final int i = nextHot;
        nextHot = (i + 1) & (HOT - 1);
        return lookup.country(hot[i]);
    }

    @Benchmark
    public int miss()
    {
        final int i = nextCold;
        nextCold = (i + 1) & (COLD - 1);
        return lookup.country(cold[i]);
    }

    @Benchmark
    public int reader() throws IOException
    {
        final int i = nextCold;
        nextCold = (i + 1) & (COLD - 1);
        return database.country(cold[i].high(), cold[i].low());
    }
}
