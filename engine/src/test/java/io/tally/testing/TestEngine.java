package io.tally.testing;

import io.tally.codec.json.Json;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.http.TallyServer;
import io.tally.engine.site.Site;
import io.tally.store.Journal;
import io.tally.store.JournalDump;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The real engine on a free loopback port with its journal in a temporary directory, and what a test makes beside it
 * (as {@code tally serve} makes the notifier): made after the engine, before the server; closed before the engine.
 */
public final class TestEngine implements AutoCloseable
{
    private final Engine engine;
    private final AutoCloseable beside;
    private final TallyServer server;
    private final Path dataDir;

    private TestEngine(final Engine engine, final AutoCloseable beside, final TallyServer server, final Path dataDir)
    {
        this.engine = engine;
        this.beside = beside;
        this.server = server;
        this.dataDir = dataDir;
    }

    /** The free space tests keep: small, so a test machine with little disk still takes events. */
    public static final long TEST_MIN_FREE_SPACE = 16L << 20;

    /** Starts an engine for site {@code shop.example} (and alias {@code www.shop.example}) with the limiter off. */
    public static TestEngine start(final Path dataDir)
    {
        return start(dataDir, UnaryOperator.identity());
    }

    public static TestEngine start(final Path dataDir, final UnaryOperator<EngineConfig.Builder> customize)
    {
        return start(dataDir, customize, engine -> () -> { });
    }

    /** As above, with {@code beside} made on the engine before the server starts. */
    public static TestEngine start(final Path dataDir, final UnaryOperator<EngineConfig.Builder> customize,
        final Function<Engine, ? extends AutoCloseable> beside)
    {
        final EngineConfig.Builder builder = EngineConfig.builder(dataDir)
            .host("127.0.0.1")
            .port(0)
            .ioThreads(2)
            .ingestRateLimit(0)
            .minFreeSpace(TEST_MIN_FREE_SPACE)
            .sites(List.of(new Site("shop.example", List.of("shop-alias.example"), "UTC")));
        final Engine engine = new Engine(customize.apply(builder).build());
        final AutoCloseable part = beside.apply(engine);
        return new TestEngine(engine, part, TallyServer.start(engine.serverServices()), dataDir);
    }

    public int port()
    {
        return server.port();
    }

    public TallyServer server()
    {
        return server;
    }

    public Engine engine()
    {
        return engine;
    }

    /** What was made beside the engine ({@link #start(Path, UnaryOperator, Function)}). */
    public AutoCloseable beside()
    {
        return beside;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /** One request on a connection of its own: {@code token} (may be null) as a bearer token, {@code body} may be null. */
    public RawHttp.Answer call(final String method, final String path, final String body, final String token)
        throws java.io.IOException
    {
        try (RawHttp http = new RawHttp(port()))
        {
            final byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            final String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                "Content-Length: " + bytes.length + "\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
            return http.exchange(RawHttp.concat(head.getBytes(StandardCharsets.ISO_8859_1), bytes));
        }
    }

    /** {@code GET /healthz}, parsed. */
    public Map<String, Object> health() throws java.io.IOException
    {
        return Json.parseObject(call("GET", "/healthz", null, null).body());
    }

    /**
     * A stats report of {@code site} ({@code "kpis?period=7d"}) read with the admin token, once the rollups have
     * caught up with the journal.
     */
    public Map<String, Object> stats(final String site, final String report) throws java.io.IOException
    {
        awaitRollups();
        final RawHttp.Answer answer = call("GET", "/api/v1/stats/" + site + "/" + report, null,
            engine.adminToken().value());
        if (answer.status() != 200)
        {
            throw new AssertionError("stats " + report + ": " + answer.status() + " " + answer.body());
        }
        return Json.parseObject(answer.body());
    }

    /** Waits (at most 10 s) until the rollups have counted every record journaled so far, so stats include them. */
    public void awaitRollups()
    {
        final long journalIndex = engine.journal().lastIndex();
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.rollups().lastIndex() < journalIndex && System.nanoTime() - deadline < 0)
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** A new token of {@code site} for the trusted events API, made with the admin token. */
    public String siteToken(final String site, final String adminToken) throws java.io.IOException
    {
        final RawHttp.Answer answer = call("POST", "/api/v1/sites/" + site + "/tokens", null, adminToken);
        if (answer.status() != 201)
        {
            throw new IllegalStateException("no site token: " + answer.status() + " " + answer.body());
        }
        return (String)Json.parseObject(answer.body()).get("token");
    }

    /** Every journal record, as the dump prints it, parsed. Reads through a second, read-only queue. */
    public List<Map<String, Object>> dump()
    {
        return dump(dataDir);
    }

    public static List<Map<String, Object>> dump(final Path dataDir)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Journal journal = Journal.openForReading(dataDir);
            PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            if (journal != null)
            {
                new JournalDump().dump(journal, -1, Long.MAX_VALUE, out);
            }
        }
        final List<Map<String, Object>> records = new ArrayList<>();
        for (final String line : bytes.toString(StandardCharsets.UTF_8).split("\n"))
        {
            if (!line.isBlank())
            {
                records.add(Json.parseObject(line));
            }
        }
        return records;
    }

    /** Drains the server, closes what is beside the engine, then the engine. */
    @Override
    public void close()
    {
        server.close();
        try
        {
            beside.close();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("closing what was beside the engine", ex);
        }
        finally
        {
            engine.close();
        }
    }
}
