package io.tally.matcher;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client-side trigger: what makes the browser tracker send a goal's event, published to the tracker per site
 * at {@code GET /api/v1/sites/{site}/triggers}. Immutable; validated by {@link TriggerJson}. The tracker, not
 * the server, decides when it fires; the server only matches the custom event it sends like any other.
 *
 * @param type         what the tracker watches.
 * @param event        the custom event's name the tracker sends.
 * @param path         for {@link Type#PAGE}: the page path to compare with {@code pathOp}, or null for any page.
 * @param pathOp       for {@link Type#PAGE}: how {@code path} is compared (equals, starts_with, contains, ends_with).
 * @param query        for {@link Type#PAGE}: query parameters the page URL must carry, by name; an empty value
 *                     asks only for presence.
 * @param selector     for {@link Type#CLICK} and {@link Type#VIEW}: a CSS selector.
 * @param seconds      for {@link Type#ENGAGEMENT}: active seconds on the page, or 0.
 * @param interactions for {@link Type#ENGAGEMENT}: clicks and key presses on the page, or 0.
 * @param everyTime    fire on every occurrence (at most once per page view for page, view and engagement);
 *                     otherwise once per visitor and device.
 */
public record Trigger(Type type, String event, String path, Op pathOp, Map<String, String> query, String selector,
    int seconds, int interactions, boolean everyTime)
{
    public Trigger
    {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(event, "event");
        query = query == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    /** What the tracker watches. */
    public enum Type
    {
        PAGE("page"), CLICK("click"), VIEW("view"), ENGAGEMENT("engagement");

        private final String jsonName;

        Type(final String jsonName)
        {
            this.jsonName = jsonName;
        }

        public String jsonName()
        {
            return jsonName;
        }

        public static Type fromJson(final String name)
        {
            for (final Type type : values())
            {
                if (type.jsonName.equals(name))
                {
                    return type;
                }
            }
            return null;
        }
    }
}
