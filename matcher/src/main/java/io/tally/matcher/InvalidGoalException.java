package io.tally.matcher;

/** A goal that cannot be accepted; {@link #field()} names the offending field, as in {@code conditions[1].op}. */
public final class InvalidGoalException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidGoalException(final String field, final String message)
    {
        super(field + ": " + message);
        this.field = field;
    }

    public String field()
    {
        return field;
    }
}
