package io.tally.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version this build of Tally is: {@code version.properties}, written by the build from the project's version. */
final class Version
{
    private static final String RESOURCE = "version.properties";

    private Version()
    {
    }

    /** The version, such as {@code 0.1.0}; the build always writes it, so a jar without it is broken. */
    static String current()
    {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: a broken build");
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + RESOURCE + ": " + ex.getMessage(), ex);
        }
    }
}
