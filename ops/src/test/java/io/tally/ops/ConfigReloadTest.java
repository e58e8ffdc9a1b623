package io.tally.ops;

import io.tally.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
 * A real {@code tally serve}: SIGHUP re-reads the config file and the limiter changes live; {@code ./tally limits}
 * shows settings and the most limited address; {@code --log-level} quiets the start lines.
 */
class ConfigReloadTest
{
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";

    @TempDir
    Path dir;

    private Path config(final int burst, final int siteBurst) throws IOException
    {
        return Files.writeString(dir.resolve("config.json"), "{\"sites\": [{\"domain\": \"shop.example\", \"ingest_burst\": " +
            siteBurst + ", \"monthly_quota\": 1000}], \"ingest_rate_limit\": 0.01, \"ingest_burst\": " + burst + "}");
    }

    private static int beacon(final RawHttp http) throws IOException
    {
        return http.exchange(RawHttp.post("/api/event", "application/json", PAGEVIEW)).status();
    }

    @Test
    void sighupAppliesTheEditedConfigFileLiveAndLimitsShowsIt() throws Exception
    {
        final Path config = config(1, 50);
        final Path data = dir.resolve("data");
        try (EngineProcess engine = EngineProcess.start(data, "--config", config.toString(), "--log-level", "warn"))
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, beacon(http));
                assertEquals(429, beacon(http));
                config(3, 60);
                signal(engine, "HUP");
                awaitBurst(engine, data, 3);
                assertEquals(202, beacon(http), "the bucket kept its state: 2 of the 3 were left");
                assertEquals(202, beacon(http));
                assertEquals(429, beacon(http));
            }
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int status = Main.run(List.of("limits", "--url", "http://127.0.0.1:" + engine.port(), "--data-dir",
                data.toString()), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
            final String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
            assertTrue(text.startsWith("default: 0.01 requests/s, burst 3\n"), text);
            assertTrue(text.contains("limited requests 2, limited addresses 1"), text);
            assertTrue(text.matches("(?s).*\\n  127\\.0\\.0\\.1 +2\\n.*"), text);
            assertTrue(text.contains("site shop.example: 0.01 requests/s, burst 60"), text);

            assertEquals(0, Main.run(List.of("limits", "set", "--burst", "7", "--url", "http://127.0.0.1:" + engine.port(),
                "--data-dir", data.toString()), Map.of(), new PrintStream(new ByteArrayOutputStream()), System.err));
            assertEquals(0, engine.terminate());
            final String log = engine.log();
            assertFalse(log.contains("tally listening"), "info lines are off at --log-level warn:\n" + log);
        }
    }

    @Test
    void anInvalidConfigFileOnSighupChangesNothingAndIsLogged() throws Exception
    {
        final Path config = config(1, 50);
        try (EngineProcess engine = EngineProcess.start(dir.resolve("data"), "--config", config.toString()))
        {
            assertTrue(engine.log().contains("rate limiter: 0.01/s burst 1, shop.example 0.01/s burst 50"), engine.log());
            Files.writeString(config, "{\"ingest_burst\": \"lots\"}");
            signal(engine, "HUP");
            awaitLog(engine, "SIGHUP: configuration not reloaded, nothing changed: config file " + config +
                ": ingest_burst: expected a whole number, got a string \"lots\"");
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, beacon(http));
                assertEquals(429, beacon(http), "the old burst of 1 still holds");
            }
        }
    }

    private static int beacon(final EngineProcess engine, final String host) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            return http.exchange(RawHttp.post("/api/event", "application/json", "{\"t\":\"p\",\"u\":\"https://" + host +
                "/\"}")).status();
        }
    }

    /** {@code tally sites ...} against the engine; returns what it printed, after checking it exited 0. */
    private static String sites(final EngineProcess engine, final Path data, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final List<String> command = new java.util.ArrayList<>(List.of("sites"));
        command.addAll(List.of(args));
        command.addAll(List.of("--url", "http://127.0.0.1:" + engine.port(), "--data-dir", data.toString()));
        final int status = Main.run(command, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sighupAddsChangesAndRemovesSitesAndSaysSoWhileTheApisSitesStay() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("config.json"),
            "{\"sites\": [\"shop.example\", {\"domain\": \"old.example\"}], \"ingest_rate_limit\": 0}");
        final Path data = dir.resolve("data");
        try (EngineProcess engine = EngineProcess.start(data, "--config", config.toString()))
        {
            assertEquals(400, beacon(engine, "blog.example"));
            assertEquals("added api.example\n", sites(engine, data, "add", "api.example", "--time-zone", "Europe/Berlin"));
            assertEquals(202, beacon(engine, "api.example"));

            Files.writeString(config, "{\"sites\": [{\"domain\": \"blog.example\"}, {\"domain\": \"old.example\", " +
                "\"time_zone\": \"Asia/Tokyo\"}], \"ingest_rate_limit\": 0}");
            signal(engine, "HUP");
            awaitLog(engine, "SIGHUP: configuration reloaded; sites: added blog.example; changed old.example; removed " +
                "shop.example (their data stays on disk); kept from the admin API: added or changed through the API: api.example;");
            assertEquals(202, beacon(engine, "blog.example"), "a site added to the file takes events at once");
            assertEquals(400, beacon(engine, "shop.example"), "a site taken out of the file is an unknown site");
            assertEquals(202, beacon(engine, "api.example"), "the API's site stays through a reload");
            assertEquals("""
                domain                           source  time zone            aliases
                blog.example                     config  UTC                 \s
                old.example                      config  Asia/Tokyo          \s
                api.example                      api     Europe/Berlin       \s
                """, sites(engine, data, "list"));

            Files.writeString(config, "{\"sites\": [{\"domain\": \"x.example\", \"timezone\": \"UTC\"}]}");
            signal(engine, "HUP");
            awaitLog(engine, "SIGHUP: configuration not reloaded, nothing changed: config file " + config +
                ": sites[0].timezone: unknown key; did you mean time_zone?");
            assertEquals(202, beacon(engine, "blog.example"), "the running sites stand");
            assertEquals("removed api.example (their data stays on disk)\n", sites(engine, data, "rm", "api.example"));
            assertEquals(400, beacon(engine, "api.example"));
        }
    }

    @Test
    void anUnknownLogLevelIsAUsageError()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, Main.run(List.of("serve", "--log-level", "loud", "--data-dir", dir.toString()), Map.of(),
            System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertEquals("tally serve: --log-level must be one of [error, warn, info, debug, trace]: 'loud'\n",
            err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aSighupIgnoredFromTheStartIsLoggedAsSuch() throws Exception
    {
        try (EngineProcess engine = EngineProcess.startUnder(List.of("nohup"), dir.resolve("data"), "--config",
            config(1, 50).toString()))
        {
            awaitLog(engine, "WARN tally - SIGHUP is ignored in this process (started under nohup?)");
        }
    }

    private static void signal(final EngineProcess engine, final String name) throws IOException, InterruptedException
    {
        assertFalse(ignoresSighup(engine.process().pid()),
            "these tests were started with SIGHUP ignored (under nohup), which every child inherits: run them without it");
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(engine.process().pid())).start();
        assertEquals(0, kill.waitFor());
    }

    /** Whether the process ignores SIGHUP (bit 0 of the ignored-signal mask Linux shows in its status). */
    private static boolean ignoresSighup(final long pid) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
        {
            if (line.startsWith("SigIgn:"))
            {
                return (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & 1) != 0;
            }
        }
        throw new IllegalStateException("no SigIgn line in the status of process " + pid);
    }

    /** Waits until the engine's default limiter has {@code burst} (a SIGHUP is handled asynchronously). */
    private static void awaitBurst(final EngineProcess engine, final Path data, final int burst)
        throws IOException, InterruptedException
    {
        final String token = io.tally.engine.api.AdminToken.readFrom(data);
        final byte[] request = ("GET /api/v1/limits HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true)
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                if (io.tally.codec.json.Json.parseObject(http.exchange(request).body()).get("burst").toString()
                    .equals(Integer.toString(burst)))
                {
                    return;
                }
            }
            assertTrue(System.nanoTime() < deadline, "the change did not take effect");
            Thread.sleep(20);
        }
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
