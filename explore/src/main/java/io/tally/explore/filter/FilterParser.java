package io.tally.explore.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads Plausible's v1 filter text into clauses: {@code DIMENSION==VALUE} or {@code DIMENSION!=VALUE}, joined with
 * {@code ;}, a value being alternatives joined with {@code |}. A backslash escapes the next character ({@code \|},
 * {@code \;}, {@code \*}, {@code \\}). Every limit is checked before the work it bounds.
 */
final class FilterParser
{
    private static final char ESCAPE = '\\';

    private FilterParser()
    {
    }

    static List<Clause> parse(final String text)
    {
        if (text == null || text.isBlank())
        {
            throw new FilterException("filters is empty: give clauses such as event:page==/pricing;visit:country==DE");
        }
        if (text.length() > EventFilter.MAX_LENGTH)
        {
            throw new FilterException("filters is " + text.length() + " characters long: at most " + EventFilter.MAX_LENGTH);
        }
        final List<String> texts = split(text, ';');
        if (texts.size() > EventFilter.MAX_CLAUSES)
        {
            throw new FilterException("filters has " + texts.size() + " clauses: at most " + EventFilter.MAX_CLAUSES);
        }
        final List<Clause> clauses = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++)
        {
            clauses.add(clause(i + 1, texts.get(i)));
        }
        return clauses;
    }

    private static Clause clause(final int position, final String text)
    {
        final int equal = text.indexOf("==");
        final int unequal = text.indexOf("!=");
        final int operator = equal < 0 ? unequal : unequal < 0 ? equal : Math.min(equal, unequal);
        if (text.isEmpty())
        {
            throw FilterException.inClause(position, text, "an empty clause (two ';' in a row, or one at an end)");
        }
        if (operator < 0)
        {
            throw FilterException.inClause(position, text, "no operator: write DIMENSION==VALUE or DIMENSION!=VALUE");
        }
        final String name = text.substring(0, operator).trim();
        final Dimension dimension = Dimension.named(name).orElseThrow(() -> FilterException.inClause(position, text,
            "unknown dimension \"" + name + "\" (known: " + Dimension.known() + ")"));
        final String key = dimension == Dimension.EVENT_PROPS ? propertyKey(position, text, name) : null;
        final List<String> raw = split(text.substring(operator + 2), '|');
        if (raw.size() > EventFilter.MAX_ALTERNATIVES)
        {
            throw FilterException.inClause(position, text, raw.size() + " alternatives: at most " + EventFilter.MAX_ALTERNATIVES);
        }
        final List<String> values = new ArrayList<>(raw.size());
        final List<Boolean> patterns = new ArrayList<>(raw.size());
        for (final String alternative : raw)
        {
            if (alternative.isEmpty())
            {
                throw FilterException.inClause(position, text, "an empty value (nothing after the operator, or an empty '|' alternative)");
            }
            values.add(dimension.fold(unescape(alternative)));
            patterns.add(hasWildcard(alternative));
        }
        return new Clause(dimension, key, text.charAt(operator) == '!', values, patterns);
    }

    private static String propertyKey(final int position, final String text, final String name)
    {
        final String key = name.substring(Dimension.EVENT_PROPS.text().length());
        if (key.isEmpty())
        {
            throw FilterException.inClause(position, text, "no property key: write event:props:KEY==VALUE");
        }
        return key;
    }

    /** {@code text} cut at each unescaped {@code separator}, escapes kept (the next step reads them). */
    private static List<String> split(final String text, final char separator)
    {
        final List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c == ESCAPE)
            {
                i++;
            }
            else if (c == separator)
            {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static boolean hasWildcard(final String alternative)
    {
        for (int i = 0; i < alternative.length(); i++)
        {
            final char c = alternative.charAt(i);
            if (c == ESCAPE)
            {
                i++;
            }
            else if (c == '*')
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The alternative with its escapes undone. In a pattern an escaped {@code *} must stay literal, so a pattern
     * keeps {@code \*} and {@code \\} (the SQL step turns them into LIKE's escapes) and loses only the others.
     */
    private static String unescape(final String alternative)
    {
        final boolean pattern = hasWildcard(alternative);
        final StringBuilder out = new StringBuilder(alternative.length());
        for (int i = 0; i < alternative.length(); i++)
        {
            final char c = alternative.charAt(i);
            if (c == ESCAPE && i + 1 < alternative.length())
            {
                final char next = alternative.charAt(++i);
                if (pattern && (next == '*' || next == ESCAPE))
                {
                    out.append(ESCAPE);
                }
                out.append(next);
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }
}
