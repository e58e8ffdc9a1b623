package io.tally.engine.identity;

import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.concurrent.Executor;

/**
 * The secret salt of visitor ids, a new random one each UTC day, kept in {@code DATA_DIR/salt} so a restart
 * keeps today's ids. Only today's salt (and tomorrow's, made ahead) is kept: once a day is over, nobody (not even
 * the operator) can link its visitor ids to an address again.
 * <p>
 * Nothing here writes a file on the request path: the salts are made and written at start, and tomorrow's by
 * {@link #prepareNextDay} on a background timer, so at midnight the request path only switches to a salt already
 * on disk. Should that not have happened (the clock jumped), the request path makes the salt in memory and hands
 * its writing to {@code background}. Reads are lock-free.
 */
public final class DailySalt
{
    public static final String FILE = "salt";
    public static final String HISTORICAL_FILE = "historical-salt";
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int ENTRY_LENGTH = 24;

    private final StateFiles files;
    private final Executor background;
    private final SipHasher historicalHasher = new SipHasher();
    private final Salt historicalKey;
    /** The last past day asked for: a replay asks for the same day many times in a row. */
    private volatile Salt lastPastDay;
    private final SecureRandom random = new SecureRandom();
    private volatile Salt current;
    private volatile Salt next;

    /** A day and its key. */
    static final class Salt
    {
        final long epochDay;
        final long key0;
        final long key1;

        Salt(final long epochDay, final long key0, final long key1)
        {
            this.epochDay = epochDay;
            this.key0 = key0;
            this.key1 = key1;
        }
    }

    /**
     * Loads the salts (setting a damaged file aside: today's visitors then get new ids) and makes what is
     * missing: today's salt and the key of past days' salts.
     */
    public DailySalt(final StateFiles files, final long nowMillis, final Executor background)
    {
        this.files = files;
        this.background = background;
        final Salt[] saved = files.load(FILE, true, DailySalt::decode);
        final long today = Math.floorDiv(nowMillis, MILLIS_PER_DAY);
        current = find(saved, today);
        next = find(saved, today + 1);
        if (current == null)
        {
            current = fresh(today);
            store();
        }
        final Salt[] historical = files.load(HISTORICAL_FILE, true, DailySalt::decode);
        if (historical == null || historical.length != 1)
        {
            historicalKey = fresh(0);
            files.write(HISTORICAL_FILE, encode(historicalKey));
        }
        else
        {
            historicalKey = historical[0];
        }
    }

    /** The salt for the UTC day of {@code epochMillis}: today's, or tomorrow's once the day has come. */
    Salt forTime(final long epochMillis)
    {
        final long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        final Salt salt = current;
        if (salt.epochDay == day)
        {
            return salt;
        }
        return rotate(day);
    }

    private synchronized Salt rotate(final long day)
    {
        final Salt salt = current;
        if (salt.epochDay >= day)
        {
            // a request stamped just before midnight may arrive after the switch: it keeps the new salt
            return salt;
        }
        final Salt prepared = next;
        if (prepared != null && prepared.epochDay == day)
        {
            current = prepared;
            next = null;
            return prepared;
        }
        current = fresh(day);
        next = null;
        background.execute(this::store);
        return current;
    }

    /**
     * Makes and writes tomorrow's salt ahead, and drops past days' from the file; run on a background timer. A
     * failure (a full disk) is thrown to the timer and tried again at its next run.
     */
    public synchronized void prepareNextDay(final long nowMillis)
    {
        final long tomorrow = Math.floorDiv(nowMillis, MILLIS_PER_DAY) + 1;
        if (next != null && next.epochDay == tomorrow && current.epochDay == tomorrow - 1)
        {
            return;
        }
        forTime(nowMillis);
        if (next == null || next.epochDay != tomorrow)
        {
            next = fresh(tomorrow);
        }
        store();
    }

    /**
     * The salt of a past day, for trusted events with an old {@code ts}: derived from a random key kept in
     * {@code DATA_DIR/historical-salt}, so replaying a day again gives the same visitor ids.
     */
    Salt forPastDay(final long epochDay)
    {
        final Salt last = lastPastDay;
        return last != null && last.epochDay == epochDay ? last : derivePastDay(epochDay);
    }

    private synchronized Salt derivePastDay(final long epochDay)
    {
        final long key0 = historicalHasher.reset(historicalKey.key0, historicalKey.key1).putLong(epochDay).putByte(0).finish();
        final long key1 = historicalHasher.reset(historicalKey.key0, historicalKey.key1).putLong(epochDay).putByte(1).finish();
        final Salt salt = new Salt(epochDay, key0, key1);
        lastPastDay = salt;
        return salt;
    }

    private Salt fresh(final long day)
    {
        return new Salt(day, random.nextLong(), random.nextLong());
    }

    private synchronized void store()
    {
        final Salt tomorrow = next;
        files.write(FILE, tomorrow == null ? encode(current) : encode(current, tomorrow));
    }

    private static Salt find(final Salt[] salts, final long day)
    {
        if (salts != null)
        {
            for (final Salt salt : salts)
            {
                if (salt.epochDay == day)
                {
                    return salt;
                }
            }
        }
        return null;
    }

    private static byte[] encode(final Salt... salts)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(ENTRY_LENGTH * salts.length);
        for (final Salt salt : salts)
        {
            bytes.putLong(salt.epochDay).putLong(salt.key0).putLong(salt.key1);
        }
        return bytes.array();
    }

    /** One or two entries of (epoch day, key0, key1); a file of one entry is what earlier versions wrote. */
    private static Salt[] decode(final InputStream in) throws IOException
    {
        final byte[] contents = in.readAllBytes();
        if (contents.length != ENTRY_LENGTH && contents.length != 2 * ENTRY_LENGTH)
        {
            throw new IOException(contents.length + " bytes, not one or two salts of " + ENTRY_LENGTH);
        }
        final ByteBuffer bytes = ByteBuffer.wrap(contents);
        final Salt[] salts = new Salt[contents.length / ENTRY_LENGTH];
        for (int i = 0; i < salts.length; i++)
        {
            salts[i] = new Salt(bytes.getLong(), bytes.getLong(), bytes.getLong());
        }
        return salts;
    }
}
