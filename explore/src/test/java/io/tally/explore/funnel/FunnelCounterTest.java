package io.tally.explore.funnel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The funnel walk in Java against the brute force, over thousands of random streams fed as the query feeds it; and
 * its two limits (events a visitor, breakdown values) at and past them.
 */
class FunnelCounterTest
{
    @Test
    void everyFigureEqualsTheBruteForceOverRandomStreams()
    {
        final Random random = new Random(20_261_207);
        for (int round = 0; round < 3_000; round++)
        {
            final List<TestEvent> events = RandomEvents.events(random, 1 + random.nextInt(6), 14);
            final List<FunnelQuery.Step> steps = RandomEvents.steps(random);
            final long window = RandomEvents.window(random);
            final Map<String, Object> expected = FunnelBruteForce.answer(events, steps, window, null);
            final FunnelCounter counter = new FunnelCounter(steps.size(), window, FunnelQuery.MAX_EVENTS_PER_VISITOR, 0);
            feed(counter, events, steps, window == 0);
            counter.finish();
            assertEquals(expected.get("steps"), answerSteps(steps, counter.all()),
                "round " + round + ", window " + window + ", steps " + steps + ", events " + events);
        }
    }

    @Test
    void aVisitorsEventsAreKeptUpToTheCapAndTheRestAreCountedAsSkipped()
    {
        final List<FunnelQuery.Step> steps = List.of(new FunnelQuery.Step("a", "event", "A", null),
            new FunnelQuery.Step("b", "event", "B", null));
        final FunnelCounter atCap = new FunnelCounter(2, 0, 3, 0);
        for (int i = 0; i < 3; i++)
        {
            atCap.add(1, 1, i, i, i < 2 ? 1 : 2, null, null, null);
        }
        atCap.finish();
        assertEquals(0, atCap.skippedEvents());
        assertEquals(1, atCap.all().visitors(1), "the third event, at the cap, is read: step B reached");

        final FunnelCounter pastCap = new FunnelCounter(2, 0, 3, 0);
        for (int i = 0; i < 4; i++)
        {
            pastCap.add(1, 1, i, i, i < 3 ? 1 : 2, null, null, null);
        }
        pastCap.add(2, 1, 0, 9, 1, null, null, null);
        pastCap.finish();
        assertEquals(1, pastCap.skippedEvents(), "the fourth event of visitor 1 is past the cap");
        assertEquals(2, pastCap.all().visitors(0));
        assertEquals(0, pastCap.all().visitors(1), "visitor 1's B was the skipped event");
    }

    @Test
    void breakdownValuesAreKeptUpToTheCapAndLaterOnesCountAsOther()
    {
        final FunnelCounter atCap = counterWithValues(3, 2);
        assertEquals(List.of("v0", "v1"), atCap.groups().keySet().stream().sorted().toList());
        assertFalse(atCap.groupsFull());

        final FunnelCounter pastCap = counterWithValues(3, 3);
        assertEquals(List.of(FunnelCounter.OTHER, "v0", "v1"), pastCap.groups().keySet().stream().sorted().toList());
        assertTrue(pastCap.groupsFull());
        assertEquals(1, pastCap.groups().get(FunnelCounter.OTHER).visitors(0));
        assertEquals(3, pastCap.all().visitors(0), "every visitor is counted in the total");
    }

    private static FunnelCounter counterWithValues(final int maxGroups, final int values)
    {
        final FunnelCounter counter = new FunnelCounter(2, 0, 10, maxGroups);
        for (int i = 0; i < values; i++)
        {
            counter.add(i, 1, 0, i, 1, null, null, "v" + i);
        }
        counter.finish();
        return counter;
    }

    /** Feeds the events that match a step in the query's order: visitor, then session in session windows, time, journal. */
    static void feed(final FunnelCounter counter, final List<TestEvent> events, final List<FunnelQuery.Step> steps,
        final boolean session)
    {
        final List<TestEvent> sorted = new ArrayList<>(events.stream().filter(e -> !e.robot() && e.mask(steps) != 0).toList());
        Comparator<TestEvent> order = Comparator.comparingLong(TestEvent::visitor);
        if (session)
        {
            order = order.thenComparingLong(TestEvent::session);
        }
        sorted.sort(order.thenComparingLong(TestEvent::time).thenComparingInt(TestEvent::order));
        for (final TestEvent event : sorted)
        {
            counter.add(event.visitor(), event.session(), event.time(), event.order(), event.mask(steps), event.revenue(),
                event.revenue() == null ? null : "EUR", event.country());
        }
    }

    /** The rows as the query writes them. */
    private static Object answerSteps(final List<FunnelQuery.Step> steps, final StepFigures figures)
    {
        return FunnelQuery.stepRows(steps, figures);
    }
}
