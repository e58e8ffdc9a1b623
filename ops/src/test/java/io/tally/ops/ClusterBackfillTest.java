package io.tally.ops;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A goal backfill run on an ingest node reaches the rollup workers: a broker, one node and one worker, each a process.
 * Events come in while the site has no goal; the goal is added (the node and the worker restarted with it in their
 * config file) and backfilled on the node; the worker's goal figures then equal the node's own, and stay so when the node sends its
 * whole journal again (the backfilled conversions are recognised as repeats, each by its own journal index).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterBackfillTest
{
    private static final String SITE = "shop.example";
    private static final String TOPIC = "tally-events";
    private static final String ADMIN = "cluster-backfill-admin-token";
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/126.0.0.0 Safari/537.36";
    private static final int EVENTS = 60;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final NodeHttp direct = new NodeHttp(http, Duration.ofSeconds(60));
    private Path config;
    private KafkaBroker broker;
    private EngineProcess node;

    @Test
    void aBackfillOnAnIngestNodeCountsOnceOnTheWorkers() throws Exception
    {
        config = dir.resolve("config.json");
        writeConfig("");
        EngineProcess worker = null;
        try (KafkaBroker started = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka"))))
        {
            broker = started;
            broker.createTopic(TOPIC, 2);
            node = startNode();
            worker = startWorker();
            for (int i = 0; i < EVENTS; i++)
            {
                send(i);
            }
            final int firstPort = worker.port();
            await(() -> figure(firstPort, "kpis?period=7d", "pageviews") + figure(firstPort, "kpis?period=7d", "events")
                == EVENTS, "the worker counted every event");

            // the goal is added to the config file; the node and the worker (whose goals report lists it) start again
            node.close();
            worker.close();
            writeConfig("{\"name\":\"Signup\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\"," +
                "\"value\":\"Signup\"}]}");
            node = startNode();
            worker = startWorker();
            final int workerPort = worker.port();
            assertEquals(0, number(goal(workerPort), "conversions"), "no conversions before the backfill");
            final Map<String, Object> result = Json.parseObject(post(node.port(), "/api/v1/sites/" + SITE +
                "/goals/Signup/backfill?from=" + LocalDate.now(ZoneOffset.UTC).minusDays(1)));
            final long appended = ((Number)result.get("appended")).longValue();
            assertTrue(appended > 0, () -> "the backfill found the Signup events: " + result);
            final long conversions = ((Number)result.get("conversions")).longValue();
            await(() -> goals(node.port()).size() == 1 && number(goal(node.port()), "conversions") == conversions,
                "the node's own rollups counted the backfill");
            final Map<?, ?> atNode = goal(node.port());
            await(() -> goals(workerPort).size() == 1 && number(goal(workerPort), "conversions") == conversions,
                "the worker counted the backfilled conversions");
            assertEquals(atNode, goal(workerPort), "the worker's goal figures are the node's");

            node.close(); // it forgets how far it forwarded: its whole journal, backfill included, is sent again
            Files.delete(dir.resolve("node").resolve("forwarder.ckpt"));
            node = startNode();
            await(() -> lag() == 0, "the node sent its journal again");
            await(() -> repeats(workerPort) >= EVENTS + appended, "the worker recognised every record sent again");
            assertEquals(atNode, goal(workerPort), "the backfilled conversions counted once");
            assertEquals(EVENTS, figure(workerPort, "kpis?period=7d", "pageviews") +
                figure(workerPort, "kpis?period=7d", "events"), "the events counted once");
        }
        finally
        {
            if (node != null)
            {
                node.close();
            }
            if (worker != null)
            {
                worker.close();
            }
        }
    }

    private void writeConfig(final String goals) throws IOException
    {
        Files.writeString(config, "{\"sites\":[{\"domain\":\"" + SITE + "\",\"goals\":[" + goals + "]}]}");
    }

    private EngineProcess startNode() throws IOException, InterruptedException
    {
        return EngineProcess.start(dir.resolve("node"), "--config", config.toString(), "--kafka-bootstrap",
            broker.bootstrap(), "--node-id", "node-0", "--ingest-rate-limit", "0", "--trusted-proxies", "127.0.0.1/32",
            "--rollup-checkpoint-interval", "300", "--admin-token", ADMIN);
    }

    private EngineProcess startWorker() throws IOException, InterruptedException
    {
        return EngineProcess.startCommand(List.of(), "worker", dir.resolve("worker"), "--config", config.toString(),
            "--kafka-bootstrap", broker.bootstrap(), "--node-id", "worker-0", "--rollup-checkpoint-interval", "300",
            "--admin-token", ADMIN);
    }

    /** A pageview, or a Signup event in three, from one of twelve visitors. */
    private void send(final int id) throws IOException, InterruptedException
    {
        final String beacon = id % 3 == 0 ? "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://" + SITE + "/e/" + id + "\"}" :
            "{\"t\":\"p\",\"u\":\"https://" + SITE + "/e/" + id + "\"}";
        final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + "/api/event"))
            .header("Content-Type", "application/json").header("User-Agent", UA)
            .header("X-Forwarded-For", "10.2.0." + (id % 12 + 1)).timeout(Duration.ofSeconds(20))
            .POST(HttpRequest.BodyPublishers.ofString(beacon)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer::body);
    }

    private long lag()
    {
        return number((Map<?, ?>)Json.parseObject(get(node.port(), "/healthz")).get("forwarding"), "lag_records");
    }

    private long repeats(final int port)
    {
        return number((Map<?, ?>)Json.parseObject(get(port, "/healthz")).get("worker"), "repeated_records");
    }

    private List<?> goals(final int port)
    {
        return (List<?>)Json.parseObject(get(port, "/api/v1/stats/" + SITE + "/goals?period=7d")).get("goals");
    }

    private Map<?, ?> goal(final int port)
    {
        return (Map<?, ?>)goals(port).get(0);
    }

    private long figure(final int port, final String report, final String name)
    {
        final Object value = Json.parseObject(get(port, "/api/v1/stats/" + SITE + "/" + report)).get(name);
        return value == null ? 0 : ((Number)value).longValue();
    }

    private static long number(final Map<?, ?> map, final String name)
    {
        return ((Number)map.get(name)).longValue();
    }

    private String get(final int port, final String path)
    {
        return direct.ok(port, "GET", path, "Bearer " + ADMIN);
    }

    private String post(final int port, final String path)
    {
        return direct.ok(port, "POST", path, "Bearer " + ADMIN);
    }

    /** Waits for a condition (the cluster converges whatever the machine's load); fails after five minutes. */
    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            try
            {
                Thread.sleep(100);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
