package io.tally.matcher;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes a goal's {@code trigger} object, naming the offending field (as {@code trigger.selector}) in
 * {@link InvalidGoalException}. Each type takes only its own fields: {@code page} a {@code path} with an
 * {@code op} and/or {@code query}; {@code click} and {@code view} a {@code selector}; {@code engagement}
 * exactly one of {@code seconds} and {@code interactions}. Every type takes {@code event} (default: the goal's
 * name) and {@code every_time} (default false).
 */
public final class TriggerJson
{
    public static final int MAX_SELECTOR_CHARS = 500;
    public static final int MAX_QUERY_PARAMS = 16;
    public static final int MAX_SECONDS = 86_400;
    public static final int MAX_INTERACTIONS = 10_000;
    private static final List<Op> PATH_OPS = List.of(Op.EQUALS, Op.STARTS_WITH, Op.CONTAINS, Op.ENDS_WITH);
    private static final Set<String> COMMON_KEYS = Set.of("type", "event", "every_time");
    private static final Map<Trigger.Type, Set<String>> TYPE_KEYS = Map.of(
        Trigger.Type.PAGE, Set.of("path", "op", "query"),
        Trigger.Type.CLICK, Set.of("selector"),
        Trigger.Type.VIEW, Set.of("selector"),
        Trigger.Type.ENGAGEMENT, Set.of("seconds", "interactions"));

    private TriggerJson()
    {
    }

    /** The trigger in {@code json}, or null when there is none; {@code goalName} is the default event. */
    public static Trigger read(final Object json, final String goalName)
    {
        if (json == null)
        {
            return null;
        }
        final Map<String, Object> trigger = GoalJson.object(json, "trigger");
        final Trigger.Type type = Trigger.Type.fromJson(GoalJson.requiredString(trigger, "type", "trigger.type"));
        if (type == null)
        {
            throw new InvalidGoalException("trigger.type", "must be one of page, click, view, engagement");
        }
        for (final String key : trigger.keySet())
        {
            if (!COMMON_KEYS.contains(key) && !TYPE_KEYS.get(type).contains(key))
            {
                throw new InvalidGoalException("trigger." + key, "not a field of a " + type.jsonName() + " trigger");
            }
        }
        final String event = trigger.containsKey("event") ?
            GoalJson.requiredString(trigger, "event", "trigger.event") : goalName;
        if (event.isBlank() || event.length() > GoalJson.MAX_NAME_CHARS)
        {
            throw new InvalidGoalException("trigger.event", "must be 1 to " + GoalJson.MAX_NAME_CHARS + " characters");
        }
        final boolean everyTime = GoalJson.bool(trigger, "every_time", "trigger.every_time", false);
        switch (type)
        {
            case PAGE:
                return page(trigger, event, everyTime);
            case ENGAGEMENT:
                final int seconds = count(trigger, "seconds", MAX_SECONDS);
                final int interactions = count(trigger, "interactions", MAX_INTERACTIONS);
                if ((seconds == 0) == (interactions == 0))
                {
                    throw new InvalidGoalException("trigger.seconds", "give exactly one of seconds and interactions");
                }
                return new Trigger(type, event, null, null, null, null, seconds, interactions, everyTime);
            default:
                final String selector = GoalJson.requiredString(trigger, "selector", "trigger.selector");
                if (selector.isBlank() || selector.length() > MAX_SELECTOR_CHARS)
                {
                    throw new InvalidGoalException("trigger.selector", "must be 1 to " + MAX_SELECTOR_CHARS + " characters");
                }
                return new Trigger(type, event, null, null, null, selector, 0, 0, everyTime);
        }
    }

    public static Map<String, Object> write(final Trigger trigger)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", trigger.type().jsonName());
        json.put("event", trigger.event());
        if (trigger.path() != null)
        {
            json.put("path", trigger.path());
            json.put("op", trigger.pathOp().jsonName());
        }
        if (!trigger.query().isEmpty())
        {
            json.put("query", new LinkedHashMap<String, Object>(trigger.query()));
        }
        if (trigger.selector() != null)
        {
            json.put("selector", trigger.selector());
        }
        if (trigger.seconds() > 0)
        {
            json.put("seconds", BigDecimal.valueOf(trigger.seconds()));
        }
        if (trigger.interactions() > 0)
        {
            json.put("interactions", BigDecimal.valueOf(trigger.interactions()));
        }
        json.put("every_time", trigger.everyTime());
        return json;
    }

    private static Trigger page(final Map<String, Object> trigger, final String event, final boolean everyTime)
    {
        String path = null;
        Op op = null;
        if (trigger.containsKey("path"))
        {
            path = GoalJson.requiredString(trigger, "path", "trigger.path");
            if (path.isEmpty() || path.length() > GoalJson.MAX_VALUE_CHARS)
            {
                throw new InvalidGoalException("trigger.path", "must be 1 to " + GoalJson.MAX_VALUE_CHARS + " characters");
            }
            op = trigger.containsKey("op") ? Op.fromJson(GoalJson.requiredString(trigger, "op", "trigger.op")) : Op.EQUALS;
            if (!PATH_OPS.contains(op))
            {
                throw new InvalidGoalException("trigger.op", "must be one of equals, starts_with, contains, ends_with");
            }
        }
        else if (trigger.containsKey("op"))
        {
            throw new InvalidGoalException("trigger.op", "only with a path");
        }
        final Map<String, String> query = query(trigger.get("query"));
        if (path == null && query.isEmpty())
        {
            throw new InvalidGoalException("trigger.path", "a page trigger needs a path or query parameters");
        }
        return new Trigger(Trigger.Type.PAGE, event, path, op, query, null, 0, 0, everyTime);
    }

    private static Map<String, String> query(final Object json)
    {
        final Map<String, String> query = new LinkedHashMap<>();
        if (json == null)
        {
            return query;
        }
        final Map<String, Object> params = GoalJson.object(json, "trigger.query");
        if (params.size() > MAX_QUERY_PARAMS)
        {
            throw new InvalidGoalException("trigger.query", "at most " + MAX_QUERY_PARAMS + " parameters");
        }
        for (final String name : params.keySet())
        {
            final String path = "trigger.query." + name;
            final String value = GoalJson.requiredString(params, name, path);
            if (name.isEmpty() || name.length() > 300 || value.length() > GoalJson.MAX_VALUE_CHARS)
            {
                throw new InvalidGoalException(path, "names are 1 to 300 characters, values at most " +
                    GoalJson.MAX_VALUE_CHARS);
            }
            query.put(name, value);
        }
        return query;
    }

    private static int count(final Map<String, Object> trigger, final String key, final int max)
    {
        final Object value = trigger.get(key);
        if (value == null)
        {
            return 0;
        }
        if (!(value instanceof BigDecimal) || ((BigDecimal)value).stripTrailingZeros().scale() > 0 ||
            ((BigDecimal)value).signum() <= 0 || ((BigDecimal)value).compareTo(BigDecimal.valueOf(max)) > 0)
        {
            throw new InvalidGoalException("trigger." + key, "must be a whole number from 1 to " + max);
        }
        return ((BigDecimal)value).intValue();
    }
}
