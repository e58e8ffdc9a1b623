package io.tally.engine;

import io.tally.store.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The secret salt of visitor ids, a new random one each UTC day, kept in {@code DATA_DIR/salt} so a restart
 * keeps today's ids. Only today's salt is kept: once a day is over, nobody (not even the operator) can link
 * its visitor ids to an address again. Reads are lock-free; the rare day change is synchronized.
 */
public final class DailySalt
{
    static final String FILE = "salt";
    static final String HISTORICAL_FILE = "historical-salt";
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int FILE_LENGTH = 24;

    private final Path file;
    private final Path historicalFile;
    private final SipHasher historicalHasher = new SipHasher();
    private volatile Salt historicalKey;
    /** The last past day asked for: a replay asks for the same day many times in a row. */
    private volatile Salt lastPastDay;
    private final SecureRandom random = new SecureRandom();
    private volatile Salt current;

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

    public DailySalt(final Path dataDir)
    {
        this.file = dataDir.resolve(FILE);
        this.historicalFile = dataDir.resolve(HISTORICAL_FILE);
        this.current = load(file);
    }

    /** The salt for the UTC day of {@code epochMillis}, made (and stored) when the day is new. */
    Salt forTime(final long epochMillis)
    {
        final long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        final Salt salt = current;
        if (salt != null && salt.epochDay == day)
        {
            return salt;
        }
        return rotate(day);
    }

    private synchronized Salt rotate(final long day)
    {
        final Salt salt = current;
        if (salt != null && salt.epochDay >= day)
        {
            // a request stamped just before midnight may arrive after the switch: it keeps the new salt
            return salt;
        }
        final Salt fresh = new Salt(day, random.nextLong(), random.nextLong());
        store(file, fresh);
        current = fresh;
        return fresh;
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
        if (historicalKey == null)
        {
            historicalKey = load(historicalFile);
            if (historicalKey == null)
            {
                historicalKey = new Salt(0, random.nextLong(), random.nextLong());
                store(historicalFile, historicalKey);
            }
        }
        final long key0 = historicalHasher.reset(historicalKey.key0, historicalKey.key1).putLong(epochDay).putByte(0).finish();
        final long key1 = historicalHasher.reset(historicalKey.key0, historicalKey.key1).putLong(epochDay).putByte(1).finish();
        final Salt salt = new Salt(epochDay, key0, key1);
        lastPastDay = salt;
        return salt;
    }

    private static Salt load(final Path file)
    {
        if (!Files.exists(file))
        {
            return null;
        }
        try
        {
            final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            if (bytes.remaining() != FILE_LENGTH)
            {
                return null;
            }
            return new Salt(bytes.getLong(), bytes.getLong(), bytes.getLong());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }

    private static void store(final Path file, final Salt salt)
    {
        AtomicFiles.write(file, ByteBuffer.allocate(FILE_LENGTH).putLong(salt.epochDay).putLong(salt.key0).putLong(salt.key1).array());
    }
}
