package io.tally.engine.api;

import io.tally.store.state.AtomicFiles;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.InputStream;
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
    /** The shortest token a file may hold: a generated one has 32 random characters after its prefix. */
    static final int MIN_LENGTH = 16;
    private static final int RANDOM_BYTES = 24;
    /** The characters of {@link #RANDOM_BYTES} random bytes in URL-safe base64 without padding. */
    private static final int GENERATED_LENGTH = 32;

    private final byte[] token;
    private final boolean generated;

    private AdminToken(final String token, final boolean generated)
    {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.generated = generated;
    }

    /** A token given by the operator. */
    public static AdminToken of(final String configured)
    {
        return new AdminToken(configured.trim(), false);
    }

    public static AdminToken resolve(final String configured, final StateFiles files)
    {
        return resolve(configured, files, FILE, "tally_admin_");
    }

    /**
     * A secret like the admin token: the configured one, else the one in the state file {@code name}, else a new
     * one put there. The file holds the bare token (an operator reads it with {@code cat}); one that is not a
     * token (empty, binary, shorter than {@link #MIN_LENGTH}, a directory) is set aside and a new one made, for an
     * empty token would let anyone in.
     */
    public static AdminToken resolve(final String configured, final StateFiles files, final String name, final String prefix)
    {
        if (configured != null && !configured.isBlank())
        {
            return of(configured);
        }
        final String saved = files.load(name, true, in -> decode(in, prefix));
        if (saved != null)
        {
            return new AdminToken(saved, false);
        }
        final byte[] random = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        final String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        AtomicFiles.write(files.path(name), token.getBytes(StandardCharsets.UTF_8));
        return new AdminToken(token, true);
    }

    /**
     * The token of a file: one Tally made must be whole (its prefix and 32 characters of URL-safe base64), one an
     * operator wrote at least {@link #MIN_LENGTH} printable characters. A secret altered into another well-formed
     * one cannot be told from it.
     */
    private static String decode(final InputStream in, final String prefix) throws IOException
    {
        final String token = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (token.startsWith(prefix) ? !isGenerated(token, prefix) :
            token.length() < MIN_LENGTH || !token.chars().allMatch(c -> c > ' ' && c < 127))
        {
            throw new IOException("it does not hold a whole token");
        }
        return token;
    }

    private static boolean isGenerated(final String token, final String prefix)
    {
        return token.length() == prefix.length() + GENERATED_LENGTH && token.chars().skip(prefix.length())
            .allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_');
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
