package io.tally.engine;

import io.netty.util.concurrent.FastThreadLocal;
import io.tally.engine.api.AdminToken;
import io.tally.engine.config.LiveSites;
import io.tally.engine.geo.GeoIp;
import io.tally.engine.geo.GeoIpMetrics;
import io.tally.engine.api.ApiServices;
import io.tally.engine.explore.Explorations;
import io.tally.engine.api.stats.FilteredReports;
import io.tally.engine.api.stats.FilteredRequests;
import io.tally.engine.backup.EngineBackup;
import io.tally.engine.http.HttpServices;
import io.tally.engine.http.ServerServices;
import io.tally.engine.identity.DailySalt;
import io.tally.engine.ingest.ConversionTracker;
import io.tally.engine.ingest.EventIngestor;
import io.tally.engine.ingest.IdempotencyKeys;
import io.tally.engine.ingest.SessionTracker;
import io.tally.engine.ingest.IngestServices;
import io.tally.engine.ingest.JournalRecovery;
import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.Quotas;
import io.tally.engine.audience.AudienceMetrics;
import io.tally.engine.audience.Screening;
import io.tally.engine.metrics.EngineReadings;
import io.tally.engine.metrics.IngestCounters;
import io.tally.engine.metrics.PretouchMetrics;
import io.tally.engine.metrics.ReportedParts;
import io.tally.engine.metrics.RequestMetrics;
import io.tally.engine.metrics.ThrottledErrorLog;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.ShareLinks;
import io.tally.engine.site.SiteDirectory;
import io.tally.engine.site.SiteTokens;
import io.tally.store.Journal;
import io.tally.store.JournalPretoucher;
import io.tally.store.agent.BackgroundIdle;
import io.tally.store.agent.SupervisedAgent;
import io.tally.store.rollup.RollupAgent;
import io.tally.store.rollup.RollupCheckpoint;
import io.tally.store.rollup.Rollups;
import io.tally.store.state.FreeSpace;
import io.tally.store.state.StateFiles;
import org.agrona.concurrent.AgentRunner;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The engine's composition root: builds its parts in order, recovers from the journal, starts the rollup agent and
 * the housekeeping chores, and makes once what each layer is handed: {@link IngestServices} for each I/O thread's
 * {@link EventIngestor}, {@link ServerServices} for the server, the API and the whole-engine reports. Parts made
 * beside the engine (the command line makes the notifier) are built on the few parts it hands out here, add
 * themselves to its {@link #reportedParts()}, and are closed before it.
 */
public final class Engine implements AutoCloseable
{
    /** Event claims and converted visitor-days a goal backfill holds at most (about 16 bytes each). */
    private static final int BACKFILL_MAX_ENTRIES = 8_000_000;
    /** How often the disk's free space is read: the journal may grow a few megabytes in between. */
    private static final Duration FREE_SPACE_INTERVAL = Duration.ofMillis(100);
    private static final Duration SALT_INTERVAL = Duration.ofMinutes(1);
    private static final Duration DISK_USE_INTERVAL = Duration.ofSeconds(10);
    private static final Duration RETENTION_INTERVAL = Duration.ofMinutes(10);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("tally");

    private final EngineConfig config;
    private final StateFiles files;
    private final FreeSpace freeSpace;
    private final Housekeeping housekeeping = new Housekeeping();
    private final SiteDirectory sites;
    private final Journal journal;
    private final JournalPretoucher pretoucher;
    private final JournalRetention journalRetention;
    private final DailySalt salt;
    private final SessionTracker sessions;
    private final Limiters limiters;
    private final Quotas quotas;
    private final ConversionTracker conversions;
    private final IdempotencyKeys idempotencyKeys;
    private final GoalBook goals;
    private final LiveSites liveSites;
    private final AdminToken adminToken;
    private final SiteTokens siteTokens;
    private final ShareLinks shares;
    private final Explorations explorations;
    private final Rollups rollups;
    private final RollupCheckpoint rollupCheckpoints;
    private final GeoIp geoIp;
    private volatile long journalBytes;
    private volatile long rollupBytes;
    private final AgentRunner rollupRunner;
    private final IngestCounters counters = new IngestCounters();
    private final RequestMetrics requestMetrics = new RequestMetrics();
    private final ReportedParts reportedParts = new ReportedParts();
    private final io.tally.engine.api.export.EventExports eventExports;
    /** Requests under filters, and the reports (the event store's) that answer them once handed in. */
    private final FilteredRequests filteredRequests = new FilteredRequests();
    private final LongSupplier clock;
    private final IngestServices ingestServices;
    private final Screening screening;
    private final ServerServices serverServices;
    private final FastThreadLocal<EventIngestor> ingestors = new FastThreadLocal<>()
    {
        @Override
        protected EventIngestor initialValue()
        {
            return new EventIngestor(ingestServices, journal.newAppender());
        }
    };
    private volatile boolean draining;
    private final RollupSource rollupSource;

    public Engine(final EngineConfig config, final LongSupplier clock)
    {
        this(config, clock, null);
    }

    /**
     * An engine whose rollups are counted from {@code rollupSource} instead of its own journal (null: the journal, as
     * one node does); a cluster's rollup worker counts what it consumes from Kafka.
     */
    public Engine(final EngineConfig config, final LongSupplier clock, final RollupSource rollupSource)
    {
        this.config = config;
        this.rollupSource = rollupSource;
        this.clock = clock;
        this.geoIp = GeoIp.open(config.geoIpDatabase()); // first: a file that cannot be used stops the start here
        this.screening = Screening.standard(config.keepBots()); // its analyzer builds in the background
        reportedParts.addMetrics(new AudienceMetrics(screening));
        reportedParts.addMetrics(filteredRequests);
        reportedParts.addHealth("audience", screening::health);
        this.sites = new SiteDirectory(config.sites());
        this.files = new StateFiles(config.dataDir());
        this.freeSpace = new FreeSpace(config.dataDir(), config.minFreeSpace());
        this.eventExports = new io.tally.engine.api.export.EventExports(freeSpace);
        reportedParts.addMetrics(eventExports);
        this.salt = new DailySalt(files, clock.getAsLong(), housekeeping);
        this.sessions = new SessionTracker(config.maxSessionVisitors());
        this.limiters = new Limiters(new Limiters.Setting(config.ingestRateLimit(), config.ingestBurst()), config.siteLimits(),
            config.maxLimiterAddresses());
        this.quotas = new Quotas(config.sites(), config.quotas(), clock.getAsLong());
        this.conversions = new ConversionTracker(config.maxTrackedConversions());
        this.idempotencyKeys = new IdempotencyKeys(config.maxIdempotencyKeys());
        this.goals = new GoalBook(files, config.sites(), config.goals());
        this.liveSites = new LiveSites(files, configuredSites(config), sites, quotas, limiters, goals);
        this.adminToken = AdminToken.resolve(config.adminToken(), files);
        this.siteTokens = new SiteTokens(files);
        this.shares = new ShareLinks(files);
        this.explorations = new Explorations(files);
        this.journal = Journal.openForWriting(config.dataDir());
        this.pretoucher = config.journalPretouch() ? journal.startPretoucher(new ThrottledErrorLog("journal pretouch")) : null;
        if (pretoucher != null)
        {
            reportedParts.addMetrics(new PretouchMetrics(pretoucher));
        }
        new JournalRecovery(sites.sites(), quotas, idempotencyKeys, conversions, sessions).replayTail(journal, clock.getAsLong());
        this.ingestServices = new IngestServices(sites, goals, salt, sessions, conversions, idempotencyKeys, quotas,
            counters, freeSpace, clock, config.maxBody(), screening, geoIp);
        this.rollupCheckpoints = new RollupCheckpoint(files);
        this.rollups = rollupCheckpoints.load(journal);
        this.journalRetention = new JournalRetention(journal, config.journalRetentionDays(), clock,
            () -> Math.min(rollups.lastIndex(), rollupCheckpoints.lastWrittenIndex()));
        final ThrottledErrorLog rollupErrors = new ThrottledErrorLog("rollup agent");
        final SupervisedAgent rollupAgent = new SupervisedAgent("tally-rollups", freshRollupAgents(), rollupErrors);
        this.rollupRunner = new AgentRunner(BackgroundIdle.strategy(), rollupErrors, null, rollupAgent);
        AgentRunner.startOnThread(rollupRunner);
        reportedParts.addAgent("rollups", rollupAgent);
        reportedParts.addMetrics(new GeoIpMetrics(geoIp));
        scheduleChores();
        this.serverServices = new ServerServices(config, httpServices(), apiServices(), readings(), this::startDraining);
    }

    /** The sites, limiter settings, quotas and goals the configuration gives; the API's changes go over them. */
    public static LiveSites.Configured configuredSites(final EngineConfig config)
    {
        return new LiveSites.Configured(config.sites(), new Limiters.Setting(config.ingestRateLimit(), config.ingestBurst()),
            config.siteLimits(), config.quotas(), config.goals());
    }

    /**
     * The rollup agents its supervisor starts: the first on the figures loaded at start; after a failure, a fresh one
     * on the last checkpoint's figures, not on what the failure left.
     */
    private Supplier<io.tally.store.agent.RestartableAgent> freshRollupAgents()
    {
        return new Supplier<>()
        {
            private boolean restart;

            @Override
            public io.tally.store.agent.RestartableAgent get()
            {
                if (restart)
                {
                    rollups.replaceWith(rollupCheckpoints.load(journal));
                }
                restart = true;
                if (rollupSource != null)
                {
                    return rollupSource.newAgent(rollups, rollupCheckpoints, freeSpace);
                }
                return new RollupAgent(journal, rollups, rollupCheckpoints, freeSpace,
                    config.rollupCheckpointInterval().toMillis(), clock, config.rollupRetentionDays());
            }
        };
    }

    /** The housekeeping thread's chores: free space, tomorrow's salt, disk use, and the journal's retention if any. */
    private void scheduleChores()
    {
        housekeeping.every(FREE_SPACE_INTERVAL, "reading the free space", freeSpace::refresh);
        housekeeping.every(SALT_INTERVAL, "making tomorrow's salt", () -> salt.prepareNextDay(clock.getAsLong()));
        housekeeping.every(DISK_USE_INTERVAL, "measuring the journal and rollups", this::measureDiskUse);
        if (config.journalRetentionDays() > 0)
        {
            // the first time one interval after start: the forwarder's hold (cluster mode) is added after the engine is built
            housekeeping.everyAfterFirstInterval(RETENTION_INTERVAL, "deleting journal days past the retention",
                journalRetention::trim);
        }
    }

    private HttpServices httpServices()
    {
        return new HttpServices(config.maxBody(), config.maxHeaderBytes(), config.readTimeout(), config.trustedProxies(),
            siteTokens, limiters, this::ingestor, this::isDraining, counters, requestMetrics, freeSpace,
            screening.classifier());
    }

    private ApiServices apiServices()
    {
        return new ApiServices(goals, adminToken, sites, siteTokens, limiters, quotas, rollups, journal, clock, shares,
            geoIp, filteredRequests, explorations, eventExports, new io.tally.engine.backfill.GoalBackfill(journal, goals, conversions,
                clock, BACKFILL_MAX_ENTRIES), liveSites,
            new EngineBackup(files, journal, rollupCheckpoints));
    }

    private EngineReadings readings()
    {
        return new EngineReadings(this::isDraining, journal, rollups, counters, requestMetrics, limiters, quotas,
            sites::sites, freeSpace, () -> journalBytes, () -> rollupBytes, files,
            new EngineReadings.Untracked(sessions::untrackedCount, conversions::untrackedCount,
                idempotencyKeys::untrackedCount),
            reportedParts, clock, geoIp);
    }

    private void measureDiskUse()
    {
        journalBytes = journal.diskBytes();
        rollupBytes = rollupCheckpoints.segments().bytes();
    }

    public Engine(final EngineConfig config)
    {
        this(config, System::currentTimeMillis);
    }

    /** The journal's retention, which a reader that must see every record holds back ({@link JournalRetention#hold}). */
    public JournalRetention journalRetention()
    {
        return journalRetention;
    }

    /** What the server is handed to run: its settings and the parts the HTTP layer, the API and the reports use. */
    public ServerServices serverServices()
    {
        return serverServices;
    }

    /** What each I/O thread's ingestor shares with the others. */
    public IngestServices ingestServices()
    {
        return ingestServices;
    }

    /** The calling thread's ingestor, made on first use (it owns a journal appender, so it is never shared). */
    public EventIngestor ingestor()
    {
        return ingestors.get();
    }

    public Journal journal()
    {
        return journal;
    }

    public Limiters limiters()
    {
        return limiters;
    }

    public Quotas quotas()
    {
        return quotas;
    }

    /** The data dir's state files, and those set aside as damaged. */
    public StateFiles stateFiles()
    {
        return files;
    }

    /**
     * Hands in the reports under {@code filters} (the event store's, made beside the engine); called before
     * the server takes requests.
     */
    public void useFilteredReports(final FilteredReports reports)
    {
        filteredRequests.use(reports);
    }

    /** What the whole-engine reports cover besides the engine's own figures: agents and metric sources beside it. */
    /** Where an event store running beside the engine offers its exports to the API. */
    public io.tally.engine.api.export.EventExports eventExports()
    {
        return eventExports;
    }

    public ReportedParts reportedParts()
    {
        return reportedParts;
    }

    /** The rollups the stats API reads; kept by a background agent, possibly a few milliseconds behind. */
    public Rollups rollups()
    {
        return rollups;
    }

    /** The GeoIP database countries are looked up in (or none); SIGHUP reloads it. */
    public GeoIp geoIp()
    {
        return geoIp;
    }

    /** Funnels and experiments: ops connects their reports from the event store before the server starts. */
    public Explorations explorations()
    {
        return explorations;
    }

    public GoalBook goals()
    {
        return goals;
    }

    /** The sites now; the configuration (SIGHUP) and the admin API change them live. */
    public LiveSites sites()
    {
        return liveSites;
    }

    public AdminToken adminToken()
    {
        return adminToken;
    }

    public LongSupplier clock()
    {
        return clock;
    }

    public IngestCounters counters()
    {
        return counters;
    }

    private boolean isDraining()
    {
        return draining;
    }

    private void startDraining()
    {
        draining = true;
    }

    /**
     * Stops the rollup agent (it catches up and writes a checkpoint), then closes the journal. Whoever made parts
     * beside the engine on its journal closes them first.
     */
    @Override
    public void close()
    {
        rollupRunner.close();
        housekeeping.close();
        screening.close();
        if (pretoucher != null)
        {
            pretoucher.close();
        }
        journal.close();
    }
}
