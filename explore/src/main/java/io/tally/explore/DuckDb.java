package io.tally.explore;

import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Opens in-memory DuckDB databases. The driver unpacks its native library into the temporary directory at its first
 * load ({@code libduckdb_java*.so}) and deletes it only at a clean exit: a process that is killed leaves 60 MB behind
 * each time. So once the library is loaded, the copy this process mapped (read from {@code /proc/self/maps}) is
 * deleted at once (a loaded library stays mapped on Linux), and so are copies other processes left more than a minute
 * ago (a process unpacking one now is never raced). Deleting one another user owns fails quietly; where there is no
 * {@code /proc} only the stale copies go.
 */
public final class DuckDb
{
    private static final String LIBRARY_PREFIX = "libduckdb_java";
    private static final long STALE_MILLIS = TimeUnit.MINUTES.toMillis(1);
    private static volatile boolean loaded;

    private DuckDb()
    {
    }

    /** A new in-memory database using at most {@code threads} threads (0: DuckDB's default, one per core). */
    public static DuckDBConnection open(final int threads) throws SQLException
    {
        load();
        final DuckDBConnection connection = (DuckDBConnection)DriverManager.getConnection("jdbc:duckdb:");
        if (threads > 0)
        {
            try (Statement statement = connection.createStatement())
            {
                statement.execute("SET threads = " + threads);
            }
        }
        return connection;
    }

    /** Loads the driver and its native library once, then deletes the unpacked copies of the library. */
    private static synchronized void load() throws SQLException
    {
        if (loaded)
        {
            return;
        }
        final Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Connection ignored = DriverManager.getConnection("jdbc:duckdb:"))
        {
            loaded = true;
        }
        final Set<Path> mine = mappedLibraries();
        final long staleBefore = System.currentTimeMillis() - STALE_MILLIS;
        for (final Path library : libraries(temp))
        {
            if (mine.contains(library) || modifiedBefore(library, staleBefore))
            {
                deleteQuietly(library);
            }
        }
    }

    /** The DuckDB libraries this process has mapped, from {@code /proc/self/maps}; none where there is no such file. */
    private static Set<Path> mappedLibraries()
    {
        final Set<Path> mapped = new HashSet<>();
        try (java.util.stream.Stream<String> lines = Files.lines(Path.of("/proc/self/maps")))
        {
            lines.filter(line -> line.contains(LIBRARY_PREFIX) && line.indexOf('/') >= 0)
                .forEach(line -> mapped.add(Path.of(line.substring(line.indexOf('/')).trim())));
        }
        catch (final IOException | RuntimeException ex)
        {
            // not Linux: only the stale copies are deleted
        }
        return mapped;
    }

    private static Set<Path> libraries(final Path directory)
    {
        final Set<Path> found = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, LIBRARY_PREFIX + "*.so"))
        {
            files.forEach(found::add);
        }
        catch (final IOException ex)
        {
            // no temporary directory to tidy
        }
        return found;
    }

    private static boolean modifiedBefore(final Path file, final long millis)
    {
        try
        {
            final FileTime modified = Files.getLastModifiedTime(file);
            return modified.toMillis() < millis;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // another user's copy, or already gone
        }
    }

    /** A SQL string literal: {@code text} in single quotes, its quotes doubled. */
    static String literal(final String text)
    {
        return "'" + text.replace("'", "''") + "'";
    }
}
