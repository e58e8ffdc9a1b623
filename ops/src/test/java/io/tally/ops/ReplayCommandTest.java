package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tally token} and {@code tally replay} against a running engine: batches, gzip, errors by line, repeats. */
class ReplayCommandTest
{
    @TempDir
    Path dir;

    private static String run(final int expectedExit, final List<String> args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, text);
        return text;
    }

    @Test
    void aReplayStoresEachEventOnceAndReportsBadLinesByFileAndLine() throws Exception
    {
        final Path data = dir.resolve("data");
        final Path plain = dir.resolve("a.ndjson");
        final Path gz = dir.resolve("b.ndjson.gz");
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_500; i++)
        {
            lines.append(i == 1_234 ? "{\"t\":\"e\",\"u\":\"https://shop.example/\"}" :
                "{\"t\":\"e\",\"n\":\"Old\",\"u\":\"https://shop.example/\",\"ts\":" + (1_790_000_000_000L + i * 60_000L) +
                    ",\"id\":\"a-" + i + "\",\"vid\":\"c" + (i % 100) + "\"}").append('\n');
        }
        Files.writeString(plain, lines);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz)))
        {
            out.write(lines.toString().replace("\"a-", "\"b-").getBytes(StandardCharsets.UTF_8));
        }
        try (EngineProcess engine = EngineProcess.start(data, "--site", "shop.example", "--admin-token", "T"))
        {
            final String url = "http://127.0.0.1:" + engine.port();
            final String created = run(0, List.of("token", "create", "--site", "shop.example", "--url", url, "--token", "T", "--json"));
            final String token = (String)Json.parseObject(created.strip()).get("token");
            assertTrue(run(0, List.of("token", "list", "--site", "shop.example", "--url", url, "--token", "T")).contains("tok_"));

            final List<String> replay = List.of("replay", plain.toString(), gz.toString(), "--url", url, "--token", token,
                "--batch-lines", "300", "--connections", "3");
            final String first = run(3, replay);
            assertTrue(first.contains("4,998 accepted, 0 duplicates, 2 rejected"), first);
            assertTrue(first.contains("the engine rejected some lines: see above (exit code 3)"), first);
            assertTrue(first.contains(plain + ":1235: missing_field"), first);
            assertTrue(first.contains(gz + ":1235: missing_field"), first);
            assertFalse(first.contains("warning"), first);

            final String second = run(3, replay);
            assertTrue(second.contains("0 accepted, 4,998 duplicates, 2 rejected"), "a second run stores nothing: " + second);

            final String wrong = run(1, List.of("replay", plain.toString(), "--url", url, "--token", "tally_forged"));
            assertTrue(wrong.contains(plain + " from line 1: " + url + "/api/v1/events answered 401: ") &&
                wrong.contains("the site token was refused; check --token or TALLY_SITE_TOKEN"), wrong);
            assertTrue(wrong.contains("the replay did not finish: see above (exit code 1)"), wrong);
        }
        final List<Map<String, Object>> records = TestEngine.dump(data);
        assertEquals(4_998, records.size());
        assertEquals(4_998, records.stream().map(r -> r.get("id")).distinct().count());
    }

    @Test
    void aReplayPastTheEnginesKeyBoundSaysSoAndWhatARepeatWouldStore() throws Exception
    {
        final Path file = dir.resolve("c.ndjson");
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 2_000; i++)
        {
            lines.append("{\"t\":\"p\",\"u\":\"https://shop.example/\",\"id\":\"c-").append(i).append("\",\"vid\":\"v\"}\n");
        }
        Files.writeString(file, lines);
        try (EngineProcess engine = EngineProcess.start(dir.resolve("data"), "--site", "shop.example", "--admin-token", "T",
            "--max-idempotency-keys", "64"))
        {
            final String url = "http://127.0.0.1:" + engine.port();
            final String created = run(0, List.of("token", "create", "--site", "shop.example", "--url", url, "--token", "T", "--json"));
            final String token = (String)Json.parseObject(created.strip()).get("token");
            final List<String> replay = List.of("replay", file.toString(), "--url", url, "--token", token);

            final String first = run(0, replay);
            assertTrue(first.contains("2,000 accepted"), first);
            assertTrue(first.contains("warning: the engine stored 1,936 ids it could not remember"),
                "64 stripes of one key each remember 64 of 2,000: " + first);
            final String second = run(0, replay);
            assertTrue(second.contains("1,936 accepted, 64 duplicates"), second);
        }
    }
}
