package io.tally.explore.filter;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a filter clause can test, by its name in Plausible's v1 syntax, with the SQL expression that reads it from
 * the event store's columns (docs/events.md). An {@link Scope#EVENT} dimension is a property of each event: the
 * clause keeps the events that match. A {@link Scope#VISIT} dimension is a property of the visit (the session): it
 * is read from the session's first event (entry page, sources) or its last (exit page), engagement beacons aside,
 * and the clause keeps every event of the sessions that match. The expressions are fixed text: user values are
 * always bound as parameters.
 */
public enum Dimension
{
    EVENT_NAME("event:name", Scope.EVENT, "coalesce(name, type)", Case.EXACT),
    EVENT_PAGE("event:page", Scope.EVENT, "path", Case.EXACT),
    EVENT_HOSTNAME("event:hostname", Scope.EVENT, Sql.HOSTNAME, Case.LOWER),
    EVENT_GOAL("event:goal", Scope.EVENT, "goal", Case.EXACT),
    /** {@code event:props:KEY}: the expression reads the key from a parameter bound before the values. */
    EVENT_PROPS("event:props:", Scope.EVENT, "props[?]", Case.EXACT),
    VISIT_SOURCE("visit:source", Scope.VISIT, Sql.SOURCE, Case.LOWER),
    VISIT_REFERRER("visit:referrer", Scope.VISIT, Sql.REFERRER, Case.EXACT),
    VISIT_UTM_MEDIUM("visit:utm_medium", Scope.VISIT, Sql.utm("utm_medium"), Case.LOWER),
    VISIT_UTM_SOURCE("visit:utm_source", Scope.VISIT, Sql.utm("utm_source"), Case.LOWER),
    VISIT_UTM_CAMPAIGN("visit:utm_campaign", Scope.VISIT, Sql.utm("utm_campaign"), Case.LOWER),
    VISIT_UTM_CONTENT("visit:utm_content", Scope.VISIT, Sql.utm("utm_content"), Case.LOWER),
    VISIT_UTM_TERM("visit:utm_term", Scope.VISIT, Sql.utm("utm_term"), Case.LOWER),
    VISIT_ENTRY_PAGE("visit:entry_page", Scope.VISIT, "path", Case.EXACT),
    VISIT_EXIT_PAGE("visit:exit_page", Scope.VISIT, "path", Case.EXACT),
    VISIT_BROWSER("visit:browser", Scope.EVENT, "browser", Case.EXACT),
    VISIT_OS("visit:os", Scope.EVENT, "os", Case.EXACT),
    VISIT_DEVICE("visit:device", Scope.EVENT, "device", Case.LOWER),
    VISIT_COUNTRY("visit:country", Scope.EVENT, "country", Case.UPPER);

    /** Where a clause applies: to each event, or to whole visits. */
    public enum Scope
    {
        EVENT, VISIT
    }

    /** How values compare: as given, or folded to the case the store keeps (devices lower, countries upper). */
    enum Case
    {
        EXACT, LOWER, UPPER
    }

    private final String text;
    private final Scope scope;
    private final String expression;
    private final Case valueCase;

    Dimension(final String text, final Scope scope, final String expression, final Case valueCase)
    {
        this.text = text;
        this.scope = scope;
        this.expression = expression;
        this.valueCase = valueCase;
    }

    /** The name in a filter: {@code event:page}; {@code event:props:} for properties (followed by the key). */
    public String text()
    {
        return text;
    }

    /**
     * The scope. The browser, system, device and country are visit properties in Plausible, but Tally records them
     * on every event of the visit alike, so they are tested per event (the same events, a cheaper query).
     */
    public Scope scope()
    {
        return scope;
    }

    /** The SQL expression over one event's columns (for a visit dimension: the event it is read from). */
    public String expression()
    {
        return expression;
    }

    /**
     * For a visit dimension, the session's value as an aggregate over its events (engagement beacons left out by the
     * caller): its earliest event's, or latest for the exit page, ties broken by journal order.
     */
    public String sessionValue()
    {
        final String which = this == VISIT_EXIT_PAGE ? "arg_max" : "arg_min";
        // arg_min skips a NULL value: read '' instead, and turn it back into NULL
        return "nullif(" + which + "(coalesce(" + expression + ", ''), (time, journal_index)), '')";
    }

    /** The referrer's domain (lower case, without {@code www.}; empty without one): the rollups' referrer source. */
    public static String referrerDomainSql()
    {
        return Sql.REFERRER_DOMAIN;
    }

    /** {@code value} folded as this dimension compares it. */
    String fold(final String value)
    {
        return switch (valueCase)
        {
            case EXACT -> value;
            case LOWER -> value.toLowerCase(Locale.ROOT);
            case UPPER -> value.toUpperCase(Locale.ROOT);
        };
    }

    /** The dimension named {@code name} ({@code event:props:KEY} names {@link #EVENT_PROPS}). */
    static Optional<Dimension> named(final String name)
    {
        if (name.startsWith(EVENT_PROPS.text))
        {
            return Optional.of(EVENT_PROPS);
        }
        return Arrays.stream(values()).filter(d -> d != EVENT_PROPS && d.text.equals(name)).findFirst();
    }

    /** The names a filter may use, for error messages. */
    static String known()
    {
        return Arrays.stream(values()).map(d -> d == EVENT_PROPS ? "event:props:KEY" : d.text).collect(Collectors.joining(", "));
    }

    /** The SQL texts the visit dimensions derive from a URL or a referrer, as the rollups read them (store's Source). */
    private static final class Sql
    {
        /** The URL's host, without port or user. */
        static final String HOSTNAME = "lower(regexp_extract(url, '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#:]*)', 1))";
        /** The referrer's domain, lower case, without {@code www.}; empty without one. */
        static final String REFERRER_DOMAIN = "regexp_replace(lower(regexp_extract(coalesce(referrer, ''), "
            + "'^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/?#:]*)', 1)), '^www\\.', '')";
        /** The referrer without its scheme and {@code www.}; {@code (direct)} without one. */
        static final String REFERRER = "coalesce(nullif(regexp_replace(regexp_replace(coalesce(referrer, ''), "
            + "'^[A-Za-z][A-Za-z0-9+.-]*://', ''), '^www\\.', ''), ''), '(direct)')";
        /** {@code utm_source} when the page had one, else the referrer's domain, else {@code (direct)}. */
        static final String SOURCE = "coalesce(nullif(" + parameter("utm_source") + ", ''), nullif(" + REFERRER_DOMAIN
            + ", ''), '(direct)')";

        private Sql()
        {
        }

        /** A UTM parameter of the page URL, decoded, trimmed, lower case; {@code (none)} when absent or empty. */
        static String utm(final String name)
        {
            return "coalesce(nullif(" + parameter(name) + ", ''), '(none)')";
        }

        /** A query parameter's value ({@code name} is a constant of this class, never user text); empty when absent. */
        private static String parameter(final String name)
        {
            return "lower(trim(url_decode(replace(regexp_extract(coalesce(url, ''), '^[^#]*[?&]" + name
                + "=([^&#]*)', 1), '+', ' '))))";
        }
    }
}
