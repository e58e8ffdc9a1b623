package io.tally.matcher;

/**
 * Condition operators. Each is a positive test or the negation of one: {@code not_equals} is "not
 * {@code equals}", {@code is_empty} is "not {@code is_not_empty}". Over a field with many values (property
 * keys), the positive test holds when some value meets it, and a negated one when none does.
 */
public enum Op
{
    EQUALS("equals", null, true),
    NOT_EQUALS("not_equals", EQUALS, true),
    CONTAINS("contains", null, true),
    NOT_CONTAINS("not_contains", CONTAINS, true),
    STARTS_WITH("starts_with", null, true),
    ENDS_WITH("ends_with", null, true),
    IS_NOT_EMPTY("is_not_empty", null, false),
    IS_EMPTY("is_empty", IS_NOT_EMPTY, false);

    private final String jsonName;
    private final Op negationOf;
    private final boolean takesValue;

    Op(final String jsonName, final Op negationOf, final boolean takesValue)
    {
        this.jsonName = jsonName;
        this.negationOf = negationOf;
        this.takesValue = takesValue;
    }

    public String jsonName()
    {
        return jsonName;
    }

    public boolean takesValue()
    {
        return takesValue;
    }

    public boolean isNegated()
    {
        return negationOf != null;
    }

    /** The positive test this operator is, or negates. */
    public Op positive()
    {
        return negationOf == null ? this : negationOf;
    }

    public static Op fromJson(final String name)
    {
        for (final Op op : values())
        {
            if (op.jsonName.equals(name))
            {
                return op;
            }
        }
        return null;
    }
}
