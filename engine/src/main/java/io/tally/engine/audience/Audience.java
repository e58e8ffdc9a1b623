package io.tally.engine.audience;

import io.tally.codec.EventRecord;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What one User-Agent says of who sent an event, decided once and shared by every event of that User-Agent:
 * whether it is a robot and why ({@code EventRecord.ROBOT_} codes), the browser and its major version, the operating
 * system and its version as UTF-8 bytes (null when unknown), and the device class ({@code EventRecord.DEVICE_}
 * codes). Immutable: the arrays are handed to the journal's encoder as they are and never written.
 */
public final class Audience
{
    /** Nothing known: an event journaled without a classification. A person, device unknown. */
    public static final Audience UNKNOWN = new Audience(EventRecord.ROBOT_NONE, null, null, null, null,
        EventRecord.DEVICE_UNKNOWN);

    private final int robotReason;
    private final byte[] browser;
    private final byte[] browserVersion;
    private final byte[] os;
    private final byte[] osVersion;
    private final int deviceClass;

    public Audience(final int robotReason, final String browser, final String browserVersion, final String os,
        final String osVersion, final int deviceClass)
    {
        this.robotReason = robotReason;
        this.browser = utf8(browser);
        this.browserVersion = utf8(browserVersion);
        this.os = utf8(os);
        this.osVersion = utf8(osVersion);
        this.deviceClass = deviceClass;
    }

    private static byte[] utf8(final String text)
    {
        return text == null || text.isEmpty() ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code EventRecord.ROBOT_NONE} for a person, else why the User-Agent is a robot's. */
    public int robotReason()
    {
        return robotReason;
    }

    public boolean isRobot()
    {
        return robotReason != EventRecord.ROBOT_NONE;
    }

    public byte[] browser()
    {
        return browser;
    }

    public byte[] browserVersion()
    {
        return browserVersion;
    }

    public byte[] os()
    {
        return os;
    }

    public byte[] osVersion()
    {
        return osVersion;
    }

    public int deviceClass()
    {
        return deviceClass;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Audience that && robotReason == that.robotReason && deviceClass == that.deviceClass &&
            Arrays.equals(browser, that.browser) && Arrays.equals(browserVersion, that.browserVersion) &&
            Arrays.equals(os, that.os) && Arrays.equals(osVersion, that.osVersion);
    }

    @Override
    public int hashCode()
    {
        return 31 * Arrays.hashCode(browser) + Arrays.hashCode(os) + robotReason;
    }

    @Override
    public String toString()
    {
        return "Audience{robot=" + robotReason + ", browser=" + text(browser) + " " + text(browserVersion) + ", os=" +
            text(os) + " " + text(osVersion) + ", device=" + deviceClass + '}';
    }

    private static String text(final byte[] bytes)
    {
        return bytes == null ? "-" : new String(bytes, StandardCharsets.UTF_8);
    }
}
