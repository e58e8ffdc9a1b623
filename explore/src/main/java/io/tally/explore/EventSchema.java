package io.tally.explore;

/**
 * The columns of the event store's files, version {@value #VERSION}: every field of a journal record (docs/events.md
 * lists them). A change of a column's name, type or meaning is a new version: files are kept under a directory per
 * version, and a version the sealer does not find is sealed again from the journal.
 */
public final class EventSchema
{
    /** The layout version: the name of the directory under {@code DATA_DIR/events} that holds its files. */
    public static final String VERSION = "v1";

    /** Exact decimals (revenue, goal value, engaged seconds) hold any journal amount: a long with up to 18 digits after the point. */
    public static final int DECIMAL_SCALE = 18;

    /** The columns, in the order {@link EventRows} appends them. */
    static final String COLUMNS = String.join(",\n",
        "journal_index BIGINT NOT NULL",
        "layout_version UTINYINT NOT NULL",
        "site VARCHAR NOT NULL",
        "time TIMESTAMP NOT NULL",
        "received TIMESTAMP NOT NULL",
        "type VARCHAR NOT NULL",
        "name VARCHAR",
        "url VARCHAR",
        "path VARCHAR",
        "referrer VARCHAR",
        "visitor_id BIGINT NOT NULL",
        "session_id BIGINT NOT NULL",
        "target VARCHAR",
        "text VARCHAR",
        "title VARCHAR",
        "form_name VARCHAR",
        "form_id VARCHAR",
        "form_plugin VARCHAR",
        "label VARCHAR",
        "action VARCHAR",
        "category VARCHAR",
        "asin VARCHAR",
        "revenue DECIMAL(38,18)",
        "revenue_currency VARCHAR",
        "goal VARCHAR",
        "goal_weight UTINYINT",
        "goal_first BOOLEAN NOT NULL",
        "conversion BOOLEAN NOT NULL",
        "session_converted BOOLEAN NOT NULL",
        "goal_value DECIMAL(38,18)",
        "goal_value_currency VARCHAR",
        "engaged_seconds DECIMAL(38,18)",
        "scroll_depth UTINYINT",
        "device VARCHAR",
        "country VARCHAR",
        "robot VARCHAR",
        "browser VARCHAR",
        "browser_version VARCHAR",
        "os VARCHAR",
        "os_version VARCHAR",
        "idempotency_key VARCHAR",
        "props MAP(VARCHAR, VARCHAR)",
        "props_dropped USMALLINT NOT NULL");

    private EventSchema()
    {
    }

    /** {@code CREATE TABLE name (the columns)}, with {@code extra} columns after them (none when empty). */
    public static String createTable(final String name, final String extra)
    {
        return "CREATE TABLE " + name + " (\n" + COLUMNS + (extra.isEmpty() ? "" : ",\n" + extra) + ")";
    }
}
