package io.tally.bench.load;

import io.tally.bench.Flags;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * One load run: target, mode, and the bounds that every run has (duration, request count, connections,
 * rate, per-request timeout), each checked against a hard limit.
 */
public final class LoadOptions
{
    public static final long MAX_DURATION_MILLIS = 3_600_000;
    public static final long MAX_REQUESTS = 1_000_000_000;
    public static final int MAX_CONNECTIONS = 10_000;
    public static final int MAX_RATE = 1_000_000;
    public static final int MAX_CLIENTS = 1 << 20;
    public static final int MAX_POOL = 1 << 20;
    public static final int MAX_THREADS = 64;
    public static final long MAX_TIMEOUT_MILLIS = 60_000;

    static final Set<String> FLAGS = Set.of("url", "mode", "rate", "connections", "duration", "warmup", "requests",
        "timeout", "site", "clients", "source", "threads", "pool", "seed", "server-pid");

    /** Closed: every connection sends its next request when the last is answered. Open: a fixed rate. */
    public enum Mode
    {
        CLOSED, OPEN
    }

    /** How requests spread over client addresses. */
    public enum Source
    {
        /** An {@code X-Forwarded-For} address per request (the engine trusts 127.0.0.1 as a proxy). */
        XFF,
        /** Each connection binds its own local address in 127.0.0.0/8. */
        BIND,
        /** Neither: every request from 127.0.0.1. */
        NONE
    }

    final LoadTarget target;
    final Mode mode;
    final int rate;
    final int connections;
    final long durationMillis;
    final long warmupMillis;
    final long maxRequests;
    final long timeoutMillis;
    final String site;
    final int clients;
    final Source source;
    final int threads;
    final int pool;
    final long seed;
    /** A local server process whose threads' CPU over the measured window is reported; 0 for none. */
    final long serverPid;

    private LoadOptions(final Flags flags)
    {
        final String url = flags.string("url", null);
        if (url == null)
        {
            throw new IllegalArgumentException("--url is required (a loopback URL such as http://127.0.0.1:8080/api/event)");
        }
        this.target = LoadTarget.parse(url);
        this.mode = Mode.valueOf(flags.choice("mode", "closed", "closed", "open"));
        this.rate = (int)flags.number("rate", 0, 0, MAX_RATE);
        if (mode == Mode.OPEN && rate == 0)
        {
            throw new IllegalArgumentException("--mode open needs --rate (requests/s, 1 to " + MAX_RATE + ")");
        }
        this.connections = (int)flags.number("connections", 128, 1, MAX_CONNECTIONS);
        this.durationMillis = flags.millis("duration", 10_000, 100, MAX_DURATION_MILLIS);
        this.warmupMillis = flags.millis("warmup", 0, 0, MAX_DURATION_MILLIS);
        this.maxRequests = flags.number("requests", MAX_REQUESTS, 1, MAX_REQUESTS);
        this.timeoutMillis = flags.millis("timeout", 5_000, 10, MAX_TIMEOUT_MILLIS);
        this.site = flags.string("site", "localhost");
        this.clients = (int)flags.number("clients", 4096, 1, MAX_CLIENTS);
        this.source = Source.valueOf(flags.choice("source", "xff", "xff", "bind", "none"));
        this.threads = (int)flags.number("threads", 1, 1, MAX_THREADS);
        this.pool = (int)flags.number("pool", 8192, 1, MAX_POOL);
        this.seed = flags.number("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        this.serverPid = flags.number("server-pid", 0, 0, Long.MAX_VALUE);
    }

    public static LoadOptions parse(final List<String> args)
    {
        return new LoadOptions(new Flags(args, FLAGS));
    }

    public static void printHelp(final PrintStream out)
    {
        out.println("tally bench load --url http://127.0.0.1:PORT/api/event [flags]   (loopback targets only)");
        out.println("  --mode closed|open     closed: each connection sends when answered (maximum rate); open: --rate");
        out.println("  --rate N               open mode: requests/s, latencies from the intended send time (at most " +
            MAX_RATE + ")");
        out.println("  --connections N        keep-alive connections (128; at most " + MAX_CONNECTIONS + ")");
        out.println("  --duration T           measured time, 10s (500ms, 2m; at most 1h)");
        out.println("  --warmup T             load before measuring, not recorded (0)");
        out.println("  --requests N           stop after N requests sent, warm-up included (at most " + MAX_REQUESTS + ")");
        out.println("  --timeout T            a request unanswered this long is a timeout; its connection is replaced (5s)");
        out.println("  --site DOMAIN          the site in the beacons' URLs (localhost)");
        out.println("  --source xff|bind|none client addresses: X-Forwarded-For (the engine needs --trusted-proxies " +
            "127.0.0.1), a bound local address per connection in 127.0.0.0/8, or neither (xff)");
        out.println("  --clients N            X-Forwarded-For addresses (4096)");
        out.println("  --threads N            event loops of the generator (1)");
        out.println("  --pool N               prebuilt requests, cycled (8192)");
        out.println("  --seed N               seed of the request mix (1)");
        out.println("  --server-pid PID       also report the CPU seconds each thread of that local process used while measured");
    }
}
