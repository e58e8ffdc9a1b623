package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.engine.api.AdminToken;
import io.tally.testing.JournalOracle;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL at random moments, again and again, under everything the engine does at once: beacons and trusted
 * batches on several connections, goal changes and stats queries through the admin API, rollup checkpoints every
 * 200 ms, webhook deliveries and their checkpoint. After each kill the engine restarts on the same data dir and
 * must have kept every promise: each event answered 202 (or counted in a batch's answer) is in the journal
 * exactly once, a trusted line sent again after a kill is stored once, nothing answered with an error is stored,
 * the rollups equal a count over the journal, no state file was set aside as damaged, and the goals are the ones
 * the admin API acknowledged. At the end every conversion in the journal has reached the webhook at least once.
 * <p>
 * The choices come from one seed, printed with any failure; {@code -Dtally.kill.seed=N} replays it (the
 * interleaving with the kill is the machine's, so a replay makes the same requests, not the same timing).
 */
class RandomKillTest
{
    static final String SEED_PROPERTY = "tally.kill.seed";

    private static final String SITE = KillWorkload.SITE;
    private static final int MIN_ROUNDS = 4;
    private static final int MAX_ROUNDS = 8;
    /** No new round starts after this, once MIN_ROUNDS are done: the test stays near two minutes on a busy machine. */
    private static final long ROUNDS_BUDGET_NANOS = TimeUnit.SECONDS.toNanos(80);
    private static final int MIN_KILL_DELAY_MILLIS = 150;
    private static final int MAX_KILL_DELAY_MILLIS = 2_500;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long DAY = TimeUnit.DAYS.toMillis(1);

    @TempDir
    Path dataDir;

    private final EventLedger events = new EventLedger();
    private final GoalLedger goals = new GoalLedger();
    private final List<KillWorkload.Batch> unansweredBatches = Collections.synchronizedList(new ArrayList<>());
    private String siteToken;

    @Test
    void everyPromiseSurvivesRandomKillsUnderMixedLoad() throws Exception
    {
        final long seed = Long.getLong(SEED_PROPERTY, new Random().nextLong());
        System.out.println("RandomKillTest: seed " + seed);
        try (WebhookReceiver receiver = new WebhookReceiver())
        {
            run(new Random(seed), receiver);
        }
        catch (final AssertionError | Exception failure)
        {
            throw new AssertionError("seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + "): " +
                failure.getMessage(), failure);
        }
    }

    private void run(final Random random, final WebhookReceiver receiver) throws Exception
    {
        final long start = System.nanoTime();
        int round = 0;
        while (round < MAX_ROUNDS && (round < MIN_ROUNDS || System.nanoTime() - start < ROUNDS_BUDGET_NANOS))
        {
            round++;
            try (EngineProcess engine = start())
            {
                assertRecovered(engine, round);
                if (round == 1)
                {
                    prepare(engine, receiver);
                }
                killUnderLoad(engine, round, random);
            }
        }
        try (EngineProcess engine = start())
        {
            assertRecovered(engine, round + 1);
            assertEveryConversionAnnounced(receiver);
            assertEquals(0, engine.terminate(), "a clean stop after the kills");
        }
        System.out.printf("RandomKillTest: %d kills, %d events in the ledger, %d webhook deliveries, %.1f s%n", round,
            events.size(), receiver.deliveries(), (System.nanoTime() - start) / 1e9);
    }

    private EngineProcess start() throws IOException, InterruptedException
    {
        return EngineProcess.start(dataDir, "--site", SITE, "--ingest-rate-limit", "0",
            "--rollup-checkpoint-interval", "200", "--notify-retry-base", "100");
    }

    /** Round one: a site token for the trusted batches, and the notify goal, both through the admin API. */
    private void prepare(final EngineProcess engine, final WebhookReceiver receiver) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer token = http.exchange(KillWorkload.request("POST", "/api/v1/sites/" + SITE + "/tokens",
                adminToken(), null));
            assertEquals(201, token.status(), token.body());
            siteToken = (String)Json.parseObject(token.body()).get("token");
            final String goal = Json.write(Map.of("name", KillWorkload.NOTIFY_GOAL, "type", "custom", "fire", "always",
                "conditions", List.of(Map.of("field", "event", "op", "equals", "value", KillWorkload.NOTIFY_GOAL)),
                "notify", List.of(Map.of("channel", "webhook", "target", receiver.url()))));
            goals.sending(list -> List.of(new GoalLedger.Goal(KillWorkload.NOTIFY_GOAL, KillWorkload.NOTIFY_GOAL)));
            final RawHttp.Answer created = http.exchange(KillWorkload.request("POST", "/api/v1/sites/" + SITE + "/goals",
                adminToken(), goal));
            assertEquals(201, created.status(), created.body());
            goals.acknowledgedLast();
        }
    }

    /** Runs the workload, kills the engine with SIGKILL after a random delay, and waits for every client to stop. */
    private void killUnderLoad(final EngineProcess engine, final int round, final Random random) throws Exception
    {
        final Queue<String> problems = new ConcurrentLinkedQueue<>();
        final AtomicBoolean killed = new AtomicBoolean();
        final KillWorkload workload = new KillWorkload(new KillWorkload.Context(engine.port(), adminToken(), siteToken,
            events, goals, unansweredBatches, problems, killed), round, random);
        final int delay = MIN_KILL_DELAY_MILLIS + random.nextInt(MAX_KILL_DELAY_MILLIS - MIN_KILL_DELAY_MILLIS);
        workload.start();
        Thread.sleep(delay);
        killed.set(true);
        engine.kill();
        assertFalse(engine.process().isAlive(), "round " + round + ": SIGKILL stopped the engine");
        assertTrue(workload.awaitEnd(20_000), "round " + round + ": every client saw its connection cut");
        assertEquals(List.of(), List.copyOf(problems), "round " + round + " (killed after " + delay + " ms)");
        System.out.println("RandomKillTest round " + round + ": killed after " + delay + " ms; " + workload.summary());
    }

    /**
     * What a restarted engine must show before it takes any new traffic: a healthy status with nothing set aside,
     * rollups that equal the journal, every event promise kept, and the acknowledged goals.
     */
    private void assertRecovered(final EngineProcess engine, final int round) throws Exception
    {
        final String when = "after kill " + (round - 1);
        try
        {
            awaitRollupsCaughtUp(engine);
            assertHealthy(engine, when);
            final List<Map<String, Object>> journal = TestEngine.dump(dataDir);
            assertPromisesKept(journal, when);
            assertRollupsEqualTheJournal(engine, journal, when);
            assertNull(goals.check(listGoals(engine)), when);
        }
        catch (final AssertionError failure)
        {
            final String log = engine.log();
            throw new AssertionError(failure.getMessage() + "\nengine log (last 3,000 characters):\n" +
                log.substring(Math.max(0, log.length() - 3_000)), failure);
        }
    }

    /**
     * Status ok, nothing set aside, no record the rollups could not read, every agent running and never restarted.
     * An agent's thread may not have begun yet on a busy machine: its "new" is waited out (bounded).
     */
    private void assertHealthy(final EngineProcess engine, final String when) throws IOException
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        Map<String, Object> health = get(engine, "/healthz", null);
        while (((Map<?, ?>)health.get("agents")).values().stream().anyMatch(agent -> "new".equals(((Map<?, ?>)agent).get("state"))) &&
            System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            health = get(engine, "/healthz", null);
        }
        assertEquals(List.of(), health.get("set_aside"), when + ": no state file is damaged by a kill: " + health);
        assertEquals("ok", health.get("status"), when + ": " + health);
        assertEquals(BigDecimal.ZERO, health.get("rollup_unreadable_records"), when + ": no record cut short: " + health);
        for (final Map.Entry<?, ?> agent : ((Map<?, ?>)health.get("agents")).entrySet())
        {
            final Map<?, ?> state = (Map<?, ?>)agent.getValue();
            assertEquals("running", state.get("state"), when + ": agent " + agent.getKey() + ": " + health);
            assertEquals(BigDecimal.ZERO, state.get("restarts"), when + ": agent " + agent.getKey() + ": " + health);
        }
    }

    /** Counts each event id in the journal (a trusted line's {@code id}, a beacon's {@code bid} property). */
    private void assertPromisesKept(final List<Map<String, Object>> journal, final String when)
    {
        final Map<String, Integer> copies = new HashMap<>();
        long lastIndex = -1;
        for (final Map<String, Object> record : journal)
        {
            final long index = ((BigDecimal)record.get("index")).longValueExact();
            assertTrue(index > lastIndex, when + ": journal indices only grow");
            lastIndex = index;
            final Object id = record.get("id") != null ? record.get("id") : ((Map<?, ?>)record.get("props")).get("bid");
            copies.merge(id == null ? "(no id) at index " + index : id.toString(), 1, Integer::sum);
        }
        final List<String> broken = events.check(copies);
        assertTrue(broken.isEmpty(), when + ": " + broken.size() + " broken promises of " + events.size() + " events, first: " +
            broken.subList(0, Math.min(20, broken.size())));
    }

    /**
     * kpis over 7 days equal the journal counted the slow way; the range is taken again after the query, so a UTC
     * midnight passing in between is measured again rather than compared across days.
     */
    private void assertRollupsEqualTheJournal(final EngineProcess engine, final List<Map<String, Object>> journal,
        final String when) throws IOException
    {
        for (int attempt = 0; ; attempt++)
        {
            final long today = Math.floorDiv(System.currentTimeMillis(), DAY) * DAY;
            final Map<String, Object> kpis = get(engine, "/api/v1/stats/" + SITE + "/kpis?period=7d", adminToken());
            if (today != Math.floorDiv(System.currentTimeMillis(), DAY) * DAY && attempt == 0)
            {
                continue;
            }
            assertEquals(JournalOracle.kpis(journal, SITE, today - 6 * DAY, today + DAY), JournalOracle.kpisOf(kpis),
                when + ": kpis?period=7d against the journal");
            return;
        }
    }

    /** The rollup agent has counted every journal record: {@code tally_rollup_lag_events} is 0. */
    private static void awaitRollupsCaughtUp(final EngineProcess engine) throws IOException
    {
        final long deadline = System.nanoTime() + WAIT_NANOS;
        String lag = null;
        while (System.nanoTime() - deadline < 0)
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                final String metrics = http.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()).body();
                lag = metrics.lines().filter(line -> line.startsWith("tally_rollup_lag_events ")).findFirst().orElse(null);
                if ("tally_rollup_lag_events 0.0".equals(lag))
                {
                    return;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new AssertionError("the rollups did not catch up within 30 s: " + lag);
    }

    private List<GoalLedger.Goal> listGoals(final EngineProcess engine) throws IOException
    {
        final List<GoalLedger.Goal> listed = new ArrayList<>();
        for (final Object goal : (List<?>)get(engine, "/api/v1/sites/" + SITE + "/goals", adminToken()).get("goals"))
        {
            final Map<?, ?> fields = (Map<?, ?>)goal;
            final Map<?, ?> condition = (Map<?, ?>)((List<?>)fields.get("conditions")).get(0);
            listed.add(new GoalLedger.Goal((String)fields.get("name"), (String)condition.get("value")));
        }
        return listed;
    }

    /**
     * Every conversion of the notify goal in the journal reaches the webhook at least once, across all the kills
     * (the tailer resumes from its checkpoint), and nothing else is announced.
     */
    private void assertEveryConversionAnnounced(final WebhookReceiver receiver)
    {
        final Set<String> conversions = new HashSet<>();
        for (final Map<String, Object> record : TestEngine.dump(dataDir))
        {
            if (Boolean.TRUE.equals(record.get("conversion")) && KillWorkload.NOTIFY_GOAL.equals(record.get("goal")))
            {
                conversions.add(((BigDecimal)record.get("index")).toPlainString());
            }
        }
        assertFalse(conversions.isEmpty(), "the workload converted the notify goal");
        assertTrue(Files.exists(dataDir.resolve("notifications.ckpt")), "the notification tailer checkpointed");
        final long deadline = System.nanoTime() + WAIT_NANOS;
        while (!receiver.eventIds().containsAll(conversions) && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        final Set<String> missing = new HashSet<>(conversions);
        missing.removeAll(receiver.eventIds());
        assertEquals(Set.of(), missing.stream().limit(20).collect(Collectors.toSet()),
            missing.size() + " of " + conversions.size() + " conversions never announced");
        final Set<String> extra = new HashSet<>(receiver.eventIds());
        extra.removeAll(conversions);
        assertEquals(Set.of(), extra, "announced events that are not conversions in the journal");
    }

    private Map<String, Object> get(final EngineProcess engine, final String path, final String token) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            final RawHttp.Answer answer = http.exchange(token == null
                ? ("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes() : KillWorkload.request("GET", path, token, null));
            assertEquals(200, answer.status(), path + ": " + answer.body());
            return Json.parseObject(answer.body());
        }
    }

    private String adminToken()
    {
        return AdminToken.readFrom(dataDir);
    }
}
