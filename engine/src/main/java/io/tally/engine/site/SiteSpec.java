package io.tally.engine.site;

import io.tally.codec.Suggestions;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.matcher.InvalidGoalException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One site as the config file's {@code sites} list and the admin API give it: a domain alone
 * ({@code "blog.example"}) or an object with {@code domain} and any of {@code aliases}, {@code time_zone},
 * {@code read_token}, {@code ingest_rate_limit}, {@code ingest_burst} (a rate limiter override; the one left out
 * is the default's, whatever the default is when it applies), {@code monthly_quota} and {@code goals} (which only
 * seed a site that has none saved). Read strictly: an unknown key, a wrong type or a wrong shape is an
 * {@link InvalidSiteException} naming the key's path, with the closest known key when one is close.
 *
 * @param rate  the override's requests per second, or null
 * @param burst the override's burst, or null
 * @param quota events a month, 0 for none
 * @param json  the object as read (a domain alone becomes {@code {"domain": ...}}): what is saved and listed
 */
public record SiteSpec(Site site, Double rate, Integer burst, long quota, List<Goal> goals, Map<String, Object> json)
{
    public static final List<String> KEYS = List.of("domain", "aliases", "time_zone", "read_token", "ingest_rate_limit",
        "ingest_burst", "monthly_quota", "goals");

    public String domain()
    {
        return site.domain();
    }

    /** Whether the site has a rate limiter override. */
    public boolean hasLimit()
    {
        return rate != null || burst != null;
    }

    /** A domain alone, as {@code --site} gives it. */
    public static SiteSpec of(final String domain)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("domain", domain);
        return read(json, "site");
    }

    /** Reads one entry; {@code path} names it in errors ({@code sites[2]}). */
    public static SiteSpec read(final Object entry, final String path)
    {
        if (entry instanceof String)
        {
            return of((String)entry);
        }
        if (!(entry instanceof Map))
        {
            throw new InvalidSiteException(path, "wrong shape: expected a domain (\"shop.example\") or an object with a " +
                "\"domain\", got " + describe(entry));
        }
        final Map<?, ?> object = (Map<?, ?>)entry;
        for (final Object key : object.keySet())
        {
            if (!KEYS.contains(key))
            {
                throw new InvalidSiteException(path + "." + key, "unknown key" + Suggestions.didYouMean((String)key, KEYS));
            }
        }
        final Object domain = object.get("domain");
        if (!(domain instanceof String) || ((String)domain).isBlank())
        {
            throw new InvalidSiteException(path + ".domain", domain == null ? "missing: every site needs its domain" :
                "expected the site's domain as a string, got " + describe(domain));
        }
        final List<String> aliases = aliases(object, path);
        final String timeZone = string(object, "time_zone", path);
        final String readToken = string(object, "read_token", path);
        final Site site;
        try
        {
            site = new Site((String)domain, aliases, timeZone, readToken);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidSiteException(path + ".time_zone", ex.getMessage());
        }
        final BigDecimal rate = number(object, "ingest_rate_limit", path);
        final BigDecimal burst = number(object, "ingest_burst", path);
        final BigDecimal quota = number(object, "monthly_quota", path);
        return new SiteSpec(site, rate == null ? null : rate.doubleValue(),
            burst == null ? null : (int)wholeNumber(burst, Integer.MAX_VALUE, path + ".ingest_burst"),
            quota == null ? 0 : wholeNumber(quota, Long.MAX_VALUE, path + ".monthly_quota"), goals(object, path),
            copy(object, site.domain()));
    }

    private static List<String> aliases(final Map<?, ?> object, final String path)
    {
        final Object aliases = object.get("aliases");
        if (aliases == null)
        {
            return List.of();
        }
        if (!(aliases instanceof List))
        {
            throw new InvalidSiteException(path + ".aliases", "wrong shape: expected a list of domains, got " +
                describe(aliases));
        }
        final List<String> list = new ArrayList<>();
        final List<?> entries = (List<?>)aliases;
        for (int i = 0; i < entries.size(); i++)
        {
            if (!(entries.get(i) instanceof String))
            {
                throw new InvalidSiteException(path + ".aliases[" + i + "]", "expected a domain as a string, got " +
                    describe(entries.get(i)));
            }
            list.add((String)entries.get(i));
        }
        return list;
    }

    private static String string(final Map<?, ?> object, final String key, final String path)
    {
        final Object value = object.get(key);
        if (value != null && !(value instanceof String))
        {
            throw new InvalidSiteException(path + "." + key, "expected a string, got " + describe(value));
        }
        return (String)value;
    }

    private static BigDecimal number(final Map<?, ?> object, final String key, final String path)
    {
        final Object value = object.get(key);
        if (value == null)
        {
            return null;
        }
        if (!(value instanceof BigDecimal) || ((BigDecimal)value).signum() < 0)
        {
            throw new InvalidSiteException(path + "." + key, "expected a number >= 0, got " + describe(value));
        }
        return (BigDecimal)value;
    }

    private static long wholeNumber(final BigDecimal value, final long max, final String path)
    {
        try
        {
            final long whole = value.longValueExact();
            if (whole <= max)
            {
                return whole;
            }
        }
        catch (final ArithmeticException ex)
        {
            // said below
        }
        throw new InvalidSiteException(path, "expected a whole number from 0 to " + max + ", got " + value.toPlainString());
    }

    private static List<Goal> goals(final Map<?, ?> object, final String path)
    {
        final Object goals = object.get("goals");
        if (goals == null)
        {
            return List.of();
        }
        if (!(goals instanceof List))
        {
            throw new InvalidSiteException(path + ".goals", "wrong shape: expected a list of goals, got " + describe(goals));
        }
        final List<Goal> list = new ArrayList<>();
        final List<?> entries = (List<?>)goals;
        if (entries.size() > GoalBook.MAX_GOALS_PER_SITE)
        {
            throw new InvalidSiteException(path + ".goals", "a site has at most " + GoalBook.MAX_GOALS_PER_SITE +
                " goals, not " + entries.size());
        }
        for (int i = 0; i < entries.size(); i++)
        {
            try
            {
                list.add(GoalJson.read(entries.get(i)));
            }
            catch (final InvalidGoalException ex)
            {
                throw new InvalidSiteException(path + ".goals[" + i + "]." + ex.field(),
                    ex.getMessage().substring(ex.field().length() + 2));
            }
        }
        return List.copyOf(list);
    }

    /** The object as given, but for its domain, written as the site's key is (lower case, no trailing dot). */
    private static Map<String, Object> copy(final Map<?, ?> object, final String domain)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        object.forEach((key, value) -> json.put((String)key, value));
        json.put("domain", domain);
        return json;
    }

    /** What a JSON value is, for an error: its type, and the value itself when short. */
    public static String describe(final Object value)
    {
        if (value == null)
        {
            return "null";
        }
        if (value instanceof String)
        {
            final String text = (String)value;
            return "a string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value instanceof BigDecimal)
        {
            return "the number " + ((BigDecimal)value).toPlainString();
        }
        if (value instanceof Boolean)
        {
            return "the boolean " + value;
        }
        if (value instanceof List)
        {
            return "a list";
        }
        return "an object";
    }
}
