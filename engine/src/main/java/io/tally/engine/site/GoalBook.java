package io.tally.engine.site;

import io.tally.codec.json.Json;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.matcher.GoalMatcher;
import io.tally.store.state.StateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every site's goals, in priority order, with their compiled {@link GoalMatcher}s. Reads are lock-free: the
 * request path reads one immutable snapshot. Changes (admin API) are serialised, written to
 * {@code DATA_DIR/goals.json} atomically (a sealed state file: temporary file, fsync, rename), and only then
 * swapped in whole, so an event is matched by the old goals or the new, never a mix, and an acknowledged change
 * survives a crash.
 * <p>
 * At start the saved goals win; a site without saved goals takes those of the config file (which only seeds:
 * after that the admin API owns them). A damaged file is set aside, and every site starts from its configured
 * goals.
 */
public final class GoalBook
{
    public static final String FILE = "goals.json";
    /** Most goals one site may have. */
    public static final int MAX_GOALS_PER_SITE = 5_000;

    private final StateFiles files;
    private final int maxGoalsPerSite;
    private volatile Map<String, GoalMatcher> matchers;
    private volatile boolean anyRecipients;

    public GoalBook(final StateFiles files, final List<Site> sites, final Map<String, List<Goal>> configured)
    {
        this(files, sites, configured, MAX_GOALS_PER_SITE);
    }

    GoalBook(final StateFiles files, final List<Site> sites, final Map<String, List<Goal>> configured, final int maxGoalsPerSite)
    {
        this.maxGoalsPerSite = maxGoalsPerSite;
        this.files = files;
        final Map<String, List<Goal>> loaded = files.load(FILE, true, GoalBook::decode);
        final Map<String, List<Goal>> saved = loaded == null ? Map.of() : loaded;
        final Map<String, GoalMatcher> initial = new HashMap<>();
        for (final Site site : sites)
        {
            final List<Goal> goals = saved.getOrDefault(site.domain(), configured.getOrDefault(site.domain(), List.of()));
            initial.put(site.domain(), new GoalMatcher(goals));
        }
        // a removed site's saved goals stay, for the day it is added again
        saved.forEach((site, goals) -> initial.putIfAbsent(site, new GoalMatcher(goals)));
        matchers = Map.copyOf(initial);
        anyRecipients = anyRecipients(matchers);
    }

    /**
     * Follows the sites as they change live: a new site takes its {@code seeds} (its config file's goals) unless it
     * has goals already (saved before it was removed); a removed site keeps its goals, saved, and is only forgotten
     * when it has none.
     */
    public synchronized void retainSites(final Collection<String> sites, final Map<String, List<Goal>> seeds)
    {
        final Map<String, GoalMatcher> next = new HashMap<>(matchers);
        for (final String site : sites)
        {
            next.computeIfAbsent(site, s -> new GoalMatcher(seeds.getOrDefault(s, List.of())));
        }
        next.entrySet().removeIf(entry -> !sites.contains(entry.getKey()) && entry.getValue().goals().isEmpty());
        matchers = Map.copyOf(next);
        anyRecipients = anyRecipients(matchers);
    }

    /** Whether any goal of any site notifies anyone: a notifier with nobody to tell need not read the journal. */
    public boolean anyRecipients()
    {
        return anyRecipients;
    }

    private static boolean anyRecipients(final Map<String, GoalMatcher> matchers)
    {
        for (final GoalMatcher matcher : matchers.values())
        {
            for (final Goal goal : matcher.goals())
            {
                if (!goal.recipients().isEmpty())
                {
                    return true;
                }
            }
        }
        return false;
    }

    /** The compiled goals of {@code site} (configured domain); an empty matcher for a site without goals. */
    public GoalMatcher matcher(final String site)
    {
        final GoalMatcher matcher = matchers.get(site);
        return matcher == null ? GoalMatcher.EMPTY : matcher;
    }

    public boolean hasSite(final String site)
    {
        return matchers.containsKey(site);
    }

    public List<Goal> goals(final String site)
    {
        return matcher(site).goals();
    }

    public synchronized void add(final String site, final Goal goal)
    {
        final List<Goal> goals = new ArrayList<>(goals(site));
        if (indexOf(goals, goal.name()) >= 0)
        {
            throw new RefusedChange(409, "goal_exists", "a goal named '" + goal.name() + "' exists; names never change");
        }
        if (goals.size() >= maxGoalsPerSite)
        {
            throw new RefusedChange(400, "too_many_goals", "a site has at most " + maxGoalsPerSite + " goals");
        }
        goals.add(goal);
        commit(site, goals);
    }

    public synchronized void replace(final String site, final String name, final Goal goal)
    {
        if (!goal.name().equals(name))
        {
            throw new RefusedChange(400, "invalid_goal", "name: a goal's name never changes; create a new goal instead");
        }
        final List<Goal> goals = new ArrayList<>(goals(site));
        goals.set(existing(goals, name), goal);
        commit(site, goals);
    }

    public synchronized void remove(final String site, final String name)
    {
        final List<Goal> goals = new ArrayList<>(goals(site));
        goals.remove(existing(goals, name));
        commit(site, goals);
    }

    /** Puts the goals in the order of {@code names}, which must name each goal exactly once. */
    public synchronized void reorder(final String site, final List<String> names)
    {
        final List<Goal> goals = goals(site);
        final List<Goal> ordered = new ArrayList<>();
        for (final String name : names)
        {
            final int index = indexOf(goals, name);
            if (index < 0 || ordered.contains(goals.get(index)))
            {
                throw new RefusedChange(400, "invalid_order", "names: '" + name + "' is not a goal or is given twice");
            }
            ordered.add(goals.get(index));
        }
        if (ordered.size() != goals.size())
        {
            throw new RefusedChange(400, "invalid_order", "names: every goal must be named once");
        }
        commit(site, ordered);
    }

    private int existing(final List<Goal> goals, final String name)
    {
        final int index = indexOf(goals, name);
        if (index < 0)
        {
            throw new RefusedChange(404, "no_such_goal", "no goal named '" + name + "'");
        }
        return index;
    }

    private static int indexOf(final List<Goal> goals, final String name)
    {
        for (int i = 0; i < goals.size(); i++)
        {
            if (goals.get(i).name().equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    private void commit(final String site, final List<Goal> goals)
    {
        final Map<String, GoalMatcher> next = new HashMap<>(matchers);
        next.put(site, new GoalMatcher(goals));
        save(next);
        matchers = Map.copyOf(next);
        anyRecipients = anyRecipients(matchers);
    }

    private void save(final Map<String, GoalMatcher> all)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        all.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
        {
            final List<Object> goals = new ArrayList<>();
            entry.getValue().goals().forEach(goal -> goals.add(GoalJson.write(goal)));
            json.put(entry.getKey(), goals);
        });
        files.write(FILE, Json.write(Map.of("sites", json)).getBytes(StandardCharsets.UTF_8));
    }

    /** The saved goals by site; anything the goal model refuses is damage. */
    private static Map<String, List<Goal>> decode(final InputStream in) throws IOException
    {
        final Object sites = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("sites");
        final Map<String, List<Goal>> goals = new HashMap<>();
        for (final Map.Entry<?, ?> entry : ((Map<?, ?>)sites).entrySet())
        {
            final List<Goal> list = new ArrayList<>();
            for (final Object goal : (List<?>)entry.getValue())
            {
                list.add(GoalJson.read(goal));
            }
            goals.put((String)entry.getKey(), list);
        }
        return goals;
    }
}
