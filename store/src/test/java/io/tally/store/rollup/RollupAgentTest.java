package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.agent.SupervisedAgent;
import io.tally.store.state.FreeSpace;
import io.tally.store.state.StateFiles;
import io.tally.store.JournalAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RollupAgentTest
{
    @TempDir
    Path dir;

    @Test
    void aRecordThisBuildCannotReadIsSkippedAndCountedAndTheRestApplied()
    {
        final List<RollupsTest.Event> events = RollupsTest.randomEvents(new Random(3), 2);
        try (Journal journal = Journal.openForWriting(dir))
        {
            RollupsTest.write(journal, events.subList(0, 1));
            try (JournalAppender appender = journal.newAppender())
            {
                final ByteBuffer unknownLayout = ByteBuffer.allocateDirect(32);
                while (unknownLayout.hasRemaining())
                {
                    unknownLayout.put((byte)0x7F);
                }
                appender.append(unknownLayout, 32);
            }
            RollupsTest.write(journal, events.subList(1, 2));

            final Rollups rollups = new Rollups();
            final RollupAgent agent = new RollupAgent(journal, rollups, new RollupCheckpoint(new StateFiles(dir)),
                new FreeSpace(dir, 0), 60_000, System::currentTimeMillis, 0);
            agent.onStart();
            assertEquals(3, agent.doWork(), "all three records read");
            assertEquals(1, rollups.unreadableCount());
            assertEquals(journal.lastIndex(), rollups.lastIndex(), "the record after the unreadable one is counted");
            agent.onClose();
        }
    }

    @Test
    void closedBeforeItsThreadStartedItWritesNothingAndThrowsNothing()
    {
        try (Journal journal = Journal.openForWriting(dir))
        {
            new SupervisedAgent("rollups", () -> new RollupAgent(journal, new Rollups(),
                new RollupCheckpoint(new StateFiles(dir)), new FreeSpace(dir, 0), 60_000, System::currentTimeMillis, 0), Throwable::printStackTrace).onClose();
        }
        assertEquals(false, dir.resolve(RollupCheckpoint.FILE).toFile().exists());
    }
}
