package io.tally.explore.filter;

/**
 * A {@code filters} text that cannot be read: the message names the clause (its position, from 1, and its text)
 * and what is wrong with it, so it can be shown to the user as it is.
 */
public final class FilterException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    FilterException(final String message)
    {
        super(message);
    }

    static FilterException inClause(final int position, final String clause, final String why)
    {
        return new FilterException("filter clause " + position + " \"" + clause + "\": " + why);
    }
}
