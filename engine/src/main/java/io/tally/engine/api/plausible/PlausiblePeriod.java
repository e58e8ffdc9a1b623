package io.tally.engine.api.plausible;

import io.tally.engine.api.request.ApiDates;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.Range;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Plausible's v1 {@code period} and {@code date}: {@code day}, {@code 7d}, {@code 30d} (the days up to {@code date},
 * inclusive), {@code month} (the calendar month of {@code date}), {@code 6mo}, {@code 12mo} (that many calendar months
 * up to {@code date}'s), {@code custom} ({@code date=FROM,TO}, inclusive). {@code date} is today in the site's time
 * zone when not given; the default period is {@code 30d}.
 */
final class PlausiblePeriod
{
    private PlausiblePeriod()
    {
    }

    static Range of(final String period, final String date, final LocalDate today, final ZoneId zone)
    {
        if ("custom".equals(period))
        {
            if (date == null || date.indexOf(',') < 0)
            {
                throw new InvalidRequestException("invalid_period", "period=custom takes date=FROM,TO (YYYY-MM-DD,YYYY-MM-DD)");
            }
            final LocalDate from = day(date.substring(0, date.indexOf(',')));
            final LocalDate to = day(date.substring(date.indexOf(',') + 1));
            if (to.isBefore(from) || to.toEpochDay() - from.toEpochDay() > 3660)
            {
                throw new InvalidRequestException("invalid_period", "the date range must end on or after its start, at most ten years later");
            }
            return Range.of(from, to, zone);
        }
        final LocalDate day = date == null ? today : day(date);
        return switch (period == null ? "30d" : period)
        {
            case "day" -> Range.of(day, day, zone);
            case "7d" -> Range.of(day.minusDays(6), day, zone);
            case "30d" -> Range.of(day.minusDays(29), day, zone);
            case "month" -> Range.of(day.withDayOfMonth(1), day.withDayOfMonth(day.lengthOfMonth()), zone);
            case "6mo" -> Range.of(day.withDayOfMonth(1).minusMonths(5), day.withDayOfMonth(day.lengthOfMonth()), zone);
            case "12mo" -> Range.of(day.withDayOfMonth(1).minusMonths(11), day.withDayOfMonth(day.lengthOfMonth()), zone);
            default -> throw new InvalidRequestException("invalid_period",
                "Error parsing `period` parameter: invalid period `" + period + "`: use day, 7d, 30d, month, 6mo, 12mo or custom");
        };
    }

    /** Plausible's answer to a bad date. */
    private static LocalDate day(final String text)
    {
        return ApiDates.day(text, "invalid_period", "Error parsing `date` parameter: ");
    }
}
