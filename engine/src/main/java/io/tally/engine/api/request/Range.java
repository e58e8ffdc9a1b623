package io.tally.engine.api.request;

import java.time.LocalDate;
import java.time.ZoneId;

/** A resolved range of days in a site's time zone: {@code [fromMillis, toMillis)}. */
public record Range(LocalDate from, LocalDate to, long fromMillis, long toMillis)
{
    /** The range of as many days just before this one. */
    public Range previous(final ZoneId zone)
    {
        final long days = to.toEpochDay() - from.toEpochDay() + 1;
        return of(from.minusDays(days), from.minusDays(1), zone);
    }

    public static Range of(final LocalDate from, final LocalDate to, final ZoneId zone)
    {
        return new Range(from, to, from.atStartOfDay(zone).toInstant().toEpochMilli(),
            to.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
    }
}
