package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.engine.backfill.GoalBackfill;
import io.tally.engine.site.Site;
import io.tally.explore.EventQueries;
import io.tally.explore.EventStore;
import io.tally.store.state.FreeSpace;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A goal backfilled over past events has the figures of a goal that existed all along: one engine, two sites fed
 * the same events (trusted events over four days, today included), site {@code a} with every goal from the start,
 * site {@code b} with only the first, the others added afterwards and backfilled (one through {@code tally goals
 * backfill}). Every report's goal figures (goals, KPIs, sources by touch, pages, audience, countries, the daily series,
 * each day alone) and the event store's goal columns are the same for both; running the backfill again appends
 * nothing; a backfill stopped midway and run again counts each event once.
 */
class GoalBackfillTest
{
    private static final String TOKEN = "admin-token-backfill";
    private static final String A = "a.example";
    private static final String B = "b.example";
    private static final long DAY = 86_400_000L;
    private static final String PRICING = "{\"name\": \"Pricing\", \"type\": \"pageview\", " +
        "\"conditions\": [{\"field\": \"path\", \"op\": \"starts_with\", \"value\": \"/pricing\"}]}";
    private static final String SIGNUP = "{\"name\": \"Signup\", \"type\": \"custom\", \"value\": {\"amount\": \"5\", " +
        "\"currency\": \"EUR\"}, \"conditions\": [{\"field\": \"event\", \"op\": \"equals\", \"value\": \"Signup\"}]}";
    private static final String PLANS = "{\"name\": \"Plans seen\", \"type\": \"pageview\", \"fire\": \"always\", " +
        "\"conditions\": [{\"field\": \"path\", \"op\": \"contains\", \"value\": \"pricing\"}]}";
    private static final String PRO = "{\"name\": \"Pro\", \"type\": \"custom\", \"weight\": 2, " +
        "\"conditions\": [{\"field\": \"prop_value\", \"key\": \"plan\", \"op\": \"equals\", \"value\": \"pro\"}]}";
    private static final String WARM = "warm.example";
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"};
    private static final List<String> LATER = List.of("Signup", "Plans seen", "Pro");

    @TempDir
    Path dataDir;

    @Test
    void aBackfilledGoalCountsAsIfItHadExistedAllAlong() throws Exception
    {
        final long now = System.currentTimeMillis();
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        final String range = "from=" + today.minusDays(4) + "&to=" + today;
        try (TestEngine engine = start(); EventQueries queries = new EventQueries(dataDir, 1))
        {
            for (final String goal : List.of(PRICING, SIGNUP, PLANS, PRO))
            {
                assertEquals(201, engine.call("POST", "/api/v1/sites/" + A + "/goals", goal, TOKEN).status());
            }
            assertEquals(201, engine.call("POST", "/api/v1/sites/" + B + "/goals", PRICING, TOKEN).status());
            final List<String> events = events(new Random(7), now);
            send(engine, A, events);
            send(engine, B, events);
            for (final String goal : List.of(SIGNUP, PLANS, PRO))
            {
                assertEquals(201, engine.call("POST", "/api/v1/sites/" + B + "/goals", goal, TOKEN).status());
            }
            engine.awaitRollups();
            assertNotEquals(reports(engine, A, range), reports(engine, B, range), "before the backfill, b lacks the goals");

            final Map<String, Object> signup = backfill(engine, "Signup", today.minusDays(4));
            assertTrue(((Number)signup.get("appended")).longValue() > 0, signup.toString());
            assertEquals(0L, ((Number)signup.get("already_backfilled")).longValue());
            backfill(engine, "Plans seen", today.minusDays(4));
            final String cli = run("goals", "backfill", "--site", B, "--url", "http://127.0.0.1:" + engine.port(), "--token", TOKEN,
                "Pro", "--from", today.minusDays(4).toString());
            assertTrue(cli.contains("\"appended\""), cli);
            engine.awaitRollups();
            assertEquals(reports(engine, A, range), reports(engine, B, range));
            awaitSealed(engine, (EventStore)engine.beside());
            assertEquals(storeFigures(queries, A, now), storeFigures(queries, B, now), "the event store counts them once too");
            assertEquals(0L, backfilledRows(queries, A, now));
            assertEquals(((Number)signup.get("matched")).longValue() > 0, backfilledRows(queries, B, now) > 0);

            for (final String goal : LATER)
            {
                final Map<String, Object> again = backfill(engine, goal, today.minusDays(4));
                assertEquals(0L, ((Number)again.get("appended")).longValue(), "a second run adds nothing: " + again);
                assertEquals(again.get("matched"), again.get("already_backfilled"), again.toString());
            }
            engine.awaitRollups();
            assertEquals(reports(engine, A, range), reports(engine, B, range), "unchanged by the second run");
        }
    }

    @Test
    void aBackfillStoppedMidwayAndRunAgainCountsEachEventOnce() throws Exception
    {
        final long now = System.currentTimeMillis();
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        final String range = "from=" + today.minusDays(4) + "&to=" + today;
        try (TestEngine engine = start())
        {
            for (final String goal : List.of(PRICING, SIGNUP, PLANS, PRO))
            {
                assertEquals(201, engine.call("POST", "/api/v1/sites/" + A + "/goals", goal, TOKEN).status());
            }
            assertEquals(201, engine.call("POST", "/api/v1/sites/" + B + "/goals", PRICING, TOKEN).status());
            final List<String> events = events(new Random(11), now);
            send(engine, A, events);
            send(engine, B, events);
            for (final String goal : List.of(SIGNUP, PLANS, PRO))
            {
                assertEquals(201, engine.call("POST", "/api/v1/sites/" + B + "/goals", goal, TOKEN).status());
            }
            final String signup = "/api/v1/sites/" + B + "/goals/Signup/backfill?from=" + today.minusDays(4);
            assertEquals(401, engine.call("POST", signup, null, null).status(), "the admin token only");
            assertEquals(405, engine.call("GET", signup, null, TOKEN).status());
            assertEquals(404, engine.call("POST", "/api/v1/sites/" + B + "/goals/Nothing/backfill?from=" + today, null, TOKEN)
                .status());
            assertEquals(404, engine.call("POST", "/api/v1/sites/nobody.example/goals/Signup/backfill?from=" + today, null,
                TOKEN).status());
            assertEquals(400, engine.call("POST", "/api/v1/sites/" + B + "/goals/Signup/backfill", null, TOKEN).status(),
                "from is required");
            assertEquals(400, engine.call("POST", signup + "&to=" + today.minusDays(5), null, TOKEN).status(), "to before from");
            assertEquals(400, engine.call("POST", signup + "&limit=3", null, TOKEN).status(), "an unknown parameter");
            // a run that stops after a few appends (its cap of claims and visitor-days reached), as a kill would
            final Engine stopped = new Engine(engine);
            final long fromMillis = today.minusDays(4).toEpochDay() * DAY;
            final long toMillis = (today.toEpochDay() + 1) * DAY;
            for (final String goal : LATER)
            {
                try
                {
                    stopped.small.run(B, goal, fromMillis, toMillis);
                }
                catch (final GoalBackfill.TooLargeException expected)
                {
                    // stopped midway: what it appended is in the journal
                }
            }
            final long partial = engine.dump().stream().filter(record -> record.containsKey("backfill_of")).count();
            assertTrue(partial > 0, "some conversions were appended before the stop");
        }
        // the engine restarts (rollups from their checkpoint and the journal, the conversion memory from the journal)
        try (TestEngine engine = start(); EventQueries queries = new EventQueries(dataDir, 1))
        {
            for (final String goal : LATER)
            {
                backfill(engine, goal, today.minusDays(4));
            }
            engine.awaitRollups();
            assertEquals(reports(engine, A, range), reports(engine, B, range));
            final List<Object> converted = new ArrayList<>();
            for (final Map<String, Object> record : engine.dump())
            {
                if (record.containsKey("backfill_of"))
                {
                    converted.add(record.get("backfill_of"));
                }
            }
            assertEquals(converted.size(), new java.util.HashSet<>(converted).size(), "no event is backfilled twice");
            awaitSealed(engine, (EventStore)engine.beside());
            assertEquals(storeFigures(queries, A, now), storeFigures(queries, B, now), "the event store counts each once");
        }
    }

    /** A backfill of the engine's goals whose cap is small: it stops after a few appends. */
    private record Engine(GoalBackfill small)
    {
        Engine(final TestEngine engine)
        {
            this(new GoalBackfill(engine.engine().journal(), engine.engine().goals(), new io.tally.engine.ingest.ConversionTracker(1024),
                engine.engine().clock(), 40));
        }
    }

    private TestEngine start()
    {
        return TestEngine.start(dataDir, builder -> builder.adminToken(TOKEN)
                .sites(List.of(new Site(A, List.of(), "UTC"), new Site(B, List.of(), "UTC"), new Site(WARM, List.of(), "UTC"))),
            engine -> new EventStore(dataDir, engine.journal(), 0, 100, engine.clock(), new FreeSpace(dataDir, 0)));
    }

    /** Trusted events over the last four days, today's before now: pageviews, signups, plans, from a few visitors. */
    private static List<String> events(final Random random, final long now)
    {
        final String[] paths = {"/", "/pricing", "/en/pricing", "/docs", "/pricing/team", "/blog"};
        final String[] referrers = {"", "https://news.example/", "https://search.example/?q=x"};
        final String[] agents = AGENTS;
        final List<String> lines = new ArrayList<>();
        for (int i = 0; i < 400; i++)
        {
            final long time = now - 3 * DAY - DAY / 2 + (long)i * (3 * DAY + DAY / 2 - 60_000) / 400;
            final String common = "\"ts\": " + time + ", \"vid\": \"v" + random.nextInt(12) + "\", \"ua\": " +
                Json.write(agents[random.nextInt(agents.length)]) + ", \"r\": " + Json.write(referrers[random.nextInt(referrers.length)]);
            final int kind = random.nextInt(10);
            if (kind < 6)
            {
                lines.add("{\"t\": \"p\", \"u\": \"https://SITE" + paths[random.nextInt(paths.length)] + "\", " + common + "}");
            }
            else
            {
                final String plan = random.nextBoolean() ? "pro" : "team";
                final String value = random.nextInt(3) == 0 ? ", \"v\": " + (random.nextInt(50) + 0.5) : "";
                final String revenue = random.nextInt(3) == 0 ? ", \"ra\": " + random.nextInt(100) + ".25, \"rc\": \"USD\"" : "";
                lines.add("{\"t\": \"e\", \"n\": \"" + (kind < 8 ? "Signup" : "Upgrade") + "\", \"u\": \"https://SITE/join\", " +
                    "\"mk\": [\"plan\"], \"mv\": [\"" + plan + "\"]" + value + revenue + ", " + common + "}");
            }
        }
        return lines;
    }

    private static void send(final TestEngine engine, final String site, final List<String> events) throws Exception
    {
        warmUserAgents(engine);
        final String token = engine.siteToken(site, TOKEN);
        final String body = String.join("\n", events).replace("SITE", site) + "\n";
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            final RawHttp.Answer answer = http.exchange(RawHttp.concat(("POST /api/v1/events HTTP/1.1\r\nHost: x\r\n" +
                "Content-Type: application/x-ndjson\r\nContent-Length: " + bytes.length + "\r\nAuthorization: Bearer " + token +
                "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), bytes));
            assertEquals(200, answer.status(), answer.body());
            assertTrue(answer.body().contains("\"accepted\":" + events.size()), answer.body());
        }
    }

    /**
     * Both sites' events classified alike: a User-Agent met for the first time in a batch is journaled unknown while
     * it is classified, so each is sent once to a third site first, and classified, before the sites' events.
     */
    private static void warmUserAgents(final TestEngine engine) throws Exception
    {
        final var classifier = engine.engine().ingestServices().screening().classifier();
        classifier.awaitReady();
        if (classifier.cache().size() >= AGENTS.length)
        {
            return;
        }
        final String token = engine.siteToken(WARM, TOKEN);
        for (final String agent : AGENTS)
        {
            final byte[] bytes = ("{\"t\": \"p\", \"u\": \"https://" + WARM + "/\", \"ua\": " + Json.write(agent) + "}\n")
                .getBytes(StandardCharsets.UTF_8);
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(200, http.exchange(RawHttp.concat(("POST /api/v1/events HTTP/1.1\r\nHost: x\r\n" +
                    "Content-Type: application/x-ndjson\r\nContent-Length: " + bytes.length + "\r\nAuthorization: Bearer " + token +
                    "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), bytes)).status());
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (classifier.cache().size() < AGENTS.length && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(classifier.cache().size() >= AGENTS.length, "the User-Agents are classified");
    }

    private static Map<String, Object> backfill(final TestEngine engine, final String goal, final LocalDate from)
        throws Exception
    {
        final RawHttp.Answer answer = engine.call("POST", "/api/v1/sites/" + B + "/goals/" +
            goal.replace(" ", "%20") + "/backfill?from=" + from, null, TOKEN);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    /** Every report that counts goals, over the range and over each day alone, without the site's name. */
    private static Map<String, Object> reports(final TestEngine engine, final String site, final String range) throws Exception
    {
        final Map<String, Object> all = new LinkedHashMap<>();
        final List<String> reports = new ArrayList<>(List.of("goals", "kpis", "browsers", "devices", "countries",
            "timeseries?metric=conversions&interval=day"));
        for (final String goal : List.of("Pricing", "Signup", "Plans%20seen", "Pro"))
        {
            reports.add("sources?goal=" + goal + "&touch=first");
            reports.add("sources?goal=" + goal + "&touch=last&dimension=referrer");
            reports.add("pages?goal=" + goal);
        }
        for (final String report : reports)
        {
            final String separator = report.contains("?") ? "&" : "?";
            final Map<String, Object> body = engine.stats(site, report + separator + range);
            body.remove("site");
            all.put(report, body);
        }
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int day = 0; day <= 4; day++)
        {
            final String date = today.minusDays(day).toString();
            final Map<String, Object> body = engine.stats(site, "goals?from=" + date + "&to=" + date);
            body.remove("site");
            all.put("goals " + date, body);
        }
        return all;
    }

    private static void awaitSealed(final TestEngine engine, final EventStore store) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (store.counters().position() < engine.engine().journal().lastIndex() && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(engine.engine().journal().lastIndex(), store.counters().position(), "sealed");
    }

    /** Per goal: matches, conversions, first matches, converting visitors, value, revenue, from the event store. */
    private static List<String> storeFigures(final EventQueries queries, final String site, final long now) throws Exception
    {
        return queries.query(site, now - 5 * DAY, now + DAY,
            "SELECT goal, count(*), count(*) FILTER (conversion), count(*) FILTER (goal_first), " +
                "count(DISTINCT visitor_id) FILTER (conversion), sum(goal_value), sum(revenue) " +
                "FROM events GROUP BY goal ORDER BY goal NULLS FIRST", rows ->
            {
                final List<String> list = new ArrayList<>();
                while (rows.next())
                {
                    final StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= 7; i++)
                    {
                        row.append(rows.getString(i)).append('|');
                    }
                    list.add(row.toString());
                }
                return list;
            });
    }

    private static long backfilledRows(final EventQueries queries, final String site, final long now) throws Exception
    {
        return queries.query(site, now - 5 * DAY, now + DAY, "SELECT count(*) FROM events WHERE backfilled", rows ->
        {
            rows.next();
            return rows.getLong(1);
        });
    }

    private static String run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int exit = Main.run(List.of(args), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
        final String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        return text;
    }
}
