package io.tally.codec;

/**
 * Why part of an accepted event was not kept. Each has a stable name: it is what the {@code Tally-Dropped}
 * answer header and the {@code dropped_fields} counters of {@code /healthz} and {@code /metrics} call it
 * (docs/plausible.md). Add new ones at the end, never rename.
 */
public enum DropReason
{
    /** Properties past the 30th. */
    PROPS("props"),
    /** A property whose key is empty or only spaces (Plausible drops it). */
    PROP_KEY("prop_key"),
    /** A property whose value is null, empty, only spaces, an array or an object (Plausible drops it). */
    PROP_VALUE("prop_value"),
    /** Properties that were no object, nor a string holding one: none are kept. */
    PROPS_INVALID("props_invalid"),
    /** A revenue that is no object (or string holding one) with a non-negative amount and an ISO 4217 currency. */
    REVENUE("revenue"),
    /** A referrer that is no http(s) or android-app URL with a host, or points at the page's own site. */
    REFERRER("referrer"),
    /** An engagement's {@code sd} that is no integer of at least 0. */
    SCROLL_DEPTH("scroll_depth"),
    /** An engagement's {@code e} that is no integer of milliseconds from 0 up to 30 days. */
    ENGAGED_TIME("engaged_time"),
    /** A domain of a comma-separated list that names no site: the event is kept for the listed sites that exist. */
    DOMAIN("domain"),
    /** A whole engagement event for a visitor without a live session (Plausible drops it too). */
    NO_SESSION("no_session"),
    /**
     * A listed site of a domain list whose event was refused (its quota, a full disk) after the event of an earlier
     * listed site was journaled: the body is answered 202, since a retry would count the journaled one twice.
     */
    SITE_REFUSED("site_refused");

    private static final DropReason[] VALUES = values();
    /** How many there are: the size of arrays indexed by {@link #ordinal()}. */
    public static final int COUNT = VALUES.length;

    private final String wireName;

    DropReason(final String wireName)
    {
        this.wireName = wireName;
    }

    /** The name in the {@code Tally-Dropped} header and the counters. */
    public String wireName()
    {
        return wireName;
    }

    public static DropReason get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
