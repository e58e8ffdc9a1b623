package io.tally.store.rollup;

import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A property over many random event streams (sites, visitors salted per day, sessions, goals with fire-once
 * and fire-always conversions, currencies, late events, referrers and UTM parameters) of random sizes: through
 * the real journal, half applied, checkpointed, reloaded and the tail replayed, every figure equals a
 * brute-force count over the same events for a random range. Each case is one seed, named in the report, so a
 * failure replays exactly.
 */
class RollupsPropertyTest
{
    static LongStream seeds()
    {
        return new Random(0x7A11_2026L).longs(25);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void checkpointedRollupsEqualABruteForceCount(final long seed) throws IOException
    {
        final Random random = new Random(seed);
        final int count = 1 + random.nextInt(3_000);
        final List<RollupsTest.Event> events = RollupsTest.randomEvents(random, count);
        final Path dir = Files.createTempDirectory("tally-rollups-property");
        try (Journal journal = Journal.openForWriting(dir))
        {
            RollupsTest.write(journal, events);
            final Rollups first = new Rollups();
            try (JournalReader reader = journal.newReader())
            {
                reader.read(first::apply, random.nextInt(count + 1));
            }
            final StateFiles files = new StateFiles(dir);
            new RollupCheckpoint(files).write(first, List.of());
            final Rollups resumed = new RollupCheckpoint(files).load(journal);
            try (JournalReader reader = journal.newReader())
            {
                RollupAgent.skipToTail(reader, resumed.lastIndex());
                while (reader.read(resumed::apply, 1000) > 0)
                {
                    // the tail
                }
            }
            final long from = RollupsTest.T0 + (random.nextInt(70) - 10) * RollupsTest.HOUR;
            final long to = from + (1 + random.nextInt(72)) * RollupsTest.HOUR;
            for (final String site : RollupsTest.SITES)
            {
                RollupsTest.assertSameFigures(site, from, to, events, resumed.totals(site, from, to));
            }
        }
        finally
        {
            try (Stream<Path> files = Files.walk(dir))
            {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
