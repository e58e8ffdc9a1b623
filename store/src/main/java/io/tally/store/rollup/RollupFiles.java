package io.tally.store.rollup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the rollups' segment files live, under {@code DATA_DIR/rollups}: {@code sealed/SITE/DAY-GEN.seg} for a sealed
 * day (generation GEN, raised by each compaction), {@code sealed/SITE/DAY-GEN.dN.seg} for its deltas, and
 * {@code open/SITE/DAY-CKPT.seg} (or {@code .delta.seg}) for the open days of checkpoint CKPT. The checkpoint names
 * the files that count; any other is left over from a crash between writing a file and the checkpoint naming it,
 * and is deleted at start.
 */
public final class RollupFiles
{
    public static final String DIRECTORY = "rollups";
    private static final String SUFFIX = ".seg";

    private final Path root;

    public RollupFiles(final Path dataDir)
    {
        // absolute and normalized: the files a checkpoint names are resolved against it and must stay under it
        this.root = dataDir.resolve(DIRECTORY).toAbsolutePath().normalize();
    }

    Path sealed(final String site, final long day, final long generation)
    {
        return root.resolve("sealed").resolve(directoryName(site)).resolve(day + "-" + generation + SUFFIX);
    }

    Path delta(final String site, final long day, final long generation, final int number)
    {
        return root.resolve("sealed").resolve(directoryName(site)).resolve(day + "-" + generation + ".d" + number + SUFFIX);
    }

    Path open(final String site, final long day, final long checkpoint, final boolean delta)
    {
        return root.resolve("open").resolve(directoryName(site)).resolve(day + "-" + checkpoint + (delta ? ".delta" : "") + SUFFIX);
    }

    /** A path as the checkpoint names it: relative to the data dir's rollups directory. */
    String name(final Path file)
    {
        return root.relativize(file).toString();
    }

    Path resolve(final String name)
    {
        final Path file = root.resolve(name).normalize();
        if (!file.startsWith(root))
        {
            throw new IllegalArgumentException("not a rollup file: " + name);
        }
        return file;
    }

    Path root()
    {
        return root;
    }

    /**
     * Copies (links where it can) every segment file under the rollups directory to the same place under
     * {@code target}. A file being sealed meanwhile (written aside, then renamed) may be missed: no checkpoint
     * names it yet, so a restore would delete it anyway.
     */
    void copyTo(final Path target)
    {
        if (!Files.isDirectory(root))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file) && file.getFileName().toString().endsWith(SUFFIX))
                {
                    try
                    {
                        linkOrCopy(file, target.resolve(root.relativize(file).toString()));
                    }
                    catch (final UncheckedIOException ex)
                    {
                        if (!(ex.getCause() instanceof java.nio.file.NoSuchFileException))
                        {
                            throw ex;
                        }
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot copy " + root + " to " + target + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * A hard link to a file that is never changed once written (only deleted or replaced by a rename), or a copy
     * where no link can be made (another file system): either way the target keeps the file as it is now.
     */
    static void linkOrCopy(final Path file, final Path target)
    {
        try
        {
            Files.createDirectories(target.getParent());
            try
            {
                Files.createLink(target, file);
            }
            catch (final IOException | UnsupportedOperationException cannotLink)
            {
                Files.copy(file, target);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot copy " + file + " to " + target + ": " + ex.getMessage(), ex);
        }
    }

    /** Makes the directory a file will be written to. */
    static Path withParent(final Path file)
    {
        try
        {
            Files.createDirectories(file.getParent());
            return file;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Deletes every segment file (and temporary file) the checkpoint does not name. */
    void deleteAllBut(final Set<Path> kept)
    {
        if (!Files.isDirectory(root))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file) && !kept.contains(file.normalize()))
                {
                    Files.delete(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot tidy " + root + ": " + ex.getMessage(), ex);
        }
    }

    /** Bytes of every file under the rollups directory. */
    public long bytes()
    {
        if (!Files.isDirectory(root))
        {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root))
        {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        catch (final IOException | UncheckedIOException ex)
        {
            return 0;
        }
    }

    /** A site's domain as a directory name: letters, digits, dot, dash and underscore kept, anything else %-escaped. */
    static String directoryName(final String site)
    {
        final StringBuilder name = new StringBuilder();
        for (final byte b : site.getBytes(StandardCharsets.UTF_8))
        {
            final char c = (char)(b & 0xFF);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' && name.length() > 0 ||
                c == '-' || c == '_')
            {
                name.append(c);
            }
            else
            {
                name.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            }
        }
        return name.toString();
    }
}
