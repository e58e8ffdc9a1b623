package io.tally.ops;

import io.tally.engine.limit.Limiters;
import io.tally.engine.site.SiteSpec;
import io.tally.matcher.Goal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The config file's {@code sites} ({@link SiteSpec}: a domain, or an object with {@code domain}, {@code aliases},
 * {@code time_zone}, {@code read_token}, {@code ingest_rate_limit} and {@code ingest_burst} (a rate limiter
 * override; the one not given is the default's), {@code monthly_quota} (events a month; absent or 0: none) and
 * {@code goals}), and what the engine is given of them. Read at start and again on SIGHUP, after
 * {@link ConfigSchema} checked the file.
 */
final class SiteSettings
{
    private SiteSettings()
    {
    }

    /** The file's sites, in order; none when it lists none. */
    static List<SiteSpec> fromFile(final Map<String, Object> configFile)
    {
        final List<SiteSpec> sites = new ArrayList<>();
        if (configFile.get("sites") instanceof List)
        {
            final List<?> entries = (List<?>)configFile.get("sites");
            for (int i = 0; i < entries.size(); i++)
            {
                sites.add(SiteSpec.read(entries.get(i), "sites[" + i + "]"));
            }
        }
        return sites;
    }

    static Map<String, Limiters.Setting> limits(final List<SiteSpec> sites, final Limiters.Setting defaults)
    {
        final Map<String, Limiters.Setting> limits = new HashMap<>();
        for (final SiteSpec site : sites)
        {
            if (site.hasLimit())
            {
                limits.put(site.domain(), new Limiters.Setting(site.rate() == null ? defaults.ratePerSecond() : site.rate(),
                    site.burst() == null ? defaults.burst() : site.burst()));
            }
        }
        return limits;
    }

    static Map<String, Long> quotas(final List<SiteSpec> sites)
    {
        final Map<String, Long> quotas = new HashMap<>();
        sites.stream().filter(site -> site.quota() > 0).forEach(site -> quotas.put(site.domain(), site.quota()));
        return quotas;
    }

    /** The {@code goals} lists by site domain (they seed sites without saved goals). */
    static Map<String, List<Goal>> goals(final List<SiteSpec> sites)
    {
        final Map<String, List<Goal>> goals = new HashMap<>();
        sites.stream().filter(site -> !site.goals().isEmpty()).forEach(site -> goals.put(site.domain(), site.goals()));
        return goals;
    }
}
