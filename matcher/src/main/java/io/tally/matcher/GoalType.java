package io.tally.matcher;

import io.tally.codec.EventType;

import java.util.EnumSet;
import java.util.Set;

/** What a goal looks at, with the condition fields it allows and the event types it matches. */
public enum GoalType
{
    PAGEVIEW("pageview", EnumSet.of(Field.PATH, Field.URL), EnumSet.of(EventType.PAGEVIEW)),
    CLICK("click", EnumSet.of(Field.URL, Field.DOMAIN, Field.TEXT, Field.TITLE, Field.ASIN),
        EnumSet.of(EventType.CLICK, EventType.DOWNLOAD)),
    FORM("form", EnumSet.of(Field.FORM_NAME, Field.FORM_ID, Field.PLUGIN, Field.PAGE_URL), EnumSet.of(EventType.FORM)),
    CUSTOM("custom", EnumSet.of(Field.EVENT, Field.PROP_KEY, Field.PROP_VALUE), EnumSet.of(EventType.CUSTOM));

    /** {@link #forEvent} by event type ordinal: a lookup on the match path, where {@code values()} would copy an array. */
    private static final GoalType[] BY_EVENT_TYPE = byEventType();

    private final String jsonName;
    private final Set<Field> fields;
    private final Set<EventType> eventTypes;

    GoalType(final String jsonName, final Set<Field> fields, final Set<EventType> eventTypes)
    {
        this.jsonName = jsonName;
        this.fields = fields;
        this.eventTypes = eventTypes;
    }

    public String jsonName()
    {
        return jsonName;
    }

    public boolean allows(final Field field)
    {
        return fields.contains(field);
    }

    public Set<Field> fields()
    {
        return fields;
    }

    public boolean matchesEventsOf(final EventType type)
    {
        return eventTypes.contains(type);
    }

    /** The goal type whose goals an event of {@code type} is matched against, or null (engagement). */
    public static GoalType forEvent(final EventType type)
    {
        return BY_EVENT_TYPE[type.ordinal()];
    }

    private static GoalType[] byEventType()
    {
        final GoalType[] table = new GoalType[EventType.values().length];
        for (final GoalType goalType : values())
        {
            for (final EventType eventType : goalType.eventTypes)
            {
                if (table[eventType.ordinal()] == null)
                {
                    table[eventType.ordinal()] = goalType;
                }
            }
        }
        return table;
    }

    public static GoalType fromJson(final String name)
    {
        for (final GoalType type : values())
        {
            if (type.jsonName.equals(name))
            {
                return type;
            }
        }
        return null;
    }
}
