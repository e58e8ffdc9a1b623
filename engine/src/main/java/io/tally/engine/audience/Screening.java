package io.tally.engine.audience;

import io.tally.codec.EventRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What keeps robots out, shared by every I/O thread: the User-Agent {@link AudienceClassifier}, the
 * {@link ReferrerSpam} list, whether robots' events are kept ({@code --keep-bots}, flagged) or dropped (answered
 * 202 all the same: a robot learns nothing), and the count of robots' events by reason.
 */
public final class Screening implements AutoCloseable
{
    /** What to do once a User-Agent classified in the background is cached: nothing more. */
    public static final Consumer<Audience> NOTHING = audience -> { };

    private final AudienceClassifier classifier;
    private final ReferrerSpam spam;
    private final boolean keepBots;
    private final LongAdder[] robots = new LongAdder[EventRecord.ROBOT_SPAM_REFERRER + 1];
    private final LongAdder unclassified = new LongAdder();

    public Screening(final AudienceClassifier classifier, final ReferrerSpam spam, final boolean keepBots)
    {
        this.classifier = classifier;
        this.spam = spam;
        this.keepBots = keepBots;
        for (int i = 1; i < robots.length; i++)
        {
            robots[i] = new LongAdder();
        }
    }

    /** The shipped spam list and a classifier with the default cache and queue. */
    public static Screening standard(final boolean keepBots)
    {
        return new Screening(new AudienceClassifier(new AudienceCache(AudienceClassifier.DEFAULT_CACHE_ENTRIES),
            new UserAgentParser(), AudienceClassifier.DEFAULT_QUEUE), ReferrerSpam.shipped(), keepBots);
    }

    public AudienceClassifier classifier()
    {
        return classifier;
    }

    public ReferrerSpam spam()
    {
        return spam;
    }

    /** Whether robots' events are journaled (flagged) rather than dropped. */
    public boolean keepsBots()
    {
        return keepBots;
    }

    /** One robot's event, by its {@code EventRecord.ROBOT_} reason. */
    public void robot(final int reason)
    {
        robots[reason].increment();
    }

    /** One event journaled without a classification of its User-Agent (the classifier's queue was full). */
    public void unclassified()
    {
        unclassified.increment();
    }

    /** Robots' events of one reason ({@code EventRecord.ROBOT_CRAWLER} and on), dropped or kept. */
    public long robots(final int reason)
    {
        return robots[reason].sum();
    }

    public long unclassifiedCount()
    {
        return unclassified.sum();
    }

    /** What {@code /healthz} shows: robots' events by reason, whether they are kept, and the User-Agent cache. */
    public Map<String, Object> health()
    {
        final Map<String, Object> robotsByReason = new LinkedHashMap<>();
        for (int reason = EventRecord.ROBOT_CRAWLER; reason <= EventRecord.ROBOT_SPAM_REFERRER; reason++)
        {
            robotsByReason.put(EventRecord.robotName(reason), robots(reason));
        }
        robotsByReason.put("kept", keepBots);
        final Map<String, Object> userAgents = new LinkedHashMap<>();
        userAgents.put("ready", classifier.isReady());
        userAgents.put("cached", classifier.cache().size());
        userAgents.put("capacity", classifier.cache().capacity());
        userAgents.put("classified", classifier.classified());
        userAgents.put("unclassified_events", unclassifiedCount());
        final Map<String, Object> health = new LinkedHashMap<>();
        health.put("robots", robotsByReason);
        health.put("user_agents", userAgents);
        return health;
    }

    @Override
    public void close()
    {
        classifier.close();
    }
}
