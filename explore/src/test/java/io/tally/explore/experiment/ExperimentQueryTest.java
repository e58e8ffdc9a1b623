package io.tally.explore.experiment;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Enrichment;
import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordEncoder;
import io.tally.codec.Outcome;
import io.tally.explore.EventQueries;
import io.tally.explore.EventRebuild;
import io.tally.store.Journal;
import io.tally.store.JournalAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Experiments over the real event store (a real journal, sealed into Parquet, read through DuckDB): the counts per
 * variant follow the rules (a visitor's first variant; a conversion at or after it; robots left out) against a
 * brute force over random events, by property and by URL parameter; and a fixed split's statistics equal SciPy's.
 */
class ExperimentQueryTest
{
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long DAY = 86_400_000L;
    private static final String SITE = "shop.example";

    @TempDir
    Path temp;

    /** An event: its visitor, time, variant (null: none), whether it matched the goal, whether a robot sent it. */
    private record Seen(long visitor, long time, String variant, boolean goal, boolean robot)
    {
    }

    @Test
    void countsPerVariantEqualTheBruteForceByPropertyAndByUrlParameter() throws Exception
    {
        final Random random = new Random(18);
        for (int round = 0; round < 12; round++)
        {
            final boolean url = round % 2 == 1;
            final List<Seen> events = randomEvents(random);
            final Path dataDir = Files.createDirectory(temp.resolve("r" + round));
            write(dataDir, events, url);
            final Map<String, long[]> expected = bruteForce(events);
            final Map<String, Object> answer = run(dataDir, new ExperimentQuery.Definition(url, url ? "v" : "ab", "Buy", "A",
                Map.of()));
            final Map<String, long[]> actual = new TreeMap<>();
            for (final Object row : (List<?>)answer.get("variants"))
            {
                final Map<?, ?> variant = (Map<?, ?>)row;
                actual.put((String)variant.get("variant"), new long[] {(Long)variant.get("visitors"), (Long)variant.get("conversions")});
            }
            expected.putIfAbsent("A", new long[2]);
            assertEquals(render(expected.entrySet().stream().filter(e -> !e.getKey().equals("several")).toList()),
                render(actual.entrySet().stream().toList()), "round " + round);
            assertEquals(expected.get("several")[0], answer.get("visitors_in_several_variants"), "round " + round);
        }
    }

    @Test
    void aFixedSplitsStatisticsEqualScipys() throws Exception
    {
        // A: 200 visitors, 20 converted; B: 210 visitors, 35 converted. Expected values, SciPy 1.17.1:
        //   z, p: scipy.stats.chi2_contingency([[35, 175], [20, 180]], correction=False) -> chi2 3.9197..., p 0.04772166442976335;
        //         z = +sqrt(chi2) = 1.9798386273086819 (B converts more)
        //   Wilson 95%: roots of (x/n - p)^2 = z^2 p (1-p) / n (scipy.optimize.brentq): B 12.2347%..22.2962%, A 6.5670%..14.9406%
        //   lift: (35/210) / (20/200) - 1 = 0.666...; split: scipy.stats.chisquare([200, 210]) -> 0.24390243902439024, p 0.6214016666266909
        final List<Seen> events = new ArrayList<>();
        addVisitors(events, 0, 200, 20, "A");
        addVisitors(events, 1_000, 210, 35, "B");
        write(temp, events, false);
        final Map<String, Object> answer = run(temp, new ExperimentQuery.Definition(false, "ab", "Buy", "A", Map.of()));
        final List<?> variants = (List<?>)answer.get("variants");
        final Map<?, ?> a = (Map<?, ?>)variants.get(0);
        final Map<?, ?> b = (Map<?, ?>)variants.get(1);
        assertEquals("A", a.get("variant"));
        assertEquals(true, a.get("control"));
        assertEquals(new BigDecimal("10.00"), a.get("conversion_rate"));
        assertEquals(new BigDecimal("6.57"), a.get("conversion_rate_low"));
        assertEquals(new BigDecimal("14.94"), a.get("conversion_rate_high"));
        assertEquals("B", b.get("variant"));
        assertEquals(210L, b.get("visitors"));
        assertEquals(35L, b.get("conversions"));
        assertEquals(new BigDecimal("16.67"), b.get("conversion_rate"));
        assertEquals(new BigDecimal("12.23"), b.get("conversion_rate_low"));
        assertEquals(new BigDecimal("22.30"), b.get("conversion_rate_high"));
        assertEquals(new BigDecimal("66.67"), b.get("lift"));
        assertEquals(new BigDecimal("1.9798"), b.get("z"));
        assertEquals(new BigDecimal("0.0477217"), b.get("p_value"));
        assertEquals(true, b.get("significant"));
        final Map<?, ?> split = (Map<?, ?>)answer.get("sample_ratio");
        assertEquals(new BigDecimal("0.2439"), split.get("chi_square"));
        assertEquals(new BigDecimal("0.621402"), split.get("p_value"));
        assertEquals(false, split.get("mismatch"));
        assertEquals(List.of(), answer.get("warnings"));
    }

    @Test
    void aSplitFarFromTheDeclaredWeightsIsWarnedAbout() throws Exception
    {
        // 300 and 400 visitors against declared 50/50: scipy.stats.chisquare([300, 400]) -> 14.285714285714286,
        // p 0.00015705228423075143 (below 0.001); against 40/60 (scipy.stats.chisquare([300, 400], [280, 420])):
        // 2.380952380952381, p 0.12282264810139186
        final List<Seen> events = new ArrayList<>();
        addVisitors(events, 0, 300, 30, "A");
        addVisitors(events, 1_000, 400, 30, "B");
        write(temp, events, false);
        final Map<String, Object> even = run(temp, new ExperimentQuery.Definition(false, "ab", "Buy", "A",
            Map.of("A", BigDecimal.ONE, "B", BigDecimal.ONE)));
        final Map<?, ?> split = (Map<?, ?>)even.get("sample_ratio");
        assertEquals(new BigDecimal("14.2857"), split.get("chi_square"));
        assertEquals(new BigDecimal("0.000157052"), split.get("p_value"));
        assertEquals(true, split.get("mismatch"));
        assertTrue(((List<?>)even.get("warnings")).get(0).toString().startsWith("sample_ratio_mismatch"), even.toString());
        final Map<String, Object> declared = run(temp, new ExperimentQuery.Definition(false, "ab", "Buy", "A",
            Map.of("A", new BigDecimal(40), "B", new BigDecimal(60))));
        final Map<?, ?> fits = (Map<?, ?>)declared.get("sample_ratio");
        assertEquals(new BigDecimal("2.3810"), fits.get("chi_square"));
        assertEquals(new BigDecimal("0.122823"), fits.get("p_value"));
        assertEquals(false, fits.get("mismatch"));
    }

    @Test
    void variantsAreListedUpToTheCapTheControlFirst() throws Exception
    {
        final List<Seen> events = new ArrayList<>();
        addVisitors(events, 0, 3, 1, "A");
        addVisitors(events, 100, 5, 1, "B");
        addVisitors(events, 200, 4, 1, "C");
        write(temp, events, false);
        final ExperimentQuery.Definition definition = new ExperimentQuery.Definition(false, "ab", "Buy", "A", Map.of());
        try (EventQueries queries = new EventQueries(temp, 1))
        {
            final Map<String, Object> atCap = new ExperimentQuery(queries, 3).run(SITE, definition, T0, T0 + DAY);
            assertEquals(List.of("A", "B", "C"), names(atCap));
            assertEquals(false, atCap.get("more_variants"));
            final Map<String, Object> pastCap = new ExperimentQuery(queries, 2).run(SITE, definition, T0, T0 + DAY);
            assertEquals(List.of("A", "B"), names(pastCap), "the control, then the variant with the most visitors");
            assertEquals(true, pastCap.get("more_variants"));
        }
    }

    private static List<Object> names(final Map<String, Object> answer)
    {
        return ((List<?>)answer.get("variants")).stream().map(row -> ((Map<?, ?>)row).get("variant")).map(Object.class::cast)
            .toList();
    }

    private Map<String, Object> run(final Path dataDir, final ExperimentQuery.Definition definition) throws Exception
    {
        try (EventQueries queries = new EventQueries(dataDir, 1))
        {
            return new ExperimentQuery(queries).run(SITE, definition, T0, T0 + DAY);
        }
    }

    /** {@code count} visitors from {@code first} on, each with a pageview of {@code variant}; {@code converted} buy after. */
    private static void addVisitors(final List<Seen> events, final long first, final int count, final int converted,
        final String variant)
    {
        for (int i = 0; i < count; i++)
        {
            events.add(new Seen(first + i, T0 + 1_000L * i, variant, false, false));
            if (i < converted)
            {
                events.add(new Seen(first + i, T0 + 1_000L * i + 500, null, true, false));
            }
        }
    }

    private static List<Seen> randomEvents(final Random random)
    {
        final String[] variants = {"A", "B", "C"};
        final List<Seen> events = new ArrayList<>();
        for (int visitor = 0; visitor < 60; visitor++)
        {
            final String mine = variants[random.nextInt(variants.length)];
            final boolean robot = random.nextInt(15) == 0;
            for (int i = random.nextInt(6); i >= 0; i--)
            {
                final int roll = random.nextInt(10);
                final String variant = roll < 5 ? mine : roll == 5 ? variants[random.nextInt(3)] : null;
                events.add(new Seen(visitor, T0 + 1_000L * random.nextInt(120), variant, random.nextInt(3) == 0, robot));
            }
        }
        java.util.Collections.shuffle(events, random);
        return events;
    }

    /** Visitors and conversions per variant, and under "several" the visitors seen with more than one variant. */
    private static Map<String, long[]> bruteForce(final List<Seen> events)
    {
        final Map<String, long[]> counts = new TreeMap<>();
        long several = 0;
        final Map<Long, List<Integer>> byVisitor = new TreeMap<>();
        for (int i = 0; i < events.size(); i++)
        {
            if (!events.get(i).robot())
            {
                byVisitor.computeIfAbsent(events.get(i).visitor(), v -> new ArrayList<>()).add(i);
            }
        }
        for (final List<Integer> mine : byVisitor.values())
        {
            // journal order is the list's order: ties in time go by it
            mine.sort(Comparator.<Integer>comparingLong(i -> events.get(i).time()).thenComparingInt(i -> i));
            final Integer first = mine.stream().filter(i -> events.get(i).variant() != null).findFirst().orElse(null);
            if (first == null)
            {
                continue;
            }
            final long exposed = events.get(first).time();
            final boolean converted = mine.stream().anyMatch(i -> events.get(i).goal() && events.get(i).time() >= exposed);
            final long[] count = counts.computeIfAbsent(events.get(first).variant(), v -> new long[2]);
            count[0]++;
            count[1] += converted ? 1 : 0;
            several += mine.stream().map(i -> events.get(i).variant()).filter(v -> v != null)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)).size() > 1 ? 1 : 0;
        }
        counts.put("several", new long[] {several});
        return counts;
    }

    private static String render(final List<Map.Entry<String, long[]>> entries)
    {
        final StringBuilder text = new StringBuilder();
        entries.stream().sorted(Map.Entry.comparingByKey())
            .forEach(e -> text.append(e.getKey()).append('=').append(java.util.Arrays.toString(e.getValue())).append(' '));
        return text.toString();
    }

    /** Writes the events in their order; the variant as the property {@code ab}, or the URL parameter {@code v}. */
    private static void write(final Path dataDir, final List<Seen> events, final boolean url)
    {
        final BeaconDecoder decoder = new BeaconDecoder();
        final Beacon beacon = new Beacon();
        final Enrichment enrichment = new Enrichment();
        final EventRecordEncoder encoder = new EventRecordEncoder(EventRecordEncoder.capacityFor(16 * 1024));
        try (Journal journal = Journal.openForWriting(dataDir); JournalAppender appender = journal.newAppender())
        {
            for (final Seen event : events)
            {
                final String variant = event.variant();
                final String body = "{\"t\":\"p\",\"u\":\"https://shop.example/p?x=1" +
                    (url && variant != null ? "&v=" + variant + "#top" : "") + "\"" +
                    (!url && variant != null ? ",\"mk\":[\"ab\"],\"mv\":[\"" + variant + "\"]" : "") + "}";
                final ByteBuf bytes = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
                try
                {
                    if (decoder.decode(bytes, beacon) != Outcome.ACCEPTED)
                    {
                        throw new IllegalStateException(body);
                    }
                    enrichment.reset().receivedAt(event.time()).eventTime(event.time())
                        .visitor(event.visitor() * 0x9E3779B97F4A7C15L).session(event.visitor())
                        .site(SITE.getBytes(StandardCharsets.UTF_8));
                    if (event.goal())
                    {
                        enrichment.goal("Buy".getBytes(StandardCharsets.UTF_8), 1, false);
                    }
                    if (event.robot())
                    {
                        enrichment.robot(EventRecord.ROBOT_CRAWLER);
                    }
                    appender.append(encoder.memory(), encoder.encode(beacon, enrichment));
                }
                finally
                {
                    bytes.release();
                }
            }
        }
        try (Journal journal = Journal.openForReading(dataDir))
        {
            EventRebuild.rebuild(dataDir, journal, 0, T0 + DAY);
        }
    }
}
