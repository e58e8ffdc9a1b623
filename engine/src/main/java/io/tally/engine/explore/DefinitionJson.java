package io.tally.engine.explore;

import java.util.List;
import java.util.Map;

/** Reads the fields of a definition's JSON tree (as {@link io.tally.codec.json.Json} parses it), naming the field at fault. */
final class DefinitionJson
{
    /** Most characters of a definition's name. */
    static final int MAX_NAME = 100;

    private DefinitionJson()
    {
    }

    static Map<?, ?> object(final Object json, final String field)
    {
        if (!(json instanceof Map))
        {
            throw new InvalidDefinitionException(field, "expected a JSON object");
        }
        return (Map<?, ?>)json;
    }

    static List<?> list(final Object json, final String field)
    {
        if (!(json instanceof List))
        {
            throw new InvalidDefinitionException(field, "expected a JSON array");
        }
        return (List<?>)json;
    }

    /** The object's only keys are {@code allowed}: a misspelt key is an error, never silently ignored. */
    static void allowOnly(final Map<?, ?> object, final String field, final List<String> allowed)
    {
        for (final Object key : object.keySet())
        {
            if (!allowed.contains(key))
            {
                throw new InvalidDefinitionException(prefix(field) + key, "unknown field (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    /** A required text of 1 to {@code max} characters, trimmed. */
    static String text(final Map<?, ?> object, final String field, final String key, final int max)
    {
        final String value = optionalText(object, field, key, max);
        if (value == null)
        {
            throw new InvalidDefinitionException(prefix(field) + key, "required");
        }
        return value;
    }

    /** An optional text of 1 to {@code max} characters, trimmed; null when absent. */
    static String optionalText(final Map<?, ?> object, final String field, final String key, final int max)
    {
        final Object value = object.get(key);
        if (value == null)
        {
            return null;
        }
        if (!(value instanceof String))
        {
            throw new InvalidDefinitionException(prefix(field) + key, "expected a string");
        }
        final String text = ((String)value).trim();
        if (text.isEmpty() || text.length() > max)
        {
            throw new InvalidDefinitionException(prefix(field) + key, "must be 1 to " + max + " characters");
        }
        return text;
    }

    private static String prefix(final String field)
    {
        return field.isEmpty() ? "" : field + ".";
    }
}
