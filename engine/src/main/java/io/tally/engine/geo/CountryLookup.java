package io.tally.engine.geo;

import io.tally.engine.identity.IpAddress;

import java.io.IOException;

/**
 * One I/O thread's way to the country of an address: a fixed-size, direct-mapped cache of addresses it has looked
 * up (two longs, the database's generation and the country per slot; a new address takes the slot of whatever was
 * there), in front of the {@link GeoIpDatabase}, whose lookups allocate. A hit allocates nothing; so a visitor's
 * later events cost a few loads. Entries of an older database never answer: each is stamped with the generation it
 * was read from. Not thread-safe: one per I/O thread.
 */
public final class CountryLookup
{
    /** Slots per I/O thread: about 400 KB. */
    public static final int DEFAULT_SLOTS = 1 << 14;

    private final GeoIp geoIp;
    private final int mask;
    private final long[] highs;
    private final long[] lows;
    private final int[] generations;
    private final short[] countries;

    public CountryLookup(final GeoIp geoIp)
    {
        this(geoIp, DEFAULT_SLOTS);
    }

    /** @param slots a power of two: the most addresses remembered. */
    public CountryLookup(final GeoIp geoIp, final int slots)
    {
        if (slots <= 0 || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.geoIp = geoIp;
        this.mask = slots - 1;
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
        final int slot = slot(high, low);
        final int country;
        if (generations[slot] == database.generation() && highs[slot] == high && lows[slot] == low)
        {
            country = countries[slot];
        }
        else
        {
            country = read(database, high, low);
            highs[slot] = high;
            lows[slot] = low;
            generations[slot] = database.generation();
            countries[slot] = (short)country;
        }
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

    private int slot(final long high, final long low)
    {
        long h = (high * 0x9E3779B97F4A7C15L) ^ low;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int)(h ^ (h >>> 32)) & mask;
    }

    /** Slots: the most addresses remembered at once. */
    public int slots()
    {
        return mask + 1;
    }
}
