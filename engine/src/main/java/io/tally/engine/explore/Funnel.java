package io.tally.engine.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A funnel: 2 to {@value #MAX_STEPS} steps a visitor must take in order within a window. Read from and written to
 * the JSON of the admin API and of {@code DATA_DIR/funnels.json}:
 * <pre>{"name": "Checkout", "window": "session" | "30m" | "7d",
 *  "steps": [{"type": "goal" | "event" | "page", "value": "...", "filters": "event:props:plan==pro", "name": "..."}]}</pre>
 */
public record Funnel(String name, List<Step> steps, Window window)
{
    public static final int MIN_STEPS = 2;
    public static final int MAX_STEPS = 8;
    static final int MAX_VALUE = 500;
    static final int MAX_FILTERS = 1_000;
    private static final List<String> TYPES = List.of("goal", "event", "page");
    private static final List<String> FIELDS = List.of("name", "steps", "window");
    private static final List<String> STEP_FIELDS = List.of("type", "value", "filters", "name");

    /**
     * A step: a goal's name, an event name, or a page path pattern ({@code *} any characters), with optional
     * property filters in the stats API's form; {@code name} labels it in reports (its value when not given).
     */
    public record Step(String type, String value, String filters, String name)
    {
    }

    public static Funnel read(final Object json)
    {
        final Map<?, ?> object = DefinitionJson.object(json, "funnel");
        DefinitionJson.allowOnly(object, "", FIELDS);
        final String name = DefinitionJson.text(object, "", "name", DefinitionJson.MAX_NAME);
        final List<?> list = DefinitionJson.list(object.get("steps"), "steps");
        if (list.size() < MIN_STEPS || list.size() > MAX_STEPS)
        {
            throw new InvalidDefinitionException("steps", "give " + MIN_STEPS + " to " + MAX_STEPS + " steps, not " + list.size());
        }
        final List<Step> steps = new ArrayList<>();
        for (int i = 0; i < list.size(); i++)
        {
            steps.add(step(list.get(i), "steps[" + i + "]"));
        }
        final Object window = object.get("window");
        return new Funnel(name, List.copyOf(steps), Window.parse(window == null ? "session" : window));
    }

    private static Step step(final Object json, final String field)
    {
        final Map<?, ?> object = DefinitionJson.object(json, field);
        DefinitionJson.allowOnly(object, field, STEP_FIELDS);
        final String type = DefinitionJson.text(object, field, "type", 10);
        if (!TYPES.contains(type))
        {
            throw new InvalidDefinitionException(field + ".type", "must be goal, event or page, not '" + type + "'");
        }
        final String value = DefinitionJson.text(object, field, "value", MAX_VALUE);
        if (type.equals("page") && !value.startsWith("/"))
        {
            throw new InvalidDefinitionException(field + ".value", "a page pattern starts with /");
        }
        final String filters = DefinitionJson.optionalText(object, field, "filters", MAX_FILTERS);
        final String name = DefinitionJson.optionalText(object, field, "name", DefinitionJson.MAX_NAME);
        return new Step(type, value, filters, name == null ? value : name);
    }

    public Map<String, Object> json()
    {
        final List<Object> list = new ArrayList<>();
        for (final Step step : steps)
        {
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", step.name());
            row.put("type", step.type());
            row.put("value", step.value());
            if (step.filters() != null)
            {
                row.put("filters", step.filters());
            }
            list.add(row);
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("window", window.text());
        json.put("steps", list);
        return json;
    }

    /**
     * How long a visitor has from the first step to the last: the session of the first step ({@code "session"}), or a
     * duration ({@code 30m}, {@code 2h}, {@code 7d}; seconds {@code s} too) from it, 1 second to {@value #MAX_DAYS} days.
     */
    public record Window(String text, long millis)
    {
        public static final int MAX_DAYS = 30;

        public boolean session()
        {
            return millis == 0;
        }

        static Window parse(final Object json)
        {
            if (!(json instanceof String))
            {
                throw new InvalidDefinitionException("window", "give \"session\" or a duration such as \"30m\" or \"7d\"");
            }
            final String text = ((String)json).trim();
            if (text.equals("session"))
            {
                return new Window(text, 0);
            }
            final long unit = text.isEmpty() ? 0 : switch (text.charAt(text.length() - 1))
            {
                case 's' -> 1_000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> 0;
            };
            final long count = unit == 0 ? 0 : digits(text.substring(0, text.length() - 1));
            if (count <= 0 || count * unit > MAX_DAYS * 86_400_000L)
            {
                throw new InvalidDefinitionException("window",
                    "give \"session\" or a duration of 1s to " + MAX_DAYS + "d (a number and s, m, h or d), not '" + text + "'");
            }
            return new Window(text, count * unit);
        }

        /** The number {@code digits} spells (at most 9 digits), or 0 when it is not one. */
        private static long digits(final String digits)
        {
            if (digits.isEmpty() || digits.length() > 9)
            {
                return 0;
            }
            long value = 0;
            for (int i = 0; i < digits.length(); i++)
            {
                final char c = digits.charAt(i);
                if (c < '0' || c > '9')
                {
                    return 0;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}
