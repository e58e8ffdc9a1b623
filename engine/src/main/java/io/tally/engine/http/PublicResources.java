package io.tally.engine.http;

import io.tally.codec.json.Json;
import io.tally.engine.api.request.PercentDecoder;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;
import io.tally.matcher.Goal;
import io.tally.matcher.TriggerJson;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a browser reads without a token, cacheable: the dashboard ({@link DashboardAssets}), the tracker script at
 * {@code /js/tally.js} (a classpath resource of the tracker module, read and gzipped once at start) and a site's
 * client-side triggers at {@code /api/v1/sites/{site}/triggers} (built again only when the site's goals change;
 * {@code site} may be any name events resolve to it by: its domain, an alias, with or without {@code www.}).
 */
final class PublicResources
{
    static final String SCRIPT_PATH = "/js/tally.js";
    static final String SCRIPT_RESOURCE = "io/tally/tracker/tally.js";
    private static final String SITES = "/api/v1/sites/";
    private static final String TRIGGERS = "/triggers";
    private static final String SCRIPT_CACHE = "public, max-age=86400";
    private static final String TRIGGERS_CACHE = "public, max-age=60";

    private final GoalBook goals;
    private final SiteDirectory sites;
    private final CachedBody script;
    private final DashboardAssets dashboard;
    private final Map<String, Published> triggers = new ConcurrentHashMap<>();

    /** A site's triggers as built from one snapshot of its goals. */
    private record Published(List<Goal> goals, CachedBody body)
    {
    }

    PublicResources(final GoalBook goals, final SiteDirectory sites)
    {
        this.goals = goals;
        this.sites = sites;
        this.script = loadScript();
        this.dashboard = DashboardAssets.load();
    }

    static boolean isPublic(final String path)
    {
        return SCRIPT_PATH.equals(path) || isTriggers(path) || DashboardAssets.isDashboard(path);
    }

    private static boolean isTriggers(final String path)
    {
        return path.startsWith(SITES) && path.endsWith(TRIGGERS) &&
            path.indexOf('/', SITES.length()) == path.length() - TRIGGERS.length();
    }

    /** The body for {@code path} (one {@link #isPublic}), or null when there is none. */
    CachedBody find(final String path)
    {
        if (SCRIPT_PATH.equals(path))
        {
            return script;
        }
        if (!isTriggers(path))
        {
            return dashboard.find(path, name -> sites.byDomain(name) != null);
        }
        final String name;
        try
        {
            name = PercentDecoder.segment(path.substring(SITES.length(), path.length() - TRIGGERS.length()));
        }
        catch (final IllegalArgumentException ex)
        {
            return null; // a malformed %-escape names no site
        }
        final Site site = sites.findByName(name);
        return site == null ? null : triggers(site.domain());
    }

    /** Why {@link #find} gave nothing for {@code path}. */
    static String missing(final String path)
    {
        if (SCRIPT_PATH.equals(path))
        {
            return "the tracker script is not on the classpath (build the tracker module)";
        }
        return isTriggers(path) ? "no such site is configured" :
            "no such page: the dashboard is at / and /{site} (a configured domain), with the dashboard module on the classpath";
    }

    private CachedBody triggers(final String site)
    {
        final List<Goal> current = goals.goals(site);
        final Published published = triggers.get(site);
        if (published != null && published.goals() == current)
        {
            return published.body();
        }
        final List<Object> list = new ArrayList<>();
        for (final Goal goal : current)
        {
            if (goal.trigger() != null)
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("goal", goal.name());
                entry.putAll(TriggerJson.write(goal.trigger()));
                list.add(entry);
            }
        }
        final CachedBody body = new CachedBody(Json.write(Map.of("triggers", list)).getBytes(StandardCharsets.UTF_8),
            "application/json", TRIGGERS_CACHE);
        triggers.put(site, new Published(current, body));
        return body;
    }

    private static CachedBody loadScript()
    {
        try (InputStream in = PublicResources.class.getClassLoader().getResourceAsStream(SCRIPT_RESOURCE))
        {
            return in == null ? null : new CachedBody(in.readAllBytes(), "text/javascript; charset=utf-8", SCRIPT_CACHE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + SCRIPT_RESOURCE, ex);
        }
    }
}
