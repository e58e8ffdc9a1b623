package io.tally.matcher;

import java.util.Objects;

/** One test of a goal: a field, an operator, a value (absent for the emptiness tests), a key for prop_value. */
public record Condition(Field field, String key, Op op, String value)
{
    public Condition
    {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(op, "op");
    }

    public static Condition of(final Field field, final Op op, final String value)
    {
        return new Condition(field, null, op, value);
    }

    public static Condition property(final String key, final Op op, final String value)
    {
        return new Condition(Field.PROP_VALUE, key, op, value);
    }
}
