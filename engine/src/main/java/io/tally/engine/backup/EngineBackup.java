package io.tally.engine.backup;

import io.tally.store.Journal;
import io.tally.store.rollup.RollupCheckpoint;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A consistent copy of a running engine's state, made by the engine itself (on an API thread) into a new
 * directory that a restore copies into an empty data dir. In this order:
 * <ol>
 *   <li>the rollup checkpoint and its segment files, while no checkpoint is written (hard links where the file
 *   system allows, so the agent waits at most for the links);</li>
 *   <li>every state file of the data dir (admin token, goals, site tokens, share links, salts, the notifier's
 *   checkpoint, the webhook secret...): each is replaced whole by a rename, so a copy is one version of it;</li>
 *   <li>the journal, record by record, up to its last index read after the two steps above: so it holds every
 *   event acknowledged before the backup began, and every index the copied checkpoints name. A restore resumes the
 *   rollups after their checkpoint's index, as a restart does: nothing is counted twice or missed.</li>
 * </ol>
 * Everything is written to {@code DIR.partial} and renamed to {@code DIR} at the end, so a {@code DIR} that exists
 * is whole. The event store ({@code events/}) is not copied: it is made from the journal
 * ({@code tally events rebuild}).
 */
public final class EngineBackup
{
    private static final String PARTIAL = ".partial";
    /**
     * A cluster ingest node's name ({@code node-id}): a node restored with it would number its new records with (node,
     * journal index) pairs the workers counted already, and they would skip them as repeats. Left out, the restored
     * node takes a new name at first start. Its forwarder checkpoint is kept: under the new name it forwards from
     * where the backup's node had forwarded, so nothing after that is lost and only its lag then is counted twice.
     */
    private static final Set<String> NODE_IDENTITY = Set.of("node-id");

    private final Path dataDir;
    private final Journal journal;
    private final RollupCheckpoint rollups;

    /** What a backup holds. */
    public record Result(Path directory, long journalIndex, long journalRecords, long rollupIndex, int stateFiles)
    {
    }

    public EngineBackup(final StateFiles files, final Journal journal, final RollupCheckpoint rollups)
    {
        this.dataDir = files.directory().toAbsolutePath().normalize();
        this.journal = journal;
        this.rollups = rollups;
    }

    /**
     * Backs up into {@code target}, which must be absolute, outside the data dir, and not exist yet. One backup
     * at a time: a second waits for the first.
     *
     * @throws IllegalArgumentException for a target that cannot be used (the message says why).
     * @throws UncheckedIOException     when a file cannot be read or written; the partial copy is left, named so.
     */
    public synchronized Result write(final Path target)
    {
        final Path directory = check(target);
        final Path partial = directory.resolveSibling(directory.getFileName() + PARTIAL);
        try
        {
            if (Files.exists(partial))
            {
                throw new IllegalArgumentException(partial + " exists (left by a backup that failed): remove it first");
            }
            // owner-only, as the data dir is: the journal holds visitor ids and URLs, the state files secrets
            Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            final long rollupIndex = rollups.copyTo(partial);
            final int stateFiles = copyStateFiles(partial);
            final long journalIndex = journal.lastIndex();
            final long records = journal.copyTo(partial, journalIndex);
            Files.move(partial, directory);
            return new Result(directory, journalIndex, records, rollupIndex, stateFiles);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("backup to " + directory + " failed: " + ex.getMessage(), ex);
        }
    }

    private Path check(final Path target)
    {
        if (!target.isAbsolute())
        {
            throw new IllegalArgumentException("the backup directory must be an absolute path, not " + target);
        }
        final Path directory = target.normalize();
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IllegalArgumentException(directory + " exists: a backup goes into a new directory");
        }
        if (directory.getParent() == null || !Files.isDirectory(directory.getParent()))
        {
            throw new IllegalArgumentException("the parent of " + directory + " is not a directory");
        }
        // through the links: a link to a directory inside the data dir would have the backup copy itself
        if (directory.startsWith(dataDir) || realPath(directory.getParent()).startsWith(realPath(dataDir)))
        {
            throw new IllegalArgumentException(directory + " is inside the data dir " + dataDir + ": choose another");
        }
        return directory;
    }

    private static Path realPath(final Path existing)
    {
        try
        {
            return existing.toRealPath();
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot resolve " + existing + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The regular files at the data dir's top: the state files, whatever their names (the rollup checkpoint is
     * copied with its segments; temporary files of a write in progress are skipped: their rename is what counts),
     * but a cluster node's identity ({@link #NODE_IDENTITY}).
     */
    private int copyStateFiles(final Path target) throws IOException
    {
        int copied = 0;
        try (Stream<Path> files = Files.list(dataDir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || name.equals(RollupCheckpoint.FILE) || name.endsWith(".tmp") ||
                    NODE_IDENTITY.contains(name))
                {
                    continue;
                }
                try
                {
                    Files.copy(file, target.resolve(name));
                    copied++;
                }
                catch (final NoSuchFileException gone)
                {
                    // deleted meanwhile: not part of the state any more
                }
            }
        }
        return copied;
    }
}
