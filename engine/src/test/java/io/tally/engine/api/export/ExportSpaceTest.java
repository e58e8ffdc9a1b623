package io.tally.engine.api.export;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.SmallDisk;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An events export is written to the data directory's disk before it is sent: over the real server, one that could
 * eat into the free space the journal keeps is refused with 507 before anything is written, one that fits is sent,
 * and one that fits by its estimate but grows past the reserve while written is stopped and refused 507. The store
 * here reports the range's size as the test sets it (the real store's files are measured by
 * {@code EventQueries.storedBytes}) and writes what the test says (the real store's COPY is stopped by
 * {@code CancellationTest}'s way, tested in the ops module); the free space and its reserve are the real file
 * system's, a small tmpfs of its own where the disk fills.
 */
class ExportSpaceTest
{
    private static final String ADMIN = "admin-token";
    /** The engine's free space reserve on the small disk. */
    private static final long RESERVE = 8L << 20;
    private static final String EXPORT = "/api/v1/sites/shop.example/events/export?from=2026-01-01&to=2026-01-02&format=csv";

    @TempDir
    Path dataDir;

    /** A store of a given size whose every export is one line. */
    private static EventExports.Writer storeOf(final long storedBytes)
    {
        return new EventExports.Writer()
        {
            @Override
            public long write(final String site, final long fromMillis, final long toMillis, final String format,
                final String filters, final Path file, final ExportStop stop) throws Exception
            {
                Files.writeString(file, "name\npageview\n");
                return 1;
            }

            @Override
            public long storedBytes(final String site, final long fromMillis, final long toMillis)
            {
                return storedBytes;
            }
        };
    }

    /** A store whose export of a few stored bytes (its estimate fits anywhere) is what {@code writing} writes. */
    private static EventExports.Writer writing(final Writing writing)
    {
        return new EventExports.Writer()
        {
            @Override
            public long write(final String site, final long fromMillis, final long toMillis, final String format,
                final String filters, final Path file, final ExportStop stop) throws Exception
            {
                return writing.write(file, stop);
            }

            @Override
            public long storedBytes(final String site, final long fromMillis, final long toMillis)
            {
                return 1;
            }
        };
    }

    @FunctionalInterface
    private interface Writing
    {
        long write(Path file, ExportStop stop) throws Exception;
    }

    @Test
    void anExportThatWouldEatIntoTheReserveIsRefusedOneThatFitsIsSent() throws Exception
    {
        final long free = Files.getFileStore(dataDir).getUsableSpace();
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).sites(List.of(new Site("shop.example")))))
        {
            final Path scratch = dataDir.resolve("exports.tmp");
            engine.engine().eventExports().connect(storeOf(free), scratch);
            final RawHttp.Answer refused = engine.call("GET", EXPORT, null, ADMIN);
            assertEquals(507, refused.status(), refused.body());
            assertEquals("insufficient_storage", Json.parseObject(refused.body()).get("error"));
            assertTrue(isEmpty(scratch), "nothing was written");
            assertEquals(1.0, refusals(engine, "before_writing"));
            assertEquals(0.0, refusals(engine, "while_writing"));

            assertAnExportThatFitsIsSent(engine, scratch);
        }
    }

    @Test
    void eachFormatIsEstimatedByItsOwnExpansionFromTheStoredBytes() throws Exception
    {
        // room above the reserve for 40 times the stored bytes: CSV (24) and Parquet (2) fit, NDJSON (64) does not
        final long room = Files.getFileStore(dataDir).getUsableSpace() - TestEngine.TEST_MIN_FREE_SPACE;
        try (TestEngine engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).sites(List.of(new Site("shop.example")))))
        {
            engine.engine().eventExports().connect(storeOf(room / 40), dataDir.resolve("exports.tmp"));
            for (final String format : List.of("csv", "parquet", "ndjson"))
            {
                final RawHttp.Answer answer = engine.call("GET", EXPORT.replace("format=csv", "format=" + format), null, ADMIN);
                assertEquals("ndjson".equals(format) ? 507 : 200, answer.status(), format + ": " + answer.body());
            }
        }
    }

    /**
     * On a real 32 MB disk, an export whose estimate fits grows past the reserve while it is written: the space watch
     * asks the write to stop, and the write (1 MB at a time, as DuckDB writes a COPY) waits for that at the first chunk
     * under the reserve, so the disk never fills. The export is answered 507, its file deleted, the refusal counted,
     * events are not left waiting, and the next export that fits is sent.
     */
    @Test
    void anExportThatOutgrowsTheDiskWhileWrittenIsStoppedDeletedAndCounted() throws Exception
    {
        try (SmallDisk disk = SmallDisk.mount(dataDir.resolve("disk"), 32);
            TestEngine engine = startOn(disk))
        {
            final Path scratch = scratchOn(disk);
            final AtomicBoolean stopAsked = new AtomicBoolean();
            final AtomicLong written = new AtomicLong();
            engine.engine().eventExports().connect(writing((file, stop) ->
            {
                stop.onStop(() -> stopAsked.set(true));
                final byte[] chunk = new byte[1 << 20];
                Arrays.fill(chunk, (byte)'x');
                try (OutputStream out = Files.newOutputStream(file))
                {
                    while (!stop.requested())
                    {
                        out.write(chunk);
                        out.flush();
                        written.addAndGet(chunk.length);
                        if (Files.getFileStore(file).getUsableSpace() < RESERVE)
                        {
                            awaitStop(stop);
                        }
                    }
                }
                throw new java.sql.SQLException("INTERRUPT Error: Interrupted!"); // as DuckDB's COPY ends when stopped
            }), scratch);

            final RawHttp.Answer stopped = engine.call("GET", EXPORT, null, ADMIN);
            assertEquals(507, stopped.status(), stopped.body());
            final Map<String, Object> error = Json.parseObject(stopped.body());
            assertEquals("insufficient_storage", error.get("error"));
            assertTrue(String.valueOf(error.get("detail")).startsWith("the export grew past what the disk can hold above the " +
                "free space the journal keeps (--min-free-space), at " + written.get() + " bytes, and was stopped"), stopped.body());
            assertTrue(stopAsked.get(), "the writer's own way to stop was asked");
            assertTrue(written.get() > RESERVE, "it was written until past the reserve: " + written.get());
            assertTrue(isEmpty(scratch), "its part is deleted");
            assertEquals(1.0, refusals(engine, "while_writing"));
            assertEquals(0.0, refusals(engine, "before_writing"));
            assertEquals(Boolean.FALSE, ((Map<?, ?>)engine.health().get("disk")).get("low"), "events do not wait");

            assertAnExportThatFitsIsSent(engine, scratch);
        }
    }

    /**
     * On a real 32 MB disk, an export that leaves exactly the reserve free is sent whole; one a byte larger (a page of
     * the file system more) is refused 507 after it is written, and deleted.
     */
    @Test
    void anExportThatLeavesExactlyTheReserveIsSentOneByteMoreIsNot() throws Exception
    {
        try (SmallDisk disk = SmallDisk.mount(dataDir.resolve("disk"), 32);
            TestEngine engine = startOn(disk))
        {
            final Path scratch = scratchOn(disk);
            final AtomicLong written = new AtomicLong();
            for (final long more : new long[] {0, 1})
            {
                engine.engine().eventExports().connect(writing((file, stop) ->
                {
                    final long room = Files.getFileStore(file.getParent()).getUsableSpace() - RESERVE;
                    final byte[] bytes = new byte[Math.toIntExact(room + more)];
                    Arrays.fill(bytes, (byte)'x');
                    Files.write(file, bytes);
                    written.set(bytes.length);
                    return 1;
                }), scratch);
                final RawHttp.Answer answer = engine.call("GET", EXPORT, null, ADMIN);
                if (more == 0)
                {
                    assertEquals(200, answer.status(), answer.body());
                    assertEquals(written.get(), answer.body().length(), "sent whole");
                    assertEquals(0.0, refusals(engine, "while_writing"));
                }
                else
                {
                    assertEquals(507, answer.status(), answer.body());
                    assertEquals("insufficient_storage", Json.parseObject(answer.body()).get("error"));
                    assertTrue(isEmpty(scratch), "its part is deleted");
                    assertEquals(1.0, refusals(engine, "while_writing"));
                }
            }
        }
    }

    /** Waits for the space watch to ask the write to stop; fails after 60 s. */
    /** The engine with its data on {@code disk}, keeping {@link #RESERVE} free. */
    private static TestEngine startOn(final SmallDisk disk)
    {
        return TestEngine.start(disk.path().resolve("data"), b -> b.adminToken(ADMIN).minFreeSpace(RESERVE)
            .sites(List.of(new Site("shop.example"))));
    }

    /** Where the engine on {@code disk} writes an export before sending it. */
    private static Path scratchOn(final SmallDisk disk)
    {
        return disk.path().resolve("data").resolve("exports.tmp");
    }

    private static void awaitStop(final ExportStop stop)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!stop.requested())
        {
            assertTrue(System.nanoTime() - deadline < 0, "the space watch asks to stop within 60 s");
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** {@code tally_export_space_refusals_total{when}} as {@code /metrics} has it. */
    private static double refusals(final TestEngine engine, final String when) throws java.io.IOException
    {
        final String sample = "tally_export_space_refusals_total{when=\"" + when + "\"} ";
        final String line = engine.call("GET", "/metrics", null, null).body().lines().filter(l -> l.startsWith(sample))
            .findFirst().orElseThrow(() -> new AssertionError("no " + sample));
        return Double.parseDouble(line.substring(sample.length()));
    }

    private static boolean isEmpty(final Path directory) throws java.io.IOException
    {
        if (!Files.exists(directory))
        {
            return true;
        }
        try (var entries = Files.list(directory))
        {
            return entries.findAny().isEmpty();
        }
    }

    /** After a refusal, an export with room to spare is written and sent as usual. */
    private static void assertAnExportThatFitsIsSent(final TestEngine engine, final Path scratch) throws Exception
    {
        engine.engine().eventExports().connect(storeOf(1_000), scratch);
        final RawHttp.Answer sent = engine.call("GET", EXPORT, null, ADMIN);
        assertEquals(200, sent.status(), sent.body());
        assertEquals("name\npageview\n", sent.body());
    }
}
