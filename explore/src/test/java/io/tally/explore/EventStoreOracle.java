package io.tally.explore;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import io.tally.store.Journal;
import io.tally.store.JournalReader;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The figures of each site and hour, twice: from a plain scan of the journal (Java, exact BigDecimal sums), and from
 * DuckDB over the event store's files. Equal maps mean the store holds exactly the journal's events: the count and
 * the sum of journal indices catch a record missing or counted twice; the sums, distinct counts and audience counts
 * catch a field written wrong.
 */
public final class EventStoreOracle
{
    private static final String FIGURES = "SELECT site, CAST(floor(epoch_ms(time) / 3600000) AS BIGINT) AS hour, " +
        "count(*), CAST(sum(journal_index::HUGEINT) AS VARCHAR), count(DISTINCT journal_index), count(DISTINCT visitor_id), " +
        "sum(revenue), sum(goal_value), sum(engaged_seconds), count(*) FILTER (WHERE conversion), " +
        "count(goal), coalesce(sum(cardinality(props)), 0), count(country), count(browser), coalesce(sum(scroll_depth), 0), " +
        "count(robot), count(DISTINCT name) FROM events GROUP BY ALL";

    private EventStoreOracle()
    {
    }

    /** Up to and including journal index {@code upTo} (all when negative... none when -1 is the store's position). */
    public static Map<String, List<String>> fromJournal(final Path dataDir, final long upTo)
    {
        final Map<String, Figures> figures = new TreeMap<>();
        try (Journal journal = Journal.openForReading(dataDir); JournalReader reader = journal.newReader())
        {
            final boolean[] done = {upTo < 0};
            while (!done[0] && reader.read((index, record) ->
            {
                if (index > upTo)
                {
                    done[0] = true;
                    return;
                }
                figures.computeIfAbsent(key(record.string(EventRecord.SITE), EventFiles.hourOf(record.eventTime())),
                    key -> new Figures()).add(index, record);
            }, 4096) > 0)
            {
                // reads to upTo
            }
        }
        final Map<String, List<String>> out = new TreeMap<>();
        figures.forEach((key, value) -> out.put(key, value.row()));
        return out;
    }

    /** The same figures from the store's files, as a query by {@link EventQueries} over everything sealed. */
    public static Map<String, List<String>> fromStore(final Path dataDir) throws SQLException
    {
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            return queries.queryAll(FIGURES, rows ->
            {
                final Map<String, List<String>> out = new TreeMap<>();
                while (rows.next())
                {
                    final List<String> row = new ArrayList<>();
                    row.add(Long.toString(rows.getLong(3)));
                    row.add(new BigInteger(rows.getString(4)).toString());
                    row.add(Long.toString(rows.getLong(5)));
                    row.add(Long.toString(rows.getLong(6)));
                    row.add(plain(rows.getBigDecimal(7)));
                    row.add(plain(rows.getBigDecimal(8)));
                    row.add(plain(rows.getBigDecimal(9)));
                    for (int column = 10; column <= 17; column++)
                    {
                        row.add(Long.toString(rows.getLong(column)));
                    }
                    out.put(key(rows.getString(1), rows.getLong(2)), row);
                }
                return out;
            });
        }
    }

    private static String key(final String site, final long hour)
    {
        return site + " " + java.time.Instant.ofEpochMilli(hour * 3_600_000L);
    }

    private static String plain(final BigDecimal value)
    {
        return value == null ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static final class Figures
    {
        long count;
        BigInteger indexSum = BigInteger.ZERO;
        final Set<Long> indices = new HashSet<>();
        final Set<Long> visitors = new HashSet<>();
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal goalValue = BigDecimal.ZERO;
        BigDecimal seconds = BigDecimal.ZERO;
        long conversions;
        long goals;
        long props;
        long countries;
        long browsers;
        long scroll;
        long robots;
        final Set<String> names = new HashSet<>();

        void add(final long index, final EventRecordDecoder record)
        {
            count++;
            indexSum = indexSum.add(BigInteger.valueOf(index));
            indices.add(index);
            visitors.add(record.visitorId());
            if (record.hasFlag(EventRecord.FLAG_REVENUE))
            {
                revenue = revenue.add(BigDecimal.valueOf(record.revenueUnscaled(), record.revenueScale()));
            }
            if (record.hasFlag(EventRecord.FLAG_VALUE))
            {
                goalValue = goalValue.add(BigDecimal.valueOf(record.valueUnscaled(), record.valueScale()));
            }
            if (record.hasFlag(EventRecord.FLAG_SECONDS))
            {
                seconds = seconds.add(BigDecimal.valueOf(record.secondsUnscaled(), record.secondsScale()));
            }
            conversions += record.hasFlag(EventRecord.FLAG_CONVERSION) ? 1 : 0;
            goals += record.string(EventRecord.GOAL).isEmpty() ? 0 : 1;
            props += record.propertyCount();
            countries += record.hasCountry() ? 1 : 0;
            browsers += record.string(EventRecord.BROWSER).isEmpty() ? 0 : 1;
            scroll += Math.max(0, record.scrollDepth());
            robots += record.robotReason() == EventRecord.ROBOT_NONE ? 0 : 1;
            if (!record.string(EventRecord.NAME).isEmpty())
            {
                names.add(record.string(EventRecord.NAME));
            }
        }

        List<String> row()
        {
            return List.of(Long.toString(count), indexSum.toString(), Integer.toString(indices.size()),
                Integer.toString(visitors.size()), plain(revenue), plain(goalValue), plain(seconds), Long.toString(conversions),
                Long.toString(goals), Long.toString(props), Long.toString(countries), Long.toString(browsers),
                Long.toString(scroll), Long.toString(robots), Integer.toString(names.size()));
        }
    }
}
