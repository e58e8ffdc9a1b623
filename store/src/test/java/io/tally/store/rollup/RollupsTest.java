package io.tally.store.rollup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;
import io.tally.store.JournalReader;
import io.tally.store.rollup.day.RollupCaps;
import io.tally.store.rollup.day.Source;
import io.tally.store.state.StateFile;
import io.tally.store.state.StateFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random event streams (sites, visitors, sessions, goals, currencies, late events, many property values)
 * through the real journal into the rollups, compared with a brute-force count over the same events for
 * random ranges; and a checkpoint taken mid-stream then replayed from its index gives the same figures.
 */
class RollupsTest
{
    static final long HOUR = 3_600_000L;
    static final long T0 = 1_790_000_000_000L;
    static final String[] SITES = {"shop.example", "blog.example"};
    private static final String[] NAMES = {"Purchase", "Signup", "Video Play"};
    private static final String[] GOALS = {"Buy", "Join"};
    private static final String[] CURRENCIES = {"USD", "EUR"};

    /** The countries events come from (null: unknown), chosen by {@link #country(Event)}. */
    private static final String[] COUNTRIES = {null, "DE", "FR", "US"};

    @TempDir
    Path dir;

    /** One synthetic event, as the brute force sees it; an engagement ({@code x}) has its time (ms) and scroll depth. */
    record Event(String site, long time, long visitor, long session, String type, String name, String key, String value,
        long revenueCents, String currency, String goal, boolean conversion, long valueCents, int weight, String url,
        String referrer, long engagedMillis, int scrollDepth)
    {
        Event(final String site, final long time, final long visitor, final long session, final String type, final String name,
            final String key, final String value, final long revenueCents, final String currency, final String goal,
            final boolean conversion, final long valueCents, final int weight, final String url, final String referrer)
        {
            this(site, time, visitor, session, type, name, key, value, revenueCents, currency, goal, conversion, valueCents,
                weight, url, referrer, 0, -1);
        }
    }

    @Test
    void everyFigureEqualsABruteForceCountOverTheJournal()
    {
        final Random random = new Random(0x5EEDL);
        final List<Event> events = randomEvents(random, 20_000);
        final Rollups rollups = new Rollups();
        try (Journal journal = Journal.openForWriting(dir))
        {
            write(journal, events);
            try (JournalReader reader = journal.newReader())
            {
                while (reader.read(rollups::apply, 1000) > 0)
                {
                    // all of it
                }
            }
        }
        for (int check = 0; check < 200; check++)
        {
            final String site = SITES[random.nextInt(SITES.length)];
            final long from = T0 + (random.nextInt(60) - 5) * HOUR;
            final long to = from + (1 + random.nextInt(48)) * HOUR;
            assertSameFigures(site, from, to, events, rollups.totals(site, from, to));
        }
        assertSameFigures("shop.example", T0 - 1000 * HOUR, T0 + 1000 * HOUR, events,
            rollups.totals("shop.example", T0 - 1000 * HOUR, T0 + 1000 * HOUR));
    }

    /**
     * Applied in large batches, where visitors and sessions below a bitmap's largest are held in sorted runs and merged
     * at the batch's end, at a change of day or site, or when a slab fills: the figures equal a brute-force
     * count. The events come site by site, so a batch's runs grow long (hundreds of repeat visitors an hour); a tenth
     * of them are hours late, so batches go back and forth between days.
     */
    @Test
    void batchesHoldingVisitorsInSortedRunsCountExactly() throws IOException
    {
        final Random random = new Random(0xBA7C4L);
        final List<Event> events = new ArrayList<>(randomEvents(random, 30_000));
        events.sort(java.util.Comparator.comparing(Event::site)); // stable: each site's events in their order
        final Rollups rollups = new Rollups();
        try (Journal journal = Journal.openForWriting(dir))
        {
            write(journal, events);
            try (JournalReader reader = journal.newReader())
            {
                while (rollups.applyFrom(reader, 4_096) > 0)
                {
                    // all of it
                }
            }
        }
        for (int check = 0; check < 100; check++)
        {
            final String site = SITES[random.nextInt(SITES.length)];
            final long from = T0 + (random.nextInt(60) - 5) * HOUR;
            final long to = from + (1 + random.nextInt(48)) * HOUR;
            assertSameFigures(site, from, to, events, rollups.totals(site, from, to));
        }
        for (final String site : SITES)
        {
            assertSameFigures(site, T0 - 1000 * HOUR, T0 + 1000 * HOUR, events, rollups.totals(site, T0 - 1000 * HOUR, T0 + 1000 * HOUR));
        }
    }

    /**
     * A batch that fails after its records were counted (here every third, once its records' work is done and
     * while their day still holds visitors in sorted runs) leaves them counted exactly: the runs are merged on the
     * way out, so a query right after reads every one of them, and the next batch gets the slabs back.
     */
    @Test
    void aBatchFailingWhileItsDayHoldsRunsStillCountsItsRecordsExactly() throws IOException
    {
        final Random random = new Random(0xFA11L);
        final List<Event> events = new ArrayList<>(randomEvents(random, 20_000));
        // each site's events in time order: a day gets thousands of records in a row, so its runs are lent
        events.sort(java.util.Comparator.comparing(Event::site).thenComparingLong(Event::time));
        final Rollups rollups = new Rollups();
        int failed = 0;
        int applied = 0;
        try (Journal journal = Journal.openForWriting(dir))
        {
            write(journal, events);
            try (JournalReader reader = journal.newReader())
            {
                for (int batch = 0, read = 1; read > 0; batch++)
                {
                    final boolean fail = batch % 3 == 1;
                    final int[] counted = {0};
                    try
                    {
                        rollups.applyBatch(sink ->
                        {
                            counted[0] = reader.read(sink, 4_096);
                            if (fail && counted[0] > 0)
                            {
                                throw new IllegalStateException("a failure after the batch's records");
                            }
                            return counted[0];
                        });
                    }
                    catch (final IllegalStateException expected)
                    {
                        failed++;
                        applied += counted[0];
                        // read at once, before another batch could merge what the failed one held
                        for (final String site : SITES)
                        {
                            assertSameFigures(site, T0 - 1000 * HOUR, T0 + 1000 * HOUR, events.subList(0, applied),
                                rollups.totals(site, T0 - 1000 * HOUR, T0 + 1000 * HOUR));
                        }
                        continue;
                    }
                    applied += counted[0];
                    read = counted[0];
                }
            }
        }
        assertTrue(failed >= 1, "some batches failed");
        for (final String site : SITES)
        {
            assertSameFigures(site, T0 - 1000 * HOUR, T0 + 1000 * HOUR, events, rollups.totals(site, T0 - 1000 * HOUR, T0 + 1000 * HOUR));
        }
        for (int check = 0; check < 50; check++)
        {
            final String site = SITES[random.nextInt(SITES.length)];
            final long from = T0 + (random.nextInt(60) - 5) * HOUR;
            final long to = from + (1 + random.nextInt(48)) * HOUR;
            assertSameFigures(site, from, to, events, rollups.totals(site, from, to));
        }
    }

    /**
     * Queries run on several threads at once (a dashboard asks for its panels together). A range longer than the
     * days a site has walks the site's day maps; a map that hands every caller the same iterator breaks under two.
     */
    @Test
    void queriesOnManyThreadsAtOnceSeeTheSameFigures() throws Exception
    {
        final List<Event> events = randomEvents(new Random(11), 4_000);
        final Rollups rollups = new Rollups();
        try (Journal journal = Journal.openForWriting(dir))
        {
            write(journal, events);
            applyAll(journal, rollups);
        }
        final long from = T0 - 1000 * HOUR;
        final long to = T0 + 1000 * HOUR;
        final long visitors = rollups.totals("shop.example", from, to).visitors();
        final long pageviews = rollups.totals("shop.example", from, to).pageviews();
        final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try
        {
            final List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                runs.add(threads.submit(() ->
                {
                    for (int i = 0; i < 300; i++)
                    {
                        final RangeTotals totals = rollups.totals("shop.example", from, to);
                        assertEquals(visitors, totals.visitors());
                        assertEquals(pageviews, totals.pageviews());
                    }
                    return null;
                }));
            }
            for (final java.util.concurrent.Future<?> run : runs)
            {
                run.get();
            }
        }
        finally
        {
            threads.shutdownNow();
        }
    }

    @Test
    void aCheckpointPlusTheTailGivesTheSameFiguresAsOnePass()
    {
        final List<Event> events = randomEvents(new Random(7), 6_000);
        final StateFiles files = new StateFiles(dir);
        final Rollups whole = new Rollups();
        try (Journal journal = Journal.openForWriting(dir.resolve("data")))
        {
            write(journal, events);
            final Rollups first = new Rollups();
            try (JournalReader reader = journal.newReader())
            {
                reader.read(first::apply, 2_500);
            }
            new RollupCheckpoint(files).write(first, List.of());
            final Rollups resumed = new RollupCheckpoint(files).load(journal);
            assertEquals(first.lastIndex(), resumed.lastIndex());
            try (JournalReader reader = journal.newReader())
            {
                RollupAgent.skipToTail(reader, resumed.lastIndex());
                while (reader.read(resumed::apply, 1000) > 0)
                {
                    // the tail
                }
            }
            try (JournalReader reader = journal.newReader())
            {
                while (reader.read(whole::apply, 1000) > 0)
                {
                    // all of it
                }
            }
            for (final String site : SITES)
            {
                final RangeTotals a = whole.totals(site, T0 - 100 * HOUR, T0 + 100 * HOUR);
                final RangeTotals b = resumed.totals(site, T0 - 100 * HOUR, T0 + 100 * HOUR);
                assertSameFigures(site, T0 - 100 * HOUR, T0 + 100 * HOUR, events, b);
                assertEquals(a.visitors(), b.visitors());
                assertEquals(a.names().keySet(), b.names().keySet());
            }
        }
    }

    @Test
    void aRangeFarWiderThanTheDataIsAnsweredFromTheDaysThereAre()
    {
        final List<Event> events = randomEvents(new Random(11), 1_000);
        final Rollups rollups = new Rollups();
        try (Journal journal = Journal.openForWriting(dir.resolve("wide")))
        {
            write(journal, events);
            applyAll(journal, rollups);
        }
        for (final String site : SITES)
        {
            assertSameFigures(site, Long.MIN_VALUE / 4, Long.MAX_VALUE / 4, events, rollups.totals(site, Long.MIN_VALUE / 4,
                Long.MAX_VALUE / 4));
        }
    }

    @Test
    void aCheckpointOfAnotherLayoutVersionIsSetAsideAndTheJournalCountedAgain() throws IOException
    {
        final StateFiles files = new StateFiles(dir);
        StateFile.write(files.path(RollupCheckpoint.FILE), new byte[] {0x54, 0x52, 0x4C, 0x34, 0, 0, 0, 0, 0, 0, 0, 7});
        try (Journal journal = Journal.openForWriting(dir.resolve("data")))
        {
            assertEquals(-1, new RollupCheckpoint(files).load(journal).lastIndex(),
                "empty rollups: the agent applies the journal from its start");
        }
        assertEquals(1, files.setAside().size());
        assertTrue(files.setAside().get(0).reason().contains("layout 54524c34"), files.setAside().toString());
        assertFalse(Files.exists(files.path(RollupCheckpoint.FILE)));
    }

    @Test
    void aKeyKeepsAtMostAThousandValuesAnHourTheRestCountAsOther()
    {
        final List<Event> events = new ArrayList<>();
        for (int i = 0; i < 1_500; i++)
        {
            events.add(new Event("shop.example", T0 + i, i, i, "e", "Search", "query", "q" + i, 0, null, null, false, 0, 0,
                "https://shop.example/", ""));
        }
        final Rollups rollups = new Rollups();
        try (Journal journal = Journal.openForWriting(dir))
        {
            write(journal, events);
            try (JournalReader reader = journal.newReader())
            {
                while (reader.read(rollups::apply, 1000) > 0)
                {
                    // all of it
                }
            }
        }
        final Map<String, long[]> values = rollups.totals("shop.example", T0, T0 + HOUR).properties("Search").get("query");
        assertEquals(RollupCaps.MAX_VALUES_PER_KEY + 1, values.size());
        assertEquals(500, values.get(RollupCaps.OTHER)[0]);
        assertEquals(500, values.get(RollupCaps.OTHER)[1]);
        assertEquals(1_500, values.values().stream().mapToLong(c -> c[0]).sum(), "nothing is lost, only grouped");
    }

    @Test
    void anHourKeepsAtMostAThousandNamesTheRestCountAsOtherAlsoAfterACheckpoint()
    {
        final List<Event> atCap = new ArrayList<>();
        for (int i = 0; i < RollupCaps.MAX_NAMES_PER_HOUR; i++)
        {
            atCap.add(named("n" + i, i));
        }
        final Rollups rollups = new Rollups();
        final StateFiles files = new StateFiles(dir);
        final Rollups restarted;
        try (Journal journal = Journal.openForWriting(dir.resolve("journal")))
        {
            write(journal, atCap);
            applyAll(journal, rollups);
            assertEquals(RollupCaps.MAX_NAMES_PER_HOUR, rollups.totals("shop.example", T0, T0 + HOUR).names().size(),
                "at the cap every name is its own");
            new RollupCheckpoint(files).write(rollups, List.of());
            restarted = new RollupCheckpoint(files).load(journal);
        }
        try (Journal journal = Journal.openForWriting(dir.resolve("past")))
        {
            write(journal, List.of(named("late-1", 5_000), named("late-1", 5_001), named("late-2", 5_000), named("n0", 5_002)));
            applyAll(journal, restarted);
        }
        final Map<String, long[]> names = restarted.totals("shop.example", T0, T0 + HOUR).names();
        assertEquals(RollupCaps.MAX_NAMES_PER_HOUR + 1, names.size());
        assertEquals(List.of(3L, 2L), List.of(names.get(RollupCaps.OTHER)[0], names.get(RollupCaps.OTHER)[1]),
            "the new names past the cap: 3 events of 2 visitors");
        assertEquals(List.of(2L, 2L), List.of(names.get("n0")[0], names.get("n0")[1]), "a name kept is still counted");
    }

    /** Texts past a cap count under (other) and never enter the day's dictionary: a flood of names cannot grow it. */
    @Test
    void namesAndValuesPastTheirCapsAreNotKeptInTheDaysDictionary()
    {
        final List<Event> flood = new ArrayList<>();
        for (int i = 0; i < 3 * RollupCaps.MAX_NAMES_PER_HOUR; i++)
        {
            flood.add(named("flood-" + i + "-" + "x".repeat(100), i % 1000));
        }
        final Rollups rollups = new Rollups();
        try (Journal journal = Journal.openForWriting(dir.resolve("flood")))
        {
            write(journal, flood);
            applyAll(journal, rollups);
        }
        final io.tally.store.rollup.day.DayCube day = rollups.sites.get(0).open.values().iterator().next().cube;
        assertTrue(day.strings().size() <= RollupCaps.MAX_NAMES_PER_HOUR + 10,
            day.strings().size() + " texts for " + flood.size() + " names, at most " + RollupCaps.MAX_NAMES_PER_HOUR + " kept");
        assertEquals(2 * RollupCaps.MAX_NAMES_PER_HOUR, rollups.totals("shop.example", T0, T0 + HOUR).names().get(RollupCaps.OTHER)[0]);
    }

    private static Event named(final String name, final long visitor)
    {
        return new Event("shop.example", T0 + visitor, visitor, visitor, "e", name, null, null, 0, null, null, false, 0, 0,
            "https://shop.example/", "");
    }

    private static void applyAll(final Journal journal, final Rollups rollups)
    {
        try (JournalReader reader = journal.newReader())
        {
            while (reader.read(rollups::apply, 1000) > 0)
            {
                // all of it
            }
        }
    }

    static void assertSameFigures(final String site, final long from, final long to, final List<Event> all,
        final RangeTotals totals)
    {
        final long fromHour = Math.floorDiv(from, HOUR) * HOUR;
        final long toHour = Math.floorDiv(to + HOUR - 1, HOUR) * HOUR;
        // robots' events are journaled flagged (as with --keep-bots) and counted nowhere
        final List<Event> events = all.stream().filter(e -> e.site.equals(site) && e.time >= fromHour && e.time < toHour &&
            !TestAudience.isRobot(e)).toList();
        final String where = site + " [" + from + ", " + to + ")";
        TestAudience.assertSameFigures(events, totals.audience(), where);
        assertEquals(events.stream().map(Event::visitor).distinct().count(), totals.visitors(), "visitors " + where);
        assertEquals(events.stream().map(Event::session).distinct().count(), totals.sessions(), "sessions " + where);
        assertEquals(events.stream().filter(e -> e.type.equals("p")).count(), totals.pageviews(), "pageviews " + where);
        assertEquals(events.stream().filter(e -> !e.type.equals("p") && !e.type.equals("x")).count(), totals.events(),
            "events " + where);
        assertEquals(events.stream().filter(Event::conversion).count(), totals.conversions(), "conversions " + where);
        assertEquals(money(events, e -> true), totals.revenue(), "revenue " + where);
        assertCountries(events, totals, where);
        final Map<String, long[]> names = totals.names();
        for (final String name : NAMES)
        {
            final List<Event> named = events.stream().filter(e -> !e.type.equals("p") && e.name.equals(name)).toList();
            final long[] counts = names.getOrDefault(name, new long[2]);
            assertEquals(named.size(), counts[0], "events of " + name);
            assertEquals(named.stream().map(Event::visitor).distinct().count(), counts[1], "visitors of " + name);
            final Map<String, long[]> values = totals.properties(name).getOrDefault("plan", Map.of());
            for (final String value : new String[] {"free", "pro", "team"})
            {
                final List<Event> withValue = named.stream().filter(e -> value.equals(e.value)).toList();
                final long[] valueCounts = values.getOrDefault(value, new long[2]);
                assertEquals(withValue.size(), valueCounts[0], name + " plan=" + value);
                assertEquals(withValue.stream().map(Event::visitor).distinct().count(), valueCounts[1]);
            }
        }
        for (final String goal : GOALS)
        {
            final List<Event> matched = events.stream().filter(e -> goal.equals(e.goal)).toList();
            final RangeTotals.GoalTotals totalsOfGoal = totals.goal(goal);
            if (matched.isEmpty())
            {
                assertEquals(null, totalsOfGoal);
                continue;
            }
            final List<Event> conversions = matched.stream().filter(Event::conversion).toList();
            assertEquals(matched.size(), totalsOfGoal.matches());
            assertEquals(conversions.size(), totalsOfGoal.conversions());
            assertEquals(conversions.stream().map(Event::visitor).distinct().count(), totalsOfGoal.convertingVisitors());
            assertEquals(conversions.stream().mapToLong(Event::weight).sum(), totalsOfGoal.weight());
            assertEquals(money(matched, e -> true), totalsOfGoal.revenue());
            final Map<String, BigDecimal> value = new TreeMap<>();
            conversions.stream().filter(e -> e.valueCents > 0)
                .forEach(e -> value.merge("USD", BigDecimal.valueOf(e.valueCents, 2), BigDecimal::add));
            assertEquals(value, totalsOfGoal.value());
            assertAttribution(all, conversions, totalsOfGoal);
        }
        SiteWideBruteForce.assertSameFigures(site, fromHour, toHour, all.stream().filter(e -> !TestAudience.isRobot(e)).toList(),
            totals.siteWide());
    }

    /**
     * The country of an event's session (so a visitor with several sessions may be in several countries, as one who
     * travels or changes networks is), or null for unknown.
     */
    static String country(final Event e)
    {
        return COUNTRIES[Math.floorMod(Long.hashCode(e.session * 31 + e.visitor), COUNTRIES.length)];
    }

    /** Per country (null: unknown): visitors, pageviews, conversions and converting visitors, counted by brute force. */
    private static void assertCountries(final List<Event> events, final RangeTotals totals, final String where)
    {
        final Map<String, List<Long>> expected = new HashMap<>();
        for (final String country : COUNTRIES)
        {
            final List<Event> from = events.stream().filter(e -> java.util.Objects.equals(country, country(e))).toList();
            if (!from.isEmpty())
            {
                expected.put(country, List.of(from.stream().map(Event::visitor).distinct().count(),
                    from.stream().filter(e -> e.type.equals("p")).count(), from.stream().filter(Event::conversion).count(),
                    from.stream().filter(Event::conversion).map(Event::visitor).distinct().count()));
            }
        }
        final Map<String, List<Long>> actual = new HashMap<>();
        totals.countries().forEach((country, row) -> actual.put(country, List.of(row.visitors(), row.pageviews(),
            row.conversions(), row.convertingVisitors())));
        assertEquals(expected, actual, "countries " + where);
        final List<Long> order = totals.countries().values().stream().map(AudienceRow::visitors).toList();
        assertEquals(order.stream().sorted(java.util.Comparator.reverseOrder()).toList(), order, "most visitors first");
    }

    /** First touch: the visitor's first event; last touch and entry page: the session's first (journal order). */
    private static void assertAttribution(final List<Event> all, final List<Event> conversions, final RangeTotals.GoalTotals goal)
    {
        final Map<Long, Event> firstOfVisitor = new HashMap<>();
        final Map<Long, Event> firstOfSession = new HashMap<>();
        for (final Event e : all)
        {
            firstOfVisitor.putIfAbsent(e.visitor, e);
            firstOfSession.putIfAbsent(e.session, e);
        }
        for (int d = 0; d < Source.DIMENSIONS.length; d++)
        {
            final int dimension = d;
            final Map<String, Long> first = new HashMap<>();
            final Map<String, Long> last = new HashMap<>();
            for (final Event c : conversions)
            {
                first.merge(sourceOf(firstOfVisitor.get(c.visitor))[dimension], 1L, Long::sum);
                last.merge(sourceOf(firstOfSession.get(c.session))[dimension], 1L, Long::sum);
            }
            assertEquals(first, new HashMap<>(goal.bySource(Source.DIMENSIONS[dimension], true)), "first touch " + dimension);
            assertEquals(last, new HashMap<>(goal.bySource(Source.DIMENSIONS[dimension], false)), "last touch " + dimension);
        }
        final Map<String, Long> pages = new HashMap<>();
        conversions.forEach(c -> pages.merge(io.tally.store.UrlPath.of(firstOfSession.get(c.session).url), 1L, Long::sum));
        assertEquals(pages, new HashMap<>(goal.byEntryPage()));
        final long[] waits = conversions.stream().mapToLong(c -> Math.max(0, c.time - firstOfVisitor.get(c.visitor).time)).sorted().toArray();
        if (waits.length == 0)
        {
            assertEquals(0, goal.timeToConversionMillis(50));
            return;
        }
        final long median = waits[(int)Math.max(1, (long)(0.5 * waits.length + 0.5)) - 1];
        assertEquals(median, goal.timeToConversionMillis(50), median / 500.0 + 1, "median time to conversion (3 digits)");
    }

    private static String[] sourceOf(final Event e)
    {
        return Source.of(e.url, e.referrer);
    }

    private static Map<String, BigDecimal> money(final List<Event> events, final java.util.function.Predicate<Event> which)
    {
        final Map<String, BigDecimal> amounts = new TreeMap<>();
        events.stream().filter(e -> e.currency != null && which.test(e))
            .forEach(e -> amounts.merge(e.currency, BigDecimal.valueOf(e.revenueCents, 2), BigDecimal::add));
        return amounts;
    }

    static List<Event> randomEvents(final Random random, final int count)
    {
        final String[] referrers = {"", "https://www.google.com/search?q=x", "https://news.example/a", "android-app://x"};
        final String[] pages = {"/", "/pricing", "/blog/a", "/checkout?utm_source=Mail&utm_medium=email&utm_campaign=spring%20sale",
            "/landing?utm_source=google&utm_medium=cpc"};
        final List<Event> events = new ArrayList<>();
        final Set<String> converted = new HashSet<>();
        final Map<Long, Long> sessionOf = new HashMap<>();
        for (int i = 0; i < count; i++)
        {
            final int siteIndex = random.nextInt(SITES.length);
            final String site = SITES[siteIndex];
            // mostly in order, some late by up to a day, spread over ~50 hours
            final long time = T0 + (long)i * 50 * HOUR / count - (random.nextInt(10) == 0 ? random.nextInt(24) * HOUR : 0);
            // visitor ids are salted per UTC day, as the engine makes them: the same person gets a new id each day
            final long day = Math.floorDiv(time, 24 * HOUR);
            final long visitor = (siteIndex * 1000L + random.nextInt(400)) * 0x9E3779B97F4A7C15L ^ day * 0xC2B2AE3D27D4EB4FL;
            final long session = sessionOf.computeIfAbsent(visitor + random.nextInt(3), v -> random.nextLong());
            if (random.nextInt(6) == 0)
            {
                // an engagement: time on the page (some with a fraction of a second), a scroll depth or none
                events.add(new Event(site, time, visitor, sessionOf.computeIfAbsent(visitor + random.nextInt(3), v -> random.nextLong()),
                    "x", "engagement", null, null, 0, null, null, false, 0, 0, "https://" + site + pages[random.nextInt(pages.length)],
                    "", random.nextInt(60_000), random.nextInt(4) == 0 ? -1 : random.nextInt(101)));
                continue;
            }
            final boolean pageview = random.nextInt(3) == 0;
            final String name = pageview ? "pageview" : NAMES[random.nextInt(NAMES.length)];
            final String value = pageview || random.nextBoolean() ? null : new String[] {"free", "pro", "team"}[random.nextInt(3)];
            final boolean paid = !pageview && random.nextInt(4) == 0;
            final String goal = pageview || random.nextInt(3) != 0 ? null : GOALS[random.nextInt(GOALS.length)];
            final boolean first = goal != null && converted.add(site + visitor + goal);
            final boolean conversion = goal != null && (first || goal.equals("Join"));
            events.add(new Event(site, time, visitor, session, pageview ? "p" : "e", name, value == null ? null : "plan", value,
                paid ? 1 + random.nextInt(10_000) : 0, paid ? CURRENCIES[random.nextInt(2)] : null, goal, conversion,
                goal != null && goal.equals("Buy") ? 1 + random.nextInt(5_000) : 0, goal != null && goal.equals("Join") ? 2 : 0,
                "https://" + site + pages[random.nextInt(pages.length)], referrers[random.nextInt(referrers.length)]));
        }
        return events;
    }

    /** Journals the events with the real codec: a beacon body, then the enrichment the engine would add. */
    static void write(final Journal journal, final List<Event> events)
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        try (JournalAppender appender = journal.newAppender())
        {
            for (final Event e : events)
            {
                final ByteBuf body = Unpooled.copiedBuffer(body(e), StandardCharsets.UTF_8);
                try
                {
                    assertEquals(Outcome.ACCEPTED, decoder.decode(body, beacon));
                    enrichment.reset().receivedAt(e.time).visitor(e.visitor).session(e.session)
                        .site(e.site.getBytes(StandardCharsets.UTF_8));
                    TestAudience.enrich(e, enrichment);
                    final String country = country(e);
                    if (country != null)
                    {
                        enrichment.country((byte)country.charAt(0), (byte)country.charAt(1));
                    }
                    if (e.goal != null)
                    {
                        enrichment.goal(e.goal.getBytes(StandardCharsets.UTF_8), e.weight, e.conversion).conversion(e.conversion);
                        if (e.valueCents > 0)
                        {
                            enrichment.goalValue(e.valueCents, 2).goalValueCurrency("USD".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                    final int length = encoder.encode(beacon, enrichment);
                    assertTrue(length > 0);
                    if (e.scrollDepth >= 0)
                    {
                        // no beacon decoder fills the scroll depth yet: set in the record as one would
                        encoder.buffer().putByte(io.tally.codec.EventRecord.SCROLL_DEPTH_OFFSET, (byte)e.scrollDepth);
                    }
                    appender.append(encoder.memory(), length);
                }
                finally
                {
                    body.release();
                }
            }
        }
    }

    private static String body(final Event e)
    {
        final StringBuilder json = new StringBuilder("{\"t\":\"").append(e.type).append("\",\"u\":\"").append(e.url)
            .append("\",\"r\":\"").append(e.referrer).append('"');
        if (e.type.equals("e"))
        {
            json.append(",\"n\":\"").append(e.name).append('"');
        }
        if (e.type.equals("x"))
        {
            json.append(",\"sec\":").append(BigDecimal.valueOf(e.engagedMillis, 3).toPlainString());
        }
        if (e.value != null)
        {
            json.append(",\"mk\":[\"").append(e.key).append("\"],\"mv\":[\"").append(e.value).append("\"]");
        }
        if (e.currency != null)
        {
            json.append(",\"ra\":").append(BigDecimal.valueOf(e.revenueCents, 2).toPlainString()).append(",\"rc\":\"")
                .append(e.currency).append('"');
        }
        return json.append('}').toString();
    }
}
