package io.tally.matcher;

import io.tally.codec.BeaconField;

/**
 * The event fields a goal condition can test. Text comparisons ignore ASCII case, except on {@link #EVENT}:
 * event names are case-sensitive.
 */
public enum Field
{
    /** Path of the page URL (pageview). */
    PATH("path", false, null),
    /** For pageview goals the whole page URL with its query; for click goals the link's destination. */
    URL("url", false, null),
    /** Host of the link's destination (click). */
    DOMAIN("domain", false, null),
    TEXT("text", false, BeaconField.TEXT),
    TITLE("title", false, BeaconField.TITLE),
    ASIN("asin", false, null),
    FORM_NAME("form_name", false, BeaconField.FORM_NAME),
    FORM_ID("form_id", false, BeaconField.FORM_ID),
    PLUGIN("plugin", false, BeaconField.FORM_PLUGIN),
    /** The page URL a form was sent from. */
    PAGE_URL("page_url", false, BeaconField.URL),
    /** The event name (custom). */
    EVENT("event", true, BeaconField.NAME),
    /** Some property's key meets the condition. */
    PROP_KEY("prop_key", false, null),
    /** The value of the property named by the condition's {@code key} meets the condition. */
    PROP_VALUE("prop_value", false, null);

    private final String jsonName;
    private final boolean caseSensitive;
    private final BeaconField beaconField;

    Field(final String jsonName, final boolean caseSensitive, final BeaconField beaconField)
    {
        this.jsonName = jsonName;
        this.caseSensitive = caseSensitive;
        this.beaconField = beaconField;
    }

    /** The beacon's text field this one is, as sent; null when the server derives it or it has many values. */
    BeaconField beaconField()
    {
        return beaconField;
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
