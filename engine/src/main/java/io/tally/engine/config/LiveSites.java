package io.tally.engine.config;

import io.tally.codec.json.Json;
import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.Quotas;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.InvalidSiteException;
import io.tally.engine.site.RefusedChange;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;
import io.tally.engine.site.SiteSpec;
import io.tally.matcher.Goal;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sites of a running engine, changed live: by the configuration (read again on SIGHUP) and by the admin API,
 * whose changes are kept in {@code DATA_DIR/sites.json} and laid over the configuration's sites at every start and
 * reload: a site added or changed through the API is the API's until it removes it, and a configured site removed
 * through the API stays removed whatever the file says. A change is checked whole (at most {@link #MAX_SITES}
 * sites, no name claimed twice), saved, then applied to the quotas, goals and rate limiter, and only then
 * published to the site directory the request path reads; a removed site's beacons are then answered as an unknown
 * site's, and its journal, rollups and goals stay on disk for the day it is added again.
 */
public final class LiveSites
{
    public static final String FILE = "sites.json";
    /** Sites at most, configured and added together: each costs a quota counter, a goal book entry and table slots. */
    public static final int MAX_SITES = 10_000;

    private final StateFiles files;
    private final SiteDirectory directory;
    private final Quotas quotas;
    private final Limiters limiters;
    private final GoalBook goals;
    private final int maxSites;
    private Configured configured;
    private Map<String, SiteSpec> added;
    private Set<String> removed;
    private Map<String, Entry> effective = Map.of();

    /** What the configuration (flags, environment, config file) gives: sites, limiter settings, quotas and goals. */
    public record Configured(List<Site> sites, Limiters.Setting defaults, Map<String, Limiters.Setting> limits,
        Map<String, Long> quotas, Map<String, List<Goal>> goals)
    {
    }

    /** The sites a change added, changed and removed, by domain. */
    public record Changes(List<String> added, List<String> changed, List<String> removed)
    {
        public boolean isEmpty()
        {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }

        @Override
        public String toString()
        {
            if (isEmpty())
            {
                return "no site added, changed or removed";
            }
            final List<String> parts = new ArrayList<>();
            if (!added.isEmpty())
            {
                parts.add("added " + String.join(", ", added));
            }
            if (!changed.isEmpty())
            {
                parts.add("changed " + String.join(", ", changed));
            }
            if (!removed.isEmpty())
            {
                parts.add("removed " + String.join(", ", removed) + " (their data stays on disk)");
            }
            return String.join("; ", parts);
        }
    }

    /** One site in force: where it came from, its settings resolved, and its object as listed. */
    private record Entry(Site site, Limiters.Setting limit, long quota, List<Goal> seeds, Map<String, Object> json,
        boolean fromApi)
    {
        boolean sameAs(final Entry other)
        {
            return site.sameAs(other.site) && java.util.Objects.equals(limit, other.limit) && quota == other.quota;
        }
    }

    /** Loads the API's saved changes and applies them over {@code configured} to parts made from the configuration. */
    public LiveSites(final StateFiles files, final Configured configured, final SiteDirectory directory, final Quotas quotas,
        final Limiters limiters, final GoalBook goals)
    {
        this(files, configured, directory, quotas, limiters, goals, MAX_SITES);
    }

    LiveSites(final StateFiles files, final Configured configured, final SiteDirectory directory, final Quotas quotas,
        final Limiters limiters, final GoalBook goals, final int maxSites)
    {
        this.files = files;
        this.directory = directory;
        this.quotas = quotas;
        this.limiters = limiters;
        this.goals = goals;
        this.maxSites = maxSites;
        final Saved saved = files.load(FILE, false, LiveSites::decode);
        this.added = saved == null ? new LinkedHashMap<>() : saved.added();
        this.removed = saved == null ? new LinkedHashSet<>() : saved.removed();
        reconfigure(configured);
    }

    /** The API's changes as saved. */
    private record Saved(LinkedHashMap<String, SiteSpec> added, LinkedHashSet<String> removed)
    {
    }

    /**
     * Applies a new configuration (start, SIGHUP) under the API's changes: the limiter's default and every override
     * are the configuration's again, as for the rest of a reload.
     */
    public synchronized Changes reconfigure(final Configured next)
    {
        final Map<String, Entry> sites = merge(next, added, removed, next.defaults());
        final Changes changes = publish(sites, () -> limiters.apply(next.defaults(), limits(sites)));
        configured = next;
        return changes;
    }

    /** Adds a site, or replaces the one of the same domain (its object as the config file has it); saved first. */
    public synchronized Changes put(final SiteSpec site)
    {
        final Map<String, SiteSpec> nextAdded = new LinkedHashMap<>(added);
        nextAdded.put(site.domain(), site);
        final Set<String> nextRemoved = new LinkedHashSet<>(removed);
        nextRemoved.remove(site.domain());
        return change(site.domain(), nextAdded, nextRemoved);
    }

    /** Removes a site (null when there is no such site); saved first. */
    public synchronized Changes remove(final String domain)
    {
        if (!effective.containsKey(domain))
        {
            return null;
        }
        final Map<String, SiteSpec> nextAdded = new LinkedHashMap<>(added);
        nextAdded.remove(domain);
        final Set<String> nextRemoved = new LinkedHashSet<>(removed);
        if (configured.sites().stream().anyMatch(site -> site.domain().equals(domain)))
        {
            nextRemoved.add(domain);
        }
        return change(domain, nextAdded, nextRemoved);
    }

    /**
     * An API change of one site: the limiter keeps its default and the other sites' overrides as they are now (a
     * {@code ./tally limits set} made since the last reload stays), and the site's own override follows its object.
     */
    private Changes change(final String domain, final Map<String, SiteSpec> nextAdded, final Set<String> nextRemoved)
    {
        final Limiters.Setting defaults = limiters.defaults();
        final Map<String, Entry> sites = merge(configured, nextAdded, nextRemoved, defaults);
        final Changes changes = publish(sites, () ->
        {
            synchronized (limiters)
            {
                final Map<String, Limiters.Setting> overrides = new HashMap<>(limiters.overrideSettings());
                final Entry entry = sites.get(domain);
                if (entry == null || entry.limit() == null)
                {
                    overrides.remove(domain);
                }
                else
                {
                    overrides.put(domain, entry.limit());
                }
                limiters.apply(limiters.defaults(), overrides);
            }
        }, () -> save(nextAdded, nextRemoved));
        added = nextAdded;
        removed = nextRemoved;
        return changes;
    }

    /** Every site in force, as the config file writes them, each with {@code "source": "config"} or {@code "api"}. */
    public synchronized List<Map<String, Object>> list()
    {
        final List<Map<String, Object>> list = new ArrayList<>();
        effective.values().forEach(entry ->
        {
            final Map<String, Object> json = new LinkedHashMap<>(entry.json());
            json.put("source", entry.fromApi() ? "api" : "config");
            list.add(json);
        });
        return list;
    }

    /** The domains of the sites in force, in order. */
    public synchronized List<String> domains()
    {
        return List.copyOf(effective.keySet());
    }

    /** What the configuration says but the API's changes override, for the reload's log line. */
    public synchronized String apiOverrides()
    {
        final List<String> parts = new ArrayList<>();
        if (!added.isEmpty())
        {
            parts.add("added or changed through the API: " + String.join(", ", added.keySet()));
        }
        if (!removed.isEmpty())
        {
            parts.add("removed through the API: " + String.join(", ", removed));
        }
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private Changes publish(final Map<String, Entry> sites, final Runnable applyLimits)
    {
        return publish(sites, applyLimits, () -> { });
    }

    /** Checks, saves, applies, publishes; the order makes a new site whole before a beacon can find it. */
    private Changes publish(final Map<String, Entry> sites, final Runnable applyLimits, final Runnable save)
    {
        if (sites.size() > maxSites)
        {
            throw new RefusedChange(409, "too_many_sites", "an engine has at most " + maxSites + " sites");
        }
        final SiteDirectory.Table table;
        try
        {
            table = SiteDirectory.prepare(sites.values().stream().map(Entry::site).toList());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new RefusedChange(409, "name_taken", ex.getMessage());
        }
        save.run();
        quotas.retainSites(sites.keySet());
        final Map<String, Long> monthly = new HashMap<>();
        final Map<String, List<Goal>> seeds = new HashMap<>();
        sites.forEach((domain, entry) ->
        {
            monthly.put(domain, entry.quota());
            seeds.put(domain, entry.seeds());
        });
        quotas.apply(monthly);
        goals.retainSites(sites.keySet(), seeds);
        applyLimits.run();
        directory.publish(table);
        final Changes changes = diff(effective, sites);
        effective = sites;
        return changes;
    }

    private static Map<String, Limiters.Setting> limits(final Map<String, Entry> sites)
    {
        final Map<String, Limiters.Setting> limits = new HashMap<>();
        sites.forEach((domain, entry) ->
        {
            if (entry.limit() != null)
            {
                limits.put(domain, entry.limit());
            }
        });
        return limits;
    }

    /** The configured sites in their order, with the API's versions and removals, then the API's own, in theirs. */
    private static Map<String, Entry> merge(final Configured configured, final Map<String, SiteSpec> added,
        final Set<String> removed, final Limiters.Setting defaults)
    {
        final Map<String, Entry> sites = new LinkedHashMap<>();
        for (final Site site : configured.sites())
        {
            if (removed.contains(site.domain()))
            {
                continue;
            }
            final SiteSpec override = added.get(site.domain());
            sites.put(site.domain(), override != null ? fromApi(override, defaults) : fromConfig(site, configured));
        }
        added.forEach((domain, spec) -> sites.putIfAbsent(domain, fromApi(spec, defaults)));
        return sites;
    }

    private static Entry fromApi(final SiteSpec spec, final Limiters.Setting defaults)
    {
        final Limiters.Setting limit = spec.hasLimit() ? new Limiters.Setting(
            spec.rate() == null ? defaults.ratePerSecond() : spec.rate(),
            spec.burst() == null ? defaults.burst() : spec.burst()) : null;
        return new Entry(spec.site(), limit, spec.quota(), spec.goals(), spec.json(), true);
    }

    private static Entry fromConfig(final Site site, final Configured configured)
    {
        final Limiters.Setting limit = configured.limits().get(site.domain());
        final long quota = configured.quotas().getOrDefault(site.domain(), 0L);
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("domain", site.domain());
        if (!site.aliases().isEmpty())
        {
            json.put("aliases", site.aliases());
        }
        json.put("time_zone", site.timeZone());
        if (limit != null)
        {
            json.put("ingest_rate_limit", limit.ratePerSecond());
            json.put("ingest_burst", limit.burst());
        }
        if (quota > 0)
        {
            json.put("monthly_quota", quota);
        }
        return new Entry(site, limit, quota, configured.goals().getOrDefault(site.domain(), List.of()), json, false);
    }

    private static Changes diff(final Map<String, Entry> before, final Map<String, Entry> after)
    {
        final List<String> added = new ArrayList<>();
        final List<String> changed = new ArrayList<>();
        final List<String> gone = new ArrayList<>();
        after.forEach((domain, entry) ->
        {
            final Entry old = before.get(domain);
            if (old == null)
            {
                added.add(domain);
            }
            else if (!old.sameAs(entry))
            {
                changed.add(domain);
            }
        });
        before.keySet().stream().filter(domain -> !after.containsKey(domain)).forEach(gone::add);
        return new Changes(added, changed, gone);
    }

    private void save(final Map<String, SiteSpec> nextAdded, final Set<String> nextRemoved)
    {
        final List<Object> sites = new ArrayList<>();
        nextAdded.values().forEach(spec -> sites.add(spec.json()));
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("sites", sites);
        json.put("removed", new ArrayList<>(nextRemoved));
        files.write(FILE, Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    /** The saved changes; anything a site object may not hold is damage (the file is set aside). */
    private static Saved decode(final InputStream in) throws IOException
    {
        final Map<String, Object> json = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        final LinkedHashMap<String, SiteSpec> added = new LinkedHashMap<>();
        final List<?> sites = (List<?>)json.get("sites");
        for (int i = 0; i < sites.size(); i++)
        {
            try
            {
                final SiteSpec spec = SiteSpec.read(sites.get(i), "sites[" + i + "]");
                added.put(spec.domain(), spec);
            }
            catch (final InvalidSiteException ex)
            {
                throw new IOException(FILE + ": " + ex.getMessage(), ex);
            }
        }
        final LinkedHashSet<String> removed = new LinkedHashSet<>();
        ((List<?>)json.get("removed")).forEach(domain -> removed.add((String)domain));
        return new Saved(added, removed);
    }
}
