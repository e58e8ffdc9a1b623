package io.tally.ops;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rollup worker ({@code tally worker}, a process, over its real port): it refuses events, which it would never
 * count (404 {@code not_an_ingest_node}, counted), and the admin changes that only act on an ingest node (409
 * {@code not_an_ingest_node}), while reads go on; SIGHUP re-reads its config file's sites. No broker is needed: the
 * worker serves while its consumer waits for one.
 */
class WorkerProcessTest
{
    private static final String SITE = "shop.example";
    private static final String ADMIN = "worker-refuses-admin-token";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aWorkerRefusesEventsAndSiteAndGoalChanges() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("config.json"), "{\"sites\":[{\"domain\":\"" + SITE +
            "\",\"goals\":[{\"name\":\"Signup\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\"," +
            "\"value\":\"Signup\"}]}]}]}");
        try (EngineProcess worker = startWorker(config))
        {
            final int port = worker.port();
            final String beacon = "{\"t\":\"p\",\"u\":\"https://" + SITE + "/\"}";
            for (final String path : List.of("/api/event", "/api/v1/events"))
            {
                final HttpResponse<String> answer = call(port, "POST", path, "Bearer some-site-token", beacon);
                assertEquals(404, answer.statusCode(), answer::body);
                assertTrue(answer.body().contains("\"not_an_ingest_node\""), answer.body());
                assertTrue(answer.body().contains("send events to an ingest node"), answer.body());
            }
            final String metrics = call(port, "GET", "/metrics", null, null).body();
            assertTrue(metrics.contains("tally_rejections_total{code=\"not_an_ingest_node\"} 2.0"), metrics);
            assertTrue(metrics.contains("tally_events_total{endpoint=\"event\",outcome=\"not_an_ingest_node\"} 1.0"),
                metrics);

            for (final String[] change : new String[][] {
                {"POST", "/api/v1/sites/" + SITE + "/goals/Signup/backfill?from=2026-12-01", ""},
                {"POST", "/api/v1/sites/" + SITE + "/goals", "{\"name\":\"Buy\",\"type\":\"custom\",\"conditions\":" +
                    "[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Buy\"}]}"},
                {"DELETE", "/api/v1/sites/" + SITE + "/goals/Signup", null},
                {"POST", "/api/v1/sites", "{\"domain\":\"other.example\"}"},
                {"DELETE", "/api/v1/sites/" + SITE, null}})
            {
                final HttpResponse<String> answer = call(port, change[0], change[1], "Bearer " + ADMIN, change[2]);
                assertEquals(409, answer.statusCode(), () -> change[0] + " " + change[1] + ": " + answer.body());
                assertTrue(answer.body().contains("\"not_an_ingest_node\""), answer.body());
            }
            final HttpResponse<String> goals = call(port, "GET", "/api/v1/sites/" + SITE + "/goals", "Bearer " + ADMIN, null);
            assertEquals(200, goals.statusCode(), goals.body());
            assertTrue(goals.body().contains("\"Signup\""), "the goal is still there: " + goals.body());
            assertEquals(200, call(port, "GET", "/api/v1/stats/" + SITE + "/kpis?period=7d", "Bearer " + ADMIN, null)
                .statusCode());
        }
    }

    @Test
    void aWorkerReadsTheSitesOfItsConfigFileAgainOnSighup() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("config.json"), "{\"sites\":[{\"domain\":\"" + SITE + "\"}]}");
        try (EngineProcess worker = startWorker(config))
        {
            final String kpis = "/api/v1/stats/blog.example/kpis?period=7d";
            final HttpResponse<String> before = call(worker.port(), "GET", kpis, "Bearer " + ADMIN, null);
            assertEquals(404, before.statusCode(), before.body());
            Files.writeString(config, "{\"sites\":[{\"domain\":\"" + SITE + "\"},{\"domain\":\"blog.example\"}]}");
            final Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(worker.process().pid())).start();
            assertEquals(0, kill.waitFor());
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            for (String log = worker.log(); !log.contains("SIGHUP: configuration reloaded; sites: added blog.example");
                log = worker.log())
            {
                assertTrue(System.nanoTime() < deadline, "no reload in the log:\n" + log);
                Thread.sleep(20);
            }
            final HttpResponse<String> after = call(worker.port(), "GET", kpis, "Bearer " + ADMIN, null);
            assertEquals(200, after.statusCode(), after.body());
        }
    }

    private EngineProcess startWorker(final Path config) throws IOException, InterruptedException
    {
        return EngineProcess.startCommand(List.of(), "worker", dir.resolve("worker"), "--config", config.toString(),
            "--kafka-bootstrap", "127.0.0.1:" + closedPort(), "--node-id", "worker-0", "--admin-token", ADMIN);
    }

    private HttpResponse<String> call(final int port, final String method, final String path, final String authorization,
        final String body) throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null)
        {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A port nothing listens on: the worker's consumer keeps trying it. */
    private static int closedPort() throws IOException
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
