package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.engine.api.AdminToken;
import io.tally.engine.config.LiveSites;
import io.tally.engine.identity.DailySalt;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.SiteTokens;
import io.tally.notify.NotificationAgent;
import io.tally.notify.Notifier;
import io.tally.store.rollup.RollupCheckpoint;
import io.tally.store.rollup.RollupFiles;
import io.tally.testing.JournalOracle;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every state file Tally keeps, damaged every way a disk or a hand can damage it (cut short, emptied, a byte
 * flipped, a directory in its place), under the real engine with the notifier beside it, as {@code tally serve} runs
 * them: it starts, says in {@code /healthz} what it set aside, and its figures equal a count over the journal, before
 * and after more events and another restart.
 */
class DamagedStateFilesTest
{
    private static final String SITE = "shop.example";
    private static final long DAY = 86_400_000L;
    private static final List<String> FILES = List.of(RollupCheckpoint.FILE, GoalBook.FILE, SiteTokens.FILE, DailySalt.FILE,
        DailySalt.HISTORICAL_FILE, AdminToken.FILE, Notifier.SECRET_FILE, NotificationAgent.CHECKPOINT_FILE, LiveSites.FILE);

    @TempDir
    Path dataDir;

    /** A way to damage a file. */
    enum Damage
    {
        TRUNCATED, EMPTY, FLIPPED_BYTE, DIRECTORY;

        void applyTo(final Path file) throws IOException
        {
            switch (this)
            {
                case TRUNCATED -> Files.write(file, java.util.Arrays.copyOf(Files.readAllBytes(file), (int)Files.size(file) / 2));
                case EMPTY -> Files.write(file, new byte[0]);
                case FLIPPED_BYTE -> flip(file, Files.size(file) / 2);
                case DIRECTORY ->
                {
                    Files.delete(file);
                    Files.createDirectories(file.resolve("inside"));
                }
            }
        }
    }

    static Stream<Arguments> everyFileEveryDamage()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final String file : FILES)
        {
            for (final Damage damage : Damage.values())
            {
                cases.add(Arguments.of(file, damage));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyFileEveryDamage")
    void theEngineStartsSetsTheFileAsideAndCountsNothingTwice(final String file, final Damage damage) throws Exception
    {
        final String siteToken;
        try (TestEngine engine = ServedEngine.start(dataDir))
        {
            siteToken = writeEveryStateFile(engine);
        }
        assertTrue(Files.isRegularFile(dataDir.resolve(file)), file + " was written");
        damage.applyTo(dataDir.resolve(file));

        try (TestEngine engine = ServedEngine.start(dataDir))
        {
            // a rollup checkpoint set aside takes the segment files it named with it
            final List<String> expected = file.equals(RollupCheckpoint.FILE) ? List.of(file, RollupFiles.DIRECTORY) : List.of(file);
            await(unchecked(() -> setAside(engine).size() == expected.size()));
            assertEquals(expected, setAside(engine).stream().map(entry -> entry.get("file")).toList());
            final Map<?, ?> aside = setAside(engine).get(0);
            assertTrue(Files.exists(dataDir.resolve((String)aside.get("moved_to"))), "kept for the operator: " + aside);
            assertFalse(((String)aside.get("reason")).isBlank());
            assertFiguresEqualTheJournal(engine);
            sendBeacons(engine, 10, "after");
            assertFiguresEqualTheJournal(engine);
            assertEquals(file.equals(SiteTokens.FILE) ? 401 : 200, trusted(engine, siteToken, "after-damage").status(),
                "a set-aside token file takes its tokens with it");
        }
        try (TestEngine engine = ServedEngine.start(dataDir))
        {
            assertEquals(List.of(), setAside(engine), "what the engine wrote after setting the file aside is whole");
            assertFiguresEqualTheJournal(engine);
        }
    }

    @Test
    void aCheckpointWhoseJournalIndexWasOverwrittenIsRecountedNotAddedToTheFiguresAgain() throws Exception
    {
        try (TestEngine engine = ServedEngine.start(dataDir))
        {
            writeEveryStateFile(engine);
        }
        try (RandomAccessFile checkpoint = new RandomAccessFile(dataDir.resolve(RollupCheckpoint.FILE).toFile(), "rw"))
        {
            checkpoint.seek(4);
            checkpoint.write(new byte[] {0x7f, (byte)0xff, (byte)0xff, (byte)0xff});
        }
        for (int restart = 0; restart < 2; restart++)
        {
            try (TestEngine engine = ServedEngine.start(dataDir))
            {
                assertEquals(restart == 0 ? 2 : 0, setAside(engine).size(), "the checkpoint and its segments, once");
                assertEquals("ok", engine.health().get("status"));
                assertFiguresEqualTheJournal(engine);
            }
        }
    }

    @Test
    void anEmptyAdminTokenFileLetsNobodyInAndIsReplacedByANewToken() throws Exception
    {
        Files.createDirectories(dataDir);
        Files.write(dataDir.resolve(AdminToken.FILE), new byte[0]);
        try (TestEngine engine = ServedEngine.start(dataDir))
        {
            assertEquals(401, engine.call("GET", "/api/v1/sites/" + SITE + "/goals", null, "").status());
            assertEquals(401, engine.call("GET", "/api/v1/sites/" + SITE + "/goals", null, " ").status());
            final String token = engine.engine().adminToken().value();
            assertTrue(engine.engine().adminToken().wasGenerated(), "announced once, as at a first start");
            assertEquals(token, Files.readString(dataDir.resolve(AdminToken.FILE)));
            assertEquals(200, engine.call("GET", "/api/v1/sites/" + SITE + "/goals", null, token).status());
        }
    }

    /** Makes the engine write every kind of state file: goals, a site token, a past day's salt, checkpoints. */
    private static String writeEveryStateFile(final TestEngine engine) throws IOException
    {
        final String admin = engine.engine().adminToken().value();
        assertEquals(201, engine.call("POST", "/api/v1/sites/" + SITE + "/goals", "{\"name\":\"Signup\",\"type\":\"custom\"," +
            "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}", admin).status());
        final RawHttp.Answer created = engine.call("POST", "/api/v1/sites/" + SITE + "/tokens", "", admin);
        assertEquals(201, created.status(), created.body());
        final String siteToken = (String)Json.parseObject(created.body()).get("token");
        assertEquals(201, engine.call("POST", "/api/v1/sites", "{\"domain\": \"other.example\"}", admin).status());
        sendBeacons(engine, 20, "before");
        assertEquals(200, trusted(engine, siteToken, "past").status());
        engine.stats(SITE, "kpis?period=7d");
        return siteToken;
    }

    private static void sendBeacons(final TestEngine engine, final int count, final String tag) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < count; i++)
            {
                final String beacon = i % 3 == 0 ? "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}" :
                    "{\"t\":\"p\",\"u\":\"https://shop.example/" + tag + "/" + i + "\"}";
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", beacon,
                    "User-Agent: " + tag + "/" + (i % 4))).status());
            }
        }
    }

    /** A trusted event from two days ago (its visitor id comes from the historical salt). */
    private static RawHttp.Answer trusted(final TestEngine engine, final String token, final String id) throws IOException
    {
        final String ts = Instant.now().minusMillis(2 * DAY).toString();
        return engine.call("POST", "/api/v1/events", "{\"t\":\"e\",\"n\":\"Imported\",\"u\":\"https://shop.example/\"," +
            "\"ts\":\"" + ts + "\",\"ip\":\"203.0.113.9\",\"id\":\"" + id + "\"}", token);
    }

    private static void assertFiguresEqualTheJournal(final TestEngine engine) throws IOException
    {
        final long now = System.currentTimeMillis();
        final long from = Math.floorDiv(now, DAY) * DAY - 6 * DAY;
        final long to = Math.floorDiv(now, DAY) * DAY + DAY;
        final Map<String, Long> figures = JournalOracle.kpisOf(engine.stats(SITE, "kpis?period=7d"));
        assertEquals(JournalOracle.kpis(engine.dump(), SITE, from, to), figures);
        assertNotEquals(0L, figures.get("events"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<?, ?>> setAside(final TestEngine engine) throws IOException
    {
        return (List<Map<?, ?>>)engine.health().get("set_aside");
    }

    private static void flip(final Path file, final long at) throws IOException
    {
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw"))
        {
            bytes.seek(at);
            final int b = bytes.read();
            bytes.seek(at);
            bytes.write(b ^ 0xFF);
        }
    }

    private static void await(final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, "condition not met in 20 s");
            LockSupport.parkNanos(10_000_000);
        }
    }

    private static BooleanSupplier unchecked(final IoCondition condition)
    {
        return () ->
        {
            try
            {
                return condition.test();
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        };
    }

    private interface IoCondition
    {
        boolean test() throws IOException;
    }
}
