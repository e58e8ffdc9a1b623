package io.tally.engine.api;

/** A request of the admin or stats API that cannot be answered as sent: a 400 with its error code and detail. */
final class InvalidRequestException extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final String code;

    InvalidRequestException(final String code, final String detail)
    {
        super(detail);
        this.code = code;
    }

    String code()
    {
        return code;
    }
}
