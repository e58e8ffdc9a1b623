package io.tally.explore.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes clauses as SQL over the view {@code events}, binding every user value as a parameter. Event clauses test
 * each row. Visit clauses are tested together, once per session, in one semi-join:
 * <pre>
 * session_id IN (SELECT session_id FROM events WHERE type &lt;&gt; 'engagement' GROUP BY session_id
 *                HAVING (first source matches) AND (last page matches) ...)
 * </pre>
 * where a session's first (last) value is its earliest (latest) event's, ties broken by journal order.
 */
final class FilterSql
{
    private FilterSql()
    {
    }

    /** The condition for {@code clauses}, appending the parameters it binds to {@code parameters}. */
    static String where(final List<Clause> clauses, final List<Object> parameters)
    {
        final List<String> conditions = new ArrayList<>();
        final List<String> visit = new ArrayList<>();
        final List<Object> visitParameters = new ArrayList<>();
        for (final Clause clause : clauses)
        {
            if (clause.dimension().scope() == Dimension.Scope.EVENT)
            {
                conditions.add(match(clause.dimension().expression(), clause, parameters));
            }
            else
            {
                visit.add(match(clause.dimension().sessionValue(), clause, visitParameters));
            }
        }
        if (!visit.isEmpty())
        {
            conditions.add("session_id IN (SELECT session_id FROM events WHERE type <> 'engagement' GROUP BY session_id HAVING "
                + String.join(" AND ", visit) + ")");
            parameters.addAll(visitParameters);
        }
        return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    }

    /** {@code expression} tested against the clause's alternatives; {@code !=} also keeps a NULL (no such value). */
    private static String match(final String expression, final Clause clause, final List<Object> parameters)
    {
        final List<String> exact = new ArrayList<>();
        final List<String> patterns = new ArrayList<>();
        for (int i = 0; i < clause.values().size(); i++)
        {
            (clause.patterns().get(i) ? patterns : exact).add(clause.values().get(i));
        }
        final List<String> tests = new ArrayList<>();
        if (!exact.isEmpty())
        {
            tests.add(subject(expression, clause, parameters) + " IN (" + "?, ".repeat(exact.size() - 1) + "?)");
            parameters.addAll(exact);
        }
        for (final String pattern : patterns)
        {
            tests.add(subject(expression, clause, parameters) + " LIKE ? ESCAPE '\\'");
            parameters.add(like(pattern));
        }
        final String any = "(" + String.join(" OR ", tests) + ")";
        return clause.negated() ? "NOT coalesce(" + any + ", FALSE)" : any;
    }

    /** The tested expression; a property's key is a parameter of its own, bound where it appears. */
    private static String subject(final String expression, final Clause clause, final List<Object> bound)
    {
        if (clause.key() != null)
        {
            bound.add(clause.key());
        }
        return expression;
    }

    /**
     * A pattern as a LIKE pattern with {@code \} as the escape: {@code *} is {@code %}; LIKE's own {@code %} and
     * {@code _} are escaped; the parser's {@code \*} is a literal star and {@code \\} a literal backslash.
     */
    static String like(final String pattern)
    {
        final StringBuilder out = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++)
        {
            final char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length())
            {
                final char next = pattern.charAt(++i);
                out.append(next == '*' ? "*" : "\\\\");
            }
            else if (c == '*')
            {
                out.append('%');
            }
            else if (c == '%' || c == '_' || c == '\\')
            {
                out.append('\\').append(c);
            }
            else
            {
                out.append(c);
            }
        }
        return out.toString();
    }
}
