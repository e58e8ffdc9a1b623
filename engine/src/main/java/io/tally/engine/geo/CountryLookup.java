package io.tally.engine.geo;

import io.tally.engine.identity.IpAddress;

import java.io.IOException;

/**
 * One I/O thread's way to the country of an address: a fixed-size cache of addresses it has looked up, in front of
 * the {@link GeoIpDatabase}, whose lookups allocate. Eight-way set-associative: an address may sit in any of the eight
 * slots of its set (two longs, the database's generation and the country each), and a new one takes the set's
 * oldest (first in, first out), so addresses that share a set do not keep evicting each other as they would in a
 * direct-mapped table. A hit allocates nothing and writes nothing: a visitor's later events cost a few loads.
 * Entries of an older database never answer: each is stamped with the generation it was read from. Not
 * thread-safe: one per I/O thread.
 */
public final class CountryLookup
{
    /** Slots per I/O thread: about 400 KB. */
    public static final int DEFAULT_SLOTS = 1 << 14;
    /** Slots of a set. */
    public static final int WAYS = 8;

    private final GeoIp geoIp;
    private final int mask;
    private final long[] highs;
    private final long[] lows;
    private final int[] generations;
    private final short[] countries;
    /** Per set, the way the next new address takes. */
    private final byte[] nextWay;

    public CountryLookup(final GeoIp geoIp)
    {
        this(geoIp, DEFAULT_SLOTS);
    }

    /** @param slots a power of two, at least {@link #WAYS}: the most addresses remembered. */
    public CountryLookup(final GeoIp geoIp, final int slots)
    {
        if (slots < WAYS || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots must be a power of two, at least " + WAYS + ": " + slots);
        }
        this.geoIp = geoIp;
        this.mask = slots / WAYS - 1;
        this.nextWay = new byte[slots / WAYS];
        this.highs = new long[slots];
        this.lows = new long[slots];
        this.generations = new int[slots];
        this.countries = new short[slots];
    }

    /** The address's country packed as {@code first << 8 | second}, or {@link GeoIpDatabase#UNKNOWN}. */
    public int country(final IpAddress address)
    {
        final GeoIpDatabase database = geoIp.database();
        if (database == null)
        {
            return GeoIpDatabase.UNKNOWN;
        }
        final long high = address.high();
        final long low = address.low();
        final int generation = database.generation();
        final int set = set(high, low);
        final int first = set * WAYS;
        for (int slot = first; slot < first + WAYS; slot++)
        {
            if (generations[slot] == generation && highs[slot] == high && lows[slot] == low)
            {
                final int country = countries[slot];
                geoIp.counted(country);
                return country;
            }
        }
        final int country = read(database, high, low);
        final int slot = first + nextWay[set];
        nextWay[set] = (byte)((nextWay[set] + 1) & (WAYS - 1));
        highs[slot] = high;
        lows[slot] = low;
        generations[slot] = generation;
        countries[slot] = (short)country;
        geoIp.counted(country);
        return country;
    }

    /** A cache miss: the database itself (allocates), an error counted as unknown. */
    private int read(final GeoIpDatabase database, final long high, final long low)
    {
        geoIp.readDatabase();
        try
        {
            return database.country(high, low);
        }
        catch (final IOException | RuntimeException ex)
        {
            geoIp.failed();
            return GeoIpDatabase.UNKNOWN;
        }
    }

    private int set(final long high, final long low)
    {
        long h = (high * 0x9E3779B97F4A7C15L) ^ low;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 32)) & mask;
    }

    /** Slots: the most addresses remembered at once. */
    public int slots()
    {
        return (mask + 1) * WAYS;
    }
}
