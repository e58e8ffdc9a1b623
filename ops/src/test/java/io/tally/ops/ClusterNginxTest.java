package io.tally.ops;

import io.tally.codec.EventRecord;
import io.tally.codec.json.Json;
import io.tally.store.Journal;
import io.tally.store.JournalReader;
import io.tally.testing.MmdbWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster behind nginx for real: the shipped example {@code deploy/nginx-tally-cluster.conf} (pointed at this
 * test's ports and a certificate made here) in front of two ingest nodes ({@code serve --kafka-bootstrap}) and two
 * workers ({@code worker --peers}), with a KRaft broker, each a process. Clients send beacons over HTTPS from twelve
 * loopback addresses (127.0.0.10 to .21, nginx's {@code $remote_addr}); each client's events land on one node
 * (nginx hashes the address), and every merged report a worker answers (kpis, goals, pages, sources, entry pages,
 * events, a name's properties, countries, time series), asked of a worker directly and through nginx, equals a brute-force count
 * of the beacons answered 202. Then a trusted replay sent through node 0 and, after both workers were killed with
 * SIGKILL and started again, through node 1 (which does not know its idempotency keys and stores it again) is
 * counted once by the workers.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ClusterNginxTest
{
    private static final String SITE = "shop.example";
    private static final String REPLAY_SITE = "replay.example";
    private static final String TOPIC = "tally-events";
    private static final String ADMIN = "cluster-nginx-test-admin-token";
    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/126.0.0.0 Safari/537.36";
    private static final int CLIENTS = 12;
    /** Referrers of the clients' first pageviews, by client number modulo 3 (the third: none, direct). */
    private static final String[] REFERRERS = {"https://news.example/story", "https://search.example/?q=tally", ""};
    private static final int REPLAYED = 40;
    private static final int REPLAY_VISITORS = 8;

    static
    {
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }

    @TempDir
    Path dir;

    private final NodeHttp direct =
        new NodeHttp(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(30));
    private final EngineProcess[] nodes = new EngineProcess[2];
    private final EngineProcess[] workers = new EngineProcess[2];
    private final Path[] nodeDirs = new Path[2];
    private final int[] workerPorts = new int[2];
    /** Every beacon answered 202, as sent. */
    private final List<Beacon> acknowledged = new ArrayList<>();
    private Path config;
    private Path geoip;
    private KafkaBroker broker;

    /** One beacon a client sent: its type ("p" or "e"), name, path, first-pageview referrer and plan property. */
    private record Beacon(int client, String type, String name, String path, String referrer, String plan)
    {
        String country()
        {
            return client < 6 ? "DE" : "FR";
        }
    }

    @Test
    void behindNginxEachClientStaysOnOneNodeAndEveryMergedReportIsTheWholeCluster() throws Exception
    {
        config = Files.writeString(dir.resolve("config.json"), "{\"sites\":[{\"domain\":\"" + SITE + "\",\"goals\":[" +
            "{\"name\":\"Signup\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}," +
            "{\"name\":\"Download\",\"type\":\"custom\",\"fire\":\"always\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\"," +
            "\"value\":\"Download\"}]}]},{\"domain\":\"" + REPLAY_SITE + "\"}]}");
        geoip = dir.resolve("countries.mmdb");
        new MmdbWriter("GeoLite2-Country").network("127.0.0.0/28", MmdbWriter.country("DE"))
            .network("127.0.0.16/28", MmdbWriter.country("FR")).write(geoip);
        final Path prefix = Files.createDirectories(dir.resolve("nginx"));
        NginxTlsProxyTest.makeCertificate(prefix);
        Process nginx = null;
        try (KafkaBroker started = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka"))))
        {
            broker = started;
            broker.createTopic(TOPIC, 4);
            for (int i = 0; i < 2; i++)
            {
                nodeDirs[i] = dir.resolve("node-" + i);
                workerPorts[i] = NginxTlsProxyTest.freePort();
            }
            nodes[0] = startNode(0);
            // the nodes share the key of past days' salts, so a replayed event gets the same visitor id on either
            Files.createDirectories(nodeDirs[1]);
            Files.copy(nodeDirs[0].resolve("historical-salt"), nodeDirs[1].resolve("historical-salt"));
            nodes[1] = startNode(1);
            for (int i = 0; i < 2; i++)
            {
                workers[i] = startWorker(i);
            }
            await(() -> partitions(0) + partitions(1) == 4 && partitions(0) > 0 && partitions(1) > 0,
                "the two workers share the four partitions");
            final int[] ports = new int[2];
            nginx = startNginx(prefix, ports);
            final SSLContext tls = NginxTlsProxyTest.trusting(prefix.resolve("cert.pem"));
            sendThroughNginx(tls, ports[0]);

            assertEachClientOnOneNode();
            final Expected expected = new Expected(acknowledged);
            await(() -> localSum(SITE, "pageviews") == expected.pageviews && localSum(SITE, "events") == expected.events,
                "the workers counted every beacon");
            assertTrue(local(0, SITE, "pageviews") > 0 && local(1, SITE, "pageviews") > 0,
                "both workers count part of the site: the answers below are merges");
            for (final boolean throughNginx : new boolean[] {false, true})
            {
                final Stats stats = throughNginx ? report -> viaNginx(tls, ports[0], report) : report -> stats(0, report);
                expected.check(stats, throughNginx ? "through nginx" : "asked of worker 0");
            }

            replayTwiceThroughTwoNodes();
        }
        finally
        {
            if (nginx != null)
            {
                nginx.destroy();
                nginx.waitFor(30, TimeUnit.SECONDS);
            }
            for (final EngineProcess process : new EngineProcess[] {nodes[0], nodes[1], workers[0], workers[1]})
            {
                if (process != null)
                {
                    process.close();
                }
            }
        }
    }

    /** Each client sends its beacons in turn with the others': pageviews, Signup twice (fire once), Downloads. */
    private void sendThroughNginx(final SSLContext tls, final int https) throws IOException
    {
        final List<List<Beacon>> scripts = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++)
        {
            final String plan = c % 2 == 0 ? "pro" : "free";
            final List<Beacon> script = new ArrayList<>(List.of(
                new Beacon(c, "p", "pageview", "/", REFERRERS[c % 3], ""),
                new Beacon(c, "p", "pageview", "/pricing", "", ""),
                new Beacon(c, "p", "pageview", "/docs/" + c % 4, "", ""),
                new Beacon(c, "e", "Signup", "/signup", "", plan),
                new Beacon(c, "e", "Signup", "/signup", "", plan)));
            for (int d = 0; d < c % 3; d++)
            {
                script.add(new Beacon(c, "e", "Download", "/docs/" + c % 4, "", ""));
            }
            if (c % 4 == 3)
            {
                script.remove(4); // some sign up once only
            }
            scripts.add(script);
        }
        for (int step = 0; step < 8; step++)
        {
            for (final List<Beacon> script : scripts)
            {
                if (step < script.size())
                {
                    final Beacon beacon = script.get(step);
                    assertEquals(202, send(tls, https, beacon), "beacon " + beacon);
                    acknowledged.add(beacon);
                }
            }
        }
    }

    private static int send(final SSLContext tls, final int https, final Beacon beacon) throws IOException
    {
        final StringBuilder json = new StringBuilder("{\"t\":\"").append(beacon.type()).append("\",\"u\":\"https://")
            .append(SITE).append(beacon.path()).append("\",\"el\":\"c").append(beacon.client()).append('"');
        if (beacon.type().equals("e"))
        {
            json.append(",\"n\":\"").append(beacon.name()).append('"');
        }
        if (!beacon.referrer().isEmpty())
        {
            json.append(",\"r\":\"").append(beacon.referrer()).append('"');
        }
        if (!beacon.plan().isEmpty())
        {
            json.append(",\"mk\":[\"plan\"],\"mv\":[\"").append(beacon.plan()).append("\"]");
        }
        final byte[] body = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        final String head = "POST /api/event HTTP/1.1\r\nHost: " + SITE + "\r\nContent-Type: application/json\r\n" +
            "User-Agent: " + UA + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        return NginxTlsProxyTest.exchange(tls, "127.0.0." + (10 + beacon.client()), https, head, body);
    }

    /** Every client's events are in one node's journal (its label names the client), and both nodes have some. */
    private void assertEachClientOnOneNode()
    {
        final Map<String, Set<Integer>> nodesOf = new TreeMap<>();
        for (int node = 0; node < 2; node++)
        {
            final int n = node;
            try (Journal journal = Journal.openForReading(nodeDirs[node]); JournalReader reader = journal.newReader())
            {
                while (reader.read((index, record) -> nodesOf.computeIfAbsent(record.string(EventRecord.LABEL),
                    client -> new HashSet<>()).add(n), 1000) > 0)
                {
                    // all of it
                }
            }
        }
        assertEquals(CLIENTS, nodesOf.size(), "every client's events were journaled: " + nodesOf);
        nodesOf.forEach((client, on) -> assertEquals(1, on.size(), client + " went to one node only: " + on));
        final Set<Integer> used = new HashSet<>();
        nodesOf.values().forEach(used::addAll);
        assertEquals(Set.of(0, 1), used, "nginx spread the clients over both nodes: " + nodesOf);
    }

    /** A report's answer for the cluster. */
    @FunctionalInterface
    private interface Stats
    {
        Map<String, Object> report(String report);
    }

    /** The figures counted from the beacons answered 202. */
    private static final class Expected
    {
        final long pageviews;
        final long events;
        final Set<Integer> visitors = new HashSet<>();
        final Map<String, Long> pageviewsByPath = new TreeMap<>();
        final Map<String, Set<Integer>> visitorsByPath = new TreeMap<>();
        final Map<String, Long> eventsByName = new TreeMap<>();
        final Map<String, Set<Integer>> visitorsByName = new TreeMap<>();
        final Map<String, Long> signupsByPlan = new TreeMap<>();
        final Map<String, Set<Integer>> visitorsByPlan = new TreeMap<>();
        final Map<String, Set<Integer>> visitsBySource = new TreeMap<>();
        final Map<String, Set<Integer>> visitorsByCountry = new TreeMap<>();
        final Map<String, Long> pageviewsByCountry = new TreeMap<>();
        final Map<String, Long> conversionsByCountry = new TreeMap<>();
        final Map<String, Set<Integer>> convertingByCountry = new TreeMap<>();
        final Set<Integer> signedUp = new HashSet<>();
        long downloads;
        final Set<Integer> downloaded = new HashSet<>();

        Expected(final List<Beacon> beacons)
        {
            long views = 0;
            long custom = 0;
            for (final Beacon beacon : beacons)
            {
                visitors.add(beacon.client());
                visitorsByCountry.computeIfAbsent(beacon.country(), c -> new HashSet<>()).add(beacon.client());
                if (beacon.type().equals("p"))
                {
                    views++;
                    pageviewsByPath.merge(beacon.path(), 1L, Long::sum);
                    visitorsByPath.computeIfAbsent(beacon.path(), p -> new HashSet<>()).add(beacon.client());
                    pageviewsByCountry.merge(beacon.country(), 1L, Long::sum);
                    if (beacon.path().equals("/"))
                    {
                        final String source = beacon.referrer().isEmpty() ? "" : URI.create(beacon.referrer()).getHost();
                        visitsBySource.computeIfAbsent(source, s -> new HashSet<>()).add(beacon.client());
                    }
                    continue;
                }
                custom++;
                eventsByName.merge(beacon.name(), 1L, Long::sum);
                visitorsByName.computeIfAbsent(beacon.name(), n -> new HashSet<>()).add(beacon.client());
                final boolean converts = beacon.name().equals("Download") || signedUp.add(beacon.client());
                if (beacon.name().equals("Download"))
                {
                    downloads++;
                    downloaded.add(beacon.client());
                }
                else
                {
                    signupsByPlan.merge(beacon.plan(), 1L, Long::sum);
                    visitorsByPlan.computeIfAbsent(beacon.plan(), p -> new HashSet<>()).add(beacon.client());
                }
                if (converts)
                {
                    conversionsByCountry.merge(beacon.country(), 1L, Long::sum);
                    convertingByCountry.computeIfAbsent(beacon.country(), c -> new HashSet<>()).add(beacon.client());
                }
            }
            pageviews = views;
            events = custom;
        }

        void check(final Stats stats, final String how)
        {
            final Map<String, Object> kpis = stats.report("kpis?period=7d");
            assertEquals(visitors.size(), number(kpis, "visitors"), "visitors " + how);
            assertEquals(pageviews, number(kpis, "pageviews"), "pageviews " + how);
            assertEquals(events, number(kpis, "events"), "events " + how);
            assertEquals(visitors.size(), number(kpis, "sessions"), "one session a client, " + how);
            assertEquals(visitors.size(), number(kpis, "visits"), "visits " + how);
            assertEquals(signedUp.size() + downloads, number(kpis, "conversions"), "conversions " + how);

            final Map<String, Map<String, Object>> goals = byLabel(stats.report("goals?period=7d"), "goals", "name");
            assertEquals(signedUp.size(), number(goals.get("Signup"), "conversions"), "Signup fires once a visitor, " + how);
            assertEquals(eventsByName.get("Signup").longValue(), number(goals.get("Signup"), "matches"), "Signup's matches " + how);
            assertEquals(signedUp.size(), number(goals.get("Signup"), "visitors"), how);
            assertEquals(downloads, number(goals.get("Download"), "conversions"), "Download fires always, " + how);
            assertEquals(downloaded.size(), number(goals.get("Download"), "visitors"), how);

            final Map<String, Map<String, Object>> pages = byLabel(stats.report("pages?period=7d"), "pages", "page");
            assertEquals(pageviewsByPath.keySet(), pages.keySet(), "pages " + how);
            pageviewsByPath.forEach((path, views) ->
            {
                assertEquals(views.longValue(), number(pages.get(path), "pageviews"), path + " " + how);
                assertEquals(visitorsByPath.get(path).size(), number(pages.get(path), "visitors"), path + " " + how);
            });
            final List<?> two = (List<?>)stats.report("pages?period=7d&limit=2").get("pages");
            assertEquals(List.of("/", "/pricing"), List.of(((Map<?, ?>)two.get(0)).get("page"), ((Map<?, ?>)two.get(1)).get("page")),
                "the top two of the merged list, " + how);

            final Map<String, Map<String, Object>> entries = byLabel(stats.report("entry_pages?period=7d"), "entry_pages", "page");
            assertEquals(Set.of("/"), entries.keySet(), "every visit entered on /, " + how);
            assertEquals(visitors.size(), number(entries.get("/"), "visits"), how);

            long exits = 0;
            for (final Map.Entry<String, Map<String, Object>> row :
                byLabel(stats.report("exit_pages?period=7d"), "exit_pages", "page").entrySet())
            {
                exits += number(row.getValue(), "exits");
                // a page's views on every worker, also those of workers where no visit left from it
                assertEquals(pageviewsByPath.getOrDefault(row.getKey(), 0L).longValue(), number(row.getValue(), "pageviews"),
                    row.getKey() + "'s pageviews beside its exits, " + how);
            }
            assertEquals(visitors.size(), exits, "every visit exits once, " + how);
            for (final String report : List.of("browsers", "operating_systems", "devices"))
            {
                // each pageview is in one row (the User-Agent analyzer may still be loading for the first events, which
                // then count as unknown, so the rows are not asserted)
                long views = 0;
                for (final Object row : (List<?>)stats.report(report + "?period=7d").get(report))
                {
                    views += number((Map<?, ?>)row, "pageviews");
                }
                assertEquals(pageviews, views, report + " " + how);
            }

            final Map<String, Map<String, Object>> sources = byLabel(stats.report("sources?period=7d"), "sources", "source");
            long visits = 0;
            for (final Map<String, Object> row : sources.values())
            {
                visits += number(row, "visits");
            }
            assertEquals(visitors.size(), visits, "every visit has one source: " + sources + ", " + how);
            for (final String host : List.of("news.example", "search.example"))
            {
                final Map<String, Object> row = sources.values().stream()
                    .filter(r -> String.valueOf(r.get("source")).contains(host)).findFirst().orElseThrow();
                assertEquals(visitsBySource.get(host).size(), number(row, "visits"), host + " " + how);
            }

            final Map<String, Map<String, Object>> names = byLabel(stats.report("events?period=7d"), "events", "name");
            eventsByName.forEach((name, count) ->
            {
                assertEquals(count.longValue(), number(names.get(name), "events"), name + " " + how);
                assertEquals(visitorsByName.get(name).size(), number(names.get(name), "visitors"), name + " " + how);
            });
            final Map<?, ?> properties = (Map<?, ?>)stats.report("events?period=7d&name=Signup").get("properties");
            final Map<String, Map<String, Object>> plans = byLabel(Map.of("rows", properties.get("plan")), "rows", "value");
            assertEquals(signupsByPlan.keySet(), plans.keySet(), how);
            signupsByPlan.forEach((plan, count) ->
            {
                assertEquals(count.longValue(), number(plans.get(plan), "events"), plan + " " + how);
                assertEquals(visitorsByPlan.get(plan).size(), number(plans.get(plan), "visitors"), plan + " " + how);
            });

            for (final String metric : List.of("visitors", "pageviews", "events", "sessions", "conversions"))
            {
                final List<?> points = (List<?>)stats.report("timeseries?period=7d&metric=" + metric).get("points");
                final long expectedToday = switch (metric)
                {
                    case "visitors", "sessions" -> visitors.size();
                    case "pageviews" -> pageviews;
                    case "events" -> events;
                    default -> signedUp.size() + downloads;
                };
                assertEquals(7, points.size(), how);
                assertEquals(expectedToday, number((Map<?, ?>)points.get(6), "value"), "today's " + metric + " " + how);
                assertEquals(0, number((Map<?, ?>)points.get(0), "value"), "six days ago, " + how);
            }

            final Map<String, Object> countryReport = stats.report("countries?period=7d");
            final Map<String, Map<String, Object>> countries = byLabel(countryReport, "countries", "country");
            assertEquals(visitorsByCountry.keySet(), countries.keySet(), "countries " + how);
            visitorsByCountry.forEach((country, who) ->
            {
                final Map<String, Object> row = countries.get(country);
                assertEquals(who.size(), number(row, "visitors"), country + " " + how);
                assertEquals(pageviewsByCountry.get(country).longValue(), number(row, "pageviews"), country + " " + how);
                assertEquals(conversionsByCountry.getOrDefault(country, 0L).longValue(), number(row, "conversions"), country + " " + how);
                assertEquals(convertingByCountry.getOrDefault(country, Set.of()).size(), number(row, "converting_visitors"), country + " " + how);
            });
            assertEquals(0, number((Map<?, ?>)countryReport.get("unknown"), "visitors"), "every address has a country");
        }
    }

    /**
     * The same trusted events, each with an {@code id}, of a past day, sent through node 0 and then through node 1:
     * node 1 stores them again (it does not know node 0's keys), and the workers count them once.
     */
    private void replayTwiceThroughTwoNodes() throws Exception
    {
        // an hour into the UTC day before yesterday: a past day, whose salt comes from the shared key
        final long day = (System.currentTimeMillis() / TimeUnit.DAYS.toMillis(1) - 2) * TimeUnit.DAYS.toMillis(1) +
            TimeUnit.HOURS.toMillis(1);
        final StringBuilder batch = new StringBuilder();
        for (int i = 0; i < REPLAYED; i++)
        {
            batch.append("{\"t\":\"p\",\"u\":\"https://").append(REPLAY_SITE).append("/r/").append(i).append("\",\"ts\":")
                .append(day + i * 1000L).append(",\"vid\":\"v").append(i % REPLAY_VISITORS).append("\",\"id\":\"event-")
                .append(i).append("\",\"ua\":\"").append(UA).append("\"}\n");
        }
        for (int node = 0; node < 2; node++)
        {
            final Map<String, Object> answer = replay(node, batch.toString());
            assertEquals(REPLAYED, number(answer, "accepted"), "node " + node + " stored the batch: " + answer);
            assertEquals(0, number(answer, "duplicates"), "node " + node + " knows only its own keys: " + answer);
            if (node == 0)
            {
                await(() -> localSum(REPLAY_SITE, "pageviews") == REPLAYED, "the workers counted the first copy");
                killAndRestartWorkers(); // the keys they counted come back from their checkpoints
            }
        }
        assertEquals(REPLAYED, number(replay(1, batch.toString()), "duplicates"), "a node's own repeat is refused there");
        await(() -> localSum(REPLAY_SITE, "pageviews") + duplicateEvents() >= 2L * REPLAYED,
            "the workers took both copies of the replay");
        assertEquals(REPLAYED, duplicateEvents(), "the second copy of every event was recognised by its key");
        for (int worker = 0; worker < 2; worker++)
        {
            final Map<String, Object> kpis = stats(worker, REPLAY_SITE, "kpis?period=7d");
            assertEquals(REPLAYED, number(kpis, "pageviews"), "the replay counts once, asked of worker " + worker);
            assertEquals(REPLAY_VISITORS, number(kpis, "visitors"), "its visitors, asked of worker " + worker);
        }
    }

    /** Both workers killed with SIGKILL and started again; each gets its partitions back (static membership). */
    private void killAndRestartWorkers() throws Exception
    {
        final List<List<Object>> before = List.of(partitionList(0), partitionList(1));
        for (int i = 0; i < 2; i++)
        {
            workers[i].kill();
        }
        for (int i = 0; i < 2; i++)
        {
            workers[i] = startWorker(i);
        }
        await(() -> partitionList(0).equals(before.get(0)) && partitionList(1).equals(before.get(1)),
            "the restarted workers got their partitions back");
    }

    private Map<String, Object> replay(final int node, final String batch) throws Exception
    {
        final String token = (String)Json.parseObject(send(nodes[node].port(), "POST",
            "/api/v1/sites/" + REPLAY_SITE + "/tokens", "Bearer " + ADMIN, "{}")).get("token");
        return Json.parseObject(send(nodes[node].port(), "POST", "/api/v1/events", "Bearer " + token, batch));
    }

    private long duplicateEvents()
    {
        long duplicates = 0;
        for (int i = 0; i < 2; i++)
        {
            duplicates += number((Map<?, ?>)Json.parseObject(send(workerPorts[i], "GET", "/healthz", null, null)).get("worker"),
                "duplicate_events");
        }
        return duplicates;
    }

    private EngineProcess startNode(final int i) throws IOException, InterruptedException
    {
        return EngineProcess.start(nodeDirs[i], "--config", config.toString(), "--kafka-bootstrap", broker.bootstrap(),
            "--node-id", "node-" + i, "--ingest-rate-limit", "0", "--trusted-proxies", "127.0.0.1/32",
            "--rollup-checkpoint-interval", "500", "--admin-token", ADMIN, "--geoip-db", geoip.toString());
    }

    private EngineProcess startWorker(final int i) throws IOException, InterruptedException
    {
        return EngineProcess.startOnPort("worker", workerPorts[i], dir.resolve("worker-" + i),
            "--config", config.toString(), "--kafka-bootstrap", broker.bootstrap(), "--node-id", "worker-" + i,
            "--rollup-checkpoint-interval", "300", "--admin-token", ADMIN, "--peers", "127.0.0.1:" + workerPorts[1 - i],
            "--kafka-session-timeout", "120");
    }

    /**
     * nginx with the shipped cluster example, on free ports ({@code ports}: HTTPS, HTTP); started again on others
     * should another socket take one between picking and binding it.
     */
    private Process startNginx(final Path prefix, final int[] ports) throws Exception
    {
        for (int attempt = 1; ; attempt++)
        {
            ports[0] = NginxTlsProxyTest.freePort();
            ports[1] = NginxTlsProxyTest.freePort();
            String site = Files.readString(NginxTlsProxyTest.DEPLOY.resolve("nginx-tally-cluster.conf"));
            site = NginxTlsProxyTest.replace(site, "server 10.0.0.11:8080;", "server 127.0.0.1:" + nodes[0].port() + ";");
            site = NginxTlsProxyTest.replace(site, "server 10.0.0.12:8080;", "server 127.0.0.1:" + nodes[1].port() + ";");
            site = NginxTlsProxyTest.replace(site, "server 10.0.0.21:8090;", "server 127.0.0.1:" + workerPorts[0] + ";");
            site = NginxTlsProxyTest.replace(site, "server 10.0.0.22:8090;", "server 127.0.0.1:" + workerPorts[1] + ";");
            assertTrue(site.contains("hash $remote_addr consistent;"), "the example hashes the client's address");
            site = NginxTlsProxyTest.replace(site, "listen 443 ssl;", "listen 127.0.0.1:" + ports[0] + " ssl;");
            site = NginxTlsProxyTest.replace(site, "listen 80;", "listen 127.0.0.1:" + ports[1] + ";");
            site = NginxTlsProxyTest.replace(site, "/etc/tally/tls/fullchain.pem", prefix.resolve("cert.pem").toString());
            site = NginxTlsProxyTest.replace(site, "/etc/tally/tls/privkey.pem", prefix.resolve("key.pem").toString());
            NginxTlsProxyTest.writeMainConfig(prefix, site);
            Files.deleteIfExists(prefix.resolve("error.log"));
            final Process nginx = new ProcessBuilder(NginxTlsProxyTest.NGINX.toString(), "-p", prefix + "/", "-c",
                prefix.resolve("nginx.conf").toString(), "-e", prefix.resolve("error.log").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
            if (NginxTlsProxyTest.awaitListening(nginx, ports[0]))
            {
                return nginx;
            }
            final String log = NginxTlsProxyTest.read(prefix.resolve("nginx.out")) +
                NginxTlsProxyTest.read(prefix.resolve("error.log"));
            assertTrue(attempt < 5 && log.contains("Address already in use"), "nginx exited:\n" + log);
        }
    }

    /** A stats report through nginx, which sends {@code /api/v1/stats/} to a worker. */
    private static Map<String, Object> viaNginx(final SSLContext tls, final int https, final String report)
    {
        try
        {
            final String answer = new String(NginxTlsProxyTest.exchangeBytes(tls, "127.0.0.2", https, "GET /api/v1/stats/" +
                SITE + "/" + report + " HTTP/1.1\r\nHost: " + SITE + "\r\nAuthorization: Bearer " + ADMIN +
                "\r\nConnection: close\r\n\r\n", new byte[0]), StandardCharsets.UTF_8);
            assertEquals(200, NginxTlsProxyTest.status(answer.getBytes(StandardCharsets.ISO_8859_1)), answer);
            return Json.parseObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private int partitions(final int worker)
    {
        return partitionList(worker).size();
    }

    /** The partitions a worker counts, as its {@code /healthz} says. */
    private List<Object> partitionList(final int worker)
    {
        final Object section = Json.parseObject(send(workerPorts[worker], "GET", "/healthz", null, null)).get("worker");
        return section == null ? List.of() : new ArrayList<>((List<?>)((Map<?, ?>)section).get("partitions"));
    }

    private long localSum(final String site, final String figure)
    {
        return local(0, site, figure) + local(1, site, figure);
    }

    private long local(final int worker, final String site, final String figure)
    {
        return number(stats(worker, site, "kpis?period=7d&scope=local"), figure);
    }

    private Map<String, Object> stats(final int worker, final String report)
    {
        return stats(worker, SITE, report);
    }

    private Map<String, Object> stats(final int worker, final String site, final String report)
    {
        return Json.parseObject(send(workerPorts[worker], "GET", "/api/v1/stats/" + site + "/" + report, "Bearer " + ADMIN,
            null));
    }

    /** A request to a node or worker directly; its body, the answer having been 200, 201 or 202. */
    private String send(final int port, final String method, final String path, final String authorization,
        final String body)
    {
        return direct.call(port, method, path, authorization, body, 200, 202);
    }

    /** The rows of a report's list by their label. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> byLabel(final Map<String, Object> answer, final String list,
        final String label)
    {
        final Map<String, Map<String, Object>> rows = new HashMap<>();
        for (final Object row : (List<?>)answer.get(list))
        {
            rows.put(String.valueOf(((Map<?, ?>)row).get(label)), (Map<String, Object>)row);
        }
        return rows;
    }

    private static long number(final Map<?, ?> answer, final String key)
    {
        final Object value = answer == null ? null : answer.get(key);
        return value == null ? 0 : ((Number)value).longValue();
    }

    /** Waits for a condition (the cluster converges whatever the machine's load); fails after five minutes. */
    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(100);
        }
    }
}
