package io.tally.engine.api.request;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** A day given in a request ({@code 2026-12-07}), or the 400 answer that says why it is not one. */
public final class ApiDates
{
    private ApiDates()
    {
    }

    /** For Tally's own APIs: a 400 {@code invalid_range}. */
    public static LocalDate day(final String text)
    {
        return day(text, "invalid_range", "");
    }

    /** A day, or a 400 with {@code code} and the parser's message after {@code prefix}. */
    public static LocalDate day(final String text, final String code, final String prefix)
    {
        try
        {
            return LocalDate.parse(text.trim());
        }
        catch (final DateTimeParseException ex)
        {
            throw new InvalidRequestException(code, prefix + ex.getMessage());
        }
    }
}
