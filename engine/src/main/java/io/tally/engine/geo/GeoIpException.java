package io.tally.engine.geo;

/** A GeoIP database file that cannot be used: the message names the file and why. */
public final class GeoIpException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public GeoIpException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
