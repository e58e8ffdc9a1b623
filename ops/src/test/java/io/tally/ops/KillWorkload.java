package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.testing.RawHttp;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * One round of mixed traffic against a running engine, each kind on connections of its own and all at once:
 * beacons, trusted NDJSON batches (first the batches an earlier kill left unanswered, sent again), goal changes
 * through the admin API and stats queries. Every answer goes into the ledgers as it arrives; a request is entered
 * as unanswered before it is sent, so whenever the kill comes the ledgers promise no more than the engine did.
 * The clients run until the kill cuts their connections; anything else that goes wrong is a problem.
 */
final class KillWorkload
{
    static final String SITE = "shop.example";
    /** The goal with a webhook: fire-always on custom events named Signup, never changed after round one. */
    static final String NOTIFY_GOAL = "Signup";

    private static final int BEACON_CONNECTIONS = 3;
    private static final int MAX_BATCH_LINES = 40;
    private static final long DAY = TimeUnit.DAYS.toMillis(1);
    /** Stats queries are paced: a report may scan the journal on an I/O thread, and beacons need those threads too. */
    private static final long STATS_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** One batch in five is sent in two parts this far apart. */
    private static final long SLOW_UPLOAD_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(30);
    private static final List<String> REPORTS = List.of("kpis?period=7d", "kpis?period=today&compare=previous",
        "goals?period=7d", "events?period=7d&limit=10", "timeseries?period=7d&metric=events&interval=hour",
        "sources?period=7d&goal=" + NOTIFY_GOAL, "pages?period=7d&goal=" + NOTIFY_GOAL, "sessions?period=today&limit=20");

    /** A trusted batch as sent: its bytes, the ids of the lines the engine must take and of those it must refuse. */
    record Batch(byte[] body, List<String> goodIds, List<String> badIds, Set<Integer> badLines)
    {
    }

    /** What a round's clients share: where to send, the ledgers, and what went wrong. */
    record Context(int port, String adminToken, String siteToken, EventLedger events, GoalLedger goals,
        List<Batch> unansweredBatches, Queue<String> problems, AtomicBoolean killed)
    {
    }

    private final Context context;
    private final int round;
    private final Random seeds;
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Thread> clients = new ArrayList<>();
    private final AtomicInteger beaconsAcknowledged = new AtomicInteger();
    private final AtomicInteger batchesAnswered = new AtomicInteger();
    private final AtomicInteger batchesResent = new AtomicInteger();
    private final AtomicInteger linesStoredBeforeResend = new AtomicInteger();
    private final AtomicInteger goalChanges = new AtomicInteger();
    private final AtomicInteger statsQueries = new AtomicInteger();

    /** @param seeds the round's random source; each client draws its own seed from it, so a seed replays the choices. */
    KillWorkload(final Context context, final int round, final Random seeds)
    {
        this.context = context;
        this.round = round;
        this.seeds = seeds;
    }

    /** Starts every client; they run until the kill. */
    void start()
    {
        for (int c = 0; c < BEACON_CONNECTIONS; c++)
        {
            final int connection = c;
            client("beacons-" + c, http -> sendBeacons(http, connection, new Random(seeds.nextLong())));
        }
        final List<Batch> resend = List.copyOf(context.unansweredBatches());
        client("batches", http -> sendBatches(http, resend, new Random(seeds.nextLong())));
        client("goals", http -> changeGoals(http, new Random(seeds.nextLong())));
        client("stats", http -> queryStats(http, new Random(seeds.nextLong())));
    }

    /** Waits for every client to see its connection cut; false if one is still running after the timeout. */
    boolean awaitEnd(final long timeoutMillis) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (final Thread client : clients)
        {
            client.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (client.isAlive())
            {
                return false;
            }
        }
        return true;
    }

    /** What the round did, for the test's output: shows the kills came amid every kind of work. */
    String summary()
    {
        return beaconsAcknowledged + " beacons acknowledged, " + batchesAnswered + " batches answered (" + batchesResent +
            " sent again, " + linesStoredBeforeResend + " of their lines stored before), " + goalChanges +
            " goal changes acknowledged, " + statsQueries + " stats queries, " + context.unansweredBatches().size() +
            " batches cut off";
    }

    private interface Client
    {
        void run(RawHttp http) throws IOException;
    }

    private void client(final String name, final Client body)
    {
        final Thread thread = new Thread(() ->
        {
            try (RawHttp http = new RawHttp(context.port()))
            {
                body.run(http);
                problem(name + " stopped before the kill");
            }
            catch (final IOException cut)
            {
                if (!context.killed().get())
                {
                    problem(name + ": connection lost before the kill: " + cut);
                }
            }
            catch (final RuntimeException | AssertionError ex)
            {
                problem(name + ": " + ex);
            }
        }, "kill-test-" + name);
        thread.setDaemon(true);
        clients.add(thread);
        thread.start();
    }

    private void problem(final String what)
    {
        context.problems().add("round " + round + ": " + what);
    }

    // --- beacons ---

    /** Beacons, one in twenty for a site the engine does not know (answered 400, never stored). */
    private void sendBeacons(final RawHttp http, final int connection, final Random random) throws IOException
    {
        for (int n = 0; ; n++)
        {
            final String id = "B" + round + "." + connection + "." + n;
            final boolean valid = random.nextInt(20) != 0;
            if (valid)
            {
                context.events().unanswered(id);
            }
            else
            {
                // refused for its content whatever becomes of the answer: it must never be stored
                context.events().refused(id);
            }
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json",
                valid ? beacon(id, random) : "{\"t\":\"p\",\"u\":\"https://unknown.example/\",\"mk\":[\"bid\"],\"mv\":[\"" + id + "\"]}",
                "User-Agent: kill-test/" + random.nextInt(30)));
            if (valid && answer.status() == 202)
            {
                context.events().acknowledged(id);
                beaconsAcknowledged.incrementAndGet();
            }
            else if (valid)
            {
                context.events().refused(id);
                problem("beacon " + id + " answered " + answer.status() + " " + answer.body());
            }
            else if (answer.status() != 400)
            {
                problem("beacon " + id + " for an unknown site answered " + answer.status() + " " + answer.body());
            }
        }
    }

    /** A pageview, a Signup (converts the notify goal) or another custom event, its id in property {@code bid}. */
    private static String beacon(final String id, final Random random)
    {
        final String props = ",\"mk\":[\"bid\"],\"mv\":[\"" + id + "\"]}";
        return switch (random.nextInt(10))
        {
            case 0 -> "{\"t\":\"e\",\"n\":\"" + NOTIFY_GOAL + "\",\"u\":\"https://shop.example/join\"" + props;
            case 1, 2 -> "{\"t\":\"e\",\"n\":\"Download\",\"u\":\"https://shop.example/files\"" + props;
            default -> "{\"t\":\"p\",\"u\":\"https://shop.example/p/" + random.nextInt(50) + "\",\"r\":\"https://ref" +
                random.nextInt(5) + ".example/\"" + props;
        };
    }

    // --- trusted batches ---

    private void sendBatches(final RawHttp http, final List<Batch> resend, final Random random) throws IOException
    {
        for (final Batch batch : resend)
        {
            int stored = 0;
            for (final String id : batch.goodIds())
            {
                stored += context.events().pinned(id);
            }
            batchesResent.incrementAndGet();
            linesStoredBeforeResend.addAndGet(stored);
            send(http, batch, stored, false);
        }
        for (int n = 0; ; n++)
        {
            final Batch batch = newBatch(n, random);
            context.unansweredBatches().add(batch);
            send(http, batch, 0, random.nextInt(5) == 0);
        }
    }

    /**
     * Sends a batch and checks its answer exactly: the bad lines refused by number, the good ones accepted or, for
     * those an earlier unanswered send had stored, duplicates.
     */
    private void send(final RawHttp http, final Batch batch, final int alreadyStored, final boolean slowly) throws IOException
    {
        batch.goodIds().forEach(context.events()::unanswered);
        // refused for their content whatever becomes of the answer: they must never be stored
        batch.badIds().forEach(context.events()::refused);
        final byte[] request = RawHttp.post("/api/v1/events", "application/x-ndjson", batch.body(),
            "Authorization: Bearer " + context.siteToken());
        if (slowly)
        {
            // an uploader on a slow link: the engine journals the first lines as they arrive, so a kill now leaves
            // the batch stored in part, unanswered, for the next round to send again
            final int half = request.length - batch.body().length / 2;
            http.send(Arrays.copyOfRange(request, 0, half));
            LockSupport.parkNanos(SLOW_UPLOAD_PAUSE_NANOS);
            http.send(Arrays.copyOfRange(request, half, request.length));
        }
        else
        {
            http.send(request);
        }
        final RawHttp.Answer answer = http.read();
        context.unansweredBatches().remove(batch);
        batchesAnswered.incrementAndGet();
        if (answer.status() != 200)
        {
            // the test fails on this problem; the ledger keeps the lines as unanswered, which cannot mislead
            problem("batch " + batch.goodIds() + " answered " + answer.status() + " " + answer.body());
            return;
        }
        final Map<String, Object> summary = Json.parseObject(answer.body());
        final Set<Integer> refusedLines = new HashSet<>();
        for (final Object rejected : (List<?>)summary.get("rejected"))
        {
            refusedLines.add(((BigDecimal)((Map<?, ?>)rejected).get("line")).intValueExact());
        }
        final long accepted = ((BigDecimal)summary.get("accepted")).longValueExact();
        final long duplicates = ((BigDecimal)summary.get("duplicates")).longValueExact();
        if (!refusedLines.equals(batch.badLines()) || accepted != batch.goodIds().size() - alreadyStored ||
            duplicates != alreadyStored)
        {
            problem("batch of " + batch.goodIds().size() + " good lines (" + alreadyStored + " stored before), bad lines " +
                batch.badLines() + ": answered " + answer.body());
        }
        batch.goodIds().forEach(context.events()::acknowledged);
    }

    /** 1 to 40 lines; some with a past {@code ts} or a {@code vid}; one in twenty a custom event with no name. */
    private Batch newBatch(final int n, final Random random)
    {
        final StringBuilder body = new StringBuilder();
        final List<String> good = new ArrayList<>();
        final List<String> bad = new ArrayList<>();
        final Set<Integer> badLines = new HashSet<>();
        final int lines = 1 + random.nextInt(MAX_BATCH_LINES);
        for (int line = 1; line <= lines; line++)
        {
            final String id = "T" + round + "." + n + "." + line;
            final String who = random.nextBoolean() ? "\"vid\":\"customer-" + random.nextInt(40) + "\""
                : "\"ip\":\"203.0.113." + random.nextInt(30) + "\",\"ua\":\"importer\"";
            final String when = random.nextInt(4) == 0 ? ",\"ts\":" + (System.currentTimeMillis() - (1 + random.nextInt(3)) * DAY) : "";
            if (random.nextInt(20) == 0)
            {
                bad.add(id);
                badLines.add(line);
                body.append("{\"t\":\"e\",\"u\":\"https://shop.example/api\",\"id\":\"").append(id).append("\",").append(who)
                    .append("}\n");
                continue;
            }
            good.add(id);
            final String event = random.nextInt(5) == 0 ? "\"t\":\"e\",\"n\":\"" + NOTIFY_GOAL + "\""
                : random.nextBoolean() ? "\"t\":\"e\",\"n\":\"Order\"" : "\"t\":\"p\"";
            body.append('{').append(event).append(",\"u\":\"https://shop.example/server/").append(random.nextInt(20))
                .append("\",\"id\":\"").append(id).append("\",").append(who).append(when).append("}\n");
        }
        return new Batch(body.toString().getBytes(StandardCharsets.UTF_8), List.copyOf(good), List.copyOf(bad),
            Set.copyOf(badLines));
    }

    // --- goal changes ---

    /** Adds, replaces, deletes and reorders goals one at a time; the notify goal stays first and unchanged. */
    private void changeGoals(final RawHttp http, final Random random) throws IOException
    {
        while (true)
        {
            final List<GoalLedger.Goal> goals = context.goals().acknowledged();
            final List<GoalLedger.Goal> others = goals.stream().filter(g -> !g.name().equals(NOTIFY_GOAL)).toList();
            // add, replace, delete or reorder; at most a dozen goals besides the notify goal
            final int drawn = others.isEmpty() ? 0 : random.nextInt(4);
            final int choice = drawn == 0 && others.size() >= 12 ? 2 : drawn;
            final String marker = "/g/" + round + "-" + sequence.incrementAndGet();
            final String path = "/api/v1/sites/" + SITE + "/goals";
            final byte[] request;
            final UnaryOperator<List<GoalLedger.Goal>> change;
            if (choice == 0)
            {
                final String name = goalName(random, marker);
                change = list -> append(list, new GoalLedger.Goal(name, marker));
                request = admin("POST", path, goalJson(name, marker));
            }
            else if (choice == 1)
            {
                final String name = others.get(random.nextInt(others.size())).name();
                change = list -> replace(list, new GoalLedger.Goal(name, marker));
                request = admin("PUT", path + "/" + AdminClient.encode(name), goalJson(name, marker));
            }
            else if (choice == 2)
            {
                final String name = others.get(random.nextInt(others.size())).name();
                change = list -> list.stream().filter(g -> !g.name().equals(name)).toList();
                request = admin("DELETE", path + "/" + AdminClient.encode(name), null);
            }
            else
            {
                final List<String> order = new ArrayList<>(others.stream().map(GoalLedger.Goal::name).toList());
                Collections.shuffle(order, random);
                order.add(0, NOTIFY_GOAL);
                change = list -> reorder(list, order);
                request = admin("PUT", path + "/order", Json.write(order));
            }
            context.goals().sending(change);
            final RawHttp.Answer answer = http.exchange(request);
            if (answer.status() / 100 == 2)
            {
                context.goals().acknowledgedLast();
                goalChanges.incrementAndGet();
            }
            else
            {
                context.goals().refusedLast();
                problem("goal change answered " + answer.status() + " " + answer.body());
            }
        }
    }

    /** Names with characters a path segment must carry %-encoded: space, '%', '/', '+', non-ASCII. */
    private static String goalName(final Random random, final String marker)
    {
        final String[] tails = {"", " 100% off", " a/b+c", " über"};
        return "Goal " + marker.substring(3) + tails[random.nextInt(tails.length)];
    }

    static String goalJson(final String name, final String marker)
    {
        return Json.write(Map.of("name", name, "type", "pageview",
            "conditions", List.of(Map.of("field", "path", "op", "starts_with", "value", marker))));
    }

    private static List<GoalLedger.Goal> append(final List<GoalLedger.Goal> list, final GoalLedger.Goal goal)
    {
        final List<GoalLedger.Goal> next = new ArrayList<>(list);
        next.add(goal);
        return next;
    }

    private static List<GoalLedger.Goal> replace(final List<GoalLedger.Goal> list, final GoalLedger.Goal goal)
    {
        return list.stream().map(g -> g.name().equals(goal.name()) ? goal : g).toList();
    }

    private static List<GoalLedger.Goal> reorder(final List<GoalLedger.Goal> list, final List<String> names)
    {
        return names.stream().map(name -> list.stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow()).toList();
    }

    byte[] admin(final String method, final String path, final String body)
    {
        return request(method, path, context.adminToken(), body);
    }

    /** A request with a bearer token and a JSON body (none when null). */
    static byte[] request(final String method, final String path, final String token, final String body)
    {
        final byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        final String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
            "Content-Length: " + bytes.length + "\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        return RawHttp.concat(head.getBytes(StandardCharsets.ISO_8859_1), bytes);
    }

    // --- stats ---

    private void queryStats(final RawHttp http, final Random random) throws IOException
    {
        while (true)
        {
            final String report = REPORTS.get(random.nextInt(REPORTS.size()));
            final RawHttp.Answer answer = http.exchange(admin("GET", "/api/v1/stats/" + SITE + "/" + report, null));
            if (answer.status() != 200)
            {
                problem("stats " + report + " answered " + answer.status() + " " + answer.body());
            }
            else
            {
                Json.parseObject(answer.body());
                statsQueries.incrementAndGet();
            }
            LockSupport.parkNanos(STATS_PAUSE_NANOS);
        }
    }
}
