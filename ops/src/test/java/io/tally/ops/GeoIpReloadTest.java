package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.MmdbWriter;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real {@code tally serve --geoip-db}: SIGHUP reads the database again; a damaged file at SIGHUP keeps the one in
 * use and the engine goes on; a damaged file at start stops the start with a clear error.
 */
class GeoIpReloadTest
{
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";

    @TempDir
    Path dir;

    private static int beacon(final EngineProcess engine, final String client) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW, "X-Forwarded-For: " + client))
                .status();
        }
    }

    @Test
    void sighupReloadsTheDatabaseAndADamagedOneKeepsTheOld() throws Exception
    {
        final Path file = dir.resolve("countries.mmdb");
        new MmdbWriter("GeoLite2-Country").network("203.0.113.0/24", MmdbWriter.country("DE"))
            .network("2001:db8::/32", MmdbWriter.country("DE")).write(file);
        final Path data = dir.resolve("data");
        try (EngineProcess engine = EngineProcess.start(data, "--site", "shop.example", "--ingest-rate-limit", "0",
            "--trusted-proxies", "127.0.0.1", "--geoip-db", file.toString()))
        {
            assertTrue(engine.log().contains("GeoIP: " + file + " (GeoLite2-Country, built "), engine.log());
            assertEquals(202, beacon(engine, "203.0.113.5"));
            assertEquals(202, beacon(engine, "2001:db8::5"));

            new MmdbWriter("DBIP-Country-Lite").network("203.0.113.0/24", MmdbWriter.country("AT")).write(file);
            signal(engine);
            awaitLog(engine, "GeoIP database reloaded: " + file + " (DBIP-Country-Lite");
            assertEquals(202, beacon(engine, "203.0.113.5"));

            Files.write(file, "damaged".getBytes(StandardCharsets.UTF_8));
            signal(engine);
            awaitLog(engine, "GeoIP database not reloaded, the one loaded before stays in use: " + file);
            assertEquals(202, beacon(engine, "203.0.113.5"), "the engine goes on");
            assertEquals(202, beacon(engine, "2001:db8::5"), "with the database it had, which has no such network");
            final Map<String, Object> health;
            try (RawHttp http = new RawHttp(engine.port()))
            {
                health = Json.parseObject(http.exchange(("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)).body());
            }
            final Map<?, ?> geoip = (Map<?, ?>)health.get("geoip");
            assertEquals("DBIP-Country-Lite", geoip.get("type"));
            assertTrue(String.valueOf(geoip.get("last_reload_error")).contains("not a readable MaxMind DB file"), geoip.toString());
            assertEquals(0, engine.terminate());
        }
        assertEquals(java.util.Arrays.asList("DE", "DE", "AT", "AT", null),
            TestEngine.dump(data).stream().map(r -> r.get("country")).toList());
    }

    @Test
    void aDamagedDatabaseAtStartIsAClearErrorAndNothingStarts() throws Exception
    {
        final Path file = dir.resolve("broken.mmdb");
        Files.write(file, "not a database".getBytes(StandardCharsets.UTF_8));
        final Path data = dir.resolve("data");
        final List<String> command = EngineProcess.javaCommand("serve", "--port", "0", "--data-dir", data.toString(),
            "--host", "127.0.0.1", "--geoip-db", file.toString());
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("tally serve: --geoip-db " + file + ": not a readable MaxMind DB file"), output);
        assertFalse(Files.exists(data.resolve("journal")), "nothing was started");
    }

    private static void signal(final EngineProcess engine) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(engine.process().pid())).start();
        assertEquals(0, kill.waitFor());
    }

    private static void awaitLog(final EngineProcess engine, final String line) throws IOException, InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!engine.log().contains(line))
        {
            assertTrue(System.nanoTime() < deadline, "no log line '" + line + "':\n" + engine.log());
            Thread.sleep(20);
        }
    }
}
