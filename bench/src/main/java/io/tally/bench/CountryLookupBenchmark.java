package io.tally.bench;

import io.tally.engine.geo.CountryLookup;
import io.tally.engine.geo.GeoIp;
import io.tally.engine.geo.GeoIpDatabase;
import io.tally.engine.identity.IpAddress;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The country of a client address at ingest, in a database with the shape of a real one ({@link BenchCountries}).
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
        final BenchCountries countries = new BenchCountries(random);
        geoIp = GeoIp.open(countries.write(dir.resolve("countries.mmdb")));
        database = geoIp.database();
        lookup = new CountryLookup(geoIp);
        hotClients(countries);
        for (int i = 0; i < COLD; i++)
        {
            cold[i] = countries.client(random.nextInt(4) == 0);
        }
    }

    /** Clients that all stay in the cache: candidates that share a slot are dropped until a pass reads nothing. */
    private void hotClients(final BenchCountries countries)
    {
        java.util.List<IpAddress> kept = new java.util.ArrayList<>();
        for (int i = 0; i < 4 * HOT; i++)
        {
            kept.add(countries.client(false));
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
