package io.tally.engine.api.export;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An events export is written to the data directory's disk before it is sent: over the real server, one that could
 * eat into the free space the journal keeps is refused with 507 before anything is written, and one that fits is
 * sent. The store here reports the range's size as the test sets it (the real store's files are measured by
 * {@code EventQueries.storedBytes}); the free space and its reserve are the real file system's.
 */
class ExportSpaceTest
{
    private static final String ADMIN = "admin-token";
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
                final String filters, final Path file) throws Exception
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

            engine.engine().eventExports().connect(storeOf(1_000), scratch);
            final RawHttp.Answer sent = engine.call("GET", EXPORT, null, ADMIN);
            assertEquals(200, sent.status(), sent.body());
            assertEquals("name\npageview\n", sent.body());
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
}
