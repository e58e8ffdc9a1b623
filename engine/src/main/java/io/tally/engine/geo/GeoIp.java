package io.tally.engine.geo;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's GeoIP database (or none, without {@code --geoip-db}): the one in use, swapped whole on
 * {@link #reload()}, and the counts {@code /healthz} and {@code /metrics} show. A reload that fails keeps the database
 * in use and says why; it never stops the engine. Lookups go through a {@link CountryLookup} per I/O thread.
 */
public final class GeoIp
{
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("tally");

    private final Path path;
    private volatile GeoIpDatabase current;
    private final LongAdder lookups = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder databaseReads = new LongAdder();
    private final LongAdder errors = new LongAdder();
    // written under the reload's lock, read without it: /healthz runs on an event loop and must not wait for a reload
    private volatile long reloads;
    private volatile long failedReloads;
    private volatile String lastReloadError;
    private volatile Instant loadedAt;

    /** What a reload did: the database now in use, and the error when the new file was refused. */
    public record Reload(boolean loaded, String error)
    {
    }

    private GeoIp(final Path path, final GeoIpDatabase database)
    {
        this.path = path;
        this.current = database;
        this.loadedAt = database == null ? null : Instant.now();
    }

    /** No database: every country is unknown, and the countries report says why. */
    public static GeoIp none()
    {
        return new GeoIp(null, null);
    }

    /**
     * The database at {@code path}, or none when {@code path} is null.
     *
     * @throws GeoIpException when the file cannot be used: an engine asked for a database does not start without one.
     */
    public static GeoIp open(final Path path)
    {
        return path == null ? none() : new GeoIp(path, GeoIpDatabase.open(path, 1));
    }

    /** The database in use, or null. */
    public GeoIpDatabase database()
    {
        return current;
    }

    /** The file given at start, or null. */
    public Path path()
    {
        return path;
    }

    /**
     * Reads the file again and swaps it in whole; lookups under way finish on the old one. A file that cannot be
     * used leaves the old one in use, logged and shown in the status. Cold: SIGHUP or the admin API.
     */
    public synchronized Reload reload()
    {
        if (path == null)
        {
            return new Reload(false, "no GeoIP database is configured (--geoip-db)");
        }
        final GeoIpDatabase old = current;
        try
        {
            final GeoIpDatabase fresh = GeoIpDatabase.open(path, old == null ? 1 : old.generation() + 1);
            current = fresh;
            loadedAt = Instant.now();
            reloads++;
            lastReloadError = null;
            LOG.info("GeoIP database reloaded: {} ({}, built {})", path, fresh.type(), fresh.buildTime());
            return new Reload(true, null);
        }
        catch (final GeoIpException ex)
        {
            failedReloads++;
            lastReloadError = ex.getMessage();
            LOG.error("GeoIP database not reloaded, the one loaded before stays in use: {}", ex.getMessage());
            return new Reload(false, ex.getMessage());
        }
    }

    void counted(final int country)
    {
        lookups.increment();
        if (country == GeoIpDatabase.UNKNOWN)
        {
            misses.increment();
        }
    }

    void readDatabase()
    {
        databaseReads.increment();
    }

    void failed()
    {
        errors.increment();
    }

    /** Events whose address was looked up. */
    public long lookups()
    {
        return lookups.sum();
    }

    /** Lookups that found no country. */
    public long misses()
    {
        return misses.sum();
    }

    /** Lookups that read the database (the rest were answered by the caches in front). */
    public long databaseReads()
    {
        return databaseReads.sum();
    }

    /** Lookups the database could not answer (damaged data at that address); counted as unknown. */
    public long errors()
    {
        return errors.sum();
    }

    public long reloads()
    {
        return reloads;
    }

    public long failedReloads()
    {
        return failedReloads;
    }

    /** What {@code /healthz} and the countries report show of the database. */
    public Map<String, Object> status()
    {
        final GeoIpDatabase database = current;
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("loaded", database != null);
        if (database != null)
        {
            status.put("path", database.path().toString());
            status.put("type", database.type());
            status.put("build_date", database.buildTime().toString());
            status.put("loaded_at", loadedAt.toString());
        }
        status.put("lookups", lookups());
        status.put("misses", misses());
        status.put("database_reads", databaseReads());
        status.put("errors", errors());
        status.put("reloads", reloads());
        status.put("failed_reloads", failedReloads());
        if (lastReloadError != null)
        {
            status.put("last_reload_error", lastReloadError);
        }
        return status;
    }
}
