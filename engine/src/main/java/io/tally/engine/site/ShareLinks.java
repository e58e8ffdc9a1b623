package io.tally.engine.site;

import io.tally.codec.json.Json;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Share links: a random id that reads one site's stats, read-only, without signing in ({@code /share/{id}} opens
 * that site's dashboard). Kept in {@code DATA_DIR/shares.json} (a sealed state file, owner-readable) with the id
 * itself, so an operator can list the links and copy one again; revoking deletes it. At most
 * {@link #MAX_PER_SITE} a site. Lookups read an immutable snapshot. A damaged file is set aside and no link works
 * until new ones are made: safer than guessing which were valid.
 */
public final class ShareLinks
{
    public static final String FILE = "shares.json";
    /** Share links a site may have at once; past it, creating one is refused until one is revoked. */
    public static final int MAX_PER_SITE = 50;
    private static final int ID_BYTES = 16;

    private final StateFiles files;
    private final SecureRandom random = new SecureRandom();
    private volatile Map<String, Share> byId;

    /** A share link: its id (the credential, and the last segment of its URL), its site, when it was made. */
    public record Share(String id, String site, String created)
    {
        public String url()
        {
            return "/share/" + id;
        }
    }

    /** Thrown when a site already has {@link #MAX_PER_SITE} links. */
    public static final class TooManyShares extends RuntimeException
    {
        TooManyShares(final String site)
        {
            super(site + " has " + MAX_PER_SITE + " share links, the most it may have: revoke one first");
        }
    }

    public ShareLinks(final StateFiles files)
    {
        this.files = files;
        final Map<String, Share> saved = files.load(FILE, false, ShareLinks::decode);
        this.byId = saved == null ? Map.of() : Map.copyOf(saved);
    }

    /** Whether {@code id} is a live share link of {@code site}. */
    public boolean reads(final String site, final String id)
    {
        if (id == null)
        {
            return false;
        }
        final Share share = byId.get(id);
        return share != null && share.site().equals(site);
    }

    /** Makes a share link of {@code site}. @throws TooManyShares when it has {@link #MAX_PER_SITE} already. */
    public synchronized Share create(final String site)
    {
        if (list(site).size() >= MAX_PER_SITE)
        {
            throw new TooManyShares(site);
        }
        final byte[] secret = new byte[ID_BYTES];
        random.nextBytes(secret);
        final Share share = new Share("shr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret), site,
            Instant.now().toString());
        final Map<String, Share> next = new HashMap<>(byId);
        next.put(share.id(), share);
        save(next);
        byId = Map.copyOf(next);
        return share;
    }

    /** The site's links, oldest first. */
    public List<Share> list(final String site)
    {
        return byId.values().stream().filter(s -> s.site().equals(site))
            .sorted(Comparator.comparing(Share::created).thenComparing(Share::id)).toList();
    }

    /** @return false when the site has no link with that id. */
    public synchronized boolean revoke(final String site, final String id)
    {
        if (!reads(site, id))
        {
            return false;
        }
        final Map<String, Share> next = new HashMap<>(byId);
        next.remove(id);
        save(next);
        byId = Map.copyOf(next);
        return true;
    }

    private void save(final Map<String, Share> shares)
    {
        final List<Object> list = new ArrayList<>();
        shares.values().stream().sorted(Comparator.comparing(Share::id)).forEach(s ->
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", s.id());
            entry.put("site", s.site());
            entry.put("created", s.created());
            list.add(entry);
        });
        files.write(FILE, Json.write(Map.of("shares", list)).getBytes(StandardCharsets.UTF_8));
    }

    /** The links of the file; anything else than a list of complete links is damage. */
    private static Map<String, Share> decode(final InputStream in) throws IOException
    {
        final Map<String, Share> shares = new HashMap<>();
        final Object list = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("shares");
        for (final Object entry : (List<?>)list)
        {
            final Map<?, ?> s = (Map<?, ?>)entry;
            final Share share = new Share(text(s, "id"), text(s, "site"), text(s, "created"));
            shares.put(share.id(), share);
        }
        return shares;
    }

    private static String text(final Map<?, ?> entry, final String key) throws IOException
    {
        if (!(entry.get(key) instanceof String))
        {
            throw new IOException("a share link without its '" + key + "'");
        }
        return (String)entry.get(key);
    }
}
