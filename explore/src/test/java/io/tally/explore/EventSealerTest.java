package io.tally.explore;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sealer over a real journal: the files hold exactly the journal's events, per site and hour, whatever the
 * round sizes, merges and interruptions (a round whose position was not recorded, a merge whose parts were not
 * deleted), checked against a plain scan of the journal.
 */
class EventSealerTest
{
    private static final long NOW = TestJournal.T0 + 10 * 86_400_000L;

    @TempDir
    Path dataDir;

    @Test
    void theFilesHoldExactlyTheJournalsEventsWhateverTheRounds() throws Exception
    {
        TestJournal.write(dataDir, 6_000, 6, 7);
        final EventFiles files = new EventFiles(dataDir);
        final Random random = new Random(11);
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0))
        {
            while (sealer.apply(reader, 1 + random.nextInt(900)) > 0)
            {
                if (random.nextInt(3) == 0)
                {
                    sealer.seal();
                }
            }
            sealer.seal();
            assertEquals(journal.lastIndex(), sealer.position());
            assertTrue(files.liveAll(sealer.position()).size() > 3 * 6, "several files per site and hour before merging");
            assertEquals(EventStoreOracle.fromJournal(dataDir, sealer.position()), EventStoreOracle.fromStore(dataDir));

            final List<EventFiles.Part> listed = files.liveAll(sealer.position());
            final long hoursOver = TestJournal.T0 + 6 * 3_600_000L + EventSealer.MERGE_GRACE_MILLIS;
            assertTrue(sealer.maintain(hoursOver), "hours over: merged");
            final List<EventFiles.Part> byHour = files.liveAll(sealer.position());
            assertTrue(listed.stream().allMatch(part -> Files.exists(part.path())),
                "a query that listed the parts before the merge still reads them");
            assertEquals(EventStoreOracle.fromJournal(dataDir, sealer.position()), EventStoreOracle.fromStore(dataDir),
                "the parts left on disk are not read: nothing counts twice");
            sealer.maintain(hoursOver + EventSealer.RETIRED_GRACE_MILLIS - 1);
            assertTrue(listed.stream().allMatch(part -> Files.exists(part.path())), "kept until the grace is over");
            sealer.maintain(hoursOver + EventSealer.RETIRED_GRACE_MILLIS);
            assertEquals(byHour.size(), files.all().size(), "the parts are deleted once the grace is over");
            assertEquals(byHour.size(), byHour.stream().map(part -> part.site() + part.hour() + "+" + part.hours()).distinct().count(),
                "one file per site and hour (the hours of the day before, over by then, in one file)");
            assertTrue(byHour.stream().anyMatch(part -> part.hours() == 1) && byHour.stream().anyMatch(part -> part.hours() == 24));
            assertEquals(EventStoreOracle.fromJournal(dataDir, sealer.position()), EventStoreOracle.fromStore(dataDir));

            assertTrue(sealer.maintain(NOW), "the days are over: merged");
            sealer.maintain(NOW + EventSealer.RETIRED_GRACE_MILLIS);
            final List<EventFiles.Part> byDay = files.liveAll(sealer.position());
            assertEquals(byDay.size(), files.all().size(), "the hours' files are deleted once merged and the grace over");
            assertTrue(byDay.stream().allMatch(part -> part.hours() == 24 &&
                part.path().getFileName().toString().startsWith("day.")), byDay.toString());
            assertEquals(byDay.size(), byDay.stream().map(part -> part.site() + part.hour()).distinct().count(),
                "one file per site and day");
            assertEquals(EventStoreOracle.fromJournal(dataDir, sealer.position()), EventStoreOracle.fromStore(dataDir));
        }
    }

    @Test
    void lateEventsOfAMergedDayAreMergedIntoItAgain() throws Exception
    {
        final EventFiles files = new EventFiles(dataDir);
        try (Journal journal = Journal.openForWriting(dataDir); EventSealer sealer = EventSealer.open(files, 0);
            JournalReader reader = journal.newReader())
        {
            final Random random = new Random(5);
            for (int batch = 0; batch < 3; batch++)
            {
                TestJournal.append(journal, 400, 6, random);
                while (sealer.apply(reader, 150) > 0)
                {
                    sealer.seal();
                }
                assertTrue(files.liveAll(sealer.position()).stream().anyMatch(part -> part.hours() == 1), "new hour files");
                sealer.maintain(NOW);
                sealer.maintain(NOW + EventSealer.RETIRED_GRACE_MILLIS);
                final List<EventFiles.Part> live = files.liveAll(sealer.position());
                assertEquals(live.size(), files.all().size());
                assertTrue(live.stream().allMatch(part -> part.hours() == 24), "merged into the day again: " + live);
                assertEquals(EventStoreOracle.fromJournal(dataDir, sealer.position()), EventStoreOracle.fromStore(dataDir));
            }
        }
    }

    @Test
    void filesOfARoundWhosePositionWasNotRecordedAreDeletedAndSealedAgain() throws Exception
    {
        TestJournal.write(dataDir, 3_000, 6, 8);
        final EventFiles files = new EventFiles(dataDir);
        final Path saved = dataDir.resolve("position.saved");
        try (Journal journal = Journal.openForReading(dataDir))
        {
            try (JournalReader reader = journal.newReader(); EventSealer sealer = EventSealer.open(files, 0))
            {
                sealer.apply(reader, 1_000);
                sealer.seal();
                Files.copy(files.position(), saved);
                sealer.apply(reader, 1_000);
                sealer.seal();
            }
            // as if killed after the second round's files were moved into place, before its position was written
            Files.copy(saved, files.position(), StandardCopyOption.REPLACE_EXISTING);
            final long before = files.all().size();
            try (JournalReader reader = journal.newReader(); EventSealer sealer = EventSealer.open(files, 0))
            {
                assertTrue(files.all().size() < before, "the second round's files are gone");
                assertEquals(EventStoreOracle.fromJournal(dataDir, sealer.position()), EventStoreOracle.fromStore(dataDir));
                sealer.skipToPosition(reader);
                while (sealer.apply(reader, 700) > 0)
                {
                    sealer.seal();
                }
                sealer.seal();
                assertEquals(journal.lastIndex(), sealer.position());
            }
        }
        assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir));
    }

    @Test
    void partsOfAMergeThatWereNotDeletedAreNeverReadAndAreDeletedAtTheNextOpen() throws Exception
    {
        TestJournal.write(dataDir, 2_000, 6, 9);
        final EventFiles files = new EventFiles(dataDir);
        final Path kept = Files.createDirectories(dataDir.resolve("kept"));
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0))
        {
            while (sealer.apply(reader, 500) > 0)
            {
                sealer.seal();
            }
            for (final EventFiles.Part part : files.all())
            {
                Files.copy(part.path(), kept.resolve(part.path().getParent().getParent().getFileName() + "_" +
                    part.path().getParent().getFileName() + "_" + part.path().getFileName()));
            }
            sealer.maintain(NOW);
        }
        final Map<String, List<String>> expected = EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE);
        // as if killed after the merged files were moved into place, before their parts were deleted
        final int parts = restore(kept, files);
        assertTrue(parts > files.liveAll(Long.MAX_VALUE).size(), "the parts are back beside their merged files");
        assertEquals(expected, EventStoreOracle.fromStore(dataDir), "a query reads the merged file, not its parts too");
        try (EventSealer sealer = EventSealer.open(files, 0))
        {
            assertEquals(files.liveAll(sealer.position()).size(), files.all().size(), "the parts are deleted at open");
        }
        assertEquals(expected, EventStoreOracle.fromStore(dataDir));
    }

    private static int restore(final Path kept, final EventFiles files) throws Exception
    {
        int restored = 0;
        for (final Path copy : EventFiles.list(kept))
        {
            final String[] name = copy.getFileName().toString().split("_", 3);
            final Path target = files.root().resolve(name[0]).resolve(name[1]).resolve(name[2]);
            if (!Files.exists(target))
            {
                Files.copy(copy, target);
            }
            restored++;
        }
        return files.all().size();
    }

    @Test
    void daysPastTheRetentionAreDeletedWhole() throws Exception
    {
        TestJournal.write(dataDir, 1_000, 72, 10);
        final EventFiles files = new EventFiles(dataDir);
        // three days of events (and trusted ones up to two days before): keep the last two days seen from day 3
        final long now = TestJournal.T0 + 3 * 86_400_000L + 1;
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 2))
        {
            while (sealer.apply(reader, 4096) > 0)
            {
                sealer.seal();
            }
            assertTrue(files.all().stream().anyMatch(part -> EventFiles.dayOf(part.hour()).toEpochDay() * 86_400_000L <
                now - 2 * 86_400_000L), "files older than two days before");
            sealer.maintain(now);
            final long oldestKept = Math.floorDiv(now, 86_400_000L) - 1;
            assertFalse(files.all().isEmpty());
            assertTrue(files.all().stream().allMatch(part -> EventFiles.dayOf(part.hour()).toEpochDay() >= oldestKept),
                "only today and yesterday are left");
        }
    }

    @Test
    void everyFieldOfARecordIsAColumn() throws Exception
    {
        TestJournal.write(dataDir, 600, 6, 12);
        final EventFiles files = new EventFiles(dataDir);
        final Map<Long, List<String>> expected = new java.util.TreeMap<>();
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0))
        {
            sealer.apply(reader, 4096);
            sealer.seal();
        }
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader())
        {
            reader.read((index, record) -> expected.put(index, ExpectedRow.of(record)), 4096);
        }
        final Map<Long, List<String>> stored;
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            stored = queries.queryAll("SELECT * EXCLUDE (props, backfilled), " +
                "array_to_string(list_transform(map_entries(props), e -> e.key || '=' || e.value), ';') AS props_text " +
                "FROM events ORDER BY journal_index", ExpectedRow::read);
        }
        assertEquals(600, stored.size());
        assertEquals(expected, stored);
    }

    @Test
    void aRoundHoldsAtMostItsCapAndReadsNoMoreUntilSealed() throws Exception
    {
        TestJournal.write(dataDir, 250, 1, 13);
        final EventFiles files = new EventFiles(dataDir);
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0, 100))
        {
            assertEquals(99, sealer.apply(reader, 99));
            assertFalse(sealer.roundFull(), "one under the cap");
            assertEquals(1, sealer.apply(reader, 4096), "only up to the cap");
            assertTrue(sealer.roundFull(), "at the cap");
            assertEquals(0, sealer.apply(reader, 4096), "past the cap nothing is read");
            assertEquals(100, sealer.pendingRows());
            sealer.seal();
            assertEquals(0, sealer.pendingRows());
            assertEquals(100, sealer.apply(reader, 4096));
            sealer.seal();
            assertEquals(50, sealer.apply(reader, 4096));
            sealer.seal();
            assertEquals(journal.lastIndex(), sealer.position());
        }
        assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir));
    }

    @Test
    void anOpenHourIsMergedAtItsFileCapNotBefore() throws Exception
    {
        final EventFiles files = new EventFiles(dataDir);
        final long openHour = TestJournal.T0 + 30 * 60_000L;
        try (Journal journal = Journal.openForWriting(dataDir); EventSealer sealer = EventSealer.open(files, 0);
            JournalReader reader = journal.newReader())
        {
            for (int file = 1; file <= EventSealer.MAX_FILES_PER_HOUR; file++)
            {
                OneSite.append(journal, 2);
                sealer.apply(reader, 4096);
                sealer.seal();
                sealer.maintain(openHour);
                assertEquals(file < EventSealer.MAX_FILES_PER_HOUR ? file : 1, files.liveAll(sealer.position()).size(),
                    "after round " + file);
            }
            sealer.maintain(openHour + EventSealer.RETIRED_GRACE_MILLIS);
            assertEquals(1, files.all().size());
        }
        assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir));
    }

    @Test
    void aRoundOverHundredsOfSiteHoursIsSealedInWritesOfAtMostTheCap() throws Exception
    {
        // a replay of a month of trusted events: one round of 20,000 rows touches about 2,160 sites' hours
        TestJournal.write(dataDir, 20_000, 30 * 24, 21);
        final EventFiles files = new EventFiles(dataDir);
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0))
        {
            while (sealer.apply(reader, 4096) > 0)
            {
                assertFalse(sealer.roundFull());
            }
            sealer.seal();
            assertEquals(journal.lastIndex(), sealer.position());
            final int written = files.all().size();
            assertTrue(written > 10 * EventSealer.MAX_GROUPS_PER_WRITE, written + " files");
            assertEquals((written + EventSealer.MAX_GROUPS_PER_WRITE - 1) / EventSealer.MAX_GROUPS_PER_WRITE, sealer.roundWrites());
        }
        assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir));
    }

    @Test
    void aRoundOfAsManySiteHoursAsTheCapIsOneWriteAndOneMoreIsTwo() throws Exception
    {
        final EventFiles files = new EventFiles(dataDir);
        try (Journal journal = Journal.openForWriting(dataDir); EventSealer sealer = EventSealer.open(files, 0);
            JournalReader reader = journal.newReader())
        {
            OneSite.append(journal, EventSealer.MAX_GROUPS_PER_WRITE, 3_600_000L);
            sealer.apply(reader, 4096);
            sealer.seal();
            assertEquals(1, sealer.roundWrites(), "at the cap");
            assertEquals(EventSealer.MAX_GROUPS_PER_WRITE, files.all().size());

            OneSite.append(journal, EventSealer.MAX_GROUPS_PER_WRITE + 1, 3_600_000L);
            sealer.apply(reader, 4096);
            sealer.seal();
            assertEquals(1 + 2, sealer.roundWrites(), "one past the cap");
            assertEquals(2 * EventSealer.MAX_GROUPS_PER_WRITE + 1, files.all().size());
            assertEquals(journal.lastIndex(), sealer.position());
        }
        assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir));
    }

    @Test
    void aRoundThatFailsAfterSomeOfItsWritesIsSealedAgainWholeByTheNextSealer() throws Exception
    {
        final EventFiles files = new EventFiles(dataDir);
        final int hours = 2 * EventSealer.MAX_GROUPS_PER_WRITE + 2;
        try (Journal journal = Journal.openForWriting(dataDir))
        {
            OneSite.append(journal, hours, 3_600_000L);
        }
        // a plain file where the day of the second write's last hours goes: that write fails after its first hours
        final long lastOfSecond = 2L * EventSealer.MAX_GROUPS_PER_WRITE - 1;
        final Path blocked = files.pathOf("shop.example", EventFiles.hourOf(TestJournal.T0) + lastOfSecond, 1, 0, 0).getParent();
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0))
        {
            Files.createDirectories(blocked.getParent());
            Files.writeString(blocked, "not a directory");
            assertEquals(hours, sealer.apply(reader, 4096));
            assertThrows(java.io.UncheckedIOException.class, sealer::seal);
            assertEquals(-1, sealer.position(), "the position did not move");
        }
        Files.delete(blocked);
        final int published = files.all().size();
        assertTrue(published > EventSealer.MAX_GROUPS_PER_WRITE && published < hours,
            "the first write's files and some of the second's are in place: " + published);
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader();
            EventSealer sealer = EventSealer.open(files, 0))
        {
            assertEquals(0, files.all().size(), "files past the position are deleted at open");
            sealer.skipToPosition(reader);
            assertEquals(hours, sealer.apply(reader, 4096));
            sealer.seal();
            assertEquals(journal.lastIndex(), sealer.position());
            assertEquals(hours, files.all().size());
        }
        assertEquals(EventStoreOracle.fromJournal(dataDir, Long.MAX_VALUE), EventStoreOracle.fromStore(dataDir));
    }
}
