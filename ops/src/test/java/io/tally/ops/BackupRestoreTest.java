package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.engine.api.AdminToken;
import io.tally.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tally backup DIR} of an engine under traffic, checkpointing its rollups every 50 ms meanwhile; the backup
 * copied into a fresh data dir; an engine started on it has every event acknowledged before the backup, counted
 * once, with the same figures as the first engine, its goal and its site token, and resumed from the copied rollup
 * checkpoint (nothing set aside).
 */
class BackupRestoreTest
{
    private static final int BEFORE = 300;
    private static final int PRICING = 60;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void aBackupUnderTrafficRestoresEveryAcknowledgedEventWithTheSameFigures(@TempDir final Path temp) throws Exception
    {
        final Path original = temp.resolve("original");
        final Path backup = temp.resolve("backup");
        final Path restored = temp.resolve("restored");
        final List<String> acknowledged;
        final Map<String, Long> originalPages;
        final long originalMatches;
        final String tokenList;
        try (EngineProcess engine = EngineProcess.start(original, "--ingest-rate-limit", "0",
            "--rollup-checkpoint-interval", "50"))
        {
            final String token = AdminToken.readFrom(original);
            assertEquals(201, admin(engine.port(), token, "POST", "/api/v1/sites/localhost/goals",
                "{\"name\":\"Pricing\",\"type\":\"pageview\",\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\",\"value\":\"/pricing\"}]}")
                .statusCode());
            assertEquals(201, admin(engine.port(), token, "POST", "/api/v1/sites/localhost/tokens", "").statusCode());
            tokenList = admin(engine.port(), token, "GET", "/api/v1/sites/localhost/tokens", null).body();
            final Traffic traffic = new Traffic(engine.port());
            for (int n = 0; n < BEFORE; n++)
            {
                traffic.pageview(n < PRICING ? "/pricing/" + n : "/p/" + n);
            }
            acknowledged = List.copyOf(traffic.acknowledged);
            final Thread during = traffic.startMore(BEFORE); // goes on through the backup
            traffic.awaitRunning();
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int exit = Main.run(List.of("backup", backup.toString(), "--url", "http://127.0.0.1:" + engine.port(),
                "--token", token), Map.of(), new PrintStream(out, true), new PrintStream(err, true));
            traffic.stop(during);
            assertEquals(0, exit, err.toString());
            assertTrue(out.toString().contains("\"journal_records\""), out.toString());
            assertTrue(traffic.acknowledged.size() > BEFORE, "traffic went on during the backup");
            assertNull(traffic.failure.get(), () -> "traffic failed: " + traffic.failure.get());
            awaitCounted(engine.port(), token, traffic.acknowledged.size());
            originalPages = pages(engine.port(), token);
            originalMatches = matches(engine.port(), token);
            assertEquals(0, engine.terminate(), engine.log());
        }
        assertEquals(PRICING, originalMatches);
        assertFalse(Files.exists(backup.resolveSibling("backup.partial")), "the partial copy was renamed");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)),
            "the backup is for the engine's user only, as the data dir is");

        copyTree(backup, restored);
        try (EngineProcess engine = EngineProcess.start(restored, "--ingest-rate-limit", "0"))
        {
            final String token = AdminToken.readFrom(restored);
            assertNotNull(token, "the admin token came back");
            final long restoredEvents = journalRecords(restored);
            assertTrue(restoredEvents >= BEFORE, "the journal holds at least what was acknowledged before");
            awaitCounted(engine.port(), token, restoredEvents);
            final Map<String, Long> pages = pages(engine.port(), token);
            for (final String page : acknowledged)
            {
                assertEquals(1L, pages.get(page), page + ", acknowledged before the backup, counted once");
                assertEquals(originalPages.get(page), pages.get(page), page + " has the same figure");
            }
            pages.forEach((page, views) -> assertEquals(1L, views, page + " is counted once"));
            assertEquals(PRICING, matches(engine.port(), token), "the goal came back with its matches");
            assertEquals(Json.parse(tokenList), Json.parse(admin(engine.port(), token, "GET", "/api/v1/sites/localhost/tokens",
                null).body()), "the site tokens came back (the same members; their order in the text may differ)");
            assertFalse(engine.log().contains("damaged"), "the copied rollup checkpoint was trusted:\n" + engine.log());
            assertEquals(0, engine.terminate(), engine.log());
        }
    }

    /**
     * A restored cluster node must not reuse (node, journal index) pairs the workers counted: it gets a new name, and
     * forwards from where the backed-up node had (its checkpoint kept), not its whole journal again.
     */
    @Test
    void aBackupLeavesOutTheClusterNodeId(@TempDir final Path temp) throws Exception
    {
        final Path data = Files.createDirectories(temp.resolve("data"));
        Files.writeString(data.resolve("node-id"), "node-7\n");
        Files.writeString(data.resolve("forwarder.ckpt"), "41\n");
        final Path backup = temp.resolve("backup");
        try (EngineProcess engine = EngineProcess.start(data))
        {
            final String token = AdminToken.readFrom(data);
            assertEquals(201, admin(engine.port(), token, "POST", "/api/v1/backup",
                Json.write(Map.of("dir", backup.toString()))).statusCode());
        }
        assertTrue(Files.exists(data.resolve("node-id")) && Files.exists(data.resolve("forwarder.ckpt")));
        assertNotNull(AdminToken.readFrom(backup), "the other state files are in the backup");
        assertFalse(Files.exists(backup.resolve("node-id")), "the node id is left out");
        assertEquals("41\n", Files.readString(backup.resolve("forwarder.ckpt")), "the forwarder checkpoint is kept");
    }

    @Test
    void aBackupRefusesADirectoryThatExistsOrIsRelativeOrInsideTheDataDir(@TempDir final Path temp) throws Exception
    {
        final Path data = temp.resolve("data");
        try (EngineProcess engine = EngineProcess.start(data))
        {
            final String token = AdminToken.readFrom(data);
            Files.createDirectories(temp.resolve("exists"));
            Files.createDirectories(data.resolve("rollups-link-target"));
            Files.createSymbolicLink(temp.resolve("link"), data.resolve("rollups-link-target"));
            for (final String[] refused : new String[][] {
                {temp.resolve("exists").toString(), "exists"},
                {"relative/dir", "absolute"},
                {data.resolve("inside").toString(), "inside the data dir"},
                {temp.resolve("link").resolve("backup").toString(), "inside the data dir"}})
            {
                final HttpResponse<String> answer = admin(engine.port(), token, "POST", "/api/v1/backup",
                    Json.write(Map.of("dir", refused[0])));
                assertEquals(422, answer.statusCode(), answer.body());
                assertTrue(answer.body().contains("invalid_backup_dir") && answer.body().contains(refused[1]), answer.body());
            }
            final HttpResponse<String> unknown = admin(engine.port(), token, "POST", "/api/v1/backup",
                "{\"dir\":\"/tmp/x\",\"journal\":false}");
            assertEquals(400, unknown.statusCode(), unknown.body());
            assertTrue(unknown.body().contains("unknown field 'journal'"), unknown.body());
            assertEquals(401, admin(engine.port(), "wrong", "POST", "/api/v1/backup",
                Json.write(Map.of("dir", temp.resolve("b").toString()))).statusCode());
            assertFalse(Files.exists(temp.resolve("b")));
        }
    }

    /** Pageviews, each a page of its own; every 202 recorded. */
    private static final class Traffic
    {
        final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final CountDownLatch running = new CountDownLatch(20);
        private final RawHttp http;

        Traffic(final int port) throws IOException
        {
            this.http = new RawHttp(port);
        }

        void pageview(final String page) throws IOException
        {
            final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json",
                "{\"t\":\"p\",\"u\":\"http://localhost" + page + "\"}"));
            assertEquals(202, answer.status(), answer.body());
            acknowledged.add(page);
        }

        Thread startMore(final int from)
        {
            final Thread thread = new Thread(() ->
            {
                try
                {
                    for (int n = from; !stopping.get() && n < from + 600; n++)
                    {
                        pageview("/p/" + n);
                        running.countDown();
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
                finally
                {
                    while (running.getCount() > 0)
                    {
                        running.countDown();
                    }
                }
            }, "traffic");
            thread.start();
            return thread;
        }

        /** Some events of the second round are acknowledged: the backup starts under traffic. */
        void awaitRunning() throws InterruptedException
        {
            assertTrue(running.await(60, TimeUnit.SECONDS));
        }

        void stop(final Thread thread) throws Exception
        {
            stopping.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(60));
            http.close();
        }
    }

    /** Waits until the rollups count {@code events} pageviews (they are a few milliseconds behind the journal). */
    private static void awaitCounted(final int port, final String token, final long events) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long counted = -1;
        while (System.nanoTime() < deadline)
        {
            counted = ((Number)Json.parseObject(admin(port, token, "GET", "/api/v1/stats/localhost/kpis?period=7d", null)
                .body()).get("pageviews")).longValue();
            if (counted == events)
            {
                return;
            }
            assertTrue(counted < events, "more pageviews counted (" + counted + ") than events (" + events + ")");
            Thread.sleep(50);
        }
        throw new AssertionError("the rollups counted " + counted + " of " + events + " pageviews");
    }

    private static Map<String, Long> pages(final int port, final String token) throws Exception
    {
        final Map<String, Long> pages = new HashMap<>();
        for (final Object row : (List<?>)Json.parseObject(admin(port, token, "GET",
            "/api/v1/stats/localhost/pages?period=7d&limit=1000", null).body()).get("pages"))
        {
            final Map<?, ?> page = (Map<?, ?>)row;
            pages.put((String)page.get("page"), ((Number)page.get("pageviews")).longValue());
        }
        return pages;
    }

    private static long matches(final int port, final String token) throws Exception
    {
        for (final Object row : (List<?>)Json.parseObject(admin(port, token, "GET",
            "/api/v1/stats/localhost/goals?period=7d", null).body()).get("goals"))
        {
            final Map<?, ?> goal = (Map<?, ?>)row;
            if ("Pricing".equals(goal.get("name")))
            {
                return ((Number)goal.get("matches")).longValue();
            }
        }
        throw new AssertionError("no goal Pricing");
    }

    /** Records in a data dir's journal, read with {@code tally journal dump} (the engine may run). */
    private static long journalRecords(final Path data)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.run(List.of("journal", "dump", "--data-dir", data.toString()), Map.of(),
            new PrintStream(out, true), System.err));
        return out.toString(StandardCharsets.UTF_8).lines().count();
    }

    private static HttpResponse<String> admin(final int port, final String token, final String method, final String path,
        final String body) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A restore: the backup's files copied into an empty data dir. */
    private static void copyTree(final Path from, final Path to) throws IOException
    {
        try (Stream<Path> files = Files.walk(from))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file))
                {
                    Files.createDirectories(target);
                }
                else
                {
                    Files.copy(file, target);
                }
            }
        }
    }
}
