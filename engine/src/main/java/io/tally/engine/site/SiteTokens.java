package io.tally.engine.site;

import io.tally.codec.json.Json;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-site tokens for the trusted events API. A token is shown once, when made; only its SHA-256 is kept, in
 * {@code DATA_DIR/site-tokens.json} (a sealed state file). Lookups read an immutable snapshot. A damaged file is
 * set aside: the trusted API then refuses every token (401) until the operator restores the file or makes new
 * tokens, which is safer than guessing which tokens were valid.
 */
public final class SiteTokens
{
    public static final String FILE = "site-tokens.json";

    private final StateFiles files;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Token> byHash;

    /** A token as kept: its id (for listing and revoking), its site, its hash, when it was made. */
    public record Token(String id, String site, String sha256, String created)
    {
    }

    /** A token just made: its text (shown once) and its id. */
    public record Created(String token, String id)
    {
    }

    public SiteTokens(final StateFiles files)
    {
        this.files = files;
        final Map<String, Token> saved = files.load(FILE, true, SiteTokens::decode);
        this.byHash = saved == null ? Map.of() : Map.copyOf(saved);
    }

    /** The site a bearer token writes for, or null when it is no valid token. */
    public String siteOf(final String bearer)
    {
        if (bearer == null)
        {
            return null;
        }
        final Token token = byHash.get(sha256(bearer));
        return token == null ? null : token.site();
    }

    /** Makes a token for {@code site}; the returned text is the only time it is seen. */
    public synchronized Created create(final String site)
    {
        final byte[] secret = new byte[24];
        random.nextBytes(secret);
        final String token = "tally_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        final byte[] idBytes = new byte[4];
        random.nextBytes(idBytes);
        final String id = "tok_" + hex(idBytes);
        final Map<String, Token> next = new HashMap<>(byHash);
        next.put(sha256(token), new Token(id, site, sha256(token), Instant.now().toString()));
        save(next);
        byHash = Map.copyOf(next);
        return new Created(token, id);
    }

    public List<Token> list(final String site)
    {
        return byHash.values().stream().filter(t -> t.site().equals(site)).sorted((a, b) -> a.created().compareTo(b.created()))
            .toList();
    }

    /** @return false when the site has no token with that id. */
    public synchronized boolean revoke(final String site, final String id)
    {
        final Map<String, Token> next = new HashMap<>(byHash);
        if (!next.values().removeIf(t -> t.site().equals(site) && t.id().equals(id)))
        {
            return false;
        }
        save(next);
        byHash = Map.copyOf(next);
        return true;
    }

    private void save(final Map<String, Token> tokens)
    {
        final List<Object> list = new ArrayList<>();
        tokens.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(t ->
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", t.id());
            entry.put("site", t.site());
            entry.put("sha256", t.sha256());
            entry.put("created", t.created());
            list.add(entry);
        });
        files.write(FILE, Json.write(Map.of("tokens", list)).getBytes(StandardCharsets.UTF_8));
    }

    /** The tokens of the file; anything else than a list of complete tokens is damage. */
    private static Map<String, Token> decode(final InputStream in) throws IOException
    {
        final Map<String, Token> tokens = new HashMap<>();
        final Object list = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("tokens");
        for (final Object entry : (List<?>)list)
        {
            final Map<?, ?> t = (Map<?, ?>)entry;
            final Token token = new Token(text(t, "id"), text(t, "site"), text(t, "sha256"), text(t, "created"));
            tokens.put(token.sha256(), token);
        }
        return tokens;
    }

    private static String text(final Map<?, ?> entry, final String key) throws IOException
    {
        if (!(entry.get(key) instanceof String))
        {
            throw new IOException("a token without its '" + key + "'");
        }
        return (String)entry.get(key);
    }

    static String sha256(final String text)
    {
        try
        {
            return hex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every JVM has SHA-256", ex);
        }
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder out = new StringBuilder(bytes.length * 2);
        for (final byte b : bytes)
        {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }
}
