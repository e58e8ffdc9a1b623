package io.tally.codec;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean ...?" for a name that matched none of the known ones (a config key, a JSON field, a command or a
 * flag): the closest known name by edit distance, where an edit is an insertion, a deletion, a substitution or a
 * swap of two neighbours, ignoring case. A name is only suggested when it is close: at most one edit for every
 * three characters of what was given (at least one, at most three), so {@code timezone} finds {@code time_zone}
 * and {@code --prot} finds {@code --port}, but {@code foo} suggests nothing. A cold path.
 */
public final class Suggestions
{
    private static final int MAX_EDITS = 3;

    private Suggestions()
    {
    }

    /**
     * The known name closest to {@code given}, or null when none is close enough (ties go to the first listed); failing
     * that, the only known name {@code given} begins (two characters at least), so {@code rep} finds {@code replay}.
     */
    public static String closest(final String given, final Collection<String> known)
    {
        final String lower = given.toLowerCase(Locale.ROOT);
        final int allowed = Math.max(1, Math.min(MAX_EDITS, given.length() / 3));
        String best = null;
        int bestDistance = allowed + 1;
        String onlyPrefixed = null;
        int prefixed = 0;
        for (final String candidate : known)
        {
            final String candidateLower = candidate.toLowerCase(Locale.ROOT);
            final int distance = distance(lower, candidateLower);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
            if (lower.length() >= 2 && candidateLower.startsWith(lower))
            {
                onlyPrefixed = candidate;
                prefixed++;
            }
        }
        return best != null ? best : prefixed == 1 ? onlyPrefixed : null;
    }

    /** {@code "; did you mean X?"} for the closest known name, or an empty string: ready to append to a message. */
    public static String didYouMean(final String given, final Collection<String> known)
    {
        final String closest = closest(given, known);
        return closest == null ? "" : "; did you mean " + closest + "?";
    }

    /** Optimal string alignment distance: Levenshtein's edits plus the swap of two neighbouring characters. */
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
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
