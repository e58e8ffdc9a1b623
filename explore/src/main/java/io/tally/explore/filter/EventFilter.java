package io.tally.explore.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A filter in Plausible's v1 syntax ({@code event:page==/blog*;visit:country==DE}), read once and immutable, as a
 * SQL condition over the event store's view {@code events} (docs/events.md, "Filters"): {@link #sql()} is a
 * {@code WHERE} fragment with {@code ?} placeholders and {@link #parameters()} the values to bind, in order. User
 * text never enters the SQL: it is only ever a parameter. Clauses are joined with AND.
 * <p>
 * An event clause keeps the events that match; a visit clause ({@link Dimension.Scope#VISIT}) keeps every event of
 * the sessions whose first event (last, for the exit page) in the queried range matches, engagement beacons aside.
 * {@code !=} keeps what does not match, events without the property included.
 * <p>
 * Limits: {@value #MAX_LENGTH} characters, {@value #MAX_CLAUSES} clauses, {@value #MAX_ALTERNATIVES} alternatives a
 * clause; anything past them, an unknown dimension, an empty value or a clause without an operator is a
 * {@link FilterException} naming the clause.
 */
public final class EventFilter
{
    /** Most characters of a filter text. */
    public static final int MAX_LENGTH = 1_000;
    /** Most clauses (joined with {@code ;}). */
    public static final int MAX_CLAUSES = 10;
    /** Most alternatives of one clause (joined with {@code |}). */
    public static final int MAX_ALTERNATIVES = 100;

    /** No filter: every event. */
    public static final EventFilter NONE = new EventFilter(List.of());

    private final List<Clause> clauses;
    private final String sql;
    private final List<Object> parameters;

    private EventFilter(final List<Clause> clauses)
    {
        this.clauses = List.copyOf(clauses);
        final List<Object> bound = new ArrayList<>();
        this.sql = FilterSql.where(this.clauses, bound);
        this.parameters = List.copyOf(bound);
    }

    /** Reads {@code filters}; a {@link FilterException} names the clause that cannot be read and why. */
    public static EventFilter parse(final String filters)
    {
        return new EventFilter(FilterParser.parse(filters));
    }

    /** The condition over the view {@code events}; {@code TRUE} for no filter. */
    public String sql()
    {
        return sql;
    }

    /** The values for the {@code ?} of {@link #sql()}, in order. */
    public List<Object> parameters()
    {
        return parameters;
    }

    public List<Clause> clauses()
    {
        return clauses;
    }

    public boolean isEmpty()
    {
        return clauses.isEmpty();
    }

    /** Whether a clause tests {@code dimension}. */
    public boolean has(final Dimension dimension)
    {
        return clauses.stream().anyMatch(clause -> clause.dimension() == dimension);
    }

    /** This filter without the clauses that test {@code dimension} (the denominator of a goal's conversion rate). */
    public EventFilter without(final Dimension dimension)
    {
        return keep(clause -> clause.dimension() != dimension);
    }

    /** This filter with only the clauses {@code kept} accepts. */
    public EventFilter keep(final Predicate<Clause> kept)
    {
        final List<Clause> left = clauses.stream().filter(kept).toList();
        return left.size() == clauses.size() ? this : left.isEmpty() ? NONE : new EventFilter(left);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof EventFilter filter && filter.clauses.equals(clauses);
    }

    @Override
    public int hashCode()
    {
        return clauses.hashCode();
    }

    @Override
    public String toString()
    {
        return "EventFilter" + clauses;
    }
}
