package io.tally.explore;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.JournalReader;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seals journal records into the event store's files, driven step by step from one thread (the sealing agent, the
 * rebuild command, the benchmark). Records are appended to a table of an in-memory DuckDB; a round ({@link #seal()})
 * writes that table out as one Parquet file per site and hour it touched, makes each durable and moves it into place,
 * and only then records the journal position it covers. {@link #maintain(long)} merges the files of an hour that is
 * over into one, those of a day that is over into one (a query over 30 days opens 30 files, not 720), and deletes the
 * days past the retention.
 * <p>
 * Opening recovers from a kill at any point: scratch files are deleted, so is any file past the recorded position (its
 * round did not finish: its records are read again), and so is any part of a merge whose merged file was moved into
 * place. So every record up to the position is in exactly one live file, and none after it.
 */
public final class EventSealer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");
    /** Rows a round holds at most: its memory stays bounded (a few hundred bytes a row) whatever the interval. */
    static final int MAX_ROUND_ROWS = 200_000;
    /**
     * Site-hours (files) one COPY of a round writes at most. DuckDB keeps a writer with its own buffers open for each
     * partition of a COPY until the COPY ends, so a round spanning hundreds of hours (a replay of trusted historical
     * events, a rebuild) would take more than the memory limit in one COPY: such a round is written in several.
     */
    static final int MAX_GROUPS_PER_WRITE = 64;
    /** An hour's (a day's) files are merged once the hour (the day) has been over this long (late events by then are few). */
    static final long MERGE_GRACE_MILLIS = 10 * 60_000L;
    /**
     * How long the parts of a merge stay on disk after it: a query that listed them just before the merge still reads
     * them (queries skip parts that lie inside a merged file, so keeping them changes no figure).
     */
    static final long RETIRED_GRACE_MILLIS = 5 * 60_000L;
    /** An hour with this many files is merged even while it is still open. */
    static final int MAX_FILES_PER_HOUR = 32;
    private static final String PENDING = "pending";
    private static final String MEMORY_LIMIT = "512MB";
    private static final long DAY_MILLIS = 86_400_000L;

    private final EventFiles files;
    private final int retentionDays;
    private final int maxRoundRows;
    private final DuckDBConnection connection;
    private final EventRows rows = EventRows.create();
    private final Map<String, List<RoundPart>> roundParts = new HashMap<>();
    private final List<RoundPart> roundOrder = new ArrayList<>();
    /** Files per site and hour, and per site and day, where there may be more than one (they are to be merged). */
    private final Map<Group, Integer> unmerged = new HashMap<>();
    /** Parts of merges done, oldest first, deleted once {@link #RETIRED_GRACE_MILLIS} has passed. */
    private final ArrayDeque<Retired> retired = new ArrayDeque<>();
    private final JournalReader.RecordHandler handler = this::onRecord;
    private DuckDBAppender appender;
    private long position;
    private long applied;
    private int pendingRows;
    private long sealedRows;
    private long sealedFiles;
    private long mergedFiles;
    private long roundWrites;
    private RoundPart lastPart;
    private SQLException appendFailure;

    /** A part a merge took in, and when. */
    private record Retired(Path path, long atMillis)
    {
    }

    /** A site and hour of a round: its partition number in the round's table and the journal range it holds. */
    private static final class RoundPart
    {
        final int id;
        final String site;
        final long hour;
        final long first;
        long last;

        RoundPart(final int id, final String site, final long hour, final long first)
        {
            this.id = id;
            this.site = site;
            this.hour = hour;
            this.first = first;
            this.last = first;
        }
    }

    /** The files of a site's hour ({@code hours} 1) or day ({@code hours} 24, from its first hour): merged into one. */
    private record Group(String site, long hour, int hours)
    {
        static Group hourOf(final String site, final long hour)
        {
            return new Group(site, hour, 1);
        }

        static Group dayOf(final String site, final long hour)
        {
            return new Group(site, Math.floorDiv(hour, 24) * 24, 24);
        }

        long endMillis()
        {
            return (hour + hours) * 3_600_000L;
        }
    }

    private EventSealer(final EventFiles files, final int retentionDays, final int maxRoundRows,
        final DuckDBConnection connection, final long position) throws SQLException
    {
        this.files = files;
        this.maxRoundRows = maxRoundRows;
        this.retentionDays = retentionDays;
        this.connection = connection;
        this.position = position;
        this.applied = position;
        try (Statement statement = connection.createStatement())
        {
            // a day's merge sorts its rows: past this it spills to the scratch directory rather than taking the RAM
            statement.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
            statement.execute("SET temp_directory = " + DuckDb.literal(files.work().resolve("spill").toString()));
            statement.execute(EventSchema.createTable(PENDING, "part INTEGER NOT NULL"));
        }
        appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, PENDING);
    }

    /** Opens the store under {@code files} (made when missing), recovered to its recorded position. */
    public static EventSealer open(final EventFiles files, final int retentionDays)
    {
        return open(files, retentionDays, MAX_ROUND_ROWS);
    }

    /** As {@link #open(EventFiles, int)}, a round holding at most {@code maxRoundRows} (tests of the cap). */
    static EventSealer open(final EventFiles files, final int retentionDays, final int maxRoundRows)
    {
        try
        {
            Files.createDirectories(files.root());
            EventFiles.deleteTree(files.work());
            // DuckDB makes only the last folder of its spill path: the work folder must exist before it spills
            Files.createDirectories(files.work());
            final long position = SealPosition.read(files.position());
            final EventSealer sealer = new EventSealer(files, retentionDays, maxRoundRows, DuckDb.open(1), position);
            sealer.recover();
            return sealer;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("event store: cannot open " + files.root() + ": " + ex.getMessage(), ex);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("event store: cannot open DuckDB: " + ex.getMessage(), ex);
        }
    }

    /** Deletes the files of unfinished rounds and the parts of finished merges; notes the hours left to merge. */
    private void recover() throws IOException
    {
        final List<EventFiles.Part> all = files.all();
        int deleted = 0;
        for (final EventFiles.Part part : all)
        {
            if (part.last() > position)
            {
                Files.delete(part.path());
                deleted++;
            }
        }
        all.removeIf(part -> part.last() > position);
        final List<EventFiles.Part> live = EventFiles.withoutMerged(all);
        for (final EventFiles.Part part : all)
        {
            if (!live.contains(part))
            {
                Files.delete(part.path());
                deleted++;
            }
        }
        for (final EventFiles.Part part : live)
        {
            noteWritten(part.site(), part.hour(), part.hours());
        }
        unmerged.values().removeIf(count -> count < 2);
        if (deleted > 0)
        {
            LOG.info("event store: deleted {} files written after position {} or merged already", deleted, position);
        }
    }

    /** The last journal index sealed into the files (-1: none). */
    public long position()
    {
        return position;
    }

    /** Positions {@code reader} just after the sealed position (at the journal's start when nothing is sealed). */
    public void skipToPosition(final JournalReader reader)
    {
        if (position < 0)
        {
            return;
        }
        if (!reader.moveTo(position) || reader.read((index, record) -> { }, 1) != 1)
        {
            throw new IllegalStateException("the event store covers journal index " + position +
                ", which the journal does not have: run ./tally events rebuild");
        }
    }

    /** Appends up to {@code limit} records (fewer when the round is full); returns how many were read. */
    public int apply(final JournalReader reader, final int limit)
    {
        final int read = reader.read(handler, Math.min(limit, maxRoundRows - pendingRows));
        if (appendFailure != null)
        {
            final SQLException failure = appendFailure;
            appendFailure = null;
            throw new IllegalStateException("event store: cannot append a record: " + failure.getMessage(), failure);
        }
        if (read > 0)
        {
            applied = reader.lastReadIndex();
        }
        return read;
    }

    private void onRecord(final long index, final EventRecordDecoder record)
    {
        if (appendFailure != null)
        {
            return;
        }
        try
        {
            final RoundPart part = partOf(record, index);
            rows.append(appender, index, part.site, record);
            appender.append(part.id).endRow();
            pendingRows++;
        }
        catch (final SQLException ex)
        {
            appendFailure = ex;
        }
    }

    /** The round's part of the record's site and hour; the last one is tried first (events come in runs). */
    private RoundPart partOf(final EventRecordDecoder record, final long index)
    {
        final long hour = EventFiles.hourOf(record.eventTime());
        final RoundPart last = lastPart;
        if (last != null && last.hour == hour && sameSite(record, last.site))
        {
            last.last = index;
            return last;
        }
        final String site = record.string(EventRecord.SITE);
        final List<RoundPart> ofSite = roundParts.computeIfAbsent(site, key -> new ArrayList<>(2));
        for (final RoundPart part : ofSite)
        {
            if (part.hour == hour)
            {
                part.last = index;
                lastPart = part;
                return part;
            }
        }
        final RoundPart part = new RoundPart(roundOrder.size(), site, hour, index);
        ofSite.add(part);
        roundOrder.add(part);
        lastPart = part;
        return part;
    }

    private static boolean sameSite(final EventRecordDecoder record, final String site)
    {
        final int length = record.stringLength(EventRecord.SITE);
        if (length != site.length())
        {
            return false;
        }
        final int offset = record.stringOffset(EventRecord.SITE);
        for (int i = 0; i < length; i++)
        {
            if (record.buffer().getByte(offset + i) != site.charAt(i))
            {
                return false;
            }
        }
        return true;
    }

    /** Rows appended and not sealed yet. */
    public int pendingRows()
    {
        return pendingRows;
    }

    /** Whether the round is full: sealing is due whatever the time. */
    public boolean roundFull()
    {
        return pendingRows >= maxRoundRows;
    }

    /** Whether records were read (readable or not) since the last round. */
    public boolean hasUnsealed()
    {
        return applied > position;
    }

    /**
     * Seals the round: one file per site and hour, each durable and in place before the position moves past them.
     */
    public void seal()
    {
        if (!hasUnsealed())
        {
            return;
        }
        try
        {
            if (pendingRows > 0)
            {
                writeRound();
            }
            SealPosition.write(files.position(), applied);
            position = applied;
            sealedRows += pendingRows;
            clearRound();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("event store: sealing failed: " + ex.getMessage(), ex);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("event store: sealing failed: " + ex.getMessage(), ex);
        }
    }

    private void writeRound() throws IOException, SQLException
    {
        appender.close();
        final Path round = files.work().resolve("round");
        final Set<Path> directories = new HashSet<>();
        for (int from = 0; from < roundOrder.size(); from += MAX_GROUPS_PER_WRITE)
        {
            final int to = Math.min(roundOrder.size(), from + MAX_GROUPS_PER_WRITE);
            write(round, from, to);
            for (final RoundPart part : roundOrder.subList(from, to))
            {
                final Path target = files.pathOf(part.site, part.hour, 1, part.first, part.last);
                EventFiles.publish(single(round.resolve("part=" + part.id)), target);
                directories.add(target.getParent());
                noteWritten(part.site, part.hour, 1);
                sealedFiles++;
            }
        }
        for (final Path directory : directories)
        {
            EventFiles.force(directory, true);
        }
    }

    /** Writes the round's parts {@code from} (inclusive) to {@code to} (exclusive), one file each, under {@code round}. */
    private void write(final Path round, final int from, final int to) throws IOException, SQLException
    {
        EventFiles.deleteTree(round);
        Files.createDirectories(files.work());
        try (Statement statement = connection.createStatement())
        {
            statement.execute("COPY (SELECT * FROM " + PENDING + " WHERE part >= " + from + " AND part < " + to + ") TO " +
                DuckDb.literal(round.toString()) + " (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (part))");
        }
        roundWrites++;
    }

    /** Counts a file of {@code hours} hours from {@code hour} in its hour's group (an hour file) and its day's. */
    private void noteWritten(final String site, final long hour, final int hours)
    {
        if (hours == 1)
        {
            unmerged.merge(Group.hourOf(site, hour), 1, Integer::sum);
        }
        unmerged.merge(Group.dayOf(site, hour), 1, Integer::sum);
    }

    /** The one file DuckDB wrote for a partition (it writes one per partition with one thread). */
    private static Path single(final Path partition)
    {
        final List<Path> written = EventFiles.list(partition);
        if (written.size() != 1)
        {
            throw new IllegalStateException("event store: expected one file in " + partition + ", found " + written);
        }
        return written.get(0);
    }

    private void clearRound() throws SQLException
    {
        if (pendingRows > 0)
        {
            try (Statement statement = connection.createStatement())
            {
                statement.execute("DELETE FROM " + PENDING);
            }
            appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, PENDING);
        }
        pendingRows = 0;
        roundParts.clear();
        roundOrder.clear();
        lastPart = null;
    }

    /**
     * Merges the files of each hour that has several and is over (or has too many), and deletes the days past the
     * retention. Call it between rounds.
     *
     * @return whether anything changed on disk.
     */
    public boolean maintain(final long nowMillis)
    {
        boolean changed = false;
        try
        {
            changed |= deleteRetired(nowMillis);
            for (final Group due : mergesDue(nowMillis))
            {
                changed |= merge(due, nowMillis);
            }
            if (retentionDays > 0)
            {
                changed |= trim(nowMillis);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("event store: merging failed: " + ex.getMessage(), ex);
        }
        catch (final SQLException ex)
        {
            throw new IllegalStateException("event store: merging failed: " + ex.getMessage(), ex);
        }
        return changed;
    }

    /** The groups to merge now: days that are over first, then the hours of the days still open. */
    private List<Group> mergesDue(final long nowMillis)
    {
        final List<Group> due = new ArrayList<>();
        for (final Map.Entry<Group, Integer> entry : unmerged.entrySet())
        {
            final Group group = entry.getKey();
            final boolean over = nowMillis - group.endMillis() >= MERGE_GRACE_MILLIS;
            // a day gets a file after its merge: it is merged again (with one file only, the merge just forgets it)
            if (group.hours() == 24 ? over : entry.getValue() >= 2 && (over || entry.getValue() >= MAX_FILES_PER_HOUR))
            {
                due.add(group);
            }
        }
        due.sort(java.util.Comparator.comparingInt(Group::hours).reversed());
        return due;
    }

    /**
     * One file from the group's: written aside, made durable, moved into place; then the parts are retired (deleted
     * a few minutes later).
     *
     * @return whether files were merged (a group that has one live file by now is only forgotten).
     */
    private boolean merge(final Group group, final long nowMillis) throws IOException, SQLException
    {
        if (unmerged.remove(group) == null)
        {
            return false; // its day was merged earlier in this pass
        }
        final long hour = group.hour();
        final List<EventFiles.Part> parts = files.live(group.site(), hour * 3_600_000L, group.endMillis(), position);
        if (group.hours() == 24)
        {
            unmerged.keySet().removeIf(other -> other.hours() == 1 && other.site().equals(group.site()) &&
                other.hour() >= hour && other.hour() < hour + 24);
        }
        if (parts.size() < 2)
        {
            return false;
        }
        final StringBuilder list = new StringBuilder();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (final EventFiles.Part part : parts)
        {
            list.append(list.length() == 0 ? "" : ", ").append(DuckDb.literal(part.path().toString()));
            first = Math.min(first, part.first());
            last = Math.max(last, part.last());
        }
        Files.createDirectories(files.work());
        final Path merged = files.work().resolve("merged" + EventFiles.SUFFIX);
        Files.deleteIfExists(merged);
        try (Statement statement = connection.createStatement())
        {
            statement.execute("COPY (SELECT * FROM read_parquet([" + list + "]) ORDER BY time, journal_index) TO " +
                DuckDb.literal(merged.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
        }
        final Path target = files.pathOf(group.site(), hour, group.hours(), first, last);
        EventFiles.publish(merged, target);
        EventFiles.force(target.getParent(), true);
        for (final EventFiles.Part part : parts)
        {
            retired.add(new Retired(part.path(), nowMillis));
        }
        mergedFiles += parts.size();
        return true;
    }

    /**
     * Deletes the parts merged at least {@link #RETIRED_GRACE_MILLIS} ago; {@link #close()} deletes the rest (and the
     * next open any that a kill left). Call it even while the disk is short of space: it gives space back.
     *
     * @return whether anything was deleted.
     */
    public boolean deleteRetired(final long nowMillis)
    {
        boolean deleted = false;
        while (!retired.isEmpty() && nowMillis - retired.peekFirst().atMillis() >= RETIRED_GRACE_MILLIS)
        {
            deleted |= deleteQuietly(retired.pollFirst().path());
        }
        return deleted;
    }

    /** Deletes a retired part; retention may have taken its day already, and a failure is retried at the next open. */
    private static boolean deleteQuietly(final Path part)
    {
        try
        {
            return Files.deleteIfExists(part);
        }
        catch (final IOException ex)
        {
            LOG.warn("event store: deleting the merged part {}: {} (deleted at the next start)", part, ex.getMessage());
            return false;
        }
    }

    /** Deletes whole days older than the retention: {@code retentionDays} days are kept, today included. */
    private boolean trim(final long nowMillis) throws IOException
    {
        final java.time.LocalDate oldestKept = java.time.LocalDate.ofEpochDay(Math.floorDiv(nowMillis, DAY_MILLIS) - retentionDays + 1);
        boolean deleted = false;
        for (final Path site : EventFiles.list(files.root()))
        {
            if (!Files.isDirectory(site) || site.getFileName().toString().startsWith("."))
            {
                continue;
            }
            for (final Path day : EventFiles.list(site))
            {
                if (isDayBefore(day, oldestKept))
                {
                    EventFiles.deleteTree(day);
                    deleted = true;
                }
            }
        }
        if (deleted)
        {
            unmerged.keySet().removeIf(group -> EventFiles.dayOf(group.hour()).isBefore(oldestKept));
        }
        return deleted;
    }

    private static boolean isDayBefore(final Path day, final java.time.LocalDate limit)
    {
        try
        {
            return java.time.LocalDate.parse(day.getFileName().toString()).isBefore(limit);
        }
        catch (final RuntimeException notADay)
        {
            return false;
        }
    }

    /** Rows sealed, files written by rounds, and parts merged away, since opening. */
    public long[] counts()
    {
        return new long[] {sealedRows, sealedFiles, mergedFiles};
    }

    /** The COPY statements rounds ran since opening: one per {@link #MAX_GROUPS_PER_WRITE} site-hours of a round. */
    long roundWrites()
    {
        return roundWrites;
    }

    /** Closes DuckDB without sealing: what was not sealed is read again from the journal next time. */
    @Override
    public void close()
    {
        // no query of this process reads after the store closes; a rebuild or a benchmark leaves no parts behind
        deleteRetired(Long.MAX_VALUE);
        try
        {
            appender.close();
        }
        catch (final SQLException ex)
        {
            // the round is dropped with the database
        }
        try
        {
            connection.close();
        }
        catch (final SQLException ex)
        {
            LOG.warn("event store: closing DuckDB: {}", ex.getMessage());
        }
    }
}
