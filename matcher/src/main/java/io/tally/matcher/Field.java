package io.tally.matcher;

/**
 * The event fields a goal condition can test. Text comparisons ignore ASCII case, except on {@link #EVENT}:
 * event names are case-sensitive.
 */
public enum Field
{
    /** Path of the page URL (pageview). */
    PATH("path", false),
    /** For pageview goals the whole page URL with its query; for click goals the link's destination. */
    URL("url", false),
    /** Host of the link's destination (click). */
    DOMAIN("domain", false),
    TEXT("text", false),
    TITLE("title", false),
    ASIN("asin", false),
    FORM_NAME("form_name", false),
    FORM_ID("form_id", false),
    PLUGIN("plugin", false),
    /** The page URL a form was sent from. */
    PAGE_URL("page_url", false),
    /** The event name (custom). */
    EVENT("event", true),
    /** Some property's key meets the condition. */
    PROP_KEY("prop_key", false),
    /** The value of the property named by the condition's {@code key} meets the condition. */
    PROP_VALUE("prop_value", false);

    private final String jsonName;
    private final boolean caseSensitive;

    Field(final String jsonName, final boolean caseSensitive)
    {
        this.jsonName = jsonName;
        this.caseSensitive = caseSensitive;
    }

    public String jsonName()
    {
        return jsonName;
    }

    public boolean caseSensitive()
    {
        return caseSensitive;
    }

    public static Field fromJson(final String name)
    {
        for (final Field field : values())
        {
            if (field.jsonName.equals(name))
            {
                return field;
            }
        }
        return null;
    }
}
