package io.tally.ops;

import io.tally.cluster.JournalForwarder;
import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.api.AdminToken;
import io.tally.engine.config.LiveSites;
import io.tally.engine.geo.GeoIp;
import io.tally.engine.geo.GeoIpException;
import io.tally.engine.http.TallyServer;
import io.tally.engine.identity.AddressRanges;
import io.tally.engine.limit.Limiters;
import io.tally.engine.site.RefusedChange;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteSpec;
import io.tally.explore.EventStore;
import io.tally.notify.Notifier;
import io.tally.notify.NotifierConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        "a site domain to accept events for (comma-separated in the environment)").renamedEnv("TALLY_SITES", "TALLY_SITE");
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
        "seconds a request may take from its first byte to its last, head and body (answered 408); 0 turns it off");
    static final Option IO_THREADS = Option.of("--io-threads", "io_threads", "0", "event loop threads; 0 means one per core");
    static final Option API_THREADS = Option.of("--api-threads", "api_threads", "2",
        "threads that answer the admin, stats and limits API and metrics scrapes (never the event loops)");
    static final Option API_QUEUE = Option.of("--api-queue", "api_queue", "64",
        "API requests that may wait for one of those threads; past them 503 busy with Retry-After");
    static final Option API_WAIT = Option.of("--api-wait", "api_wait", "10",
        "seconds an API request may wait for one of those threads; past them 503 busy with Retry-After");
    static final Option ADMIN_TOKEN = Option.of("--admin-token", "admin_token", null,
        "bearer token of the admin API; when none, one is made at first start, kept in the data dir, printed once");

    static final Option CHECKPOINT_INTERVAL = Option.of("--rollup-checkpoint-interval", "rollup_checkpoint_interval", "5000",
        "milliseconds between rollup checkpoints while events come in");

    static final Option MAX_IDEMPOTENCY_KEYS = Option.of("--max-idempotency-keys", "max_idempotency_keys", "1048576",
        "idempotency keys of trusted events remembered (7 days); about 64 bytes each");

    static final Option MIN_FREE_SPACE = Option.of("--min-free-space", "min_free_space", "256m",
        "free space kept on the data dir's file system; below it events are answered 503 disk_full until space is back");

    static final Option KEEP_BOTS = Option.onOff("--keep-bots", "keep_bots",
        "journal robots' events (crawlers, automation, spam referrers) flagged, instead of dropping them; 202 either way");

    static final Option JOURNAL_PRETOUCH = Option.of("--journal-pretouch", "journal_pretouch", "true",
        "true: a thread brings the journal's pages into memory ahead of the appenders, so a request does not take their first fault");

    static final Option ROLLUP_RETENTION = Option.of("--rollup-retention-days", "rollup_retention_days", "0",
        "days of rollups kept; older days' segments are deleted whole (0 keeps everything)");
    static final Option JOURNAL_RETENTION = Option.of("--journal-retention-days", "journal_retention_days", "0",
        "days of journal kept, at least 32; older daily files are deleted whole once counted (0 keeps everything)");

    static final Option METRICS_TOKEN = Option.of("--metrics-token", "metrics_token", null,
        "bearer token GET /metrics needs, and that opens /metrics and /healthz to any address");
    static final Option METRICS_ALLOW = Option.of("--metrics-allow", "metrics_allow", "127.0.0.0/8,::1/128",
        "CIDR ranges whose clients may read /metrics and /healthz without the metrics token; 0.0.0.0/0,::/0 opens them");
    static final Option LOG_LEVEL = Option.of("--log-level", "log_level", "info", "error, warn, info, debug or trace");
    static final Option WEBHOOK_SECRET = Option.of("--webhook-secret", "webhook_secret", null,
        "HMAC-SHA256 key of webhook signatures; none: one is made at first start, kept in DATA_DIR/webhook-secret");
    static final Option SMTP_HOST = Option.of("--smtp-host", "smtp_host", null, "SMTP server for email notifications");
    static final Option SMTP_PORT = Option.of("--smtp-port", "smtp_port", "25", "its port");
    static final Option SMTP_FROM = Option.of("--smtp-from", "smtp_from", "tally@localhost", "From address of notifications");
    static final Option SMTP_USER = Option.of("--smtp-user", "smtp_user", null, "SMTP login, if the server wants one");
    static final Option SMTP_PASSWORD = Option.of("--smtp-password", "smtp_password", null, "SMTP password");
    static final Option SMTP_STARTTLS = Option.of("--smtp-starttls", "smtp_starttls", "false", "require STARTTLS (true/false)");
    static final Option NOTIFY_ATTEMPTS = Option.of("--notify-max-attempts", "notify_max_attempts", "8",
        "attempts per notification before it is dropped (counted)");
    static final Option NOTIFY_RETRY_BASE = Option.of("--notify-retry-base", "notify_retry_base", "1000",
        "milliseconds before the first retry of a notification; doubles each attempt, at most 5 minutes");
    static final Option NOTIFY_MAX_PENDING = Option.of("--notify-max-pending", "notify_max_pending", "10000",
        "notifications in flight or waiting for a retry at most; past it the tailer waits (the journal keeps the rest)");

    static final Option GEOIP_DB = Option.of("--geoip-db", "geoip_db", null,
        "MaxMind-format country database (GeoLite2 or DB-IP lite) to look visitors' countries up in; SIGHUP reloads it");

    static final List<Option> OPTIONS = withCluster(PORT, HOST, DATA_DIR, SITE, CONFIG, RATE_LIMIT, BURST, TRUSTED_PROXIES,
        MAX_BODY, MAX_CONNECTIONS, IDLE_TIMEOUT, READ_TIMEOUT, IO_THREADS, API_THREADS, API_QUEUE, API_WAIT, ADMIN_TOKEN, CHECKPOINT_INTERVAL, MAX_IDEMPOTENCY_KEYS,
        MIN_FREE_SPACE, KEEP_BOTS, JOURNAL_PRETOUCH, ROLLUP_RETENTION, JOURNAL_RETENTION, METRICS_TOKEN, METRICS_ALLOW, LOG_LEVEL, WEBHOOK_SECRET, SMTP_HOST, SMTP_PORT, SMTP_FROM, SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS,
        NOTIFY_ATTEMPTS, NOTIFY_RETRY_BASE, NOTIFY_MAX_PENDING, EventsCommand.EVENT_STORE, EventsCommand.SEAL_INTERVAL,
        GEOIP_DB);

    private static List<Option> withCluster(final Option... options)
    {
        final List<Option> all = new ArrayList<>(List.of(options));
        all.addAll(ClusterOptions.SERVE);
        return List.copyOf(all);
    }

    private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

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

    @SuppressWarnings("try") // the notifier, the event store and the forwarder are only closed, in their turn
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
        final Logger log = logger(settings);
        final EngineConfig config = toConfig(settings);
        final NotifierConfig notifications = notifierConfig(settings);
        final EventsCommand.StoreSettings eventStore = EventsCommand.storeSettings(settings);

        final CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        // closed in reverse: the server drains, the event store's reader closes, then the store seals, the notifier stops, then the engine
        // (rollups, then the journal)
        try (Engine engine = newEngine(config);
            Notifier notifier = startNotifier(engine, notifications);
            EventStore events = EventsCommand.start(engine, config, eventStore);
            EventReports reports = EventsCommand.reports(engine, config.dataDir(), events);
            ExploreReports explore = ExploreReports.connect(engine, config, eventStore);
            JournalForwarder forwarder = ClusterOptions.startForwarder(engine, settings);
            TallyServer server = listen(engine, config))
        {
            // before the announcement: whoever waits for it may send SIGHUP at once
            listenForReloads(new ConfigReloader(commandLine, environment, engine, log),
                engine.geoIp(), log);
            announce(log, config, notifications, engine, server);
            awaitUninterruptibly(stop);
            log.info("draining: finishing requests in flight, then closing the journal");
        }
        log.info("stopped cleanly");
        return 0;
    }

    /**
     * The notifier beside the engine, on its state files, journal, goals and clock, shown in its reports; made before
     * the server takes events.
     */
    static Notifier startNotifier(final Engine engine, final NotifierConfig config)
    {
        final Notifier notifier = new Notifier(config, engine.stateFiles(), engine.journal(), engine.goals(), engine.clock());
        notifier.reportTo(engine.reportedParts());
        return notifier;
    }

    /** The server on the engine; an address it cannot listen on is said in a line (in use, not permitted). */
    private static TallyServer listen(final Engine engine, final EngineConfig config)
    {
        try
        {
            return TallyServer.start(engine.serverServices());
        }
        catch (final UncheckedIOException ex)
        {
            throw new CommandFailure("cannot listen on " + config.host() + ":" + config.port() + ": " +
                ErrorReasons.ofListen(ex.getCause()) + " (--host, --port)");
        }
    }

    /** The engine; a GeoIP database that cannot be used is a usage error, said before anything else starts. */
    private static Engine newEngine(final EngineConfig config)
    {
        try
        {
            return new Engine(config);
        }
        catch (final GeoIpException ex)
        {
            throw new UsageException("--geoip-db " + ex.getMessage());
        }
        catch (final RefusedChange ex)
        {
            throw new UsageException("sites: " + ex.getMessage() + " (counting the sites the admin API added or removed, " +
                "kept in " + config.dataDir().resolve(LiveSites.FILE) + ")");
        }
    }

    /**
     * SIGHUP re-reads the config file and the GeoIP database (a file that cannot be used keeps the one in use); a
     * process that ignores SIGHUP is told how else to change the limiter.
     */
    static void listenForReloads(final ConfigReloader reloader, final GeoIp geoIp, final Logger log)
    {
        final SignalHandler onHangUp = signal ->
        {
            reloader.reload();
            if (geoIp.path() != null)
            {
                geoIp.reload();
            }
        };
        if (Signal.handle(new Signal("HUP"), onHangUp) == SignalHandler.SIG_IGN)
        {
            // a process started with SIGHUP ignored (nohup) keeps it ignored: the JVM installs no handler for it
            log.warn("SIGHUP is ignored in this process (started under nohup?): a changed config file takes effect " +
                "at the next start; ./tally limits set changes the rate limiter live");
        }
    }

    /** The start-up lines: a new admin token (only when made now), the address and settings, the limiter. */
    private static void announce(final Logger log, final EngineConfig config, final NotifierConfig notifications,
        final Engine engine, final TallyServer server)
    {
        if (engine.adminToken().wasGenerated())
        {
            log.info("admin token (made now, kept in {}; shown only this once): {}",
                config.dataDir().resolve(AdminToken.FILE), engine.adminToken().value());
        }
        log.info("tally listening on {}:{} ({}), data in {}, sites {}, max body {} bytes, metrics {}",
            config.host(), server.port(), server.usesEpoll() ? "epoll" : "nio", config.dataDir().toAbsolutePath().normalize(),
            engine.sites().domains(), config.maxBody(), "from " + config.metricsAllow() +
                (config.metricsToken() == null ? "" : " or with the metrics token"));
        log.info("rate limiter: {}; quotas: {}; SMTP: {}", engine.limiters().summary(),
            config.quotas().isEmpty() ? "none" : config.quotas(),
            notifications.smtpHost() == null ? "none" : notifications.smtpHost() + ":" + notifications.smtpPort());
        final io.tally.engine.geo.GeoIpDatabase geo = engine.geoIp().database();
        log.info("GeoIP: {}", geo == null ? "none (countries unknown; --geoip-db FILE)" :
            geo.path() + " (" + geo.type() + ", built " + geo.buildTime() + ")");
    }

    /** The {@code tally} logger at the level of {@code --log-level}; set before the logging library starts. */
    static Logger logger(final Settings settings)
    {
        final String level = settings.value(LOG_LEVEL).trim().toLowerCase(java.util.Locale.ROOT);
        if (!LOG_LEVELS.contains(level))
        {
            throw new UsageException("--log-level must be one of " + LOG_LEVELS + ": '" + level + "'");
        }
        System.setProperty("org.slf4j.simpleLogger.log.tally", level);
        return LoggerFactory.getLogger("tally");
    }

    static EngineConfig toConfig(final Settings settings)
    {
        final List<SiteSpec> fileSites = SiteSettings.fromFile(settings.configFile());
        try
        {
            return EngineConfig.builder(Path.of(settings.value(DATA_DIR)))
                .host(settings.value(HOST))
                .port(settings.intValue(PORT))
                .sites(sites(settings, fileSites))
                .ingestRateLimit(settings.doubleValue(RATE_LIMIT))
                .ingestBurst(settings.intValue(BURST))
                .trustedProxies(AddressRanges.parse(settings.values(TRUSTED_PROXIES)))
                .maxBody(settings.intSizeValue(MAX_BODY))
                .maxConnections(settings.intValue(MAX_CONNECTIONS))
                .idleTimeout(Duration.ofSeconds(settings.intValue(IDLE_TIMEOUT)))
                .readTimeout(Duration.ofSeconds(settings.intValue(READ_TIMEOUT)))
                .ioThreads(settings.intValue(IO_THREADS))
                .apiThreads(settings.intValue(API_THREADS))
                .apiQueue(settings.intValue(API_QUEUE))
                .apiWait(Duration.ofSeconds(settings.intValue(API_WAIT)))
                .adminToken(settings.value(ADMIN_TOKEN))
                .rollupCheckpointInterval(Duration.ofMillis(settings.intValue(CHECKPOINT_INTERVAL)))
                .maxIdempotencyKeys(settings.intValue(MAX_IDEMPOTENCY_KEYS))
                .minFreeSpace(settings.sizeValue(MIN_FREE_SPACE))
                .keepBots(settings.booleanValue(KEEP_BOTS))
                .journalPretouch(settings.booleanValue(JOURNAL_PRETOUCH))
                .rollupRetentionDays(settings.intValue(ROLLUP_RETENTION))
                .journalRetentionDays(settings.intValue(JOURNAL_RETENTION))
                .goals(SiteSettings.goals(fileSites))
                .siteLimits(SiteSettings.limits(fileSites,
                    new Limiters.Setting(settings.doubleValue(RATE_LIMIT), settings.intValue(BURST))))
                .quotas(SiteSettings.quotas(fileSites))
                .metricsToken(settings.value(METRICS_TOKEN))
                .metricsAllow(addressRanges(settings, METRICS_ALLOW))
                .geoIpDatabase(settings.value(GEOIP_DB) == null ? null : Path.of(settings.value(GEOIP_DB)))
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    /** A list of CIDR ranges; a bad one is a usage error naming the flag. */
    private static AddressRanges addressRanges(final Settings settings, final Option option)
    {
        try
        {
            return AddressRanges.parse(settings.values(option));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(option.flag() + ": " + ex.getMessage());
        }
    }

    /** How conversions are notified: the webhook and SMTP flags, and the retries. */
    private static NotifierConfig notifierConfig(final Settings settings)
    {
        try
        {
            return new NotifierConfig(settings.value(WEBHOOK_SECRET), settings.value(SMTP_HOST), settings.intValue(SMTP_PORT),
                settings.value(SMTP_FROM), settings.value(SMTP_USER), settings.value(SMTP_PASSWORD),
                Boolean.parseBoolean(settings.value(SMTP_STARTTLS).trim()), settings.intValue(NOTIFY_ATTEMPTS),
                Duration.ofMillis(settings.intValue(NOTIFY_RETRY_BASE)), settings.intValue(NOTIFY_MAX_PENDING),
                NotifierConfig.DEFAULTS.timeout());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage());
        }
    }

    /**
     * Sites from {@code --site} flags, else {@code TALLY_SITES} (or the old {@code TALLY_SITE}), else the config file's {@code sites} (objects
     * with {@code domain}, {@code aliases}, {@code time_zone}, or plain domains), else {@code localhost}.
     */
    static List<Site> sites(final Settings settings, final List<SiteSpec> fileSites)
    {
        final List<String> explicit = settings.values(SITE);
        if (settings.configFile().containsKey("sites") && explicit.equals(List.of(SITE.defaultValue())))
        {
            return fileSites.stream().map(SiteSpec::site).toList();
        }
        return explicit.stream().map(Site::new).toList();
    }

    static void awaitUninterruptibly(final CountDownLatch latch)
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
