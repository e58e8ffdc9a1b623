package io.tally.ops;

import io.tally.engine.EngineConfig;
import io.tally.engine.site.Site;
import io.tally.store.Journal;
import io.tally.store.rollup.RangeTotals;
import io.tally.store.rollup.RollupCheckpoint;
import io.tally.store.rollup.Rollups;
import io.tally.store.state.StateFiles;
import io.tally.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest
{
    @TempDir
    Path dir;

    private static String run(final int expectedExit, final Map<String, String> env, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(expectedExit, exit, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static EngineConfig config(final Map<String, String> env, final String... args)
    {
        final CommandLine commandLine = new CommandLine(List.of(args), ServeCommand.OPTIONS);
        final Settings bootstrap = new Settings(commandLine, env, Map.of());
        return ServeCommand.toConfig(new Settings(commandLine, env, Settings.readConfigFile(bootstrap.value(ServeCommand.CONFIG))));
    }

    @Test
    void helpListsEveryFlagWithItsDefaultAndEnvironmentTwin()
    {
        for (final String[] args : new String[][] {{"help", "serve"}, {"serve", "--help"}})
        {
            final String help = run(0, Map.of(), args);
            for (final Option option : ServeCommand.OPTIONS)
            {
                assertTrue(help.contains(option.flag()), option.flag() + " in " + String.join(" ", args));
                assertTrue(help.contains(option.env()), option.env());
                assertTrue(help.contains("default: " + (option.defaultValue() == null ? "(none)" : option.defaultValue())),
                    option.flag() + " default");
            }
        }
        assertTrue(run(0, Map.of(), "--help").contains("journal "));
    }

    @Test
    void embeddedDefaults()
    {
        final EngineConfig config = config(Map.of());
        assertEquals(8080, config.port());
        assertEquals(Path.of("./data"), config.dataDir());
        assertEquals(List.of("localhost"), config.sites().stream().map(Site::domain).toList());
        assertEquals(20.0, config.ingestRateLimit());
        assertEquals(40, config.ingestBurst());
        assertEquals(16 * 1024, config.maxBody());
        assertTrue(config.trustedProxies().isEmpty());
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception
    {
        final Path file = dir.resolve("tally.json");
        Files.writeString(file, "{\"ingest_rate_limit\": 5, \"ingest_burst\": 7, \"max_body\": \"32k\", \"port\": 9000," +
            " \"trusted_proxies\": [\"10.0.0.0/8\"], \"sites\": [{\"domain\": \"Shop.Example\", \"aliases\": [\"shop.example.net\"]," +
            " \"time_zone\": \"Europe/Berlin\"}, \"blog.example\"]}");
        final EngineConfig fromFile = config(Map.of(), "--config", file.toString());
        assertEquals(5.0, fromFile.ingestRateLimit());
        assertEquals(7, fromFile.ingestBurst());
        assertEquals(32 * 1024, fromFile.maxBody());
        assertEquals(9000, fromFile.port());
        assertEquals(List.of("shop.example", "blog.example"), fromFile.sites().stream().map(Site::domain).toList());
        assertEquals(List.of("shop.example.net"), fromFile.sites().get(0).aliases());
        assertEquals("Europe/Berlin", fromFile.sites().get(0).timeZone());
        assertEquals("10.0.0.0/8", fromFile.trustedProxies().toString());

        final Map<String, String> env = Map.of("TALLY_CONFIG", file.toString(), "TALLY_INGEST_RATE_LIMIT", "50",
            "TALLY_SITES", "a.example, b.example", "TALLY_MAX_BODY", "1m");
        final EngineConfig fromEnv = config(env);
        assertEquals(50.0, fromEnv.ingestRateLimit(), "environment beats file");
        assertEquals(7, fromEnv.ingestBurst(), "file still fills what the environment leaves");
        assertEquals(1024 * 1024, fromEnv.maxBody());
        assertEquals(List.of("a.example", "b.example"), fromEnv.sites().stream().map(Site::domain).toList());

        final EngineConfig fromFlags = config(env, "--ingest-rate-limit", "0", "--site", "c.example", "--site=d.example",
            "--ingest-burst=3", "--trusted-proxies", "127.0.0.1,::1");
        assertEquals(0.0, fromFlags.ingestRateLimit(), "flag beats environment");
        assertEquals(3, fromFlags.ingestBurst());
        assertEquals(List.of("c.example", "d.example"), fromFlags.sites().stream().map(Site::domain).toList());
        assertEquals("127.0.0.1,::1", fromFlags.trustedProxies().toString());
    }

    @Test
    void keepBotsIsASwitchWithAnEnvironmentTwinAndAFileKey() throws Exception
    {
        assertFalse(config(Map.of()).keepBots(), "robots are dropped by default");
        assertTrue(config(Map.of(), "--keep-bots").keepBots(), "given alone, the switch is on");
        assertTrue(config(Map.of(), "--keep-bots", "--port", "9000").keepBots(), "and takes no value from the next flag");
        assertEquals(9000, config(Map.of(), "--keep-bots", "--port", "9000").port());
        assertFalse(config(Map.of("TALLY_KEEP_BOTS", "true"), "--keep-bots=false").keepBots(), "a flag beats the environment");
        assertTrue(config(Map.of("TALLY_KEEP_BOTS", "TRUE")).keepBots());
        final Path file = dir.resolve("bots.json");
        Files.writeString(file, "{\"keep_bots\": true}");
        assertTrue(config(Map.of(), "--config", file.toString()).keepBots());
        assertTrue(run(2, Map.of("TALLY_KEEP_BOTS", "yes"), "serve").contains("--keep-bots must be true or false"));
        assertFalse(run(0, Map.of(), "serve", "--help").contains("--keep-bots VALUE"), "no VALUE after a switch");
    }

    @Test
    void badInputIsAClearUsageErrorWithExitCode2()
    {
        assertTrue(run(2, Map.of(), "serve", "--port", "seventy").contains("--port must be a whole number"));
        assertTrue(run(2, Map.of(), "serve", "--nope", "1").contains("unknown flag --nope"));
        assertTrue(run(2, Map.of(), "serve", "--port").contains("--port needs a value"));
        assertTrue(run(2, Map.of(), "serve", "--ingest-rate-limit", "-1").contains("--ingest-rate-limit must be a number >= 0"));
        assertTrue(run(2, Map.of(), "serve", "--trusted-proxies", "10.0.0.0/99").contains("bad prefix length"));
        assertTrue(run(2, Map.of(), "serve", "--config", dir.resolve("missing.json").toString()).contains("cannot read config file"));
        assertTrue(run(2, Map.of(), "serve", "--max-body", "lots").contains("--max-body must be a size"));
        assertTrue(run(2, Map.of(), "frobnicate").contains("unknown command"));
        assertThrows(UsageException.class, () -> config(Map.of(), "--port", "1", "--port", "2"));
    }

    @Test
    void rollupRebuildRecomputesTheCheckpointFromTheJournal() throws Exception
    {
        final Path data = dir.resolve("data");
        try (EngineProcess engine = EngineProcess.start(data, "--site", "shop.example", "--admin-token", "T");
            RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < 5; i++)
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"Rebuilt\",\"u\":\"https://shop.example/\"}", "User-Agent: u" + i)).status());
            }
            assertEquals(0, engine.terminate());
        }
        Files.writeString(data.resolve("rollups.ckpt"), "damaged");
        assertTrue(run(0, Map.of(), "rollup", "rebuild", "--data-dir", data.toString()).contains("from 5 journal records"));
        final Rollups rebuilt;
        try (Journal journal = Journal.openForReading(data))
        {
            rebuilt = new RollupCheckpoint(new StateFiles(data)).load(journal);
        }
        final RangeTotals totals = rebuilt.totals("shop.example", 0, Long.MAX_VALUE / 2);
        assertEquals(5, totals.events());
        assertEquals(5, totals.visitors());
        final String inspected = run(0, Map.of(), "rollup", "inspect", "--data-dir", data.toString());
        assertTrue(inspected.contains("shop.example") && inspected.contains("open day") && inspected.contains(" 5 ") &&
            inspected.contains("1 segments, 5 records"), inspected);
    }

    @Test
    void journalDumpReadsWhileTheEngineRuns() throws Exception
    {
        try (EngineProcess engine = EngineProcess.start(dir.resolve("data"), "--site", "shop.example");
            RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < 3; i++)
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"Live" + i + "\",\"u\":\"https://shop.example/\",\"ra\":1.5}")).status());
            }
            final Process dump = new ProcessBuilder(EngineProcess.javaCommand("journal", "dump", "--data-dir",
                dir.resolve("data").toString(), "--limit", "2")).redirectErrorStream(false).start();
            final String out = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(dump.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, dump.exitValue(), new String(dump.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            final String[] lines = out.strip().split("\n");
            assertEquals(2, lines.length, out);
            assertTrue(lines[0].contains("\"name\":\"Live0\"") && lines[1].contains("\"name\":\"Live1\""), out);
            assertTrue(lines[0].contains("\"revenue\":{\"amount\":\"1.5\",\"currency\":\"USD\"}"), out);
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"p\",\"u\":\"https://shop.example/after-dump\"}")).status(), "the engine goes on after a dump");
        }
    }
}
