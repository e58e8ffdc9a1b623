package io.tally.matcher;

import io.tally.codec.CurrencyCodes;
import io.tally.codec.Suggestions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes goals in their JSON shape (a tree from {@link io.tally.codec.json.Json}), validating every
 * field and naming the offending one in {@link InvalidGoalException}. Defaults: {@code kind} is
 * {@code macro} when a {@code value} is given, else {@code micro} with weight 1; {@code counts_as_conversion}
 * is true for macro and micro goals; {@code match} is {@code all}; {@code fire} is {@code once}. A goal with a
 * {@code trigger} ({@link TriggerJson}) is a {@code custom} goal, since the tracker sends a custom event; its
 * {@code type} may be left out, and so may its {@code conditions}, which then test that the event's name equals
 * the trigger's event.
 */
public final class GoalJson
{
    public static final int MAX_NAME_CHARS = 120;
    public static final int MAX_CONDITIONS = 32;
    public static final int MAX_VALUE_CHARS = 2000;
    private static final List<String> GOAL_KEYS = List.of("name", "kind", "counts_as_conversion", "value", "weight", "type",
        "match", "conditions", "fire", "notify", "trigger");
    private static final List<String> CONDITION_KEYS = List.of("field", "key", "op", "value");
    private static final Set<String> CHANNELS = Set.of("webhook", "email");

    private GoalJson()
    {
    }

    public static Goal read(final Object json)
    {
        final Map<String, Object> goal = object(json, "goal");
        for (final String key : goal.keySet())
        {
            if (!GOAL_KEYS.contains(key))
            {
                throw new InvalidGoalException(key, "unknown field" + Suggestions.didYouMean(key, GOAL_KEYS));
            }
        }
        final String name = requiredString(goal, "name");
        if (name.isBlank() || name.length() > MAX_NAME_CHARS)
        {
            throw new InvalidGoalException("name", "must be 1 to " + MAX_NAME_CHARS + " characters");
        }
        final Goal.Kind kind = kind(goal);
        final boolean conversion = bool(goal, "counts_as_conversion", kind != Goal.Kind.EVENT);
        if (conversion && kind == Goal.Kind.EVENT)
        {
            throw new InvalidGoalException("counts_as_conversion", "an event goal never counts as a conversion");
        }
        BigDecimal amount = null;
        String currency = null;
        if (kind == Goal.Kind.MACRO)
        {
            final Map<String, Object> value = object(goal.get("value"), "value");
            amount = amount(value.get("amount"));
            currency = currency(value.get("currency"));
        }
        else if (goal.containsKey("value"))
        {
            throw new InvalidGoalException("value", "only macro goals have a value");
        }
        final int weight = weight(goal, kind);
        final Trigger trigger = TriggerJson.read(goal.get("trigger"), name);
        final GoalType type = trigger != null && !goal.containsKey("type") ? GoalType.CUSTOM :
            GoalType.fromJson(requiredString(goal, "type"));
        if (type == null)
        {
            throw new InvalidGoalException("type", "must be one of pageview, click, form, custom");
        }
        if (trigger != null && type != GoalType.CUSTOM)
        {
            throw new InvalidGoalException("trigger", "a goal with a trigger is a custom goal: the tracker sends a custom event");
        }
        final String match = optionalString(goal, "match", "all");
        if (!match.equals("all") && !match.equals("any"))
        {
            throw new InvalidGoalException("match", "must be all or any");
        }
        final String fire = optionalString(goal, "fire", "once");
        if (!fire.equals("once") && !fire.equals("always"))
        {
            throw new InvalidGoalException("fire", "must be once or always");
        }
        final List<Condition> conditions = trigger != null && !goal.containsKey("conditions") ?
            List.of(Condition.of(Field.EVENT, Op.EQUALS, trigger.event())) : conditions(goal.get("conditions"), type);
        return new Goal(name, kind, conversion, amount, currency, weight, type, match.equals("all"),
            conditions, fire.equals("once"), notify(goal.get("notify")), trigger);
    }

    public static Map<String, Object> write(final Goal goal)
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", goal.name());
        json.put("kind", goal.kind().jsonName());
        json.put("counts_as_conversion", goal.countsAsConversion());
        if (goal.kind() == Goal.Kind.MACRO)
        {
            final Map<String, Object> value = new LinkedHashMap<>();
            value.put("amount", goal.valueAmount().toPlainString());
            value.put("currency", goal.valueCurrency());
            json.put("value", value);
        }
        if (goal.kind() == Goal.Kind.MICRO)
        {
            json.put("weight", BigDecimal.valueOf(goal.weight()));
        }
        json.put("type", goal.type().jsonName());
        json.put("match", goal.matchAll() ? "all" : "any");
        final List<Object> conditions = new ArrayList<>();
        for (final Condition condition : goal.conditions())
        {
            final Map<String, Object> c = new LinkedHashMap<>();
            c.put("field", condition.field().jsonName());
            if (condition.key() != null)
            {
                c.put("key", condition.key());
            }
            c.put("op", condition.op().jsonName());
            if (condition.value() != null)
            {
                c.put("value", condition.value());
            }
            conditions.add(c);
        }
        json.put("conditions", conditions);
        json.put("fire", goal.fireOnce() ? "once" : "always");
        final List<Object> notify = new ArrayList<>();
        for (final Goal.Notify n : goal.recipients())
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("channel", n.channel());
            entry.put("target", n.target());
            notify.add(entry);
        }
        json.put("notify", notify);
        if (goal.trigger() != null)
        {
            json.put("trigger", TriggerJson.write(goal.trigger()));
        }
        return json;
    }

    private static Goal.Kind kind(final Map<String, Object> goal)
    {
        if (!goal.containsKey("kind"))
        {
            return goal.containsKey("value") ? Goal.Kind.MACRO : Goal.Kind.MICRO;
        }
        final Goal.Kind kind = Goal.Kind.fromJson(requiredString(goal, "kind"));
        if (kind == null)
        {
            throw new InvalidGoalException("kind", "must be macro, micro or event");
        }
        return kind;
    }

    private static int weight(final Map<String, Object> goal, final Goal.Kind kind)
    {
        final Object weight = goal.get("weight");
        if (kind != Goal.Kind.MICRO)
        {
            if (weight != null)
            {
                throw new InvalidGoalException("weight", "only micro goals have a weight");
            }
            return 0;
        }
        if (weight == null)
        {
            return 1;
        }
        if (!(weight instanceof BigDecimal) || ((BigDecimal)weight).stripTrailingZeros().scale() > 0)
        {
            throw new InvalidGoalException("weight", "must be a whole number from 1 to 3");
        }
        final int value = ((BigDecimal)weight).intValue();
        if (value < 1 || value > 3)
        {
            throw new InvalidGoalException("weight", "must be a whole number from 1 to 3");
        }
        return value;
    }

    private static BigDecimal amount(final Object amount)
    {
        final BigDecimal value;
        try
        {
            value = amount instanceof BigDecimal ? (BigDecimal)amount :
                amount instanceof String ? new BigDecimal((String)amount) : null;
        }
        catch (final NumberFormatException ex)
        {
            throw new InvalidGoalException("value.amount", "must be a decimal such as \"29.00\"");
        }
        if (value == null || value.signum() < 0 || value.scale() > 18 || value.precision() - value.scale() > 18)
        {
            throw new InvalidGoalException("value.amount", "must be a decimal >= 0 such as \"29.00\"");
        }
        return value.scale() < 0 ? value.setScale(0) : value;
    }

    private static String currency(final Object currency)
    {
        if (currency == null)
        {
            return "USD";
        }
        if (!(currency instanceof String) || !((String)currency).matches("[A-Za-z]{3}"))
        {
            throw new InvalidGoalException("value.currency", "must be a three-letter ISO 4217 code");
        }
        // the beacons' own check, so a goal's currency is one a beacon could carry
        final String code = CurrencyCodes.canonical((String)currency);
        if (code == null)
        {
            throw new InvalidGoalException("value.currency", "is not an ISO 4217 currency code");
        }
        return code;
    }

    private static List<Condition> conditions(final Object json, final GoalType type)
    {
        if (!(json instanceof List) || ((List<?>)json).isEmpty())
        {
            throw new InvalidGoalException("conditions", "must be a non-empty array");
        }
        final List<?> list = (List<?>)json;
        if (list.size() > MAX_CONDITIONS)
        {
            throw new InvalidGoalException("conditions", "at most " + MAX_CONDITIONS + " conditions");
        }
        final List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++)
        {
            conditions.add(condition(list.get(i), type, "conditions[" + i + "]"));
        }
        return conditions;
    }

    private static Condition condition(final Object json, final GoalType type, final String path)
    {
        final Map<String, Object> condition = object(json, path);
        for (final String key : condition.keySet())
        {
            if (!CONDITION_KEYS.contains(key))
            {
                throw new InvalidGoalException(path + "." + key, "unknown field" + Suggestions.didYouMean(key, CONDITION_KEYS));
            }
        }
        final Field field = Field.fromJson(requiredString(condition, "field", path + ".field"));
        if (field == null || !type.allows(field))
        {
            throw new InvalidGoalException(path + ".field", "a " + type.jsonName() + " goal can test " +
                type.fields().stream().map(Field::jsonName).toList());
        }
        final Op op = Op.fromJson(requiredString(condition, "op", path + ".op"));
        if (op == null)
        {
            throw new InvalidGoalException(path + ".op", "must be one of contains, not_contains, equals, not_equals, " +
                "starts_with, ends_with, is_empty, is_not_empty");
        }
        String value = null;
        if (op.takesValue())
        {
            value = requiredString(condition, "value", path + ".value");
            if (value.isEmpty() || value.length() > MAX_VALUE_CHARS)
            {
                throw new InvalidGoalException(path + ".value", "must be 1 to " + MAX_VALUE_CHARS + " characters");
            }
        }
        else if (condition.containsKey("value"))
        {
            throw new InvalidGoalException(path + ".value", op.jsonName() + " takes no value");
        }
        String key = null;
        if (field == Field.PROP_VALUE)
        {
            key = requiredString(condition, "key", path + ".key");
            if (key.isEmpty() || key.length() > 300)
            {
                throw new InvalidGoalException(path + ".key", "must be 1 to 300 characters");
            }
        }
        else if (condition.containsKey("key"))
        {
            throw new InvalidGoalException(path + ".key", "only prop_value conditions have a key");
        }
        return new Condition(field, key, op, value);
    }

    private static List<Goal.Notify> notify(final Object json)
    {
        if (json == null)
        {
            return List.of();
        }
        if (!(json instanceof List))
        {
            throw new InvalidGoalException("notify", "must be an array");
        }
        final List<Goal.Notify> notify = new ArrayList<>();
        final List<?> list = (List<?>)json;
        for (int i = 0; i < list.size(); i++)
        {
            final String path = "notify[" + i + "]";
            final Map<String, Object> entry = object(list.get(i), path);
            final String channel = requiredString(entry, "channel", path + ".channel");
            if (!CHANNELS.contains(channel))
            {
                throw new InvalidGoalException(path + ".channel", "must be webhook or email");
            }
            final String target = requiredString(entry, "target", path + ".target");
            if (target.isBlank())
            {
                throw new InvalidGoalException(path + ".target", "must not be empty");
            }
            notify.add(new Goal.Notify(channel, target));
        }
        return notify;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(final Object json, final String path)
    {
        if (!(json instanceof Map))
        {
            throw new InvalidGoalException(path, "must be an object");
        }
        return (Map<String, Object>)json;
    }

    private static String requiredString(final Map<String, Object> json, final String key)
    {
        return requiredString(json, key, key);
    }

    static String requiredString(final Map<String, Object> json, final String key, final String path)
    {
        final Object value = json.get(key);
        if (!(value instanceof String))
        {
            throw new InvalidGoalException(path, value == null ? "is required" : "must be a string");
        }
        return (String)value;
    }

    private static String optionalString(final Map<String, Object> json, final String key, final String fallback)
    {
        return json.containsKey(key) ? requiredString(json, key) : fallback;
    }

    private static boolean bool(final Map<String, Object> json, final String key, final boolean fallback)
    {
        return bool(json, key, key, fallback);
    }

    static boolean bool(final Map<String, Object> json, final String key, final String path, final boolean fallback)
    {
        final Object value = json.get(key);
        if (value == null)
        {
            return fallback;
        }
        if (!(value instanceof Boolean))
        {
            throw new InvalidGoalException(path, "must be true or false");
        }
        return (Boolean)value;
    }
}
