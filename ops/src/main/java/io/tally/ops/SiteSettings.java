package io.tally.ops;

import io.tally.engine.limit.Limiters;
import io.tally.engine.site.Site;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The per-site keys of the config file's site objects beyond the site itself: {@code ingest_rate_limit} and
 * {@code ingest_burst} (a rate limiter override; the one not given is the default's) and {@code monthly_quota}
 * (events a month; absent or 0: none). Read at start and again on SIGHUP.
 */
final class SiteSettings
{
    private SiteSettings()
    {
    }

    static Map<String, Limiters.Setting> limits(final Map<String, Object> configFile, final Limiters.Setting defaults)
    {
        final Map<String, Limiters.Setting> limits = new HashMap<>();
        forEachSite(configFile, (domain, site) ->
        {
            if (site.containsKey("ingest_rate_limit") || site.containsKey("ingest_burst"))
            {
                final double rate = site.containsKey("ingest_rate_limit") ?
                    number(site, "ingest_rate_limit", domain).doubleValue() : defaults.ratePerSecond();
                final int burst = site.containsKey("ingest_burst") ?
                    (int)Math.min(Integer.MAX_VALUE, wholeNumber(site, "ingest_burst", domain)) : defaults.burst();
                limits.put(domain, new Limiters.Setting(rate, burst));
            }
        });
        return limits;
    }

    static Map<String, Long> quotas(final Map<String, Object> configFile)
    {
        final Map<String, Long> quotas = new HashMap<>();
        forEachSite(configFile, (domain, site) ->
        {
            if (site.containsKey("monthly_quota"))
            {
                quotas.put(domain, wholeNumber(site, "monthly_quota", domain));
            }
        });
        return quotas;
    }

    private static void forEachSite(final Map<String, Object> configFile, final BiConsumer<String, Map<?, ?>> action)
    {
        final Object sites = configFile.get("sites");
        if (!(sites instanceof List))
        {
            return;
        }
        for (final Object entry : (List<?>)sites)
        {
            if (entry instanceof Map && ((Map<?, ?>)entry).get("domain") instanceof String)
            {
                action.accept(new Site((String)((Map<?, ?>)entry).get("domain")).domain(), (Map<?, ?>)entry);
            }
        }
    }

    private static BigDecimal number(final Map<?, ?> site, final String key, final String domain)
    {
        final Object value = site.get(key);
        if (!(value instanceof BigDecimal) || ((BigDecimal)value).signum() < 0)
        {
            throw new UsageException("config file: site " + domain + ", " + key + " must be a number >= 0: " + value);
        }
        return (BigDecimal)value;
    }

    private static long wholeNumber(final Map<?, ?> site, final String key, final String domain)
    {
        final BigDecimal value = number(site, key, domain);
        try
        {
            return value.longValueExact();
        }
        catch (final ArithmeticException ex)
        {
            throw new UsageException("config file: site " + domain + ", " + key + " must be a whole number: " + value);
        }
    }
}
