package io.tally.codec;

/**
 * Every answer Tally gives to an ingest request, with its stable error code and HTTP status.
 * <p>
 * Decoders and handlers return one of these instead of throwing: bad input is normal traffic for an
 * ingest engine, so it is counted and answered, never raised. The code strings are a public contract
 * (clients and dashboards key on them); add new ones, never rename.
 */
public enum Outcome
{
    ACCEPTED("accepted", 202),

    INVALID_JSON("invalid_json", 400),
    NOT_OBJECT("not_object", 400),
    INVALID_UTF8("invalid_utf8", 400),
    INVALID_ESCAPE("invalid_escape", 400),
    TRAILING_DATA("trailing_data", 400),
    TOO_DEEP("too_deep", 400),
    TOO_MANY_KEYS("too_many_keys", 400),
    DUPLICATE_KEY("duplicate_key", 400),
    MISSING_FIELD("missing_field", 400),
    WRONG_TYPE("wrong_type", 400),
    UNKNOWN_TYPE("unknown_type", 400),
    NAME_TOO_LONG("name_too_long", 400),
    KEY_TOO_LONG("key_too_long", 400),
    PROPS_MISMATCH("props_mismatch", 400),
    INVALID_REVENUE("invalid_revenue", 400),
    INVALID_CURRENCY("invalid_currency", 400),
    INVALID_NUMBER("invalid_number", 400),
    INVALID_URL("invalid_url", 400),
    UNKNOWN_SITE("unknown_site", 400),
    BAD_REQUEST("bad_request", 400),
    INVALID_TIMESTAMP("invalid_timestamp", 400),
    INVALID_IP("invalid_ip", 400),
    LINE_TOO_LONG("line_too_long", 400),
    /** A trusted event whose idempotency key was already journaled: acknowledged, not stored again. */
    DUPLICATE("duplicate", 200),
    /**
     * A robot's event (a crawler, automation, or a spam referrer): answered as an accepted one (a robot learns
     * nothing), not stored unless the engine keeps robots' events, and counted by reason.
     */
    ROBOT("robot", 202),

    UNAUTHORIZED("unauthorized", 401),
    FORBIDDEN_SITE("forbidden_site", 403),
    /** {@code /metrics} or {@code /healthz} from an address not allowed to read them, without the metrics token. */
    FORBIDDEN("forbidden", 403),

    NOT_FOUND("not_found", 404),
    /** An event sent to a cluster's rollup worker, which counts only what the ingest nodes forward: not stored. */
    NOT_AN_INGEST_NODE("not_an_ingest_node", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    /** A request not read whole within the read timeout of its first byte. */
    REQUEST_TIMEOUT("request_timeout", 408),
    BODY_TOO_LARGE("body_too_large", 413),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    HEADERS_TOO_LARGE("headers_too_large", 431),
    RATE_LIMITED("rate_limited", 429),
    /** The site has used its monthly event quota (pageviews and custom events count). */
    QUOTA_EXCEEDED("quota_exceeded", 429),
    JOURNAL_UNAVAILABLE("journal_unavailable", 503),
    /** The data dir's file system has less free space than the engine keeps in reserve. */
    DISK_FULL("disk_full", 503),
    SHUTTING_DOWN("shutting_down", 503),
    /** The admin, stats and limits API has more requests waiting than it takes: try again shortly. */
    BUSY("busy", 503),
    /** A request of the admin, stats or limits API failed in a way it does not expect (the log has why). */
    INTERNAL_ERROR("internal_error", 500);

    private static final Outcome[] VALUES = values();

    private final String code;
    private final int httpStatus;

    Outcome(final String code, final int httpStatus)
    {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code()
    {
        return code;
    }

    public int httpStatus()
    {
        return httpStatus;
    }

    public boolean isAccepted()
    {
        return this == ACCEPTED;
    }

    public static int count()
    {
        return VALUES.length;
    }

    public static Outcome get(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
