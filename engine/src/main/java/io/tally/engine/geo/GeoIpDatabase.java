package io.tally.engine.geo;

import com.maxmind.db.Reader;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One MaxMind-format database file, read whole into memory (so the operator may replace or rewrite the file while it
 * is in use), and what it says of itself: its type and build time. Thread-safe; a lookup allocates (the reader
 * takes an {@link InetAddress} and makes its own objects), which is why the ingest path asks a
 * {@link CountryLookup} in front of it.
 */
public final class GeoIpDatabase
{
    /** A country code that is none: the address is not in the database, or its record names no country. */
    public static final int UNKNOWN = 0;

    private final Reader reader;
    private final Path path;
    private final String type;
    private final Instant buildTime;
    private final int generation;

    private GeoIpDatabase(final Reader reader, final Path path, final int generation)
    {
        this.reader = reader;
        this.path = path;
        this.type = reader.getMetadata().databaseType();
        this.buildTime = reader.getMetadata().buildTime();
        this.generation = generation;
    }

    /**
     * Reads {@code path} and tries a lookup of each family, so a file whose metadata reads but whose search tree is
     * damaged is refused here rather than at every event.
     *
     * @param generation tells this load from the ones before it (caches in front key their entries by it).
     * @throws GeoIpException saying why the file cannot be used.
     */
    public static GeoIpDatabase open(final Path path, final int generation)
    {
        final Reader reader;
        try
        {
            reader = new Reader(path.toFile(), Reader.FileMode.MEMORY);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new GeoIpException(path + ": not a readable MaxMind DB file (" + ex.getMessage() + ")", ex);
        }
        final GeoIpDatabase database = new GeoIpDatabase(reader, path, generation);
        try
        {
            database.country(0, 0xFFFF_0000_0000L | 0x0808_0808L); // 8.8.8.8
            database.country(0x2001_4860_4860_0000L, 0x8888L);   // 2001:4860:4860::8888
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new GeoIpException(path + ": damaged MaxMind DB file, a lookup failed (" + ex.getMessage() + ")", ex);
        }
        return database;
    }

    /**
     * The country of an address ({@code high} and {@code low} 64 bits of its IPv6 form, IPv4 mapped as
     * {@code ::ffff:a.b.c.d}) packed as {@code first << 8 | second} of its two upper-case ASCII letters, or
     * {@link #UNKNOWN}.
     *
     * @throws IOException when the database's data at that address cannot be decoded.
     */
    public int country(final long high, final long low) throws IOException
    {
        final CountryRecord record = reader.get(address(high, low), CountryRecord.class);
        return record == null ? UNKNOWN : pack(record.isoCode());
    }

    /** Two ASCII letters, upper-cased, packed; anything else is {@link #UNKNOWN}. */
    static int pack(final String isoCode)
    {
        if (isoCode == null || isoCode.length() != 2)
        {
            return UNKNOWN;
        }
        final int first = upperLetter(isoCode.charAt(0));
        final int second = upperLetter(isoCode.charAt(1));
        return first == 0 || second == 0 ? UNKNOWN : first << 8 | second;
    }

    private static int upperLetter(final char c)
    {
        if (c >= 'A' && c <= 'Z')
        {
            return c;
        }
        return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : 0;
    }

    private static InetAddress address(final long high, final long low) throws UnknownHostException
    {
        if (high == 0 && (low >>> 32) == 0xFFFF)
        {
            return InetAddress.getByAddress(new byte[] {(byte)(low >>> 24), (byte)(low >>> 16), (byte)(low >>> 8), (byte)low});
        }
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(high >>> (56 - 8 * i));
            bytes[8 + i] = (byte)(low >>> (56 - 8 * i));
        }
        return InetAddress.getByAddress(bytes);
    }

    public Path path()
    {
        return path;
    }

    /** The database's own type, such as {@code GeoLite2-Country} or {@code DBIP-Country-Lite}. */
    public String type()
    {
        return type;
    }

    public Instant buildTime()
    {
        return buildTime;
    }

    public int generation()
    {
        return generation;
    }
}
