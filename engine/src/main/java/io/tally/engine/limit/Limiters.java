package io.tally.engine.limit;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rate limiters: the default one, and one per site with an override (a site with a known batch importer
 * can be given more). A request whose site is known at its head (a trusted batch: its token names the site)
 * takes a token from its site's limiter, else from the default; a beacon's site is only known once its body
 * is decoded, after the limiter, so beacons always use the default. Separate limiters rather than the site in
 * the key keep the default table free of the importer's addresses and make an override's memory its own.
 * <p>
 * Settings change live ({@link #apply}): limiters that stay keep their buckets (GCRA keeps a theoretical
 * arrival time, so a new interval applies to it at once); a removed override's buckets go with it.
 */
public final class Limiters
{
    /** Addresses an override's limiter tracks at most: importers are few. */
    static final int MAX_OVERRIDE_ADDRESSES = 1 << 16;

    private final RateLimiter defaultLimiter;
    private volatile Map<String, RateLimiter> bySite = Map.of();

    /** Rate and burst of one limiter. */
    public record Setting(double ratePerSecond, int burst)
    {
        public Setting
        {
            if (!(ratePerSecond >= 0) || Double.isInfinite(ratePerSecond) || burst < 0)
            {
                throw new IllegalArgumentException("rate and burst must be finite and >= 0: " + ratePerSecond + ", " + burst);
            }
        }
    }

    public Limiters(final Setting defaults, final Map<String, Setting> overrides, final int maxAddresses)
    {
        this.defaultLimiter = new RateLimiter(defaults.ratePerSecond(), defaults.burst(), maxAddresses);
        apply(defaults, overrides);
    }

    /** The limiter of {@code site} (a configured domain), the default one for null or a site without override. */
    public RateLimiter forSite(final String site)
    {
        if (site == null)
        {
            return defaultLimiter;
        }
        final RateLimiter limiter = bySite.get(site);
        return limiter == null ? defaultLimiter : limiter;
    }

    public RateLimiter defaultLimiter()
    {
        return defaultLimiter;
    }

    /** The limiters of the sites with an override. */
    public Map<String, RateLimiter> overrides()
    {
        return bySite;
    }

    /** Replaces every setting at once: the default's, and the overrides (sites not listed lose theirs). */
    public synchronized void apply(final Setting defaults, final Map<String, Setting> overrides)
    {
        defaultLimiter.reconfigure(defaults.ratePerSecond(), defaults.burst());
        final Map<String, RateLimiter> next = new HashMap<>();
        overrides.forEach((site, setting) ->
        {
            final RateLimiter existing = bySite.get(site);
            if (existing != null)
            {
                existing.reconfigure(setting.ratePerSecond(), setting.burst());
                next.put(site, existing);
            }
            else
            {
                next.put(site, new RateLimiter(setting.ratePerSecond(), setting.burst(), MAX_OVERRIDE_ADDRESSES));
            }
        });
        bySite = Map.copyOf(next);
    }

    /** The settings now in force. */
    public synchronized Setting defaults()
    {
        return new Setting(defaultLimiter.ratePerSecond(), defaultLimiter.burst());
    }

    public synchronized Map<String, Setting> overrideSettings()
    {
        final Map<String, Setting> settings = new HashMap<>();
        bySite.forEach((site, limiter) -> settings.put(site, new Setting(limiter.ratePerSecond(), limiter.burst())));
        return settings;
    }

    /** One line for logs: the default setting and every override. */
    public synchronized String summary()
    {
        final StringBuilder line = new StringBuilder();
        line.append(defaultLimiter.ratePerSecond()).append("/s burst ").append(defaultLimiter.burst());
        new TreeMap<>(bySite).forEach((site, limiter) -> line.append(", ").append(site).append(' ')
            .append(limiter.ratePerSecond()).append("/s burst ").append(limiter.burst()));
        return line.toString();
    }
}
