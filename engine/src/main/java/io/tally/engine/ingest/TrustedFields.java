package io.tally.engine.ingest;

import io.tally.codec.Beacon;
import io.tally.codec.TextView;
import io.tally.engine.identity.IpAddress;
import io.tally.engine.identity.SipHasher;
import io.tally.engine.site.Site;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Reading the server-side fields of a trusted event: its time, its client address, its idempotency key. */
public final class TrustedFields
{
    /** Returned by {@link #eventTime} for a time that is unreadable or too far ahead. */
    static final long INVALID = Long.MIN_VALUE;
    /** How far ahead of the server's clock a {@code ts} may be. */
    static final long MAX_FUTURE_MILLIS = 5 * 60 * 1000;
    private static final long KEY_SEED_0 = 0x5A17_1D3E_9C0F_44B1L;
    private static final long KEY_SEED_1 = 0x2E6B_8F05_D1A3_7C92L;

    private TrustedFields()
    {
    }

    /** The event's {@code ts} (epoch milliseconds, or ISO-8601 with an offset), {@code now} without one. */
    static long eventTime(final Beacon beacon, final long now)
    {
        final TextView ts = beacon.timestamp();
        if (!ts.isPresent())
        {
            return now;
        }
        long millis = beacon.timestampIsNumber() ? wholeNumber(ts) : -1;
        try
        {
            if (millis < 0)
            {
                final String text = ts.toString();
                millis = beacon.timestampIsNumber() ? (long)Double.parseDouble(text) : parseIso(text);
            }
        }
        catch (final NumberFormatException | DateTimeParseException ex)
        {
            return INVALID;
        }
        return millis < 0 || millis > now + MAX_FUTURE_MILLIS ? INVALID : millis;
    }

    /** The digits of a plain whole number read in place (the common case), or -1 to take the slow path. */
    private static long wholeNumber(final TextView number)
    {
        if (number.length() > 18)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < number.length(); i++)
        {
            final byte b = number.byteAt(i);
            if (b < '0' || b > '9')
            {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static long parseIso(final String text)
    {
        try
        {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        }
        catch (final DateTimeParseException ex)
        {
            return Instant.parse(text).toEpochMilli();
        }
    }

    /** The address for the visitor id: the event's {@code ip}, else the request's client; null when unreadable. */
    static IpAddress address(final Beacon beacon, final IpAddress requestClient, final IpAddress scratch)
    {
        if (!beacon.ip().isPresent())
        {
            return requestClient;
        }
        return scratch.parse(beacon.ip().toString()) ? scratch : null;
    }

    /** The high half of the 128-bit idempotency key of {@code id} on {@code site}; {@code hasher} is scratch. */
    public static long keyHigh(final Site site, final TextView id, final SipHasher hasher)
    {
        return key(site, id, KEY_SEED_0, KEY_SEED_1, hasher);
    }

    public static long keyLow(final Site site, final TextView id, final SipHasher hasher)
    {
        return key(site, id, KEY_SEED_1, KEY_SEED_0, hasher);
    }

    private static long key(final Site site, final TextView id, final long seed0, final long seed1, final SipHasher hasher)
    {
        hasher.reset(seed0, seed1).putBytes(site.domainBytes()).putLong(site.domainBytes().length);
        for (int i = 0; i < id.length(); i++)
        {
            hasher.putByte(id.byteAt(i));
        }
        return hasher.finish();
    }
}
