package io.tally.bench.compare;

import io.tally.bench.load.BeaconMix;

/**
 * The Tally targets' config file: one site with 100 goals of every type, some of which the generator's mix
 * meets (its custom event names, blog and thank-you pages, Amazon links, form ids) and most of which it
 * does not, as on a real site.
 */
public final class CompareGoals
{
    static final int GOALS = 100;

    private CompareGoals()
    {
    }

    public static String config(final String site)
    {
        final StringBuilder goals = new StringBuilder(16 * 1024);
        for (int i = 0; i < GOALS; i++)
        {
            goals.append(i == 0 ? "" : ",\n    ").append(goal(i));
        }
        return "{\"sites\": [{\"domain\": \"" + site + "\", \"goals\": [\n    " + goals + "]}]}\n";
    }

    private static String goal(final int i)
    {
        if (i < BeaconMix.EVENT_NAMES.length)
        {
            return goal("Event " + i, "custom", "event", "equals", BeaconMix.EVENT_NAMES[i]);
        }
        if (i < 40)
        {
            return goal("Blog topic " + i, "pageview", "path", "starts_with", "/blog/topic-" + (i - 10) + "/");
        }
        if (i < 70)
        {
            return goal("Thank you " + i, "pageview", "path", "equals", "/thank-you-" + (i - 40));
        }
        if (i < 85)
        {
            return goal("Partner " + i, "click", "domain", "equals", i == 70 ? "www.amazon.de" : "partner-" + i + ".example");
        }
        return goal("Contact form " + i, "form", "form_id", "equals", "wpcf7-f" + (i - 85));
    }

    private static String goal(final String name, final String type, final String field, final String op, final String value)
    {
        return "{\"name\": \"" + name + "\", \"type\": \"" + type + "\", \"conditions\": [{\"field\": \"" + field +
            "\", \"op\": \"" + op + "\", \"value\": \"" + value + "\"}]}";
    }
}
