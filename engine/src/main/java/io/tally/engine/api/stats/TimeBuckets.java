package io.tally.engine.api.stats;

import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.Range;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hours, days or months of a time series ({@code interval=hour|day|month}), for Tally's timeseries report and
 * Plausible's alike: their starts, their keys in the event store's answers, and the bound on hourly points.
 */
public final class TimeBuckets
{
    private static final int MAX_HOURLY_POINTS = 24 * 93;

    private TimeBuckets()
    {
    }

    /** The start of each hour, day or month of the range in {@code zone}, oldest first (the first: the range's start). */
    public static List<ZonedDateTime> starts(final Range range, final ZoneId zone, final String interval)
    {
        final List<ZonedDateTime> starts = new ArrayList<>();
        ZonedDateTime start = range.from().atStartOfDay(zone);
        final ZonedDateTime end = range.to().plusDays(1).atStartOfDay(zone);
        while (start.isBefore(end))
        {
            starts.add(start);
            start = switch (interval)
            {
                case "hour" -> start.plusHours(1);
                case "day" -> start.plusDays(1);
                default -> start.withDayOfMonth(1).plusMonths(1);
            };
        }
        return starts;
    }

    /** Refuses an hourly series of more than {@link #MAX_HOURLY_POINTS} points. */
    public static void checkHourly(final String interval, final Range range)
    {
        if (interval.equals("hour") && (range.to().toEpochDay() - range.from().toEpochDay() + 1) * 24 > MAX_HOURLY_POINTS)
        {
            throw new InvalidRequestException("invalid_range", "at most " + MAX_HOURLY_POINTS / 24 + " days by the hour");
        }
    }

    /** The key the store gives a bucket: {@code yyyy-MM-ddTHH}, {@code yyyy-MM-dd} or {@code yyyy-MM}, local time. */
    public static String key(final ZonedDateTime start, final String interval)
    {
        final String day = start.toLocalDate().toString();
        return switch (interval)
        {
            case "hour" -> day + "T" + String.format(Locale.ROOT, "%02d", start.getHour());
            case "day" -> day;
            default -> day.substring(0, 7);
        };
    }
}
