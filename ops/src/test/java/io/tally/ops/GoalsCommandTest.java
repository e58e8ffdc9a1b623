package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tally goals ...} against a running engine, and goals seeded from the config file. */
class GoalsCommandTest
{
    @TempDir
    Path dir;

    private static String run(final int expectedExit, final Map<String, String> env, final List<String> args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, exit, text);
        return text;
    }

    @Test
    void addListOrderAndRemoveGoalsThenSeeOneInTheDump() throws Exception
    {
        final Path data = dir.resolve("data");
        final Path config = dir.resolve("tally.json");
        Files.writeString(config, "{\"sites\":[{\"domain\":\"shop.example\",\"goals\":[{\"name\":\"Pricing\",\"type\":\"pageview\"," +
            "\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\",\"value\":\"/pricing\"}]}]}]}");
        try (EngineProcess engine = EngineProcess.start(data, "--config", config.toString()))
        {
            final String url = "http://127.0.0.1:" + engine.port();
            final List<String> common = List.of("--site", "shop.example", "--url", url, "--data-dir", data.toString(), "--json");
            assertTrue(engine.log().contains("admin token (made now"), "a made token is announced once");

            run(0, Map.of(), concat(List.of("goals", "add"), common, List.of("{\"name\":\"Signup\",\"type\":\"custom\"," +
                "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}")));
            final Path goalFile = dir.resolve("goal.json");
            Files.writeString(goalFile, "{\"name\":\"Docs\",\"kind\":\"event\",\"counts_as_conversion\":false,\"type\":\"pageview\"," +
                "\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\",\"value\":\"/docs\"}]}");
            run(0, Map.of(), concat(List.of("goals", "add"), common, List.of(goalFile.toString())));
            final String bad = run(1, Map.of(), concat(List.of("goals", "add"), common, List.of("{\"name\":\"Bad\",\"type\":\"custom\"," +
                "\"conditions\":[{\"field\":\"event\",\"op\":\"sounds_like\",\"value\":\"x\"}]}")));
            assertTrue(bad.contains("conditions[0].op"), bad);
            assertTrue(bad.contains("tally: using the admin token in " + data.resolve("admin-token")), bad);

            String list = run(0, Map.of(), concat(List.of("goals", "list"), common, List.of()));
            assertTrue(list.indexOf("\"Pricing\"") < list.indexOf("\"Signup\"") && list.indexOf("\"Signup\"") < list.indexOf("\"Docs\""), list);
            run(0, Map.of(), concat(List.of("goals", "order"), common, List.of("Docs", "Signup", "Pricing")));
            list = run(0, Map.of(), concat(List.of("goals", "list"), common, List.of()));
            assertTrue(list.indexOf("\"Docs\"") < list.indexOf("\"Signup\"") && list.indexOf("\"Signup\"") < list.indexOf("\"Pricing\""), list);
            run(0, Map.of(), concat(List.of("goals", "rm"), common, List.of("Docs")));
            assertTrue(!run(0, Map.of(), concat(List.of("goals", "list"), common, List.of())).contains("\"Docs\""));

            final String denied = run(1, Map.of(), List.of("goals", "list", "--site", "shop.example", "--url", url, "--token", "nope"));
            assertTrue(denied.contains("answered 401") && denied.contains("the admin token was refused"), denied);

            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}")).status());
                assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"p\",\"u\":\"https://shop.example/pricing/team\"}")).status());
            }
        }
        final List<Map<String, Object>> records = TestEngine.dump(data);
        assertEquals("Signup", records.get(0).get("goal"));
        assertEquals("Pricing", records.get(1).get("goal"), "the config file's goal was seeded");
    }

    @Test
    void goalsNamedWithPercentSlashPlusOrNonAsciiAreAddedShownReplacedAndRemovedByName() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dir, b -> b.adminToken("goals-token")))
        {
            final List<String> common = List.of("--site", "shop.example", "--url", "http://127.0.0.1:" + engine.port(),
                "--token", "goals-token", "--json");
            final List<String> names = List.of("100% off", "a/b", "a+b", "a b", "ü", "..");
            for (final String name : names)
            {
                run(0, Map.of(), concat(List.of("goals", "add"), common, List.of(goal(name, "Old"))));
            }
            for (final String name : names)
            {
                assertEquals(name, Json.parseObject(run(0, Map.of(), concat(List.of("goals", "show"), common, List.of(name))))
                    .get("name"), name);
                run(0, Map.of(), concat(List.of("goals", "replace"), common, List.of(name, goal(name, "New"))));
                final String shown = run(0, Map.of(), concat(List.of("goals", "show"), common, List.of(name)));
                assertTrue(shown.contains("\"New\"") && !shown.contains("\"Old\""), name + ": " + shown);
                run(0, Map.of(), concat(List.of("goals", "rm"), common, List.of(name)));
                final String gone = run(1, Map.of(), concat(List.of("goals", "show"), common, List.of(name))).strip();
                assertTrue(gone.startsWith("tally: GET http://127.0.0.1:" + engine.port() + "/api/v1/sites/shop.example/goals/" +
                    AdminClient.encode(name) + " answered 404: "), gone);
                assertTrue(gone.endsWith(": no goal named '" + name + "' (no_such_goal)"), gone);
            }
            assertEquals(List.of(), Json.parseObject(run(0, Map.of(), concat(List.of("goals", "list"), common, List.of())))
                .get("goals"));
        }
    }

    private static String goal(final String name, final String event)
    {
        return Json.write(Map.of("name", name, "type", "custom",
            "conditions", List.of(Map.of("field", "event", "op", "equals", "value", event))));
    }

    @Test
    void anInvalidGoalInTheConfigFileIsAUsageError() throws Exception
    {
        final Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"sites\":[{\"domain\":\"shop.example\",\"goals\":[{\"name\":\"X\",\"type\":\"custom\"," +
            "\"conditions\":[]}]}]}");
        final String error = run(2, Map.of(), List.of("serve", "--config", config.toString(), "--data-dir", dir.toString()));
        assertTrue(error.contains("config file " + config + ": sites[0].goals[0].conditions: must be a non-empty array"), error);
    }

    @SafeVarargs
    private static List<String> concat(final List<String>... parts)
    {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
