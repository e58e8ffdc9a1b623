package io.tally.matcher;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A conversion goal, as the admin API and the config file give it. Immutable; validated by
 * {@link GoalJson}. The name is its identity in all data and never changes.
 *
 * @param kind                what a match is: a macro conversion (with a value), a micro one (with a weight),
 *                            or a plain event goal (tracked, never a conversion).
 * @param countsAsConversion  whether matches feed the Conversions and Conversion Rate figures.
 * @param valueAmount         the macro goal's value (exact), null for other kinds.
 * @param valueCurrency       ISO 4217 code of the value, null for other kinds.
 * @param weight              the micro goal's weight, 1 to 3; 0 for other kinds.
 * @param trigger             what makes the browser tracker send the goal's event, or null.
 */
public record Goal(String name, Kind kind, boolean countsAsConversion, BigDecimal valueAmount, String valueCurrency,
    int weight, GoalType type, boolean matchAll, List<Condition> conditions, boolean fireOnce, List<Notify> recipients,
    Trigger trigger)
{
    public Goal
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        conditions = List.copyOf(conditions);
        recipients = List.copyOf(recipients);
    }

    /** What a match of the goal is. */
    public enum Kind
    {
        MACRO("macro"), MICRO("micro"), EVENT("event");

        private final String jsonName;

        Kind(final String jsonName)
        {
            this.jsonName = jsonName;
        }

        public String jsonName()
        {
            return jsonName;
        }

        public static Kind fromJson(final String name)
        {
            for (final Kind kind : values())
            {
                if (kind.jsonName.equals(name))
                {
                    return kind;
                }
            }
            return null;
        }
    }

    /** Someone to tell when the goal converts. */
    public record Notify(String channel, String target)
    {
    }

    /** Whether a match counts as a conversion: never for plain event goals. */
    public boolean isConversion()
    {
        return countsAsConversion && kind != Kind.EVENT;
    }
}
