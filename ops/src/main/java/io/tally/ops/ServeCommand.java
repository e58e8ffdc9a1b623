package io.tally.ops;

import io.tally.engine.AddressRanges;
import io.tally.engine.AdminToken;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.Site;
import io.tally.engine.TallyServer;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.matcher.InvalidGoalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** {@code tally serve}: runs the engine until SIGTERM or SIGINT, then drains and exits 0. */
final class ServeCommand
{
    static final Option PORT = Option.of("--port", "port", "8080", "TCP port to listen on");
    static final Option HOST = Option.of("--host", "host", "0.0.0.0", "address to listen on");
    static final Option DATA_DIR = Option.of("--data-dir", "data_dir", "./data", "where the journal and state live");
    static final Option SITE = Option.repeatable("--site", null, "localhost",
        "a site domain to accept events for (comma-separated in the environment)");
    static final Option CONFIG = Option.of("--config", null, null, "JSON config file: sites with aliases and time zones, limits");
    static final Option RATE_LIMIT = Option.of("--ingest-rate-limit", "ingest_rate_limit", "20",
        "requests per second per client IP on ingest endpoints; 0 turns the limiter off");
    static final Option BURST = Option.of("--ingest-burst", "ingest_burst", "40",
        "requests a client IP may send at once before the rate applies; 0 turns the limiter off");
    static final Option TRUSTED_PROXIES = Option.of("--trusted-proxies", "trusted_proxies", null,
        "CIDR ranges whose X-Forwarded-For is believed, comma-separated");
    static final Option MAX_BODY = Option.of("--max-body", "max_body", "16k", "largest request body; larger is 413");
    static final Option MAX_CONNECTIONS = Option.of("--max-connections", "max_connections", "10000",
        "open connections at most; more are closed at once");
    static final Option IDLE_TIMEOUT = Option.of("--idle-timeout", "idle_timeout", "60",
        "seconds a keep-alive connection may sit idle");
    static final Option READ_TIMEOUT = Option.of("--read-timeout", "read_timeout", "10",
        "seconds a started request may go without new bytes (answered 408)");
    static final Option IO_THREADS = Option.of("--io-threads", "io_threads", "0", "event loop threads; 0 means one per core");
    static final Option ADMIN_TOKEN = Option.of("--admin-token", "admin_token", null,
        "bearer token of the admin API; when none, one is made at first start, kept in the data dir, printed once");

    static final Option CHECKPOINT_INTERVAL = Option.of("--rollup-checkpoint-interval", "rollup_checkpoint_interval", "5000",
        "milliseconds between rollup checkpoints while events come in");

    static final Option MAX_IDEMPOTENCY_KEYS = Option.of("--max-idempotency-keys", "max_idempotency_keys", "1048576",
        "idempotency keys of trusted events remembered (7 days); about 64 bytes each");

    static final List<Option> OPTIONS = List.of(PORT, HOST, DATA_DIR, SITE, CONFIG, RATE_LIMIT, BURST, TRUSTED_PROXIES,
        MAX_BODY, MAX_CONNECTIONS, IDLE_TIMEOUT, READ_TIMEOUT, IO_THREADS, ADMIN_TOKEN, CHECKPOINT_INTERVAL, MAX_IDEMPOTENCY_KEYS);

    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private ServeCommand()
    {
    }

    static void printHelp(final PrintStream out)
    {
        out.println("Usage: tally serve [flags]");
        out.println();
        out.println("Runs the ingest engine. Each flag has a TALLY_* environment twin; a flag beats the");
        out.println("environment, which beats the config file, which beats the default.");
        out.println();
        OPTIONS.forEach(option -> out.print(option.helpLine()));
    }

    static int run(final List<String> args, final Map<String, String> environment, final PrintStream out)
    {
        final CommandLine commandLine = new CommandLine(args, OPTIONS);
        if (commandLine.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        if (!commandLine.positional().isEmpty())
        {
            throw new UsageException("serve takes no arguments: " + commandLine.positional());
        }
        final Settings bootstrap = new Settings(commandLine, environment, Map.of());
        final Settings settings = new Settings(commandLine, environment, Settings.readConfigFile(bootstrap.value(CONFIG)));
        final EngineConfig config = toConfig(settings);

        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        final TallyServer server = TallyServer.start(new Engine(config));
        if (server.engine().adminToken().wasGenerated())
        {
            LOG.info("admin token (made now, kept in {}; shown only this once): {}",
                config.dataDir().resolve(AdminToken.FILE), server.engine().adminToken().value());
        }
        LOG.info("tally listening on {}:{} ({}), data in {}, sites {}, rate limit {}/s burst {}, max body {} bytes",
            config.host(), server.port(), server.usesEpoll() ? "epoll" : "nio", config.dataDir().toAbsolutePath().normalize(),
            config.sites(), config.ingestRateLimit(), config.ingestBurst(), config.maxBody());
        awaitUninterruptibly(stop);
        LOG.info("draining: finishing requests in flight, then closing the journal");
        server.close();
        LOG.info("stopped cleanly");
        return 0;
    }

    static EngineConfig toConfig(final Settings settings)
    {
        try
        {
            return EngineConfig.builder(Path.of(settings.value(DATA_DIR)))
                .host(settings.value(HOST))
                .port(settings.intValue(PORT))
                .sites(sites(settings))
                .ingestRateLimit(settings.doubleValue(RATE_LIMIT))
                .ingestBurst(settings.intValue(BURST))
                .trustedProxies(AddressRanges.parse(settings.values(TRUSTED_PROXIES)))
                .maxBody(settings.sizeValue(MAX_BODY))
                .maxConnections(settings.intValue(MAX_CONNECTIONS))
                .idleTimeout(Duration.ofSeconds(settings.intValue(IDLE_TIMEOUT)))
                .readTimeout(Duration.ofSeconds(settings.intValue(READ_TIMEOUT)))
                .ioThreads(settings.intValue(IO_THREADS))
                .adminToken(settings.value(ADMIN_TOKEN))
                .rollupCheckpointInterval(Duration.ofMillis(settings.intValue(CHECKPOINT_INTERVAL)))
                .maxIdempotencyKeys(settings.intValue(MAX_IDEMPOTENCY_KEYS))
                .goals(goalsFromFile(settings))
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    /**
     * Sites from {@code --site} flags, else {@code TALLY_SITE}, else the config file's {@code sites} (objects
     * with {@code domain}, {@code aliases}, {@code time_zone}, or plain domains), else {@code localhost}.
     */
    static List<Site> sites(final Settings settings)
    {
        final Object fromFile = settings.configFile().get("sites");
        final List<String> explicit = settings.values(SITE);
        if (fromFile instanceof List && explicit.equals(List.of(SITE.defaultValue())))
        {
            return sitesFromFile((List<?>)fromFile);
        }
        return explicit.stream().map(Site::new).toList();
    }

    private static List<Site> sitesFromFile(final List<?> entries)
    {
        final List<Site> sites = new ArrayList<>();
        for (final Object entry : entries)
        {
            if (entry instanceof String)
            {
                sites.add(new Site((String)entry));
            }
            else if (entry instanceof Map && ((Map<?, ?>)entry).get("domain") instanceof String)
            {
                final Map<?, ?> site = (Map<?, ?>)entry;
                final List<String> aliases = new ArrayList<>();
                if (site.get("aliases") instanceof List)
                {
                    ((List<?>)site.get("aliases")).forEach(alias -> aliases.add(String.valueOf(alias)));
                }
                final Object timeZone = site.get("time_zone");
                final Object readToken = site.get("read_token");
                sites.add(new Site((String)site.get("domain"), aliases, timeZone == null ? null : String.valueOf(timeZone),
                    readToken == null ? null : String.valueOf(readToken)));
            }
            else
            {
                throw new UsageException("each entry of 'sites' must be a domain or an object with a 'domain': " + entry);
            }
        }
        return sites;
    }

    /** The {@code goals} lists of the config file's site objects, by site domain (they seed new sites). */
    static Map<String, List<Goal>> goalsFromFile(final Settings settings)
    {
        final Object sites = settings.configFile().get("sites");
        final Map<String, List<Goal>> goals = new HashMap<>();
        if (!(sites instanceof List))
        {
            return goals;
        }
        for (final Object entry : (List<?>)sites)
        {
            if (!(entry instanceof Map) || !(((Map<?, ?>)entry).get("goals") instanceof List))
            {
                continue;
            }
            final Map<?, ?> site = (Map<?, ?>)entry;
            final String domain = new Site((String)site.get("domain")).domain();
            final List<Goal> list = new ArrayList<>();
            final List<?> json = (List<?>)site.get("goals");
            for (int i = 0; i < json.size(); i++)
            {
                try
                {
                    list.add(GoalJson.read(json.get(i)));
                }
                catch (final InvalidGoalException ex)
                {
                    throw new UsageException("config file: site " + domain + ", goals[" + i + "]." + ex.getMessage());
                }
            }
            goals.put(domain, list);
        }
        return goals;
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        while (true)
        {
            try
            {
                latch.await();
                return;
            }
            catch (final InterruptedException ignored)
            {
                // only a signal ends serve
            }
        }
    }
}
