package io.tally.explore.filter;

import java.util.List;

/**
 * One clause of a filter: a dimension ({@code key} is the property's name for {@code event:props:KEY}, otherwise
 * null), {@code ==} or {@code !=} ({@code negated}), and one or more alternatives (the {@code |} of the text),
 * unescaped and folded to the dimension's case. An alternative with an unescaped {@code *} is a pattern: {@code *}
 * stands for any run of characters (none included); {@link #patterns} says which alternatives are.
 */
public record Clause(Dimension dimension, String key, boolean negated, List<String> values, List<Boolean> patterns)
{
    public Clause
    {
        values = List.copyOf(values);
        patterns = List.copyOf(patterns);
    }

    /** The dimension as written: {@code event:props:plan} for a property. */
    public String name()
    {
        return key == null ? dimension.text() : dimension.text() + key;
    }
}
