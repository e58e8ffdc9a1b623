package io.tally.engine;

import io.tally.store.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin API's bearer token: the configured one ({@code --admin-token}), else the one in
 * {@code DATA_DIR/admin-token}, else a new random one written there at first start (and announced once by
 * the caller). Compared in constant time.
 */
public final class AdminToken
{
    public static final String FILE = "admin-token";

    private final byte[] token;
    private final boolean generated;

    private AdminToken(final String token, final boolean generated)
    {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.generated = generated;
    }

    public static AdminToken resolve(final String configured, final Path dataDir)
    {
        return resolve(configured, dataDir.resolve(FILE), "tally_admin_");
    }

    /** A secret like the admin token: the configured one, else the one in {@code file}, else a new one put there. */
    public static AdminToken resolve(final String configured, final Path file, final String prefix)
    {
        if (configured != null && !configured.isBlank())
        {
            return new AdminToken(configured.trim(), false);
        }
        try
        {
            if (Files.exists(file))
            {
                return new AdminToken(Files.readString(file).trim(), false);
            }
            final byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            final String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            AtomicFiles.write(file, token.getBytes(StandardCharsets.UTF_8));
            return new AdminToken(token, true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }

    /** Reads the token a running engine uses from its data dir, or null; for local command-line tools. */
    public static String readFrom(final Path dataDir)
    {
        try
        {
            final Path file = dataDir.resolve(FILE);
            return Files.exists(file) ? Files.readString(file).trim() : null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** Whether the token was made at this start: the caller prints it once. */
    public boolean wasGenerated()
    {
        return generated;
    }

    public String value()
    {
        return new String(token, StandardCharsets.UTF_8);
    }

    /** Whether an {@code Authorization} header value carries this token as a bearer token. */
    public boolean authorizes(final String authorization)
    {
        final String bearer = bearer(authorization);
        return bearer != null && MessageDigest.isEqual(token, bearer.getBytes(StandardCharsets.UTF_8));
    }

    /** The token of a {@code Bearer} authorization header, or null. */
    public static String bearer(final String authorization)
    {
        return authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? null :
            authorization.substring(7).trim();
    }
}
