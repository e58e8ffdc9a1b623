package io.tally.notify;

import io.tally.engine.api.AdminToken;
import io.tally.engine.metrics.ReportedParts;
import io.tally.engine.metrics.ThrottledErrorLog;
import io.tally.engine.site.GoalBook;
import io.tally.store.Journal;
import io.tally.store.agent.BackgroundIdle;
import io.tally.store.agent.SupervisedAgent;
import io.tally.store.state.StateFiles;
import org.agrona.concurrent.AgentRunner;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * Conversion notifications beside the engine: the {@link NotificationAgent} on its own thread, the HTTP client's two
 * threads and the SMTP thread, on the engine's journal, goals and state files. Made after the engine has recovered
 * and before the server takes events (a first start tails from the journal's end then); closed before the engine.
 * The webhook secret is {@code --webhook-secret}, else {@code DATA_DIR/webhook-secret} (made at first start).
 */
public final class Notifier implements AutoCloseable
{
    public static final String SECRET_FILE = "webhook-secret";
    /** The agent's name in {@code /healthz} and in {@code /metrics}' {@code agent} label. */
    public static final String AGENT = "notifications";

    private final ExecutorService httpThreads = Executors.newFixedThreadPool(2, daemon("tally-webhooks"));
    private final ExecutorService mailThread = Executors.newSingleThreadExecutor(daemon("tally-mail"));
    private final NotificationCounters counters = new NotificationCounters();
    private final SupervisedAgent agent;
    private final Journal journal;
    private final GoalBook goals;
    private final AgentRunner runner;

    public Notifier(final NotifierConfig config, final StateFiles files, final Journal journal, final GoalBook goals,
        final LongSupplier clock)
    {
        this.journal = journal;
        this.goals = goals;
        final byte[] secret = AdminToken.resolve(config.webhookSecret(), files, SECRET_FILE, "whsec_").value()
            .getBytes(StandardCharsets.UTF_8);
        final WebhookSender webhooks = new WebhookSender(secret, config.timeout(), httpThreads);
        final MailSender mail = new MailSender(config, mailThread);
        final ThrottledErrorLog errors = new ThrottledErrorLog("notification tailer");
        final long lastIndexAtStart = journal.lastIndex();
        agent = new SupervisedAgent("tally-notifications", () -> new NotificationAgent(journal, goals, config, files,
            lastIndexAtStart, webhooks, mail, counters, clock), errors);
        runner = new AgentRunner(BackgroundIdle.strategy(), errors, null, agent);
        AgentRunner.startOnThread(runner);
    }

    private static ThreadFactory daemon(final String name)
    {
        return task ->
        {
            final Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    public SupervisedAgent agent()
    {
        return agent;
    }

    /** Deliveries by channel: sent, failed attempts, dropped; and those pending. */
    public NotificationCounters counters()
    {
        return counters;
    }

    /**
     * Shows this notifier in the whole-engine reports: its agent in {@code /healthz} and {@code /metrics}, its
     * families in {@code /metrics}.
     */
    public void reportTo(final ReportedParts parts)
    {
        parts.addAgent(AGENT, agent);
        parts.addMetrics(new NotificationMetrics(counters));
        parts.addHealth("notifications", this::health);
    }

    /**
     * For {@code /healthz} and the dashboard's operator view: deliveries pending, and the journal records not read
     * yet (0 while no goal has anyone to tell: the tailer then only follows the end).
     */
    private Map<String, Object> health()
    {
        final Map<String, Object> health = new LinkedHashMap<>();
        health.put("pending", counters.pending());
        health.put("records_read", counters.recordsRead());
        health.put("lag_events", goals.anyRecipients() || counters.pending() > 0 ? counters.behind(journal) : 0);
        return health;
    }

    @Override
    public void close()
    {
        runner.close();
        httpThreads.shutdownNow();
        mailThread.shutdownNow();
    }
}
