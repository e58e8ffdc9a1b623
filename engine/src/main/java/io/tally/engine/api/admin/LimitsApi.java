package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.RateLimiter;
import io.tally.engine.limit.TopLimited;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /api/v1/limits}: the rate limiter's settings, per-site overrides, counts and most refused addresses;
 * {@code PUT /api/v1/limits} changes them live: {@code {"rate_per_second": 50, "burst": 100, "sites":
 * {"shop.example": {"rate_per_second": 500, "burst": 1000}, "blog.example": null}}}, every key optional (a site
 * set to null loses its override). Buckets are kept. A change through the API lasts until the next restart or
 * SIGHUP, which apply the configuration again.
 */
public final class LimitsApi
{
    static final int TOP = 20;
    private static final List<String> SETTING_KEYS = List.of("rate_per_second", "burst");
    private static final List<String> KEYS = List.of("rate_per_second", "burst", "sites");
    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private final Limiters limiters;
    private final SiteDirectory sites;

    LimitsApi(final Limiters limiters, final SiteDirectory sites)
    {
        this.limiters = limiters;
        this.sites = sites;
    }

    Answer handle(final HttpMethod method, final String body)
    {
        if (method == HttpMethod.GET)
        {
            return new Answer(200, Json.write(describe(limiters)));
        }
        if (method != HttpMethod.PUT)
        {
            return Answer.error(405, "method_not_allowed", "use GET or PUT");
        }
        final Object json;
        try
        {
            json = Json.parse(body);
        }
        catch (final IllegalArgumentException ex)
        {
            return Answer.error(400, "invalid_json", ex.getMessage());
        }
        if (!(json instanceof Map))
        {
            return Answer.error(400, "invalid_limits", "send a JSON object");
        }
        try
        {
            apply((Map<?, ?>)json);
        }
        catch (final IllegalArgumentException ex)
        {
            return Answer.error(400, "invalid_limits", ex.getMessage());
        }
        return new Answer(200, Json.write(describe(limiters)));
    }

    /** Read, merge and apply under the limiters' monitor, so two changes at once (or one and SIGHUP) lose neither. */
    private void apply(final Map<?, ?> json)
    {
        synchronized (limiters)
        {
            merge(json);
        }
        LOG.info("rate limiter changed through the admin API: {}", limiters.summary());
    }

    private void merge(final Map<?, ?> json)
    {
        onlyKeys(json, KEYS, "");
        final Limiters.Setting defaults = setting(json, "", limiters.defaults());
        final Map<String, Limiters.Setting> overrides = new HashMap<>(limiters.overrideSettings());
        final Object bySite = json.get("sites");
        if (bySite instanceof Map)
        {
            for (final Map.Entry<?, ?> entry : ((Map<?, ?>)bySite).entrySet())
            {
                final Site site = sites.byDomain(String.valueOf(entry.getKey()));
                if (site == null)
                {
                    throw new IllegalArgumentException("sites: no site '" + entry.getKey() + "' is configured");
                }
                if (entry.getValue() == null)
                {
                    overrides.remove(site.domain());
                }
                else if (entry.getValue() instanceof Map)
                {
                    final String path = "sites." + site.domain() + ".";
                    onlyKeys((Map<?, ?>)entry.getValue(), SETTING_KEYS, path);
                    overrides.put(site.domain(), setting((Map<?, ?>)entry.getValue(), path,
                        overrides.getOrDefault(site.domain(), defaults)));
                }
                else
                {
                    throw new IllegalArgumentException("sites." + entry.getKey() + ": an object or null");
                }
            }
        }
        else if (bySite != null)
        {
            throw new IllegalArgumentException("sites: an object of site domains");
        }
        limiters.apply(defaults, overrides);
    }

    /** Refuses a key not in {@code keys}: a misspelt setting must not look as if it had been applied. */
    private static void onlyKeys(final Map<?, ?> json, final List<String> keys, final String path)
    {
        for (final Object key : json.keySet())
        {
            if (!keys.contains(key))
            {
                throw new IllegalArgumentException(path + key + ": unknown key (" + String.join(", ", keys) + ")");
            }
        }
    }

    private static Limiters.Setting setting(final Map<?, ?> json, final String path, final Limiters.Setting current)
    {
        final double rate = json.containsKey("rate_per_second") ? number(json.get("rate_per_second"), path + "rate_per_second") :
            current.ratePerSecond();
        final double burst = json.containsKey("burst") ? number(json.get("burst"), path + "burst") : current.burst();
        if (burst != Math.floor(burst) || burst > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(path + "burst: a whole number");
        }
        return new Limiters.Setting(rate, (int)burst);
    }

    private static double number(final Object value, final String path)
    {
        if (!(value instanceof BigDecimal) || ((BigDecimal)value).signum() < 0)
        {
            throw new IllegalArgumentException(path + ": a number >= 0");
        }
        final double number = ((BigDecimal)value).doubleValue();
        if (Double.isInfinite(number))
        {
            throw new IllegalArgumentException(path + ": too large");
        }
        return number;
    }

    /** Settings, overrides, counts and the most refused addresses, as GET answers them. */
    static Map<String, Object> describe(final Limiters limiters)
    {
        final Map<String, Object> body = new LinkedHashMap<>(describe(limiters.defaultLimiter()));
        final Map<String, Object> overrides = new TreeMap<>();
        limiters.overrides().forEach((site, limiter) -> overrides.put(site, describe(limiter)));
        body.put("sites", overrides);
        return body;
    }

    /** A limiter's settings and counts, as {@code /healthz} shows them. */
    public static Map<String, Object> counts(final RateLimiter limiter)
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("rate_per_second", limiter.ratePerSecond());
        body.put("burst", limiter.burst());
        body.put("enabled", limiter.isEnabled());
        body.put("tracked_addresses", limiter.trackedAddresses());
        body.put("limited", limiter.limitedCount());
        body.put("limited_addresses", limiter.limitedAddressCount());
        body.put("untracked", limiter.untrackedCount());
        return body;
    }

    private static Map<String, Object> describe(final RateLimiter limiter)
    {
        final Map<String, Object> body = counts(limiter);
        final List<Object> top = new ArrayList<>();
        for (final TopLimited.Entry entry : limiter.topLimited(TOP))
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("address", entry.address().toString());
            row.put("limited", entry.count());
            row.put("error", entry.error());
            top.add(row);
        }
        body.put("top_limited", top);
        return body;
    }
}
