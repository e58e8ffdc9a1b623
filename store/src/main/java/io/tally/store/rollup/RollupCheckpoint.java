package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.rollup.day.DayCube;
import io.tally.store.rollup.day.KnownTouches;
import io.tally.store.rollup.day.Ordinals;
import io.tally.store.rollup.segment.Segment;
import io.tally.store.rollup.segment.SegmentWriter;
import io.tally.store.rollup.segment.Snapshots;
import io.tally.store.state.StateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rollups' checkpoint, {@code DATA_DIR/rollups.ckpt} (a sealed state file), and the segment files it names.
 * It holds the journal index the rollups cover, which sealed segments (and deltas) count, and the open days
 * (their attribution memory with them), each written beside it as a segment file of this checkpoint's generation. Its size and cost
 * follow the open days, not the history.
 * <p>
 * Writing: the open days' files of the new generation first, then the checkpoint (atomically), then the files the
 * previous one named and this one does not. Loading trusts a checkpoint only when it is whole, of this layout,
 * covers an index the journal has, and every file it names opens; anything else is set aside and the rollups are
 * counted again from the journal: slower, never wrong. Files it does not name are left from a crash and deleted.
 */
public final class RollupCheckpoint
{
    public static final String FILE = "rollups.ckpt";
    private static final int MAGIC = 0x54524C38;
    private static final int SOURCE_POSITION = 1;
    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private final StateFiles files;
    private final RollupFiles segments;
    private long generation;
    private final List<Path> previousOpenFiles = new ArrayList<>();
    private volatile long lastWrittenIndex = -1;
    /** What the rollups' source kept with the last checkpoint loaded (a rollup worker's Kafka offsets); empty for none. */
    private volatile byte[] loadedSourcePosition = new byte[0];

    public RollupCheckpoint(final StateFiles files)
    {
        this.files = files;
        this.segments = new RollupFiles(files.directory());
    }

    public RollupFiles segments()
    {
        return segments;
    }

    /**
     * The rollups to resume from: the checkpoint's when it can be trusted, else empty (counted from the start). A
     * checkpoint set aside takes its segment directory with it (moved aside whole, for the operator), so nothing it
     * named is ever counted twice; without any checkpoint, files left by a crash before the first one are deleted.
     */
    public synchronized Rollups load(final Journal journal)
    {
        previousOpenFiles.clear();
        loadedSourcePosition = new byte[0];
        final boolean exists = Files.exists(files.path(FILE));
        final Rollups loaded = files.load(FILE, false, in -> read(in));
        if (loaded != null && loaded.lastIndex() >= 0 && !journalHas(journal, loaded.lastIndex()))
        {
            files.setAside(FILE, "it covers journal index " + loaded.lastIndex() + ", which the journal does not have");
        }
        else if (loaded != null)
        {
            segments.deleteAllBut(named(loaded));
            lastWrittenIndex = loaded.lastIndex();
            return loaded;
        }
        generation = 0;
        previousOpenFiles.clear();
        lastWrittenIndex = -1;
        loadedSourcePosition = new byte[0];
        if (exists && Files.exists(segments.root()))
        {
            files.setAside(RollupFiles.DIRECTORY, "the rollup checkpoint naming these segments was set aside");
        }
        segments.deleteAllBut(Set.of());
        return new Rollups();
    }

    /**
     * Copies the checkpoint and the segment files beside it into {@code targetDataDir} (hard links where the file
     * system allows: segment files are never changed once written, only deleted), while no checkpoint is being
     * written or loaded: the copy is one checkpoint whole, which a restore loads as a restart would. Files of a
     * checkpoint not yet written come along and are deleted at load, as after a crash.
     *
     * @return the journal index the copied checkpoint covers (-1 when there is none yet).
     */
    public synchronized long copyTo(final Path targetDataDir)
    {
        if (Files.exists(files.path(FILE)))
        {
            RollupFiles.linkOrCopy(files.path(FILE), targetDataDir.resolve(FILE));
        }
        segments.copyTo(targetDataDir.resolve(RollupFiles.DIRECTORY));
        return lastWrittenIndex;
    }

    /**
     * The position the rollups' source wrote with the checkpoint loaded last (see {@link #write(Rollups, List, byte[])}):
     * a source other than the local journal (a rollup worker's Kafka offsets) resumes from it. Empty for none.
     */
    public byte[] loadedSourcePosition()
    {
        return loadedSourcePosition.clone();
    }

    /** The journal index the last checkpoint written (or loaded) covers: what a restart resumes after. */
    public long lastWrittenIndex()
    {
        return lastWrittenIndex;
    }

    private static boolean journalHas(final Journal journal, final long index)
    {
        try (JournalReader reader = journal.newReader())
        {
            return reader.moveTo(index) && reader.read((i, record) -> { }, 1) == 1;
        }
    }

    /**
     * Writes a checkpoint of the rollups: called on the agent's thread, between batches, so nothing changes the
     * open days meanwhile (queries may read them).
     *
     * @param obsolete files the rollups stopped using, deleted once this checkpoint no longer names them.
     */
    public synchronized void write(final Rollups rollups, final List<Path> obsolete)
    {
        write(rollups, obsolete, new byte[0]);
    }

    /**
     * Writes a checkpoint with the position its source reached ({@code sourcePosition}, opaque here), in the same
     * atomic file as the figures: a source other than the journal resumes from exactly what the figures count.
     */
    public void write(final Rollups rollups, final List<Path> obsolete, final byte[] sourcePosition)
    {
        final long next = generation + 1;
        final List<Path> openFiles = new ArrayList<>();
        final List<String[]> open = new ArrayList<>();
        for (final Rollups.SiteDays site : List.copyOf(rollups.sites))
        {
            for (final Rollups.OpenDay day : List.copyOf(site.open.values()))
            {
                final Path file = RollupFiles.withParent(segments.open(site.domain, day.cube.day(), next, day.delta));
                SegmentWriter.write(day.cube, day.delta, file);
                openFiles.add(file);
                open.add(new String[] {site.domain, Long.toString(day.cube.day()), day.delta ? "delta" : "day",
                    segments.name(file)});
            }
        }
        files.write(FILE, out -> write(out, rollups, open, sourcePosition));
        generation = next;
        lastWrittenIndex = rollups.lastIndex();
        delete(previousOpenFiles);
        delete(obsolete);
        previousOpenFiles.clear();
        previousOpenFiles.addAll(openFiles);
    }

    private void write(final OutputStream stream, final Rollups rollups, final List<String[]> open,
        final byte[] sourcePosition) throws IOException
    {
        final DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeLong(rollups.lastIndex());
        out.writeLong(rollups.latestReceivedAt);
        out.writeLong(generation + 1);
        final List<String[]> sealed = new ArrayList<>();
        for (final Rollups.SiteDays site : List.copyOf(rollups.sites))
        {
            for (final SealedDay day : List.copyOf(site.sealed.values()))
            {
                final List<String> names = new ArrayList<>();
                day.segments().forEach(segment -> names.add(segments.name(segment.file())));
                sealed.add(new String[] {site.domain, Long.toString(day.base.day()), Long.toString(day.generation),
                    String.join("\n", names)});
            }
        }
        out.writeInt(sealed.size());
        for (final String[] day : sealed)
        {
            for (final String field : day)
            {
                out.writeUTF(field);
            }
        }
        out.writeInt(open.size());
        for (final String[] day : open)
        {
            for (final String field : day)
            {
                out.writeUTF(field);
            }
        }
        if (sourcePosition.length > 0)
        {
            // optional, at the end: a checkpoint without it (older, or of the journal) reads as before
            out.writeByte(SOURCE_POSITION);
            out.writeInt(sourcePosition.length);
            out.write(sourcePosition);
        }
        out.flush();
    }

    /** One segment file a checkpoint names: a sealed day's, one of its deltas', or an open day's (or open delta's). */
    public record Entry(String site, long day, String kind, long generation, String name)
    {
    }

    /** What a checkpoint holds, before anything is opened. */
    private record Manifest(long lastIndex, long latestReceivedAt, long generation, List<Entry> entries, byte[] sourcePosition)
    {
    }

    private static Manifest readManifest(final InputStream stream) throws IOException
    {
        final DataInputStream in = new DataInputStream(stream);
        final int magic = in.readInt();
        if (magic != MAGIC)
        {
            throw new IOException(String.format("layout %08x, not this version's %08x", magic, MAGIC));
        }
        final long lastIndex = in.readLong();
        final long latestReceivedAt = in.readLong();
        final long generation = in.readLong();
        final List<Entry> entries = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--)
        {
            final String site = in.readUTF();
            final long day = Long.parseLong(in.readUTF());
            final long dayGeneration = Long.parseLong(in.readUTF());
            final String[] names = in.readUTF().split("\n");
            for (int part = 0; part < names.length; part++)
            {
                entries.add(new Entry(site, day, part == 0 ? "day" : "delta", dayGeneration, names[part]));
            }
        }
        for (int n = in.readInt(); n > 0; n--)
        {
            final String site = in.readUTF();
            final long day = Long.parseLong(in.readUTF());
            final String kind = in.readUTF().equals("delta") ? "open delta" : "open day";
            entries.add(new Entry(site, day, kind, generation, in.readUTF()));
        }
        final int marker = in.read();
        if (marker != -1 && marker != SOURCE_POSITION)
        {
            throw new IOException("unknown section " + marker + " after the open days");
        }
        final byte[] sourcePosition = marker == -1 ? new byte[0] : in.readNBytes(in.readInt());
        return new Manifest(lastIndex, latestReceivedAt, generation, entries, sourcePosition);
    }

    private Rollups read(final InputStream stream) throws IOException
    {
        final Manifest manifest = readManifest(stream);
        generation = manifest.generation();
        final Rollups rollups = new Rollups(manifest.lastIndex());
        loadedSourcePosition = manifest.sourcePosition();
        rollups.latestReceivedAt = manifest.latestReceivedAt();
        final List<Segment> parts = new ArrayList<>();
        for (int i = 0; i < manifest.entries().size(); i++)
        {
            final Entry entry = manifest.entries().get(i);
            final Rollups.SiteDays site = rollups.site(entry.site());
            if (entry.kind().startsWith("open"))
            {
                restoreOpen(site, entry);
                continue;
            }
            parts.add(segment(entry.name(), entry.day()));
            final boolean last = i + 1 == manifest.entries().size() || !manifest.entries().get(i + 1).kind().equals("delta");
            if (last)
            {
                site.sealed.put(entry.day(), new SealedDay(parts.get(0), entry.generation(), parts.subList(1, parts.size())));
                parts.clear();
            }
        }
        return rollups;
    }

    private void restoreOpen(final Rollups.SiteDays site, final Entry entry) throws IOException
    {
        final boolean delta = entry.kind().equals("open delta");
        final Segment snapshot = segment(entry.name(), entry.day());
        snapshot.verify();
        final SealedDay sealed = site.sealed.get(entry.day());
        if (delta == (sealed == null))
        {
            throw new IOException("an open " + (delta ? "delta of a day not sealed" : "day that is sealed") + ": " + entry.day());
        }
        final DayCube cube = delta ? Snapshots.restore(snapshot, sealed.visitors(), sealed.sessions(), sealed.touches()) :
            Snapshots.restore(snapshot, Ordinals.Known.NONE, Ordinals.Known.NONE, KnownTouches.NONE);
        site.open.put(entry.day(), new Rollups.OpenDay(cube, delta));
        previousOpenFiles.add(snapshot.file());
    }

    /**
     * The segment files the checkpoint of {@code files} names, with each file's header opened: for
     * {@code tally rollup inspect}, read-only (nothing is set aside, nothing deleted).
     *
     * @return the entries and their segments (null for a file that does not open, with the reason in its place).
     */
    public static List<Object[]> inspect(final StateFiles files) throws IOException
    {
        final java.nio.file.Path file = files.path(FILE);
        if (!Files.exists(file))
        {
            return List.of();
        }
        final Manifest manifest = io.tally.store.state.StateFile.read(file, false, RollupCheckpoint::readManifest);
        final RollupFiles segments = new RollupFiles(files.directory());
        final List<Object[]> rows = new ArrayList<>();
        for (final Entry entry : manifest.entries())
        {
            try
            {
                rows.add(new Object[] {entry, Segment.open(segments.resolve(entry.name()))});
            }
            catch (final IOException ex)
            {
                rows.add(new Object[] {entry, ex.getMessage()});
            }
        }
        return rows;
    }

    private Segment segment(final String name, final long day) throws IOException
    {
        final Segment segment = Segment.open(segments.resolve(name));
        if (segment.day() != day)
        {
            throw new IOException(name + " holds day " + segment.day() + ", not " + day);
        }
        return segment;
    }

    /** Every file a loaded checkpoint names. */
    private Set<Path> named(final Rollups rollups)
    {
        final Set<Path> named = new HashSet<>(previousOpenFiles);
        for (final Rollups.SiteDays site : rollups.sites)
        {
            site.sealed.values().forEach(day -> day.segments().forEach(segment -> named.add(segment.file().normalize())));
        }
        return named;
    }

    private static void delete(final List<Path> obsolete)
    {
        for (final Path file : obsolete)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                LOG.warn("rollups: cannot delete {}, left behind: {}", file, ex.getMessage());
            }
        }
    }

    /** Bytes of the open days' files the last checkpoint named. */
    long openBytes()
    {
        return previousOpenFiles.stream().mapToLong(file -> file.toFile().length()).sum();
    }
}
