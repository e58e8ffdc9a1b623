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
 * then {@link EventIngestor#ingest} (decode, site, visitor and session, goal matching over the harness's 100
 * goals, encode, journal append into Chronicle in a temporary directory). Bodies are the valid part of the
 * load generator's mix, clients 4,096 addresses; with {@code geoip=on} each event's country is looked up too (the
 * clients' addresses in the database, so after the first round each is a hit of its I/O thread's cache). Run with
 * {@code bench/jmh.sh IngestPath}; the goal is 0 B/op.
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

    private Path dir;
    private Engine engine;
    private EventIngestor ingestor;
    private RateLimiter rateLimiter;
    private ByteBuf[] bodies;
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
        rateLimiter = engine.limiters().defaultLimiter();
        final List<byte[]> valid = BenchEvents.validBodies(8192, 1);
        bodies = new ByteBuf[valid.size()];
        for (int i = 0; i < bodies.length; i++)
        {
            bodies[i] = PooledByteBufAllocator.DEFAULT.directBuffer(valid.get(i).length).writeBytes(valid.get(i));
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
        for (final ByteBuf body : bodies)
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
        next = i + 1 == bodies.length ? 0 : i + 1;
        final IpAddress client = clients[i & (CLIENTS - 1)];
        if (rateLimiter.tryAcquire(client.high(), client.low()) > 0)
        {
            return Outcome.RATE_LIMITED;
        }
        return ingestor.ingest(bodies[i], client, USER_AGENT).outcome();
    }
}
