package io.tally.engine;

import io.tally.engine.identity.AddressRanges;
import io.tally.engine.limit.Limiters;
import io.tally.engine.site.Site;
import io.tally.matcher.Goal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs to run, resolved already (flags over environment over file over defaults is
 * the command line's business). Immutable.
 */
public final class EngineConfig
{
    public static final int DEFAULT_PORT = 8080;
    /** Who may read {@code /metrics} and {@code /healthz} without the metrics token by default: this machine. */
    public static final AddressRanges LOOPBACK = AddressRanges.parse(java.util.List.of("127.0.0.0/8", "::1/128"));
    public static final double DEFAULT_RATE_LIMIT = 20;
    public static final int DEFAULT_BURST = 40;
    public static final int DEFAULT_MAX_BODY = 16 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** Two: one long query (a year of a large site) does not keep every other dashboard waiting. */
    public static final int DEFAULT_API_THREADS = 2;
    public static final int DEFAULT_API_QUEUE = 64;
    /** Longer than any query should take, shorter than the 30 s after which clients and proxies commonly give up. */
    public static final Duration DEFAULT_API_WAIT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_LIMITER_ADDRESSES = 1 << 20;
    public static final int DEFAULT_MAX_SESSION_VISITORS = 1 << 20;
    public static final int DEFAULT_MAX_TRACKED_CONVERSIONS = 1 << 20;
    public static final Duration DEFAULT_ROLLUP_CHECKPOINT_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_IDEMPOTENCY_KEYS = 1 << 20;
    /** Free space kept on the data dir's file system: enough for minutes of the journal at full rate. */
    public static final long DEFAULT_MIN_FREE_SPACE = 256L << 20;
    /** The shortest journal retention: the start-up scan reads back to the month's start (quotas). */
    public static final int MIN_JOURNAL_RETENTION_DAYS = 32;

    private final String host;
    private final int port;
    private final Path dataDir;
    private final List<Site> sites;
    private final double ingestRateLimit;
    private final int ingestBurst;
    private final AddressRanges trustedProxies;
    private final int maxBody;
    private final int maxConnections;
    private final int maxHeaderBytes;
    private final Duration idleTimeout;
    private final Duration readTimeout;
    private final Duration drainTimeout;
    private final int ioThreads;
    private final int apiThreads;
    private final int apiQueue;
    private final Duration apiWait;
    private final int maxLimiterAddresses;
    private final int maxSessionVisitors;
    private final int maxTrackedConversions;
    private final int maxIdempotencyKeys;
    private final long minFreeSpace;
    private final boolean keepBots;
    private final boolean journalPretouch;
    private final int rollupRetentionDays;
    private final int journalRetentionDays;
    private final Map<String, List<Goal>> goals;
    private final String adminToken;
    private final Duration rollupCheckpointInterval;
    private final Map<String, Limiters.Setting> siteLimits;
    private final Map<String, Long> quotas;
    private final String metricsToken;
    private final AddressRanges metricsAllow;
    private final Path geoIpDatabase;

    private EngineConfig(final Builder b)
    {
        if (b.port < 0 || b.port > 65535)
        {
            throw new IllegalArgumentException("port must be 0..65535: " + b.port);
        }
        if (b.maxBody < 64)
        {
            throw new IllegalArgumentException("max body must be at least 64 bytes: " + b.maxBody);
        }
        if (b.maxConnections < 1)
        {
            throw new IllegalArgumentException("max connections must be positive: " + b.maxConnections);
        }
        if (b.apiThreads < 1 || b.apiQueue < 1)
        {
            throw new IllegalArgumentException("API threads and API queue must be positive: " + b.apiThreads + ", " + b.apiQueue);
        }
        if (b.apiWait.isNegative() || b.apiWait.isZero())
        {
            throw new IllegalArgumentException("API wait must be positive: " + b.apiWait);
        }
        if (!(b.ingestRateLimit >= 0) || Double.isInfinite(b.ingestRateLimit) || b.ingestBurst < 0)
        {
            throw new IllegalArgumentException("ingest rate limit and burst must be >= 0: " + b.ingestRateLimit + ", " + b.ingestBurst);
        }
        if (b.sites.isEmpty())
        {
            throw new IllegalArgumentException("at least one site is needed");
        }
        host = b.host;
        port = b.port;
        dataDir = b.dataDir;
        sites = List.copyOf(b.sites);
        ingestRateLimit = b.ingestRateLimit;
        ingestBurst = b.ingestBurst;
        trustedProxies = b.trustedProxies;
        maxBody = b.maxBody;
        maxConnections = b.maxConnections;
        maxHeaderBytes = b.maxHeaderBytes;
        idleTimeout = b.idleTimeout;
        readTimeout = b.readTimeout;
        drainTimeout = b.drainTimeout;
        ioThreads = b.ioThreads > 0 ? b.ioThreads : Runtime.getRuntime().availableProcessors();
        apiThreads = b.apiThreads;
        apiQueue = b.apiQueue;
        apiWait = b.apiWait;
        maxLimiterAddresses = b.maxLimiterAddresses;
        maxSessionVisitors = b.maxSessionVisitors;
        maxTrackedConversions = b.maxTrackedConversions;
        maxIdempotencyKeys = b.maxIdempotencyKeys;
        minFreeSpace = b.minFreeSpace;
        keepBots = b.keepBots;
        journalPretouch = b.journalPretouch;
        rollupRetentionDays = b.rollupRetentionDays;
        journalRetentionDays = b.journalRetentionDays;
        goals = Map.copyOf(b.goals);
        adminToken = b.adminToken;
        rollupCheckpointInterval = b.rollupCheckpointInterval;
        siteLimits = Map.copyOf(b.siteLimits);
        quotas = Map.copyOf(b.quotas);
        metricsToken = b.metricsToken;
        metricsAllow = b.metricsAllow;
        geoIpDatabase = b.geoIpDatabase;
    }

    public static Builder builder(final Path dataDir)
    {
        return new Builder(dataDir);
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    public List<Site> sites()
    {
        return sites;
    }

    public double ingestRateLimit()
    {
        return ingestRateLimit;
    }

    public int ingestBurst()
    {
        return ingestBurst;
    }

    public AddressRanges trustedProxies()
    {
        return trustedProxies;
    }

    public int maxBody()
    {
        return maxBody;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    public int maxHeaderBytes()
    {
        return maxHeaderBytes;
    }

    public Duration idleTimeout()
    {
        return idleTimeout;
    }

    public Duration readTimeout()
    {
        return readTimeout;
    }

    public Duration drainTimeout()
    {
        return drainTimeout;
    }

    public int ioThreads()
    {
        return ioThreads;
    }

    /** Threads that answer the admin, stats and limits API and metrics scrapes, off the event loops. */
    public int apiThreads()
    {
        return apiThreads;
    }

    /** API requests that may wait for one of those threads; past them a request is answered 503 at once. */
    public int apiQueue()
    {
        return apiQueue;
    }

    /** How long an API request may wait in that queue for a thread; past it, it is answered 503 instead. */
    public Duration apiWait()
    {
        return apiWait;
    }

    public int maxLimiterAddresses()
    {
        return maxLimiterAddresses;
    }

    public int maxSessionVisitors()
    {
        return maxSessionVisitors;
    }

    public int maxTrackedConversions()
    {
        return maxTrackedConversions;
    }

    public int maxIdempotencyKeys()
    {
        return maxIdempotencyKeys;
    }

    /** Days of rollups kept (0: all): older sealed days are deleted whole. */
    public int rollupRetentionDays()
    {
        return rollupRetentionDays;
    }

    /** Days of journal kept (0: all): older daily journal files are deleted whole. */
    public int journalRetentionDays()
    {
        return journalRetentionDays;
    }

    /** Bytes kept free on the data dir's file system; below them, events are refused (503 {@code disk_full}). */
    public long minFreeSpace()
    {
        return minFreeSpace;
    }

    /** Whether robots' events (crawlers, automation, spam referrers) are journaled, flagged, rather than dropped. */
    public boolean keepBots()
    {
        return keepBots;
    }

    /** Whether a thread brings the journal's pages in ahead of the appenders (their first faults off the event loops). */
    public boolean journalPretouch()
    {
        return journalPretouch;
    }

    /** Goals from the config file by site domain: they seed a site that has no saved goals yet. */
    public Map<String, List<Goal>> goals()
    {
        return goals;
    }

    /** The configured admin token, or null to use (or make) the one in the data dir. */
    public String adminToken()
    {
        return adminToken;
    }

    /** How often the rollup agent writes a checkpoint while events come in. */
    public Duration rollupCheckpointInterval()
    {
        return rollupCheckpointInterval;
    }

    /** Rate limiter overrides by site domain (from the config file's site objects). */
    public Map<String, Limiters.Setting> siteLimits()
    {
        return siteLimits;
    }

    /** Monthly event quotas by site domain; a site not listed has none. */
    public Map<String, Long> quotas()
    {
        return quotas;
    }

    /** The bearer token {@code GET /metrics} needs, or null when it is open (bind to a private address then). */
    public String metricsToken()
    {
        return metricsToken;
    }

    /** The clients that may read {@code /metrics} and {@code /healthz} without the metrics token: loopback unless set. */
    public AddressRanges metricsAllow()
    {
        return metricsAllow;
    }

    /** The MaxMind-format database countries are looked up in, or null for none. */
    public Path geoIpDatabase()
    {
        return geoIpDatabase;
    }

    /** Builds an {@link EngineConfig}, starting from the defaults. */
    public static final class Builder
    {
        private final Path dataDir;
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private List<Site> sites = List.of();
        private double ingestRateLimit = DEFAULT_RATE_LIMIT;
        private int ingestBurst = DEFAULT_BURST;
        private AddressRanges trustedProxies = AddressRanges.none();
        private int maxBody = DEFAULT_MAX_BODY;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private int ioThreads;
        private int apiThreads = DEFAULT_API_THREADS;
        private int apiQueue = DEFAULT_API_QUEUE;
        private Duration apiWait = DEFAULT_API_WAIT;
        private int maxLimiterAddresses = DEFAULT_MAX_LIMITER_ADDRESSES;
        private int maxSessionVisitors = DEFAULT_MAX_SESSION_VISITORS;
        private int maxTrackedConversions = DEFAULT_MAX_TRACKED_CONVERSIONS;
        private int maxIdempotencyKeys = DEFAULT_MAX_IDEMPOTENCY_KEYS;
        private long minFreeSpace = DEFAULT_MIN_FREE_SPACE;
        private boolean keepBots;
        private boolean journalPretouch = true;
        private int rollupRetentionDays;
        private int journalRetentionDays;
        private Map<String, List<Goal>> goals = Map.of();
        private String adminToken;
        private Duration rollupCheckpointInterval = DEFAULT_ROLLUP_CHECKPOINT_INTERVAL;
        private Map<String, Limiters.Setting> siteLimits = Map.of();
        private Map<String, Long> quotas = Map.of();
        private String metricsToken;
        private AddressRanges metricsAllow = LOOPBACK;
        private Path geoIpDatabase;

        private Builder(final Path dataDir)
        {
            this.dataDir = dataDir;
        }

        public Builder host(final String host)
        {
            this.host = host;
            return this;
        }

        public Builder port(final int port)
        {
            this.port = port;
            return this;
        }

        public Builder sites(final List<Site> sites)
        {
            this.sites = sites;
            return this;
        }

        public Builder ingestRateLimit(final double perSecond)
        {
            this.ingestRateLimit = perSecond;
            return this;
        }

        public Builder ingestBurst(final int burst)
        {
            this.ingestBurst = burst;
            return this;
        }

        public Builder trustedProxies(final AddressRanges ranges)
        {
            this.trustedProxies = ranges;
            return this;
        }

        public Builder maxBody(final int bytes)
        {
            this.maxBody = bytes;
            return this;
        }

        public Builder maxConnections(final int connections)
        {
            this.maxConnections = connections;
            return this;
        }

        public Builder maxHeaderBytes(final int bytes)
        {
            this.maxHeaderBytes = bytes;
            return this;
        }

        public Builder idleTimeout(final Duration timeout)
        {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder readTimeout(final Duration timeout)
        {
            this.readTimeout = timeout;
            return this;
        }

        public Builder drainTimeout(final Duration timeout)
        {
            this.drainTimeout = timeout;
            return this;
        }

        public Builder ioThreads(final int threads)
        {
            this.ioThreads = threads;
            return this;
        }

        public Builder apiThreads(final int threads)
        {
            this.apiThreads = threads;
            return this;
        }

        public Builder apiQueue(final int requests)
        {
            this.apiQueue = requests;
            return this;
        }

        public Builder apiWait(final Duration wait)
        {
            this.apiWait = wait;
            return this;
        }

        public Builder maxLimiterAddresses(final int addresses)
        {
            this.maxLimiterAddresses = addresses;
            return this;
        }

        public Builder maxSessionVisitors(final int visitors)
        {
            this.maxSessionVisitors = visitors;
            return this;
        }

        public Builder maxTrackedConversions(final int conversions)
        {
            this.maxTrackedConversions = conversions;
            return this;
        }

        public Builder rollupRetentionDays(final int days)
        {
            this.rollupRetentionDays = nonNegative(days, "rollup retention days");
            return this;
        }

        public Builder journalRetentionDays(final int days)
        {
            if (days != 0 && days < MIN_JOURNAL_RETENTION_DAYS)
            {
                throw new IllegalArgumentException("journal retention must be 0 (keep everything) or at least " +
                    MIN_JOURNAL_RETENTION_DAYS + " days: a month's quota usage and a week of idempotency keys are read back " +
                    "from the journal at start: " + days);
            }
            this.journalRetentionDays = nonNegative(days, "journal retention days");
            return this;
        }

        private static int nonNegative(final int value, final String what)
        {
            if (value < 0)
            {
                throw new IllegalArgumentException(what + " must be >= 0 (0 keeps everything): " + value);
            }
            return value;
        }

        public Builder minFreeSpace(final long bytes)
        {
            if (bytes < 0)
            {
                throw new IllegalArgumentException("min free space must be >= 0: " + bytes);
            }
            this.minFreeSpace = bytes;
            return this;
        }

        /** Journals robots' events, flagged with their reason, instead of dropping them (they are answered 202 either way). */
        public Builder keepBots(final boolean keep)
        {
            this.keepBots = keep;
            return this;
        }

        /** Brings the journal's pages in ahead of the appenders from a thread of its own (on by default). */
        public Builder journalPretouch(final boolean pretouch)
        {
            this.journalPretouch = pretouch;
            return this;
        }

        public Builder maxIdempotencyKeys(final int keys)
        {
            this.maxIdempotencyKeys = keys;
            return this;
        }

        public Builder goals(final Map<String, List<Goal>> goalsBySite)
        {
            this.goals = goalsBySite;
            return this;
        }

        public Builder adminToken(final String token)
        {
            this.adminToken = token;
            return this;
        }

        public Builder rollupCheckpointInterval(final Duration interval)
        {
            this.rollupCheckpointInterval = interval;
            return this;
        }

        public Builder siteLimits(final Map<String, Limiters.Setting> limits)
        {
            this.siteLimits = limits;
            return this;
        }

        public Builder quotas(final Map<String, Long> quotasBySite)
        {
            this.quotas = quotasBySite;
            return this;
        }

        public Builder metricsToken(final String token)
        {
            this.metricsToken = token;
            return this;
        }

        public Builder metricsAllow(final AddressRanges ranges)
        {
            this.metricsAllow = ranges;
            return this;
        }

        public Builder geoIpDatabase(final Path file)
        {
            this.geoIpDatabase = file;
            return this;
        }

        public EngineConfig build()
        {
            return new EngineConfig(this);
        }
    }
}
