package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a person meets at the command line: help, typos, errors that say why, tokens' sources, exit codes. */
class CliUsabilityTest
{
    @TempDir
    Path dir;

    /** What one run printed on each stream, and its exit code. */
    record Result(int exit, String out, String err)
    {
        List<String> errLines()
        {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    static Result run(final Map<String, String> env, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exit = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(final String... args)
    {
        return run(Map.of(), args);
    }

    /** A usage error: exit code 2, exactly one line on stderr, nothing on stdout. */
    private static void assertUsageError(final String expected, final String... args)
    {
        final Result result = run(args);
        assertEquals(2, result.exit(), result.err());
        assertEquals(expected + "\n", result.err(), String.join(" ", args));
        assertEquals("", result.out());
    }

    @Test
    void theTopLevelHelpIsShortAndNamesEveryCommandInALine()
    {
        final Result bare = run();
        final Result help = run("--help");
        assertEquals(0, bare.exit());
        assertEquals(bare.out(), help.out(), "./tally alone shows the same help");
        assertEquals(bare.out(), run("help").out());
        final String[] lines = help.out().split("\n");
        assertTrue(lines.length < 30, lines.length + " lines:\n" + help.out());
        for (final Main.Command command : Main.COMMANDS)
        {
            assertTrue(help.out().contains("\n  " + command.name() + " "), command.name());
        }
        assertFalse(help.out().contains("--port"), "flags are in each command's own help");
        assertTrue(help.out().contains("Exit codes: 0"), help.out());
    }

    @Test
    void eachCommandHasItsFullHelpBothWays()
    {
        for (final Main.Command command : Main.COMMANDS)
        {
            final Result flag = run(command.name(), "--help");
            final Result word = run("help", command.name());
            assertEquals(0, flag.exit(), command.name());
            assertEquals(0, word.exit(), command.name());
            assertEquals(flag.out(), word.out(), command.name());
            for (final Option option : command.options())
            {
                assertTrue(flag.out().contains(option.flag()) && flag.out().contains(option.env()), command.name() + " " + option.flag());
            }
        }
        assertTrue(run("serve", "--help").out().split("\n").length > 60, "serve's help lists its every flag");
    }

    @Test
    void aMistypedCommandIsOneLineWithTheClosestCommandAndExitCode2()
    {
        assertUsageError("tally: unknown command 'serv'; did you mean serve?", "serv");
        assertUsageError("tally: unknown command 'gaols'; did you mean goals?", "gaols");
        assertUsageError("tally: unknown command 'limit'; did you mean limits?", "limit");
        assertUsageError("tally: unknown command 'frobnicate'; tally --help lists the commands", "frobnicate");
        assertUsageError("tally: unknown command 'replya'; did you mean replay?", "help", "replya");
    }

    @Test
    void aMistypedFlagNamesTheClosestFlag()
    {
        assertUsageError("tally serve: unknown flag --prot; did you mean --port?", "serve", "--prot", "9000");
        assertUsageError("tally serve: unknown flag --data-drr; did you mean --data-dir?", "serve", "--data-drr=x");
        assertUsageError("tally serve: unknown flag -port; did you mean --port?", "serve", "-port", "9000");
        assertUsageError("tally goals: unknown flag --sit; did you mean --site?", "goals", "list", "--sit", "x");
        assertUsageError("tally serve: unknown flag --nope (--help lists the flags)", "serve", "--nope", "1");
    }

    @Test
    void aMistypedSubcommandNamesTheClosestOne()
    {
        assertUsageError("tally goals: unknown goals command 'lsit'; did you mean list? (one of list, show, add, replace, rm, order, backfill)",
            "goals", "lsit", "--site", "x", "--token", "t");
        assertUsageError("tally token: unknown token command 'revok'; did you mean revoke? (one of create, list, revoke)",
            "token", "revok", "--site", "x", "--token", "t");
        assertUsageError("tally limits: unknown limits command 'sett'; did you mean set? (one of show, set, rm)",
            "limits", "sett", "--token", "t");
        assertUsageError("tally journal: unknown journal command 'dupm'; did you mean dump? (one of dump)", "journal", "dupm");
        assertUsageError("tally rollup: unknown rollup command 'rebiuld'; did you mean rebuild? (one of rebuild, inspect)",
            "rollup", "rebiuld");
        assertUsageError("tally events: unknown events command 'rebuilt'; did you mean rebuild? (one of rebuild)", "events", "rebuilt");
    }

    @Test
    void aFileThatCannotBeReadIsNamedWithTheReason() throws Exception
    {
        final Path missing = dir.resolve("missing.json");
        assertUsageError("tally serve: cannot read config file " + missing + ": no such file", "serve", "--config", missing.toString());
        assertUsageError("tally serve: cannot read config file " + dir + ": is a directory", "serve", "--config", dir.toString());
        assertUsageError("tally replay: cannot read " + missing + ": no such file", "replay", missing.toString(), "--token", "t");
        assertUsageError("tally journal: --data-dir " + missing + ": no such directory (give the engine's data dir)",
            "journal", "dump", "--data-dir", missing.toString());
        assertUsageError("tally goals: cannot read the goal from " + missing + ": no such file",
            "goals", "add", "--site", "s", "--token", "t", missing.toString());
        final Result noJournal = run("journal", "dump", "--data-dir", dir.toString());
        assertEquals(1, noJournal.exit());
        assertTrue(noJournal.err().startsWith("tally journal: no journal in " + dir), noJournal.err());
    }

    @Test
    void anEngineThatCannotBeReachedIsNamedWithTheReason() throws Exception
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0))
        {
            closedPort = socket.getLocalPort();
        }
        final Result refused = run("goals", "list", "--site", "shop.example", "--url", "http://127.0.0.1:" + closedPort,
            "--token", "t");
        assertEquals(1, refused.exit());
        assertEquals("tally: cannot reach http://127.0.0.1:" + closedPort + "/api/v1/sites/shop.example/goals: connection " +
            "refused by 127.0.0.1:" + closedPort + " (is the engine running there?)\n", refused.err());

        final Result unknownHost = run("limits", "--url", "http://no-such-host.invalid:8080", "--token", "t");
        assertEquals(1, unknownHost.exit());
        assertEquals("tally: cannot reach http://no-such-host.invalid:8080/api/v1/limits: unknown host 'no-such-host.invalid' " +
            "(DNS lookup failed)\n", unknownHost.err());

        final URI uri = URI.create("http://10.0.0.1:8080/api/v1/limits");
        assertEquals("timed out connecting to 10.0.0.1:8080",
            ErrorReasons.ofRequest(new HttpConnectTimeoutException("HTTP connect timed out"), uri));
        assertEquals("timed out waiting for the answer", ErrorReasons.ofRequest(new HttpTimeoutException("request timed out"), uri));

        assertUsageError("tally goals: --url must be http://HOST:PORT or https://HOST:PORT: 'localhost:8080'",
            "goals", "list", "--site", "s", "--token", "t", "--url", "localhost:8080");
    }

    @Test
    void anAddressInUseIsSaidAndServeExits() throws Exception
    {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress()))
        {
            final Result result = run("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()),
                "--data-dir", dir.toString(), "--min-free-space", "16m");
            assertEquals(1, result.exit(), result.err());
            assertEquals("tally serve: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use " +
                "(--host, --port)", result.errLines().get(result.errLines().size() - 1));
        }
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("tally-io-") && t.isAlive()),
            "no event loop is left running to keep the process alive");
    }

    @Test
    void theAdminTokenReadFromAFileIsSaidAndARefusedOneExplained() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dir))
        {
            final String url = "http://127.0.0.1:" + engine.port();
            final Result fromFile = run("goals", "list", "--site", "shop.example", "--url", url, "--data-dir", dir.toString());
            assertEquals(0, fromFile.exit(), fromFile.err());
            assertEquals(List.of("tally: using the admin token in " + dir.resolve("admin-token")), fromFile.errLines());

            final String token = Files.readString(dir.resolve("admin-token")).trim();
            final Result given = run("goals", "list", "--site", "shop.example", "--url", url, "--token", token);
            assertEquals(0, given.exit(), given.err());
            assertEquals("", given.err(), "a token given is not announced");

            final Result refused = run("goals", "list", "--site", "shop.example", "--url", url, "--token", "wrong");
            assertEquals(1, refused.exit());
            assertTrue(refused.err().startsWith("tally: GET " + url + "/api/v1/sites/shop.example/goals answered 401: "), refused.err());
            assertTrue(refused.err().contains("the admin token was refused; check --token, TALLY_ADMIN_TOKEN or --data-dir"),
                refused.err());
        }
        final Path empty = dir.resolve("elsewhere");
        Files.createDirectories(empty);
        assertUsageError("tally limits: no admin token: give --token or set TALLY_ADMIN_TOKEN, or point --data-dir at the " +
            "engine's data (cannot read " + empty.resolve("admin-token") + ": no such file)", "limits", "--data-dir", empty.toString());
    }

    @Test
    void environmentVariablesMeanOneThingAndTheOldNamesWarn() throws Exception
    {
        final List<String> sites = ServeCommand.sites(settings(Map.of("TALLY_SITES", "a.example,b.example")), List.of())
            .stream().map(site -> site.domain()).toList();
        assertEquals(List.of("a.example", "b.example"), sites);
        assertEquals(List.of("old.example"), ServeCommand.sites(settings(Map.of("TALLY_SITE", "old.example")), List.of())
            .stream().map(site -> site.domain()).toList(), "the old name still works for a release");
        assertEquals(List.of("new.example"), ServeCommand.sites(settings(Map.of("TALLY_SITE", "old.example",
            "TALLY_SITES", "new.example")), List.of()).stream().map(site -> site.domain()).toList(), "the new name wins");

        final Result old = run(Map.of("TALLY_SITE", "old.example"), "serve", "--port", "seventy");
        assertEquals(2, old.exit());
        assertEquals(List.of("tally serve: warning: TALLY_SITE is deprecated here: set TALLY_SITES (--site) instead; the old " +
            "name works until the next release", "tally serve: --port must be a whole number: 'seventy'"), old.errLines());
        final Result both = run(Map.of("TALLY_SITE", "old.example", "TALLY_SITES", "new.example"), "serve", "--port", "x");
        assertEquals("tally serve: warning: TALLY_SITE is ignored: TALLY_SITES (--site) is set", both.errLines().get(0));
        assertEquals(List.of("tally serve: --port must be a whole number: 'x'"),
            run(Map.of("TALLY_SITES", "new.example"), "serve", "--port", "x").errLines(), "no warning for the new name");

        try (TestEngine engine = TestEngine.start(dir))
        {
            final String token = Files.readString(dir.resolve("admin-token")).trim();
            final String url = "http://127.0.0.1:" + engine.port();
            final Result admin = run(Map.of("TALLY_ADMIN_TOKEN", token, "TALLY_SITE", "shop.example", "TALLY_URL", url),
                "goals", "list");
            assertEquals(0, admin.exit(), admin.err());
            assertEquals("", admin.err(), "TALLY_SITE names the site goals change: no warning there");
            final Result oldToken = run(Map.of("TALLY_TOKEN", token, "TALLY_URL", url), "goals", "list", "--site", "shop.example");
            assertEquals(0, oldToken.exit(), oldToken.err());
            assertEquals(List.of("tally goals: warning: TALLY_TOKEN is deprecated here: set TALLY_ADMIN_TOKEN (--token) " +
                "instead; the old name works until the next release"), oldToken.errLines());

            final String siteToken = engine.siteToken("shop.example", token);
            final Path events = dir.resolve("events.ndjson");
            Files.writeString(events, "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/\",\"id\":\"e-1\",\"vid\":\"v\"}\n");
            final Result replayed = run(Map.of("TALLY_SITE_TOKEN", siteToken, "TALLY_URL", url), "replay", events.toString());
            assertEquals(0, replayed.exit(), replayed.out() + replayed.err());
            assertEquals("", replayed.err());
            final Result oldReplay = run(Map.of("TALLY_TOKEN", siteToken, "TALLY_URL", url), "replay", events.toString());
            assertEquals(0, oldReplay.exit(), oldReplay.out() + oldReplay.err());
            assertEquals(List.of("tally replay: warning: TALLY_TOKEN is deprecated here: set TALLY_SITE_TOKEN (--token) " +
                "instead; the old name works until the next release"), oldReplay.errLines());
            assertTrue(oldReplay.out().contains("0 accepted, 1 duplicates"), oldReplay.out());
        }
    }

    private static Settings settings(final Map<String, String> env)
    {
        return new Settings(new CommandLine(List.of(), ServeCommand.OPTIONS), env, Map.of());
    }

    @Test
    void listsAreTablesAndJsonForScripts() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dir))
        {
            final List<String> common = List.of("--site", "shop.example", "--url", "http://127.0.0.1:" + engine.port(),
                "--data-dir", dir.toString());
            assertEquals("no goals\n", run(concat(List.of("goals", "list"), common)).out());
            assertEquals(0, run(concat(List.of("goals", "add"), common, List.of("{\"name\":\"Pricing\",\"type\":\"pageview\"," +
                "\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\",\"value\":\"/pricing\"}]}"))).exit());
            assertEquals(0, run(concat(List.of("goals", "add"), common, List.of("{\"name\":\"Big order\",\"type\":\"custom\"," +
                "\"match\":\"any\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Order\"}," +
                "{\"field\":\"prop_value\",\"key\":\"plan\",\"op\":\"equals\",\"value\":\"team\"}]}"))).exit());

            final Result table = run(concat(List.of("goals", "list"), common));
            assertEquals(0, table.exit(), table.err());
            assertEquals(List.of(
                "priority  name       kind   type      fire  matches",
                "       1  Pricing    micro  pageview  once  path starts_with /pricing",
                "       2  Big order  micro  custom    once  event equals Order or prop_value[plan] equals team"),
                List.of(table.out().split("\n")));
            final Map<String, Object> json = Json.parseObject(run(concat(List.of("goals", "list", "--json"), common)).out().strip());
            assertEquals(List.of("Pricing", "Big order"), ((List<?>)json.get("goals")).stream()
                .map(goal -> ((Map<?, ?>)goal).get("name")).toList());

            assertEquals("no site tokens\n", run(concat(List.of("token", "list"), common)).out());
            final Result created = run(concat(List.of("token", "create"), common));
            assertTrue(created.out().startsWith("site token for shop.example (id "), created.out());
            final String id = created.out().substring(created.out().indexOf("(id ") + 4, created.out().indexOf(';'));
            final String[] tokens = run(concat(List.of("token", "list"), common)).out().split("\n");
            assertEquals(2, tokens.length, String.join("\n", tokens));
            assertTrue(tokens[0].matches("id +created") && tokens[1].startsWith(id + "  "), String.join("\n", tokens));
            final Map<String, Object> listed = Json.parseObject(run(concat(List.of("token", "list", "--json"), common)).out().strip());
            assertEquals(id, ((Map<?, ?>)((List<?>)listed.get("tokens")).get(0)).get("id"));
        }
    }

    @Test
    void limitsRmRemovesASitesOverrideOnTheRunningEngine() throws Exception
    {
        try (TestEngine engine = TestEngine.start(dir))
        {
            final List<String> common = List.of("--url", "http://127.0.0.1:" + engine.port(), "--data-dir", dir.toString());
            final Result set = run(concat(List.of("limits", "set", "--site", "shop.example", "--rate", "500", "--burst", "1000"), common));
            assertEquals(0, set.exit(), set.err());
            assertTrue(set.out().contains("site shop.example: 500 requests/s, burst 1000"), set.out());
            assertEquals(Map.of("shop.example", 500), overrides(engine, common));

            final Result removed = run(concat(List.of("limits", "rm", "--site", "shop.example"), common));
            assertEquals(0, removed.exit(), removed.err());
            assertFalse(removed.out().contains("site shop.example"), removed.out());
            assertEquals(Map.of(), overrides(engine, common), "the engine itself has no override left");
            assertEquals(Map.of(), engine.engine().limiters().overrideSettings(), "nor its limiters");

            final Result unknown = run(concat(List.of("limits", "rm", "--site", "nosuch.example"), common));
            assertEquals(1, unknown.exit());
            assertTrue(unknown.err().contains("answered 400: sites: no site 'nosuch.example' is configured (invalid_limits)"),
                unknown.err());
            assertUsageError("tally limits: limits rm needs --site S: the site whose override to remove", "limits", "rm",
                "--token", "t");
        }
    }

    /** The overrides' rates by site, from {@code limits --json}. */
    private static Map<String, Object> overrides(final TestEngine engine, final List<String> common)
    {
        final Result shown = run(concat(List.of("limits", "--json"), common));
        assertEquals(0, shown.exit(), shown.err());
        final Map<String, Object> sites = new java.util.TreeMap<>();
        ((Map<?, ?>)Json.parseObject(shown.out().strip()).get("sites")).forEach((site, limiter) ->
            sites.put((String)site, ((java.math.BigDecimal)((Map<?, ?>)limiter).get("rate_per_second")).intValueExact()));
        return sites;
    }

    private static Result run(final List<String> args)
    {
        return run(args.toArray(String[]::new));
    }

    @SafeVarargs
    private static List<String> concat(final List<String>... parts)
    {
        final List<String> all = new ArrayList<>();
        for (final List<String> part : parts)
        {
            all.addAll(part);
        }
        return all;
    }
}
