package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tally.bench.load.RequestPool;
import io.tally.codec.Outcome;
import io.tally.engine.Engine;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.ingest.EventIngestor;
import io.tally.engine.limit.RateLimiter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The per-event path after HTTP, as the handler runs it for a beacon: the client's bucket in the rate limiter,
 * then {@link EventIngestor#ingest} (decode, site, visitor, the audience from the User-Agent cache (a hit after the
 * first event) and the referrer's spam check, session, goal matching over the harness's 100 goals, encode, journal
 * append into Chronicle in a temporary directory). Bodies are the valid part of the load generator's mix, clients
 * 4,096 addresses; with {@code geoip=on} each event's country is looked up too (the clients' addresses in the
 * database, so after the first round each is a hit of its I/O thread's cache). Run with {@code bench/jmh.sh
 * IngestPath}; the goal is 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class IngestPathBenchmark
{
    private static final int CLIENTS = 4096;
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";

    /** The rate limiter: on with limits no client reaches, or off. */
    @Param({"on", "off"})
    public String limiter;

    /** Countries: off, or looked up in a database of real shape ({@link BenchCountries}), the clients in it. */
    @Param({"off", "on"})
    public String geoip;

    /**
     * {@code mix}: the load generator's valid bodies; {@code plausible}: bodies of Plausible's script, read by
     * Plausible's rules (a domain list naming the site and an unknown one, props and revenue as strings, a
     * rewritten URL with a bad property and an internal referrer, and an engagement with scroll depth and time).
     */
    @Param({"mix", "plausible"})
    public String bodies;

    private Path dir;
    private Engine engine;
    private EventIngestor ingestor;
    private RateLimiter rateLimiter;
    private ByteBuf[] bodyBuffers;
    private final IpAddress[] clients = new IpAddress[CLIENTS];
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("tally-jmh-ingest");
        final BenchCountries countries = new BenchCountries(new java.util.Random(0x6E02L));
        engine = BenchEngine.start(dir, "on".equals(limiter),
            "on".equals(geoip) ? countries.write(dir.resolve("countries.mmdb")) : null);
        ingestor = engine.ingestor();
        engine.ingestServices().screening().classifier().prime(USER_AGENT); // every event a cache hit, as in steady state
        rateLimiter = engine.limiters().defaultLimiter();
        final List<byte[]> valid = "plausible".equals(bodies) ? plausibleBodies() : BenchEvents.validBodies(8192, 1);
        bodyBuffers = new ByteBuf[valid.size()];
        for (int i = 0; i < bodyBuffers.length; i++)
        {
            bodyBuffers[i] = PooledByteBufAllocator.DEFAULT.directBuffer(valid.get(i).length).writeBytes(valid.get(i));
        }
        for (int i = 0; i < CLIENTS; i++)
        {
            clients[i] = "on".equals(geoip) ? countries.client(false) : new IpAddress();
            if ("off".equals(geoip))
            {
                clients[i].parse(RequestPool.clientAddress(i));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        for (final ByteBuf body : bodyBuffers)
        {
            body.release();
        }
        engine.close();
        TempDirs.delete(dir);
    }

    @Benchmark
    public Outcome ingest()
    {
        final int i = next;
        next = i + 1 == bodyBuffers.length ? 0 : i + 1;
        final IpAddress client = clients[i & (CLIENTS - 1)];
        if (rateLimiter.tryAcquire(client.high(), client.low()) > 0)
        {
            return Outcome.RATE_LIMITED;
        }
        return ingestor.ingest(bodyBuffers[i], client, USER_AGENT).outcome();
    }

    /** Four bodies of Plausible's script, each once per client: every client sends all four in turn. */
    private static List<byte[]> plausibleBodies()
    {
        final String site = BenchEvents.SITE;
        final String[] four = {
            "{\"n\":\"pageview\",\"u\":\"https://" + site + "/pricing\",\"d\":\"" + site + ",unknown.example\"," +
                "\"r\":\"https://www.google.com/search?q=pro\",\"w\":1440,\"h\":0,\"v\":26}",
            "{\"n\":\"Checkout\",\"u\":\"https://" + site + "/checkout\",\"d\":\"" + site + "\"," +
                "\"p\":\"{\\\"plan\\\":\\\"Pro\\\",\\\"seats\\\":3}\"," +
                "\"$\":\"{\\\"amount\\\":\\\"129.00\\\",\\\"currency\\\":\\\"EUR\\\"}\"}",
            "{\"n\":\"pageview\",\"u\":\"https://" + site + "/caf%C3%A9/men%C3%BC%20#/step-2\",\"d\":\"" + site + "\"," +
                "\"r\":\"https://" + site + "/\",\"h\":1,\"m\":{\"plan\":\"Pro\",\"gone\":null}}",
            "{\"n\":\"engagement\",\"u\":\"https://" + site + "/pricing\",\"d\":\"" + site + "\",\"sd\":64,\"e\":18250}"};
        final List<byte[]> bodies = new java.util.ArrayList<>();
        // body i goes to client i % CLIENTS: a run of each kind per client, so an engagement follows its page views
        for (final String body : four)
        {
            for (int client = 0; client < CLIENTS; client++)
            {
                bodies.add(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return bodies;
    }
}
