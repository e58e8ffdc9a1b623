package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rollups' whole life against a brute-force count: random events over three days with late ones, applied in
 * random batches while days are sealed, late events go into deltas, deltas are folded into new day segments, and
 * the rollups are checkpointed, restarted, and crashed (restarted from the last checkpoint, with files written
 * since then and half-written ones left behind). Whatever happened, every figure equals the count.
 */
class RollupLifecycleTest
{
    /** Small thresholds, so a few thousand events see every step many times. */
    private static final RollupMaintenance.Policy POLICY = new RollupMaintenance.Policy(0, 40, Long.MAX_VALUE, 2, 3);

    @TempDir
    Path dir;

    private final StateFiles files()
    {
        return new StateFiles(dir.resolve("data"));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void sealingDeltasCompactionRestartsAndCrashesCountEveryEventOnce(final long seed) throws IOException
    {
        final Random random = new Random(seed);
        final List<RollupsTest.Event> events = RollupsTest.randomEvents(random, 3_000);
        final int[] steps = new int[4];
        final long[] done = new long[4];
        try (Journal journal = Journal.openForWriting(dir.resolve("journal")))
        {
            RollupsTest.write(journal, events);
            RollupCheckpoint checkpoints = new RollupCheckpoint(files());
            Rollups rollups = checkpoints.load(journal);
            RollupMaintenance maintenance = maintenance(rollups, checkpoints);
            JournalReader reader = journal.newReader();
            for (int round = 0; rollups.applyFrom(reader, 1 + random.nextInt(200)) > 0; round++)
            {
                steps[0] += maintenance.maintain() ? 1 : 0;
                // every run crashes once and restarts cleanly once at least, whatever its random steps
                final int step = round == 3 ? 3 : round == 6 ? 1 : random.nextInt(10);
                if (step <= 2)
                {
                    checkpoints.write(rollups, maintenance.takeObsolete());
                    steps[1]++;
                }
                if (step == 1 || step == 3)
                {
                    // a restart; after step 3 a crash: what was written since the last checkpoint is not named by it
                    leaveAHalfWrittenFile();
                    reader.close();
                    add(done, maintenance.counts);
                    checkpoints = new RollupCheckpoint(files());
                    rollups = checkpoints.load(journal);
                    maintenance = maintenance(rollups, checkpoints);
                    reader = journal.newReader();
                    RollupAgent.skipToTail(reader, rollups.lastIndex());
                    steps[step == 1 ? 2 : 3]++;
                    assertTrue(files().setAside().isEmpty(), "a restart trusts what it wrote");
                    assertNoHalfWrittenFile();
                }
            }
            reader.close();
            add(done, maintenance.counts);
            assertTrue(done[0] > 0 && done[1] > 0, "days and deltas sealed: " + java.util.Arrays.toString(done));
            assertTrue(steps[2] > 0 && steps[3] > 0, "restarts and crashes: " + java.util.Arrays.toString(steps));
            assertTrue(sealedDays(rollups) > 0, "some days are sealed at the end");
            for (final String site : RollupsTest.SITES)
            {
                for (int from = -30; from < 80; from += 7)
                {
                    final long start = RollupsTest.T0 + from * RollupsTest.HOUR;
                    final long end = start + (1 + random.nextInt(60)) * RollupsTest.HOUR;
                    RollupsTest.assertSameFigures(site, start, end, events, rollups.totals(site, start, end));
                }
                RollupsTest.assertSameFigures(site, RollupsTest.T0 - 48 * RollupsTest.HOUR, RollupsTest.T0 + 96 * RollupsTest.HOUR,
                    events, rollups.totals(site, RollupsTest.T0 - 48 * RollupsTest.HOUR, RollupsTest.T0 + 96 * RollupsTest.HOUR));
            }
        }
    }

    private static void add(final long[] into, final long[] counts)
    {
        for (int i = 0; i < into.length; i++)
        {
            into[i] += counts[i];
        }
    }

    private static RollupMaintenance maintenance(final Rollups rollups, final RollupCheckpoint checkpoints)
    {
        return new RollupMaintenance(rollups, checkpoints.segments(), () -> 0, 0, POLICY);
    }

    private static int sealedDays(final Rollups rollups)
    {
        return rollups.sites.stream().mapToInt(site -> site.sealed.size()).sum();
    }

    /** What a crash between writing a file and renaming it leaves: a temporary file beside the segments. */
    private void leaveAHalfWrittenFile() throws IOException
    {
        final Path stray = dir.resolve("data").resolve(RollupFiles.DIRECTORY).resolve("sealed").resolve("shop.example")
            .resolve("20000-1.seg.tmp");
        Files.createDirectories(stray.getParent());
        Files.write(stray, new byte[] {1, 2, 3});
    }

    private void assertNoHalfWrittenFile() throws IOException
    {
        try (Stream<Path> all = Files.walk(dir.resolve("data").resolve(RollupFiles.DIRECTORY)))
        {
            assertFalse(all.anyMatch(file -> file.toString().endsWith(".tmp")), "left from a crash, deleted at start");
        }
    }

    /** A day sealed, then three waves of late events, each a delta: the second delta folds them into the day. */
    @org.junit.jupiter.api.Test
    void lateEventsGoIntoDeltasThatAreFoldedIntoTheirDay() throws IOException
    {
        final List<RollupsTest.Event> all = RollupsTest.randomEvents(new Random(21), 3_000);
        final long firstDay = Math.floorDiv(all.get(0).time(), 24 * RollupsTest.HOUR);
        final List<RollupsTest.Event> day = all.stream().filter(e -> Math.floorDiv(e.time(), 24 * RollupsTest.HOUR) == firstDay)
            .toList();
        final List<RollupsTest.Event> later = all.stream().filter(e -> Math.floorDiv(e.time(), 24 * RollupsTest.HOUR) > firstDay)
            .toList();
        final List<RollupsTest.Event> order = new java.util.ArrayList<>();
        final int waves = 4;
        for (int wave = 0; wave < waves; wave++)
        {
            order.addAll(day.subList(wave * day.size() / waves, (wave + 1) * day.size() / waves));
            order.addAll(later.subList(wave * later.size() / waves, (wave + 1) * later.size() / waves));
        }
        try (Journal journal = Journal.openForWriting(dir.resolve("journal")))
        {
            RollupsTest.write(journal, order);
            final RollupCheckpoint checkpoints = new RollupCheckpoint(files());
            final Rollups rollups = checkpoints.load(journal);
            final RollupMaintenance maintenance = maintenance(rollups, checkpoints);
            try (JournalReader reader = journal.newReader())
            {
                while (rollups.applyFrom(reader, 50) > 0)
                {
                    maintenance.maintain();
                    checkpoints.write(rollups, maintenance.takeObsolete());
                }
            }
            assertTrue(maintenance.counts[1] >= 2 && maintenance.counts[2] >= 1,
                "deltas sealed and folded: " + java.util.Arrays.toString(maintenance.counts));
            final Rollups restarted = new RollupCheckpoint(files()).load(journal);
            for (final Rollups figures : List.of(rollups, restarted))
            {
                for (final String site : RollupsTest.SITES)
                {
                    RollupsTest.assertSameFigures(site, RollupsTest.T0 - 48 * RollupsTest.HOUR, RollupsTest.T0 + 96 * RollupsTest.HOUR,
                        order, figures.totals(site, RollupsTest.T0 - 48 * RollupsTest.HOUR, RollupsTest.T0 + 96 * RollupsTest.HOUR));
                    RollupsTest.assertSameFigures(site, firstDay * 24 * RollupsTest.HOUR, (firstDay + 1) * 24 * RollupsTest.HOUR,
                        order, figures.totals(site, firstDay * 24 * RollupsTest.HOUR, (firstDay + 1) * 24 * RollupsTest.HOUR));
                }
            }
        }
    }

    /** A data dir given as a relative path ({@code ./data}, the default) restarts as an absolute one does. */
    @org.junit.jupiter.api.Test
    void aRelativeDataDirResumesFromItsCheckpoint() throws IOException
    {
        final Path relative = Path.of(".").resolve(Path.of("").toAbsolutePath().relativize(dir.resolve("relative")));
        final List<RollupsTest.Event> events = RollupsTest.randomEvents(new Random(8), 1_000);
        try (Journal journal = Journal.openForWriting(relative))
        {
            RollupsTest.write(journal, events);
            final RollupCheckpoint checkpoints = new RollupCheckpoint(new StateFiles(relative));
            final Rollups first = checkpoints.load(journal);
            final RollupMaintenance maintenance = maintenance(first, checkpoints);
            try (JournalReader reader = journal.newReader())
            {
                while (first.applyFrom(reader, 100) > 0)
                {
                    maintenance.maintain();
                }
            }
            checkpoints.write(first, maintenance.takeObsolete());
            assertTrue(maintenance.counts[0] > 0, "days were sealed");
            final StateFiles files = new StateFiles(relative);
            final Rollups resumed = new RollupCheckpoint(files).load(journal);
            assertEquals(List.of(), files.setAside(), "nothing set aside");
            assertEquals(first.lastIndex(), resumed.lastIndex());
            for (final String site : RollupsTest.SITES)
            {
                RollupsTest.assertSameFigures(site, RollupsTest.T0 - 48 * RollupsTest.HOUR, RollupsTest.T0 + 96 * RollupsTest.HOUR,
                    events, resumed.totals(site, RollupsTest.T0 - 48 * RollupsTest.HOUR, RollupsTest.T0 + 96 * RollupsTest.HOUR));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void daysPastTheRetentionAreDroppedWholeTheirFilesDeletedOnceNoCheckpointNamesThem() throws IOException
    {
        final List<RollupsTest.Event> events = RollupsTest.randomEvents(new Random(5), 2_000);
        try (Journal journal = Journal.openForWriting(dir.resolve("journal")))
        {
            RollupsTest.write(journal, events);
            final RollupCheckpoint checkpoints = new RollupCheckpoint(files());
            final Rollups rollups = checkpoints.load(journal);
            final long[] now = {0};
            final RollupMaintenance keeping = new RollupMaintenance(rollups, checkpoints.segments(), () -> now[0], 0, POLICY);
            try (JournalReader reader = journal.newReader())
            {
                while (rollups.applyFrom(reader, 100) > 0)
                {
                    keeping.maintain();
                }
            }
            checkpoints.write(rollups, keeping.takeObsolete());
            final RollupMaintenance maintenance = new RollupMaintenance(rollups, checkpoints.segments(), () -> now[0], 2, POLICY);
            final String site = RollupsTest.SITES[0];
            final long firstDay = Math.floorDiv(RollupsTest.T0, 24 * RollupsTest.HOUR);
            assertTrue(rollups.totals(site, firstDay * 24 * RollupsTest.HOUR, (firstDay + 1) * 24 * RollupsTest.HOUR).events() > 0);
            final SealedDay first = rollups.sites.get(rollups.sites.get(0).domain.equals(site) ? 0 : 1).sealed.get(firstDay);
            assertTrue(first != null && Files.exists(first.base.file()), "the first day is sealed");

            now[0] = (firstDay + 3) * 24 * RollupsTest.HOUR;
            assertTrue(maintenance.maintain(), "the first day is past two days' retention");
            assertEquals(0, rollups.totals(site, firstDay * 24 * RollupsTest.HOUR, (firstDay + 1) * 24 * RollupsTest.HOUR).events());
            assertTrue(Files.exists(first.base.file()), "kept while the last checkpoint names it");
            checkpoints.write(rollups, maintenance.takeObsolete());
            assertFalse(Files.exists(first.base.file()), "deleted once the checkpoint no longer names it");
            assertEquals(0, new RollupCheckpoint(files()).load(journal)
                .totals(site, firstDay * 24 * RollupsTest.HOUR, (firstDay + 1) * 24 * RollupsTest.HOUR).events(), "and after a restart");
        }
    }

    @org.junit.jupiter.api.Test
    void aCheckpointThatNamesAMissingSegmentIsSetAsideAndEverythingCountedAgain() throws IOException
    {
        final List<RollupsTest.Event> events = RollupsTest.randomEvents(new Random(99), 2_000);
        try (Journal journal = Journal.openForWriting(dir.resolve("journal")))
        {
            RollupsTest.write(journal, events);
            final RollupCheckpoint checkpoints = new RollupCheckpoint(files());
            final Rollups rollups = checkpoints.load(journal);
            final RollupMaintenance maintenance = maintenance(rollups, checkpoints);
            try (JournalReader reader = journal.newReader())
            {
                while (rollups.applyFrom(reader, 100) > 0)
                {
                    maintenance.maintain();
                }
            }
            checkpoints.write(rollups, maintenance.takeObsolete());
            final SealedDay sealed = rollups.sites.get(0).sealed.values().iterator().next();
            Files.delete(sealed.base.file());

            final StateFiles after = files();
            final Rollups recounted = new RollupCheckpoint(after).load(journal);
            assertEquals(List.of(RollupCheckpoint.FILE, RollupFiles.DIRECTORY), after.setAside().stream()
                .map(StateFiles.SetAside::file).toList(), "the checkpoint and the segments it named, moved aside whole");
            assertEquals(-1, recounted.lastIndex(), "counted again from the journal's start");
            assertFalse(Files.exists(dir.resolve("data").resolve(RollupFiles.DIRECTORY)), "no segment of it is counted");
            assertTrue(Files.isDirectory(dir.resolve("data").resolve(after.setAside().get(1).movedTo())), "kept for the operator");
        }
    }
}
