package io.tally.bench;

import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tally bench beacons-under-stats}: what dashboards left open cost beacons. An engine with one I/O thread and
 * 90 days of a small shop's history; beacons sent one after another on one keep-alive connection, their round trips'
 * p50, p99 and p99.9 taken without readers and with readers asking the stats API in a loop (an hourly timeseries
 * over the 90 days, a property breakdown, sources of a goal, sessions), rounds alternating.
 */
final class BeaconsUnderStats
{
    private static final Set<String> FLAGS = Set.of("rounds", "readers", "beacons", "io-threads");
    private static final int DAYS = 90;
    private static final int EVENTS_A_DAY = 60;
    private static final String SIGNUP_GOAL = "{\"name\":\"Signup\",\"kind\":\"micro\",\"weight\":1,\"type\":\"custom\"," +
        "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}";
    private static final String PAGEVIEW = "{\"t\":\"p\",\"u\":\"https://shop.example/landing\"}";

    private BeaconsUnderStats()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("tally bench beacons-under-stats [--rounds 3] [--readers 2] [--beacons 1000] [--io-threads 1]");
        out.println("  beacon round trips (p50, p99, p99.9) without and with stats readers in a loop, rounds alternating");
    }

    static int run(final List<String> args, final PrintStream out)
    {
        final Flags flags = new Flags(args, FLAGS);
        if (flags.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        try
        {
            measure(flags, out);
            return 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("beacons-under-stats: " + ex.getMessage(), ex);
        }
    }

    private static void measure(final Flags flags, final PrintStream out) throws Exception
    {
        final int rounds = (int)flags.number("rounds", 3, 1, 100);
        final int readers = (int)flags.number("readers", 2, 1, 64);
        final int beacons = (int)flags.number("beacons", 1000, 100, 1_000_000);
        final int ioThreads = (int)flags.number("io-threads", 1, 1, 64);
        final Path dir = Files.createTempDirectory("tally-beacons-under-stats");
        try (TestEngine engine = TestEngine.start(dir, b -> b.ioThreads(ioThreads)))
        {
            // the User-Agent analyzer builds in the background after a start: seconds of CPU not to be measured
            engine.engine().ingestServices().screening().classifier().awaitReady();
            final String admin = engine.engine().adminToken().value();
            require(engine.call("POST", "/api/v1/sites/shop.example/goals", SIGNUP_GOAL, admin), 201);
            replayHistory(engine, engine.siteToken("shop.example", admin));
            engine.awaitRollups();
            final List<String> reports = reports();
            out.printf(Locale.ROOT, "%d beacons a round, %d readers, %d I/O thread(s); round trip in microseconds%n",
                beacons, readers, ioThreads);
            out.println("round  readers      p50      p99    p99.9  queries");
            beaconRoundTrips(engine, beacons); // warm-up
            for (int round = 1; round <= rounds; round++)
            {
                out.println(line(round, "off", beaconRoundTrips(engine, beacons), 0));
                final AtomicLong queries = new AtomicLong();
                final long[] loaded = withReaders(engine, admin, reports, readers, queries,
                    () -> beaconRoundTrips(engine, beacons));
                out.println(line(round, "on", loaded, queries.get()));
            }
        }
        finally
        {
            TempDirs.delete(dir);
        }
    }

    private static List<String> reports()
    {
        final LocalDate today = LocalDate.now(ZoneOffset.UTC);
        final String range = "from=" + today.minusDays(DAYS - 1) + "&to=" + today;
        return List.of("timeseries?interval=hour&" + range, "events?name=Signup&" + range, "sources?goal=Signup&" + range,
            "sessions?period=7d&limit=100");
    }

    @FunctionalInterface
    private interface Measured
    {
        long[] run() throws IOException;
    }

    private static long[] withReaders(final TestEngine engine, final String admin, final List<String> reports,
        final int readers, final AtomicLong queries, final Measured measured) throws Exception
    {
        final AtomicBoolean reading = new AtomicBoolean(true);
        final ExecutorService dashboards = Executors.newFixedThreadPool(readers);
        try
        {
            final List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < readers; i++)
            {
                clients.add(dashboards.submit(() -> readStats(engine, admin, reports, reading, queries)));
            }
            while (queries.get() < readers && clients.stream().noneMatch(Future::isDone)) // a reader done early failed
            {
                Thread.sleep(1); // the readers are reading before the beacons are timed
            }
            final long[] nanos = measured.run();
            reading.set(false);
            for (final Future<?> client : clients)
            {
                client.get(60, TimeUnit.SECONDS);
            }
            return nanos;
        }
        finally
        {
            reading.set(false);
            dashboards.shutdownNow();
        }
    }

    private static String line(final int round, final String readers, final long[] sorted, final long queries)
    {
        return String.format(Locale.ROOT, "%5d  %7s  %7.0f  %7.0f  %7.0f  %7d", round, readers, micros(sorted, 0.5),
            micros(sorted, 0.99), micros(sorted, 0.999), queries);
    }

    /** The quantile by nearest rank: of 1,000 round trips, p99.9 is the 999th, p99 the 990th. */
    private static double micros(final long[] sorted, final double quantile)
    {
        return sorted[Math.max(0, (int)Math.ceil(sorted.length * quantile) - 1)] / 1000.0;
    }

    /** 90 days of a small shop through the trusted events API: pageviews from a few sources, signups with a plan. */
    private static void replayHistory(final TestEngine engine, final String token) throws IOException
    {
        final long now = System.currentTimeMillis();
        final String[] referrers = {"https://news.example/a", "https://search.example/q", "https://social.example/p"};
        final StringBuilder batch = new StringBuilder();
        for (int day = 0; day < DAYS; day++)
        {
            for (int i = 0; i < EVENTS_A_DAY; i++)
            {
                final long ts = now - (DAYS - 1 - day) * 86_400_000L - i * 60_000L;
                final String visitor = "v" + day + "-" + (i % 200);
                batch.append(i % 5 == 0 ?
                    "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/signup\",\"mk\":[\"plan\"],\"mv\":[\"p" + i % 7 + "\"]" :
                    "{\"t\":\"p\",\"u\":\"https://shop.example/page/" + i % 40 + "\",\"r\":\"" + referrers[i % 3] + "\"")
                    .append(",\"ts\":").append(ts).append(",\"vid\":\"").append(visitor).append("\"}\n");
            }
            if (day % 10 == 9)
            {
                require(engine.call("POST", "/api/v1/events", batch.toString(), token), 200);
                batch.setLength(0);
            }
        }
    }

    private static void readStats(final TestEngine engine, final String admin, final List<String> reports,
        final AtomicBoolean reading, final AtomicLong queries)
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; reading.get(); i++)
            {
                final String path = "/api/v1/stats/shop.example/" + reports.get(i % reports.size());
                require(http.exchange(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
                    "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)), 200);
                queries.incrementAndGet();
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Round trips of {@code count} beacons, one after another on one connection, sorted. */
    private static long[] beaconRoundTrips(final TestEngine engine, final int count) throws IOException
    {
        final byte[] beacon = RawHttp.post("/api/event", "application/json", PAGEVIEW);
        final long[] nanos = new long[count];
        try (RawHttp http = new RawHttp(engine.port()))
        {
            for (int i = 0; i < count; i++)
            {
                final long start = System.nanoTime();
                final RawHttp.Answer answer = http.exchange(beacon);
                nanos[i] = System.nanoTime() - start;
                require(answer, 202);
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void require(final RawHttp.Answer answer, final int status)
    {
        if (answer.status() != status)
        {
            throw new IllegalStateException("expected " + status + ", got " + answer.status() + ": " + answer.body());
        }
    }
}
