package io.tally.engine.notify;

import io.tally.engine.Engine;
import io.tally.engine.api.AdminToken;
import io.tally.engine.metrics.ThrottledErrorLog;
import io.tally.store.agent.SupervisedAgent;
import org.agrona.concurrent.AgentRunner;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

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

    public Notifier(final Engine engine, final NotificationCounters counters)
    {
        final NotifierConfig config = engine.config().notifications();
        final byte[] secret = AdminToken.resolve(config.webhookSecret(), engine.stateFiles(), SECRET_FILE, "whsec_").value()
            .getBytes(StandardCharsets.UTF_8);
        final WebhookSender webhooks = new WebhookSender(secret, config.timeout(), httpThreads);
        final MailSender mail = new MailSender(config, mailThread);
        final ThrottledErrorLog errors = new ThrottledErrorLog("notification tailer");
        final long lastIndexAtStart = engine.journal().lastIndex();
        agent = new SupervisedAgent("tally-notifications", () -> new NotificationAgent(engine.journal(), engine.goals(),
            config, engine.stateFiles(), lastIndexAtStart, webhooks, mail, counters, engine.clock()), errors);
        runner = new AgentRunner(Engine.backgroundIdleStrategy(), errors, null, agent);
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
