package io.tally.engine.audience;

import io.tally.codec.EventRecord;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

import java.util.Locale;

/**
 * Reads a User-Agent with yauaa (Yet Another UserAgent Analyzer) into an {@link Audience}: robot or not and why,
 * browser, operating system and device class. A parse takes tens of microseconds to milliseconds, so it runs only
 * on the {@link AudienceClassifier}'s thread, once per distinct User-Agent.
 * <p>
 * The analyzer is built once per JVM (about 4 s and 140 MB of heap with the fields below; every engine of a test
 * run shares it), with yauaa's own cache off: {@link AudienceCache} is the cache, in front of it.
 * <p>
 * A robot is what yauaa calls one: an agent class or device class of {@code Robot}, {@code Robot Mobile} or
 * {@code Robot Imitator} (search engines, link previewers, HTTP libraries and command-line tools, headless
 * browsers). Of those, a <em>crawler</em> announces itself (a {@code +http...} or e-mail address in the
 * User-Agent, or a name with bot, crawler or spider in it); the rest is <em>automation</em>: a headless browser,
 * a script or a tool. What yauaa calls {@code Hacker} (a User-Agent no software sends, a missing one among them)
 * is not taken for a robot: it is kept, audience unknown.
 */
public final class UserAgentParser
{
    private static final String[] FIELDS = {
        UserAgent.DEVICE_CLASS, UserAgent.AGENT_CLASS, UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION_MAJOR,
        UserAgent.OPERATING_SYSTEM_NAME, UserAgent.OPERATING_SYSTEM_VERSION_MAJOR, "AgentInformationUrl",
        "AgentInformationEmail"};

    /** The one analyzer of the JVM, built on first use. */
    private static final class Shared
    {
        static final UserAgentAnalyzer ANALYZER = build();

        private static UserAgentAnalyzer build()
        {
            final UserAgentAnalyzer.UserAgentAnalyzerBuilder builder = UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats().withoutCache().immediateInitialization();
            for (final String field : FIELDS)
            {
                builder.withField(field);
            }
            return builder.build();
        }
    }

    /** Builds the analyzer now if it is not yet built (seconds, the first time in a JVM). */
    public void prepare()
    {
        analyzer();
    }

    private static UserAgentAnalyzer analyzer()
    {
        return Shared.ANALYZER;
    }

    /** What {@code userAgent} says; an empty one for a request that sent none. */
    public Audience parse(final String userAgent)
    {
        final UserAgent parsed = analyzer().parse(userAgent);
        return new Audience(robotReason(parsed), known(parsed.getValue(UserAgent.AGENT_NAME)),
            known(parsed.getValue(UserAgent.AGENT_VERSION_MAJOR)), known(parsed.getValue(UserAgent.OPERATING_SYSTEM_NAME)),
            known(parsed.getValue(UserAgent.OPERATING_SYSTEM_VERSION_MAJOR)),
            deviceClass(parsed.getValue(UserAgent.DEVICE_CLASS)));
    }

    static int robotReason(final UserAgent parsed)
    {
        final String agentClass = parsed.getValue(UserAgent.AGENT_CLASS);
        final String deviceClass = parsed.getValue(UserAgent.DEVICE_CLASS);
        if (!isRobotClass(agentClass) && !isRobotClass(deviceClass))
        {
            return EventRecord.ROBOT_NONE;
        }
        final String name = parsed.getValue(UserAgent.AGENT_NAME).toLowerCase(Locale.ROOT);
        final boolean announced = known(parsed.getValue("AgentInformationUrl")) != null ||
            known(parsed.getValue("AgentInformationEmail")) != null;
        final boolean crawlerName = name.contains("bot") || name.contains("crawl") || name.contains("spider");
        return isRobotClass(deviceClass) && (announced || crawlerName) ? EventRecord.ROBOT_CRAWLER :
            EventRecord.ROBOT_AUTOMATION;
    }

    private static boolean isRobotClass(final String value)
    {
        return value.startsWith("Robot");
    }

    /** yauaa's values for "not known", as null. */
    private static String known(final String value)
    {
        if (value == null || value.isEmpty() || value.startsWith("Unknown") || value.startsWith("??") ||
            value.startsWith("Hacker"))
        {
            return null;
        }
        return value;
    }

    static int deviceClass(final String yauaaClass)
    {
        return switch (yauaaClass)
        {
            case "Desktop" -> EventRecord.DEVICE_DESKTOP;
            case "Phone", "Mobile" -> EventRecord.DEVICE_MOBILE;
            case "Tablet" -> EventRecord.DEVICE_TABLET;
            case "Unknown", "Hacker" -> EventRecord.DEVICE_UNKNOWN;
            default -> EventRecord.DEVICE_OTHER; // TV, watch, game console, e-reader, car, robot...
        };
    }
}
