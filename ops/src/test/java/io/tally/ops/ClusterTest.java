package io.tally.ops;

import io.tally.codec.EventRecord;
import io.tally.codec.EventType;
import io.tally.codec.json.Json;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster with the real things: a Kafka broker (KRaft) in a process of its own, two ingest nodes
 * ({@code tally serve --kafka-bootstrap}) and two rollup workers ({@code tally worker}), each a process. Traffic goes
 * through both nodes while a worker and then a node are killed with SIGKILL and started again, and while the broker
 * is stopped and started. Afterwards the workers' figures added up, and each worker's answer for the whole cluster
 * ({@code --peers}), equal a brute-force count of the events the nodes journaled: every event answered 202 among
 * them, and those whose answer a kill cut off counted only if journaled. The killed node also loses its forwarder's
 * checkpoint, so it sends its whole journal again: the workers recognise every record they had.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ClusterTest
{
    private static final String SITE = "shop.example";
    private static final String TOPIC = "tally-events";
    private static final String ADMIN = "cluster-test-admin-token";
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/126.0.0.0 Safari/537.36";
    /** Client addresses; each always goes to the same node, as a load balancer hashing the address sends it. */
    private static final int ADDRESSES = 60;

    static
    {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn"); // the admin client's, in this JVM
    }

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final NodeHttp direct = new NodeHttp(http, Duration.ofSeconds(30));
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final EngineProcess[] nodes = new EngineProcess[2];
    private final EngineProcess[] workers = new EngineProcess[2];
    private final Path[] nodeDirs = new Path[2];
    private final Path[] workerDirs = new Path[2];
    private final int[] workerPorts = new int[2];
    private Path config;
    private KafkaBroker broker;

    @Test
    void everyJournaledEventCountsOnceThroughKillsAndABrokerRestart() throws Exception
    {
        config = Files.writeString(dir.resolve("config.json"), "{\"sites\":[{\"domain\":\"" + SITE + "\",\"goals\":[" +
            "{\"name\":\"Signup\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\"," +
            "\"value\":\"Signup\"}]}]}]}");
        try (KafkaBroker started = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka"))))
        {
            broker = started;
            broker.createTopic(TOPIC, 4);
            for (int i = 0; i < 2; i++)
            {
                nodeDirs[i] = dir.resolve("node-" + i);
                workerDirs[i] = dir.resolve("worker-" + i);
                workerPorts[i] = freePort();
            }
            for (int i = 0; i < 2; i++)
            {
                nodes[i] = startNode(i);
                workers[i] = startWorker(i);
            }
            // partitions that move while events come in split a day's visitors between two workers (docs/scale-out.md):
            // the traffic starts once the group has settled, and the worker killed later keeps its partitions
            await(() -> partitions(0).size() + partitions(1).size() == 4 && !partitions(0).isEmpty() &&
                !partitions(1).isEmpty(), "the two workers share the four partitions");
            final List<Object> before = partitions(0);
            final AtomicBoolean running = new AtomicBoolean(true);
            final List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < 2; i++)
            {
                final int node = i;
                final Thread sender = new Thread(() -> send(node, running), "sender-" + i);
                sender.start();
                senders.add(sender);
            }
            awaitAcknowledged(300);
            workers[0].kill(); // mid-stream: the nodes keep taking and forwarding events
            awaitAcknowledged(500);
            workers[0] = startWorker(0);
            await(() -> partitions(0).equals(before), "the restarted worker got its partitions back");
            awaitAcknowledged(700);
            nodes[1].kill(); // its sender's requests fail meanwhile (unanswered ones are checked against the journal)
            // and it forgets how far it forwarded: it sends its whole journal again, which the workers must recognise
            Files.delete(nodeDirs[1].resolve("forwarder.ckpt"));
            awaitAcknowledged(800);
            nodes[1] = startNode(1);
            awaitAcknowledged(1000);
            broker.stop(); // ingest goes on: 202 once journaled, forwarding waits
            final int beforeRestart = acknowledged.size();
            awaitAcknowledged(beforeRestart + 200);
            await(() -> forwardingLag(0) > 0 && forwardingLag(1) > 0, "both nodes' lag shows what waits for the broker");
            broker.start();
            awaitAcknowledged(beforeRestart + 400);
            running.set(false);
            for (final Thread sender : senders)
            {
                sender.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertTrue(problems.isEmpty(), () -> "problems: " + problems);

            final Expected expected = bruteForce();
            assertTrue(expected.ids.containsAll(acknowledged), "an event answered 202 is missing from the journals");
            await(() -> forwardingLag(0) == 0 && forwardingLag(1) == 0, "both nodes forwarded their journals");
            await(() -> sum("pageviews") == expected.pageviews && sum("events") == expected.events,
                "the workers counted every event: " + expected);
            for (final String figure : List.of("visitors", "pageviews", "events", "conversions"))
            {
                assertEquals(expected.figure(figure), sum(figure), figure + " added over the workers");
                for (int i = 0; i < 2; i++)
                {
                    assertEquals(expected.figure(figure), ((Number)kpis(i, "").get(figure)).longValue(),
                        figure + " of the whole cluster, asked of worker " + i);
                }
            }
            assertTrue(repeats() > 0, "the records node 1 sent again were recognised");
            final Map<?, ?> goal = (Map<?, ?>)((List<?>)stats(1, "goals?period=7d").get("goals")).get(0);
            assertEquals(expected.conversions, ((Number)goal.get("conversions")).longValue(), "the goal's conversions");
            assertEquals(expected.convertingVisitors, ((Number)goal.get("visitors")).longValue(), "converting visitors");
        }
        finally
        {
            for (final EngineProcess process : new EngineProcess[] {nodes[0], nodes[1], workers[0], workers[1]})
            {
                if (process != null)
                {
                    process.close();
                }
            }
        }
    }

    private EngineProcess startNode(final int i) throws IOException, InterruptedException
    {
        return EngineProcess.start(nodeDirs[i], "--config", config.toString(), "--kafka-bootstrap", broker.bootstrap(),
            "--node-id", "node-" + i, "--ingest-rate-limit", "0", "--trusted-proxies", "127.0.0.1/32",
            "--rollup-checkpoint-interval", "500", "--admin-token", ADMIN);
    }

    private EngineProcess startWorker(final int i) throws IOException, InterruptedException
    {
        final int other = workerPorts[1 - i];
        return EngineProcess.startOnPort("worker", workerPorts[i], workerDirs[i],
            "--config", config.toString(), "--kafka-bootstrap", broker.bootstrap(), "--node-id", "worker-" + i,
            "--rollup-checkpoint-interval", "300", "--admin-token", ADMIN, "--peers", "127.0.0.1:" + other,
            "--kafka-session-timeout", "120");
    }

    /** Sends beacons to node {@code node} until told to stop: pageviews, and a Signup event in five. */
    private void send(final int node, final AtomicBoolean running)
    {
        while (running.get())
        {
            final int id = nextId.getAndIncrement();
            final int address = (id * 7919) % ADDRESSES / 2 * 2 + node; // even addresses to node 0, odd to node 1
            final String beacon = id % 5 == 0 ? "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://" + SITE + "/e/" + id + "\"}" :
                "{\"t\":\"p\",\"u\":\"https://" + SITE + "/e/" + id + "\"}";
            final String key = "/e/" + id;
            unanswered.add(key);
            try
            {
                final EngineProcess target = nodes[node];
                final HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + target.port() + "/api/event"))
                    .header("Content-Type", "application/json").header("User-Agent", UA)
                    .header("X-Forwarded-For", "10.1.0." + (address + 1)).timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(beacon)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 202)
                {
                    acknowledged.add(key);
                    unanswered.remove(key);
                }
                else
                {
                    problems.add("node " + node + " answered " + answer.statusCode() + ": " + answer.body());
                    return;
                }
            }
            catch (final IOException killed)
            {
                pause(20); // the node is down (killed, starting again): its requests wait
            }
            catch (final InterruptedException ex)
            {
                return;
            }
        }
    }

    /** The figures counted straight from both nodes' journals, events of this test identified by their URL. */
    private record Expected(Set<String> ids, long pageviews, long events, long visitors, long conversions,
        long convertingVisitors)
    {
        long figure(final String name)
        {
            return switch (name)
            {
                case "visitors" -> visitors;
                case "pageviews" -> pageviews;
                case "events" -> events;
                default -> conversions;
            };
        }
    }

    private Expected bruteForce()
    {
        final Set<String> ids = new HashSet<>();
        final long[] counts = new long[3];
        final Set<Long> visitors = new HashSet<>();
        final Set<Long> converting = new HashSet<>();
        for (final Path nodeDir : nodeDirs)
        {
            try (Journal journal = Journal.openForReading(nodeDir); JournalReader reader = journal.newReader())
            {
                while (reader.read((index, record) ->
                {
                    final String url = record.string(EventRecord.URL);
                    assertTrue(ids.add(url.substring(url.indexOf("/e/"))), "journaled twice: " + url);
                    visitors.add(record.visitorId());
                    counts[record.type() == EventType.PAGEVIEW ? 0 : 1]++;
                    if (record.hasFlag(EventRecord.FLAG_CONVERSION))
                    {
                        counts[2]++;
                        converting.add(record.visitorId());
                    }
                }, 1000) > 0)
                {
                    // all of it
                }
            }
        }
        return new Expected(ids, counts[0], counts[1], visitors.size(), counts[2], converting.size());
    }

    /** Records the workers recognised as sent before and did not count again. */
    private long repeats()
    {
        long repeats = 0;
        for (int i = 0; i < 2; i++)
        {
            repeats += ((Number)((Map<?, ?>)Json.parseObject(get(workerPorts[i], "/healthz")).get("worker"))
                .get("repeated_records")).longValue();
        }
        return repeats;
    }

    /** The partitions a worker counts, as its {@code /healthz} says. */
    private List<Object> partitions(final int worker)
    {
        final Object section = Json.parseObject(get(workerPorts[worker], "/healthz")).get("worker");
        return section == null ? List.of() : new ArrayList<>((List<?>)((Map<?, ?>)section).get("partitions"));
    }

    private long forwardingLag(final int node)
    {
        return ((Number)((Map<?, ?>)health(nodes[node]).get("forwarding")).get("lag_records")).longValue();
    }

    private Map<String, Object> health(final EngineProcess process)
    {
        return Json.parseObject(get(process.port(), "/healthz"));
    }

    /** A figure of the KPIs added over the workers, each answering for itself only. */
    private long sum(final String figure)
    {
        long total = 0;
        for (int i = 0; i < 2; i++)
        {
            final Object value = kpis(i, "&scope=local").get(figure);
            total += value == null ? 0 : ((Number)value).longValue();
        }
        return total;
    }

    private Map<String, Object> kpis(final int worker, final String more)
    {
        return stats(worker, "kpis?period=7d" + more);
    }

    private Map<String, Object> stats(final int worker, final String report)
    {
        return Json.parseObject(get(workerPorts[worker], "/api/v1/stats/" + SITE + "/" + report));
    }

    private String get(final int port, final String path)
    {
        return direct.ok(port, "GET", path, "Bearer " + ADMIN);
    }

    private void awaitAcknowledged(final int count)
    {
        await(() -> acknowledged.size() >= count || !problems.isEmpty(), count + " events answered 202");
        assertTrue(problems.isEmpty(), () -> "problems: " + problems);
    }

    /** Waits for a condition (the cluster converges whatever the machine's load); fails after five minutes. */
    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            pause(100);
        }
    }

    private static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
