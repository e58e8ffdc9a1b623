package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.explore.DuckDb;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exports over the real server (sockets, journal, event store sealing beside it, as {@code tally serve --event-store
 * true} composes them): the command line and the HTTP endpoint write
 * Parquet, CSV and NDJSON that DuckDB and a JSON parser read back as exactly the events sent (type, name, URL, the
 * property, the exact revenue); the endpoint takes a read token and refuses no token; the rollup CSVs hold the day's
 * figures.
 */
class EventExportTest
{
    private static final String SITE = "shop.example";
    private static final int EVENTS = 12;

    @TempDir
    Path dir;

    @Test
    void exportsReadBackAsTheEventsSent() throws Exception
    {
        final Path data = dir.resolve("data");
        final List<String> sent = new ArrayList<>();
        final String today = LocalDate.now(ZoneOffset.UTC).toString();
        try (StoreServedEngine served = new StoreServedEngine(data);
            RawHttp http = new RawHttp(served.engine().port()))
        {
            final TestEngine engine = served.engine();
            for (int i = 0; i < EVENTS; i++)
            {
                final boolean pageview = i % 3 == 0;
                final String url = "https://shop.example/p" + i;
                final String plan = i % 2 == 0 ? "pro" : "team, \"big\"";
                final String body = pageview ? "{\"t\":\"p\",\"u\":\"" + url + "\"}" :
                    "{\"t\":\"e\",\"n\":\"Buy\",\"u\":\"" + url + "\",\"mk\":[\"plan\"],\"mv\":[" + Json.write(plan) +
                        "],\"ra\":" + i + ".25,\"rc\":\"EUR\"}";
                served.send(http, i, "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0", body);
                sent.add(pageview ? "pageview|pageview|" + url + "|null|null" : "custom|Buy|" + url + "|" + plan + "|" + i + ".25");
            }
            served.awaitSealed();

            final String base = "http://127.0.0.1:" + engine.port() + "/api/v1/sites/" + SITE + "/events/export?from=" + today +
                "&to=" + today + "&format=";
            final String admin = served.admin();
            assertEquals(sortedRows(sent), ndjsonRows(Files.readString(download(base + "ndjson", admin, dir.resolve("h.ndjson")))));
            assertEquals(sortedRows(sent), duckRows(download(base + "parquet", StoreServedEngine.READ_TOKEN, dir.resolve("h.parquet")), "parquet"));
            assertEquals(sortedRows(sent), duckRows(download(base + "csv", StoreServedEngine.READ_TOKEN, dir.resolve("h.csv")), "csv"));
            assertEquals(401, status(base + "csv", null), "no token reads nothing");
            assertEquals(401, status(base + "csv", "wrong"), "a wrong token reads nothing");
            assertEquals(400, status(base + "xml", admin), "an unknown format is a 400");
            final HttpResponse<String> share = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + engine.port() + "/api/v1/sites/" + SITE + "/shares")).header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            final String shareId = (String)((Map<?, ?>)Json.parse(share.body())).get("id");
            assertEquals(403, status(base + "csv", shareId), "a share link reads the reports, not the events");
            assertEquals(200, status("http://127.0.0.1:" + engine.port() + "/api/v1/stats/" + SITE + "/export/goals.csv?from=" +
                today + "&to=" + today, shareId), "but the daily CSVs");
            assertEquals(List.of(), listScratch(data), "the scratch files are gone once sent");

            final String kpis = Files.readString(download("http://127.0.0.1:" + engine.port() + "/api/v1/stats/" + SITE +
                "/export/kpis.csv?from=" + today + "&to=" + today, StoreServedEngine.READ_TOKEN, dir.resolve("kpis.csv")));
            final String[] lines = kpis.split("\n");
            assertEquals(2, lines.length, kpis);
            assertTrue(lines[0].startsWith("date,visitors,pageviews,events,"), kpis);
            assertTrue(lines[1].startsWith(today + "," + EVENTS + "," + EVENTS / 3 + "," + (EVENTS - EVENTS / 3) + ","), kpis);

            for (final String format : List.of("ndjson", "parquet", "csv"))
            {
                final Path out = dir.resolve("cli." + format);
                run("events", "export", "--data-dir", data.toString(), "--site", SITE, "--from", today, "--format", format,
                    "--out", out.toString());
                assertEquals(sortedRows(sent), format.equals("ndjson") ? ndjsonRows(Files.readString(out)) : duckRows(out, format),
                    format);
            }
            final Path pro = dir.resolve("pro.ndjson");
            run("events", "export", "--data-dir", data.toString(), "--site", SITE, "--from", today, "--filters",
                "event:props:plan==pro", "--out", pro.toString());
            assertEquals(sortedRows(sent.stream().filter(row -> row.contains("|pro|")).toList()), ndjsonRows(Files.readString(pro)),
                "the filters keep the events of plan pro");
            assertEquals(sortedRows(sent.stream().filter(row -> row.startsWith("custom|")).toList()), ndjsonRows(Files.readString(
                download(base + "ndjson&filters=" + java.net.URLEncoder.encode("event:name==Buy", StandardCharsets.UTF_8), admin,
                    dir.resolve("buy.ndjson")))), "the endpoint takes filters");
            assertEquals(400, status(base + "ndjson&filters=nonsense", admin), "filters that do not parse are a 400");
            final String stdout = run("events", "export", "--data-dir", data.toString(), "--site", SITE, "--from", today,
                "--to", today);
            assertEquals(sortedRows(sent), ndjsonRows(stdout), "NDJSON to standard output by default");
        }
    }

    private static List<String> listScratch(final Path data) throws Exception
    {
        try (var files = Files.list(data.resolve("exports.tmp")))
        {
            return files.map(Path::toString).toList();
        }
    }

    private static Path download(final String url, final String token, final Path to) throws Exception
    {
        final HttpResponse<Path> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofFile(to));
        assertEquals(200, response.statusCode(), url + ": " + Files.readString(to, StandardCharsets.ISO_8859_1));
        return response.body();
    }

    private static int status(final String url, final String token) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> sortedRows(final List<String> rows)
    {
        return new ArrayList<>(new TreeSet<>(rows));
    }

    /** Each line parsed as JSON: type|name|url|props.plan|revenue. */
    private static List<String> ndjsonRows(final String ndjson)
    {
        final List<String> rows = new ArrayList<>();
        for (final String line : ndjson.split("\n"))
        {
            final Map<?, ?> event = (Map<?, ?>)Json.parse(line);
            final Map<?, ?> props = (Map<?, ?>)event.get("props");
            final Object revenue = event.get("revenue");
            rows.add(event.get("type") + "|" + event.get("name") + "|" + event.get("url") + "|" +
                (props == null ? null : props.get("plan")) + "|" +
                (revenue == null ? null : new java.math.BigDecimal(revenue.toString()).stripTrailingZeros().toPlainString()));
        }
        return sortedRows(rows);
    }

    /** The file read by DuckDB: type|name|url|plan|revenue (CSV's props are a JSON object). */
    private static List<String> duckRows(final Path file, final String format) throws Exception
    {
        final String plan = format.equals("csv") ? "json_extract_string(props, '$.plan')" : "props['plan']";
        final String read = format.equals("csv") ? "read_csv('" + file + "', header = true, types = {'revenue': 'DECIMAL(38,18)'})" :
            "read_parquet('" + file + "')";
        final List<String> rows = new ArrayList<>();
        try (Connection connection = DuckDb.open(1); Statement statement = connection.createStatement();
            ResultSet result = statement.executeQuery("SELECT type, name, url, " + plan + ", revenue FROM " + read))
        {
            while (result.next())
            {
                final java.math.BigDecimal revenue = result.getBigDecimal(5);
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3) + "|" + result.getString(4) +
                    "|" + (revenue == null ? null : revenue.stripTrailingZeros().toPlainString()));
            }
        }
        return sortedRows(rows);
    }

    private static String run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
