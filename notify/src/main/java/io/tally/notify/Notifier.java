package io.tally.engine.notify;

import io.tally.engine.api.AdminToken;
import io.tally.engine.metrics.ThrottledErrorLog;
import io.tally.engine.site.GoalBook;
import io.tally.store.Journal;
import io.tally.store.agent.BackgroundIdle;
import io.tally.store.agent.SupervisedAgent;
import io.tally.store.state.StateFiles;
import org.agrona.concurrent.AgentRunner;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.LongSupplier;

/**
 * The notification side of the engine: the {@link NotificationAgent} on its own thread, the HTTP client's two
 * threads and the SMTP thread. The webhook secret is {@code --webhook-secret}, else {@code DATA_DIR/webhook-secret}
 * (made at first start).
 */
public final class Notifier implements AutoCloseable
{
    public static final String SECRET_FILE = "webhook-secret";

    private final ExecutorService httpThreads = Executors.newFixedThreadPool(2, daemon("tally-webhooks"));
    private final ExecutorService mailThread = Executors.newSingleThreadExecutor(daemon("tally-mail"));
    private final SupervisedAgent agent;
    private final AgentRunner runner;

    public Notifier(final NotifierConfig config, final StateFiles files, final Journal journal, final GoalBook goals,
        final LongSupplier clock, final NotificationCounters counters)
    {
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

    @Override
    public void close()
    {
        runner.close();
        httpThreads.shutdownNow();
        mailThread.shutdownNow();
    }
}
