package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.explore.DuckDb;
import io.tally.explore.EventQueries;
import io.tally.testing.RawHttp;
import io.tally.testing.SmallDisk;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events whose text is far longer than what the store keeps of them (seven long property values, the same in every
 * event: the store's dictionary holds each once), so their CSV export is far more than the 24 times the stored bytes
 * the engine sizes it by. On a real small disk, as {@code tally serve --event-store true} runs: with room for the
 * estimate but not for the export, the endpoint's DuckDB {@code COPY} crosses the reserve and is answered 507, its part
 * deleted and the refusal counted; with room again the same export is sent whole. (Eleven megabytes are written
 * within a check or two, so whether the watch stops the COPY or finds it over once written depends on the machine:
 * either is the same answer. The stop itself is tested in {@code CancellationTest} and the engine's
 * {@code ExportSpaceTest}.)
 */
class ExportOutgrowsDiskTest
{
    private static final String SITE = "shop.example";
    private static final int EVENTS = 800;
    private static final int PROPERTIES = 7;
    private static final long MB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void aCsvExportThatOutgrowsItsEstimateIsStoppedAtTheReserveAndSentOnceThereIsRoom() throws Exception
    {
        final String today = LocalDate.now(ZoneOffset.UTC).toString();
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("disk"), 96);
            StoreServedEngine served = new StoreServedEngine(disk.path().resolve("data"), List.of(), 5_000))
        {
            final TestEngine engine = served.engine();
            final StringBuilder batch = new StringBuilder();
            for (int i = 0; i < EVENTS; i++)
            {
                batch.append(beacon(i)).append('\n');
            }
            // one batch, sealed in a round or two: a file's own overhead is a busy store's share, as in the field
            final RawHttp.Answer accepted = engine.call("POST", "/api/v1/events", batch.toString(),
                engine.siteToken(SITE, served.admin()));
            assertEquals(200, accepted.status(), accepted.body());
            assertEquals((long)EVENTS, ((Number)Json.parseObject(accepted.body()).get("accepted")).longValue(), accepted.body());
            served.awaitSealed();
            final String url = "http://127.0.0.1:" + engine.port() + "/api/v1/sites/" + SITE + "/events/export?from=" + today +
                "&to=" + today + "&format=csv";

            final Path whole = dir.resolve("whole.csv");
            assertEquals(200, download(url, served.admin(), whole));
            assertEquals(EVENTS, rows(whole), "with room, every event");
            final long exportBytes = Files.size(whole);
            final long estimate = 24 * storedBytes(disk.path().resolve("data"), today);
            assertTrue(exportBytes - estimate > 6 * MB, "the export (" + exportBytes + " bytes) is far past its estimate (" +
                estimate + ")");

            final long room = leaveRoom(disk, (estimate + exportBytes) / 2);
            assertTrue(room > estimate && room < exportBytes, "room for the estimate, not for the export: " + room);
            final Path refused = dir.resolve("refused.json");
            assertEquals(507, download(url, served.admin(), refused));
            final Map<String, Object> error = Json.parseObject(Files.readString(refused));
            assertEquals("insufficient_storage", error.get("error"));
            assertTrue(String.valueOf(error.get("detail")).startsWith("the export grew past what the disk can hold above"),
                error.toString());
            try (var scratch = Files.list(disk.path().resolve("data").resolve("exports.tmp")))
            {
                assertEquals(0, scratch.count(), "its part is deleted");
            }
            assertEquals(1.0, refusals(engine, "while_writing"));
            assertEquals(0.0, refusals(engine, "before_writing"));

            disk.resize(96);
            final Path again = dir.resolve("again.csv");
            assertEquals(200, download(url, served.admin(), again));
            assertEquals(EVENTS, rows(again), "with room again, every event");
        }
    }

    /** A custom event with {@link #PROPERTIES} properties of 1,900 characters, the same in every event. */
    private static String beacon(final int i)
    {
        final StringBuilder keys = new StringBuilder();
        final StringBuilder values = new StringBuilder();
        for (int p = 0; p < PROPERTIES; p++)
        {
            keys.append(p == 0 ? "" : ",").append("\"k").append(p).append('"');
            values.append(p == 0 ? "" : ",").append('"').append(String.valueOf((char)('a' + p)).repeat(1_900)).append('"');
        }
        return "{\"t\":\"e\",\"n\":\"Fill\",\"u\":\"https://shop.example/p" + i + "\",\"mk\":[" + keys + "],\"mv\":[" + values +
            "]}";
    }

    /** Shrinks the disk to leave about {@code bytes} free above the engine's reserve (whole megabytes); the room left. */
    private static long leaveRoom(final SmallDisk disk, final long bytes) throws Exception
    {
        final FileStore store = Files.getFileStore(disk.path());
        final long used = store.getTotalSpace() - store.getUsableSpace();
        disk.resize(Math.toIntExact((used + TestEngine.TEST_MIN_FREE_SPACE + bytes) / MB));
        return store.getUsableSpace() - TestEngine.TEST_MIN_FREE_SPACE;
    }

    private static long storedBytes(final Path dataDir, final String day) throws Exception
    {
        final long from = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            return queries.storedBytes(SITE, from, from + 86_400_000L);
        }
    }

    private static int download(final String url, final String token, final Path to) throws Exception
    {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
            .build(), HttpResponse.BodyHandlers.ofFile(to)).statusCode();
    }

    /** The CSV's rows as DuckDB reads them, each with its seven long properties. */
    private static long rows(final Path csv) throws Exception
    {
        try (Connection connection = DuckDb.open(1); Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT count(*) FROM read_csv('" + csv + "', header = true) WHERE " +
                "length(json_extract_string(props, '$.k6')) = 1900"))
        {
            result.next();
            return result.getLong(1);
        }
    }

    private static double refusals(final TestEngine engine, final String when) throws Exception
    {
        final String sample = "tally_export_space_refusals_total{when=\"" + when + "\"} ";
        final String line = engine.call("GET", "/metrics", null, null).body().lines().filter(l -> l.startsWith(sample))
            .findFirst().orElseThrow(() -> new AssertionError("no " + sample));
        return Double.parseDouble(line.substring(sample.length()));
    }
}
