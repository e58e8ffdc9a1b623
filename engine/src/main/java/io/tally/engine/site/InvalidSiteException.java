package io.tally.engine.site;

/**
 * A site object (config file or admin API) that cannot be accepted; the message starts with the offending key's
 * path, as in {@code sites[0].timezone: unknown key; did you mean time_zone?}.
 */
public final class InvalidSiteException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    public InvalidSiteException(final String path, final String message)
    {
        super(path + ": " + message);
    }
}
