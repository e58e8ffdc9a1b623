package io.tally.ops;

import java.util.Collection;

/**
 * "Did you mean ...?" for a mistyped command, subcommand or flag: the closest of the known names by optimal
 * string alignment distance (Levenshtein plus the swap of two neighbours, so {@code --prot} is one edit from
 * {@code --port}), when it is close enough to be a typo; or the one name that starts with what was typed.
 */
final class Suggestions
{
    private Suggestions()
    {
    }

    /**
     * The known name {@code typed} most likely meant, or null: one within a third of its length in edits (at least
     * one, at most three; ties go to the first in {@code known}), else the only one {@code typed} is a prefix of.
     */
    static String closest(final String typed, final Collection<String> known)
    {
        final int allowed = Math.max(1, Math.min(3, typed.length() / 3));
        String best = null;
        int bestDistance = allowed + 1;
        String onlyPrefixed = null;
        int prefixed = 0;
        for (final String name : known)
        {
            final int distance = distance(typed, name);
            if (distance < bestDistance)
            {
                best = name;
                bestDistance = distance;
            }
            if (typed.length() >= 2 && name.startsWith(typed))
            {
                onlyPrefixed = name;
                prefixed++;
            }
        }
        return best != null ? best : prefixed == 1 ? onlyPrefixed : null;
    }

    /** {@code "; did you mean X?"} when a known name is close, else the empty string: the end of an error line. */
    static String didYouMean(final String typed, final Collection<String> known)
    {
        final String closest = closest(typed, known);
        return closest == null ? "" : "; did you mean " + closest + "?";
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}; case counts. */
    static int distance(final String a, final String b)
    {
        final int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++)
        {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++)
        {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            for (int j = 1; j <= b.length(); j++)
            {
                final int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
