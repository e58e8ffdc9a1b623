package io.tally.engine.api.request;

/** A request of the admin or stats API that cannot be answered as sent: a 400 with its error code and detail. */
public final class InvalidRequestException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final String code;

    public InvalidRequestException(final String code, final String detail)
    {
        super(detail);
        this.code = code;
    }

    public String code()
    {
        return code;
    }
}
