package io.tally.engine.audience;

import io.tally.codec.EventRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Real User-Agents through yauaa: robots by reason, people by browser, system and device. */
class UserAgentParserTest
{
    private final UserAgentParser parser = new UserAgentParser();

    private static String text(final byte[] bytes)
    {
        return bytes == null ? null : new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void crawlersAnnounceThemselvesAndAutomationDoesNot()
    {
        assertEquals(EventRecord.ROBOT_CRAWLER, parser.parse(AudienceHttpTest.GOOGLEBOT).robotReason());
        assertEquals(EventRecord.ROBOT_CRAWLER, parser.parse(AudienceHttpTest.GOOGLEBOT_CHROME).robotReason());
        assertEquals(EventRecord.ROBOT_CRAWLER, parser.parse(AudienceHttpTest.BINGBOT).robotReason());
        assertEquals(EventRecord.ROBOT_CRAWLER, parser.parse(AudienceHttpTest.GENERIC_CRAWLER).robotReason());
        assertEquals(EventRecord.ROBOT_AUTOMATION, parser.parse(AudienceHttpTest.HEADLESS_CHROME).robotReason());
        assertEquals(EventRecord.ROBOT_AUTOMATION, parser.parse(AudienceHttpTest.PHANTOMJS).robotReason());
        assertEquals(EventRecord.ROBOT_AUTOMATION, parser.parse(AudienceHttpTest.CURL).robotReason());
        assertEquals(EventRecord.ROBOT_AUTOMATION, parser.parse(AudienceHttpTest.PYTHON_REQUESTS).robotReason());
    }

    @Test
    void peopleHaveBrowsersSystemsAndDevices()
    {
        final Audience ipad = parser.parse(AudienceHttpTest.SAFARI_IPAD);
        assertFalse(ipad.isRobot());
        assertEquals("Safari", text(ipad.browser()));
        assertEquals("17", text(ipad.browserVersion()));
        assertEquals("iOS", text(ipad.os()));
        assertEquals("17", text(ipad.osVersion()));
        assertEquals(EventRecord.DEVICE_TABLET, ipad.deviceClass());
        assertEquals(EventRecord.DEVICE_MOBILE, parser.parse(AudienceHttpTest.SAFARI_IPHONE).deviceClass());
        assertEquals(EventRecord.DEVICE_MOBILE, parser.parse(AudienceHttpTest.CHROME_ANDROID).deviceClass());
        final Audience firefox = parser.parse(AudienceHttpTest.FIREFOX_WINDOWS);
        assertEquals("Firefox", text(firefox.browser()));
        assertEquals("121", text(firefox.browserVersion()));
        assertEquals(EventRecord.DEVICE_DESKTOP, firefox.deviceClass());
        assertEquals(EventRecord.DEVICE_OTHER, parser.parse("Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 " +
            "(KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36").deviceClass());
    }

    @Test
    void whatNoSoftwareSendsIsAPersonOfUnknownAudience()
    {
        for (final String agent : new String[] {"", "Browser A", "x"})
        {
            final Audience audience = parser.parse(agent);
            assertEquals(EventRecord.ROBOT_NONE, audience.robotReason(), agent);
            assertNull(audience.browser(), agent);
            assertEquals(EventRecord.DEVICE_UNKNOWN, audience.deviceClass(), agent);
        }
    }
}
