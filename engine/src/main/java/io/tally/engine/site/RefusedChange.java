package io.tally.engine.site;

/**
 * A change to the engine's sites or goals that cannot be made, with the HTTP status and error code the admin API
 * answers it with (the command line prints the message and exits with a usage error).
 */
public final class RefusedChange extends RuntimeException
{
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public RefusedChange(final int status, final String code, final String message)
    {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status()
    {
        return status;
    }

    public String code()
    {
        return code;
    }
}
