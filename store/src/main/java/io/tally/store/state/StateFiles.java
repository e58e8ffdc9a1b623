package io.tally.store.state;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * The state files of one data directory (checkpoints, goals, tokens, salts, secrets): written sealed and
 * atomically ({@link StateFile}), readable by their owner only, in a directory only its owner may enter.
 * <p>
 * A damaged file is never a reason to stop and never trusted: {@link #load} renames it to
 * {@code NAME.damaged-<UTC time>} beside the others, logs why, remembers it for {@code /healthz}, and answers as if
 * the file were not there, so its owner starts afresh (recounts, reseeds, makes a new secret).
 */
public final class StateFiles
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    /** Set-aside files remembered for {@code /healthz}; older ones are only counted. */
    static final int MAX_REMEMBERED = 100;

    private final Path directory;
    private final List<SetAside> setAside = new CopyOnWriteArrayList<>();
    private volatile long setAsideCount;

    /** A damaged file moved out of the way: its name, where it went, why, and when. */
    public record SetAside(String file, String movedTo, String reason, Instant at)
    {
    }

    /** Opens (creating) {@code directory} and makes it and the files in it private to their owner. */
    public StateFiles(final Path directory)
    {
        this.directory = directory;
        try
        {
            Files.createDirectories(directory);
            if (AtomicFiles.isPosix())
            {
                makePrivate(directory);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create data dir " + directory + ": " + ex.getMessage(), ex);
        }
    }

    private static void makePrivate(final Path directory) throws IOException
    {
        Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                {
                    Files.setPosixFilePermissions(file, AtomicFiles.OWNER_ONLY);
                }
            }
        }
    }

    public Path directory()
    {
        return directory;
    }

    public Path path(final String name)
    {
        return directory.resolve(name);
    }

    /**
     * Decodes the state file {@code name}.
     *
     * @param acceptUnsealed whether a file written before seals existed is decoded as it is.
     * @return the decoded state; null when there is no such file, or it was damaged and has been set aside.
     */
    public <T> T load(final String name, final boolean acceptUnsealed, final StateFile.Decoder<T> decoder)
    {
        final Path file = path(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
        {
            return null;
        }
        try
        {
            return StateFile.read(file, acceptUnsealed, decoder);
        }
        catch (final DamagedStateFileException ex)
        {
            setAside(name, ex.reason());
            return null;
        }
    }

    public void write(final String name, final byte[] contents)
    {
        StateFile.write(path(name), contents);
    }

    public void write(final String name, final AtomicFiles.Contents contents)
    {
        StateFile.write(path(name), contents);
    }

    /** Moves a state file its owner cannot use out of the way, keeping it for the operator to look at. */
    public synchronized Path setAside(final String name, final String reason)
    {
        final Instant now = Instant.now();
        final Path file = path(name);
        Path target = path(name + ".damaged-" + STAMP.format(now));
        for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++)
        {
            target = path(name + ".damaged-" + STAMP.format(now) + "-" + n);
        }
        try
        {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot set aside the damaged " + file + ": " + ex.getMessage(), ex);
        }
        LOG.warn("{} is damaged ({}): set aside as {}; starting without it", file, reason, target.getFileName());
        if (setAside.size() == MAX_REMEMBERED)
        {
            setAside.remove(0);
        }
        setAside.add(new SetAside(name, target.getFileName().toString(), reason, now));
        setAsideCount++;
        return target;
    }

    /** The files set aside since this engine started (the last {@value #MAX_REMEMBERED}), oldest first. */
    public List<SetAside> setAside()
    {
        return List.copyOf(setAside);
    }

    /** How many files were set aside since this engine started. */
    public long setAsideCount()
    {
        return setAsideCount;
    }
}
