package io.tally.engine.explore;

/** A funnel or experiment definition that cannot be kept as sent: names the field at fault ({@code steps[2].value}). */
public final class InvalidDefinitionException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidDefinitionException(final String field, final String problem)
    {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field()
    {
        return field;
    }
}
