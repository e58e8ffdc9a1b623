package io.tally.engine.identity;

import io.tally.engine.ingest.SessionTracker;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisitorAndSessionTest
{
    private static final long DAY = 86_400_000L;
    private static final long T0 = 20_000 * DAY + 3_600_000L;
    private static final byte[] SHOP = "shop.example".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BLOG = "blog.example".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dataDir;

    private static IpAddress ip(final String text)
    {
        final IpAddress address = new IpAddress();
        assertTrue(address.parse(text));
        return address;
    }

    @Test
    void visitorIdDependsOnSiteAddressAndBrowserOnly()
    {
        final VisitorIds ids = new VisitorIds(salt(dataDir, T0));
        final long id = ids.visitorId(T0, SHOP, ip("198.51.100.1"), "UA");
        assertEquals(id, ids.visitorId(T0 + 60_000, SHOP, ip("198.51.100.1"), "UA"));
        assertNotEquals(id, ids.visitorId(T0, BLOG, ip("198.51.100.1"), "UA"));
        assertNotEquals(id, ids.visitorId(T0, SHOP, ip("198.51.100.2"), "UA"));
        assertNotEquals(id, ids.visitorId(T0, SHOP, ip("198.51.100.1"), "UB"));
        assertNotEquals(ids.visitorId(T0, SHOP, ip("198.51.100.1"), null), ids.visitorId(T0, SHOP, ip("198.51.100.1"), "\0"));
    }

    /** The salt as the engine makes it at {@code now}; background writes run at once. */
    private static DailySalt salt(final Path dir, final long now)
    {
        return new DailySalt(new StateFiles(dir), now, Runnable::run);
    }

    @Test
    void tomorrowsSaltIsMadeAheadAndTakenAtMidnightWithoutWritingOnTheRequestPath() throws Exception
    {
        final DailySalt salt = salt(dataDir, T0);
        final long today = new VisitorIds(salt).visitorId(T0, SHOP, ip("198.51.100.1"), "UA");
        salt.prepareNextDay(T0);
        final byte[] prepared = Files.readAllBytes(dataDir.resolve(DailySalt.FILE));
        final long tomorrow = new VisitorIds(salt).visitorId(T0 + DAY, SHOP, ip("198.51.100.1"), "UA");
        assertNotEquals(today, tomorrow);
        assertArrayEquals(prepared, Files.readAllBytes(dataDir.resolve(DailySalt.FILE)),
            "the switch at midnight wrote nothing: tomorrow's salt was on disk already");
        assertEquals(tomorrow, new VisitorIds(salt(dataDir, T0 + DAY)).visitorId(T0 + DAY, SHOP, ip("198.51.100.1"), "UA"),
            "a restart after midnight finds the salt that was made ahead");
    }

    @Test
    void theSaltSurvivesARestartAndChangesWithTheDay() throws Exception
    {
        final long today = new VisitorIds(salt(dataDir, T0)).visitorId(T0, SHOP, ip("198.51.100.1"), "UA");
        assertTrue(Files.exists(dataDir.resolve(DailySalt.FILE)));
        final DailySalt reopened = salt(dataDir, T0);
        assertEquals(today, new VisitorIds(reopened).visitorId(T0, SHOP, ip("198.51.100.1"), "UA"), "same day after restart");
        final long tomorrow = new VisitorIds(reopened).visitorId(T0 + DAY, SHOP, ip("198.51.100.1"), "UA");
        assertNotEquals(today, tomorrow);
        assertEquals(tomorrow, new VisitorIds(salt(dataDir, T0)).visitorId(T0 + DAY, SHOP, ip("198.51.100.1"), "UA"));
        assertNotEquals(today, new VisitorIds(salt(dataDir, T0)).visitorId(T0, SHOP, ip("198.51.100.1"), "UA"),
            "yesterday's salt is gone: its ids cannot be made again");
        final Path otherDir = Files.createDirectories(dataDir.resolve("other"));
        assertNotEquals(today, new VisitorIds(salt(otherDir, T0)).visitorId(T0, SHOP, ip("198.51.100.1"), "UA"),
            "the salt is random, not derived");
    }

    @Test
    void eventsLessThanThirtyMinutesApartShareASession()
    {
        final SessionTracker sessions = new SessionTracker(1000);
        final long first = sessions.sessionId(7, T0);
        assertEquals(first, sessions.sessionId(7, T0 + 29 * 60_000));
        assertEquals(first, sessions.sessionId(7, T0 + 58 * 60_000), "each event extends the session");
        final long second = sessions.sessionId(7, T0 + 58 * 60_000 + SessionTracker.SESSION_TIMEOUT_MILLIS);
        assertNotEquals(first, second, "30 minutes of silence start a new one");
        assertNotEquals(first, sessions.sessionId(8, T0), "another visitor has its own");
    }

    /** What a Plausible engagement asks before it is stored: a session it would continue, made or moved by nothing. */
    @Test
    void aSessionIsLiveUntilThirtyMinutesOfSilence()
    {
        final SessionTracker sessions = new SessionTracker(1000);
        assertFalse(sessions.isLive(7, T0), "no event yet");
        assertFalse(sessions.isLive(7, T0), "asking starts no session");
        sessions.sessionId(7, T0);
        assertTrue(sessions.isLive(7, T0 + SessionTracker.SESSION_TIMEOUT_MILLIS - 1), "just inside");
        assertFalse(sessions.isLive(7, T0 + SessionTracker.SESSION_TIMEOUT_MILLIS), "at 30 minutes it is over");
        assertTrue(sessions.isLive(7, T0 + 1), "an earlier moment is still inside");
        assertFalse(sessions.isLive(8, T0 + 1), "another visitor's session is not this one's");
    }

    @Test
    void aRestoredSessionGoesOnWithItsIdAndItsConversion()
    {
        final SessionTracker before = new SessionTracker(1000);
        final long id = before.sessionId(7, T0);
        before.markConverted(7);
        final SessionTracker after = new SessionTracker(1000);
        after.restore(7, id, T0 + 60_000, true);
        final boolean[] converted = new boolean[1];
        assertEquals(id, after.track(7, T0 + 20 * 60_000, converted), "within 30 minutes of the restored event");
        assertTrue(converted[0], "the session had converted");
        assertNotEquals(id, after.sessionId(7, T0 + 60_000 + 20 * 60_000 + SessionTracker.SESSION_TIMEOUT_MILLIS));
        assertTrue(id >= 0, "ids keep the top bit free for the converted flag");
    }

    @Test
    void sessionMemoryIsBounded()
    {
        final SessionTracker sessions = new SessionTracker(6_400);
        for (int v = 0; v < 100_000; v++)
        {
            sessions.sessionId(v * 0x9E3779B97F4A7C15L, T0);
        }
        assertTrue(sessions.untrackedCount() > 0, "visitors past the bound within 30 minutes are not stored");
        final long before = sessions.untrackedCount();
        for (int v = 100_000; v < 106_000; v++)
        {
            sessions.sessionId(v * 0x9E3779B97F4A7C15L, T0 + SessionTracker.SESSION_TIMEOUT_MILLIS + 1);
        }
        assertTrue(sessions.untrackedCount() - before < 600, "idle visitors made room for new ones");
    }
}
