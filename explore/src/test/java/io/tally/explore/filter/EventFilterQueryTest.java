package io.tally.explore.filter;

import io.tally.explore.DuckDb;
import io.tally.explore.EventSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filters run by DuckDB over a table of the event store's own columns, compared with a plain pass over the same
 * random events in Java (the rules of docs/events.md, "Filters", written out directly): every filter selects
 * exactly the events the pass selects.
 */
class EventFilterQueryTest
{
    private static final String[] PATHS = {"/", "/pricing", "/pricing/team", "/blog/a", "/blog/b_c", "/100%", "/thanks"};
    private static final String[] TYPES = {"pageview", "pageview", "pageview", "custom", "engagement"};
    private static final String[] NAMES = {"Signup", "Buy", "a|b"};
    private static final String[] GOALS = {null, null, "Buy", "Signup"};
    private static final String[] PLANS = {null, "pro", "team", "free"};
    private static final String[] REFERRERS = {null, "https://www.news.example/story", "http://t.co/x", "https://Search.Example"};
    private static final String[] QUERIES = {"", "?utm_source=News&utm_campaign=Spring+Sale", "?utm_medium=email&utm_term=a%20b",
        "?x=1&utm_content=Banner#top"};
    private static final String[] DEVICES = {null, "desktop", "mobile"};
    private static final String[] COUNTRIES = {null, "DE", "FR"};
    private static final String[] BROWSERS = {"Chrome", "Firefox"};

    private static Connection database;
    private static final List<Row> ROWS = new ArrayList<>();

    /** One event: the columns filters read. */
    record Row(long index, long time, long session, String type, String name, String url, String path, String referrer,
        String goal, String plan, String device, String country, String browser)
    {
    }

    @BeforeAll
    static void load() throws SQLException
    {
        database = DuckDb.open(1);
        try (Statement statement = database.createStatement())
        {
            statement.execute(EventSchema.createTable("events", ""));
        }
        final Random random = new Random(18);
        long index = 0;
        for (long session = 1; session <= 60; session++)
        {
            final String referrer = pick(random, REFERRERS);
            final int events = 1 + random.nextInt(6);
            for (int e = 0; e < events; e++)
            {
                final String type = pick(random, TYPES);
                final String path = pick(random, PATHS);
                final String url = "https://Shop.example" + path + (e == 0 ? pick(random, QUERIES) : "");
                // equal times within a session now and then: journal order decides the first and last
                final long time = 1_000_000L * session + 1000L * (e / 2);
                ROWS.add(new Row(++index, time, session, type, type.equals("custom") ? pick(random, NAMES) : null, url, path,
                    e == 0 ? referrer : null, pick(random, GOALS), pick(random, PLANS), pick(random, DEVICES),
                    pick(random, COUNTRIES), pick(random, BROWSERS)));
            }
        }
        java.util.Collections.shuffle(ROWS, random);
        insert();
    }

    private static void insert() throws SQLException
    {
        try (PreparedStatement insert = database.prepareStatement("INSERT INTO events (journal_index, layout_version, site, time, "
            + "received, type, name, url, path, referrer, visitor_id, session_id, goal, goal_first, conversion, session_converted, "
            + "device, country, browser, props, props_dropped) VALUES (?, 2, 's', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, false, false, "
            + "?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE MAP {'plan': ?} END, 0)"))
        {
            for (final Row row : ROWS)
            {
                int p = 1;
                insert.setLong(p++, row.index());
                insert.setTimestamp(p++, new Timestamp(row.time()));
                insert.setTimestamp(p++, new Timestamp(row.time()));
                insert.setString(p++, row.type());
                insert.setString(p++, row.name());
                insert.setString(p++, row.url());
                insert.setString(p++, row.path());
                insert.setString(p++, row.referrer());
                insert.setLong(p++, row.session() % 40);
                insert.setLong(p++, row.session());
                insert.setString(p++, row.goal());
                insert.setString(p++, row.device());
                insert.setString(p++, row.country());
                insert.setString(p++, row.browser());
                insert.setString(p++, row.plan());
                insert.setString(p, row.plan());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @AfterAll
    static void close() throws SQLException
    {
        database.close();
    }

    @Test
    void eventDimensionsSelectExactlyTheMatchingEvents() throws SQLException
    {
        check("event:name==Signup", event(row -> name(row), "Signup"));
        check("event:name==pageview|Buy", event(row -> name(row), "pageview", "Buy"));
        check("event:name==a\\|b", event(row -> name(row), "a|b"));
        check("event:name!=Signup", row -> !"Signup".equals(name(row)));
        check("event:page==/pricing*", row -> row.path().startsWith("/pricing"));
        check("event:page==/blog/*|/", row -> row.path().startsWith("/blog/") || row.path().equals("/"));
        check("event:page!=/blog*", row -> !row.path().startsWith("/blog"));
        check("event:page==/blog/b_*", row -> row.path().equals("/blog/b_c"));
        check("event:page==/blog/b?c|/blog/_*", row -> false);
        check("event:page==/100%", event(Row::path, "/100%"));
        check("event:page==*%", row -> row.path().endsWith("%"));
        check("event:hostname==shop.example", row -> true);
        check("event:goal==Buy", event(Row::goal, "Buy"));
        check("event:goal!=Buy", row -> !"Buy".equals(row.goal()));
        check("event:props:plan==pro|team", event(Row::plan, "pro", "team"));
        check("event:props:plan!=pro", row -> !"pro".equals(row.plan()));
        check("event:props:tier==gold", row -> false);
        check("event:props:plan==*r*", row -> row.plan() != null && row.plan().contains("r"));
        check("visit:device==Mobile", event(Row::device, "mobile"));
        check("visit:country==de|FR", event(Row::country, "DE", "FR"));
        check("visit:country!=DE", row -> !"DE".equals(row.country()));
        check("visit:browser==Firefox;visit:os==Linux", row -> false);
        check("visit:browser==Firefox", event(Row::browser, "Firefox"));
    }

    @Test
    void visitDimensionsSelectEveryEventOfTheMatchingSessions() throws SQLException
    {
        check("visit:source==news.example", visit(this::first, row -> source(row).equals("news.example")));
        check("visit:source==NEWS", visit(this::first, row -> source(row).equals("news")));
        check("visit:source==(direct)", visit(this::first, row -> source(row).equals("(direct)")));
        check("visit:source==search.example|t.co", visit(this::first, row -> Set.of("search.example", "t.co").contains(source(row))));
        check("visit:referrer==news.example/story", visit(this::first, row -> "https://www.news.example/story".equals(row.referrer())));
        check("visit:referrer==t.co*", visit(this::first, row -> "http://t.co/x".equals(row.referrer())));
        check("visit:utm_campaign==spring sale", visit(this::first, row -> row.url().contains("Spring+Sale")));
        check("visit:utm_campaign!=spring sale", visit(this::first, row -> !row.url().contains("Spring+Sale")));
        check("visit:utm_campaign==(none)", visit(this::first, row -> !row.url().contains("utm_campaign")));
        check("visit:utm_medium==email;visit:utm_term==a b", visit(this::first, row -> row.url().contains("utm_term=a%20b")));
        check("visit:utm_content==banner", visit(this::first, row -> row.url().contains("Banner")));
        check("visit:entry_page==/pricing*", visit(this::first, row -> row.path().startsWith("/pricing")));
        check("visit:exit_page==/thanks", visit(this::last, row -> row.path().equals("/thanks")));
        check("visit:exit_page!=/thanks", visit(this::last, row -> !row.path().equals("/thanks")));
        final Predicate<Row> fromNews = visit(this::first, row -> source(row).equals("news"));
        check("visit:source==news;event:goal==Buy;visit:entry_page!=/", fromNews.and(event(Row::goal, "Buy"))
            .and(visit(this::first, row -> !row.path().equals("/"))));
    }

    /** Runs {@code filters} in DuckDB and compares the events it keeps with those {@code expected} keeps. */
    private static void check(final String filters, final Predicate<Row> expected) throws SQLException
    {
        final EventFilter filter = EventFilter.parse(filters);
        final Set<Long> selected = new TreeSet<>();
        try (PreparedStatement query = database.prepareStatement("SELECT journal_index FROM events WHERE " + filter.sql()))
        {
            for (int i = 0; i < filter.parameters().size(); i++)
            {
                query.setObject(i + 1, filter.parameters().get(i));
            }
            try (ResultSet rows = query.executeQuery())
            {
                while (rows.next())
                {
                    selected.add(rows.getLong(1));
                }
            }
        }
        final Set<Long> oracle = ROWS.stream().filter(expected).map(Row::index).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(oracle, selected, filters);
        assertTrue(oracle.size() < ROWS.size() || filters.contains("hostname") || filters.startsWith("visit:utm_campaign==(none)")
            || filters.contains("!="), "a filter that keeps everything proves little: " + filters);
    }

    private static Predicate<Row> event(final Function<Row, String> value, final String... any)
    {
        final Set<String> values = Set.of(any);
        return row -> value.apply(row) != null && values.contains(value.apply(row));
    }

    /** Every event of the sessions whose {@code which} event (engagement aside) passes {@code test}. */
    private Predicate<Row> visit(final Function<List<Row>, Row> which, final Predicate<Row> test)
    {
        final Map<Long, List<Row>> sessions = ROWS.stream().filter(row -> !row.type().equals("engagement"))
            .collect(Collectors.groupingBy(Row::session));
        final Set<Long> kept = sessions.entrySet().stream().filter(entry -> test.test(which.apply(entry.getValue())))
            .map(Map.Entry::getKey).collect(Collectors.toSet());
        return row -> kept.contains(row.session());
    }

    private Row first(final List<Row> session)
    {
        return session.stream().min(Comparator.comparingLong(Row::time).thenComparingLong(Row::index)).orElseThrow();
    }

    private Row last(final List<Row> session)
    {
        return session.stream().max(Comparator.comparingLong(Row::time).thenComparingLong(Row::index)).orElseThrow();
    }

    private static String name(final Row row)
    {
        return row.name() == null ? row.type() : row.name();
    }

    /** The visit's source: its page's utm_source, else the referrer's domain without www, else (direct). */
    private static String source(final Row row)
    {
        final java.util.regex.Matcher utm = Pattern.compile("[?&]utm_source=([^&#]*)").matcher(row.url());
        if (utm.find())
        {
            return utm.group(1).toLowerCase(Locale.ROOT);
        }
        if (row.referrer() == null)
        {
            return "(direct)";
        }
        return java.net.URI.create(row.referrer()).getHost().toLowerCase(Locale.ROOT).replaceFirst("^www\\.", "");
    }

    private static <T> T pick(final Random random, final T[] values)
    {
        return values[random.nextInt(values.length)];
    }
}
