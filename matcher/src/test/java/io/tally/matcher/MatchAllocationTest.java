package io.tally.matcher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.tally.matcher.Fixtures.cond;
import static io.tally.matcher.Fixtures.goal;
import static io.tally.matcher.Fixtures.json;
import static io.tally.matcher.Fixtures.prop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GoalMatcher#match} allocates nothing once compiled by the JIT, counted with the JVM's per-thread
 * allocation counter over a million matches of a mixed goal set (every type, every operator, properties).
 * The bodies sit in unpooled heap buffers, which Netty's leak detector does not wrap, so only the matcher
 * is measured. The JMH benchmark {@code GoalMatchBenchmark} measures the same with {@code -prof gc}.
 */
class MatchAllocationTest
{
    private static final String[] BODIES = {
        "{'t':'e','n':'Purchase','u':'https://shop.example/checkout','mk':['plan','coupon'],'mv':['premium','SPRING']}",
        "{'t':'e','n':'Scroll','u':'https://shop.example/blog/a'}",
        "{'t':'p','u':'https://shop.example/blog/post-1?utm_source=news'}",
        "{'t':'p','u':'https://shop.example/pricing'}",
        "{'t':'c','u':'https://blog.example/r','h':'https://www.amazon.de/dp/B08N5WRWNW','x':'Buy','ti':'Amazon'}",
        "{'t':'d','u':'https://shop.example/docs','h':'https://cdn.example/guide.pdf'}",
        "{'t':'f','u':'https://shop.example/contact','fn':'contact','fi':'wpcf7-f42','fp':'cf7'}",
        "{'t':'x','u':'https://shop.example/','sec':3}",
    };

    @Test
    void matchAllocatesNothing()
    {
        final List<Goal> goals = new ArrayList<>();
        for (int i = 0; i < 200; i++)
        {
            goals.add(goal("Event " + i, "custom", "all", cond("event", "equals", "Event " + i)));
        }
        goals.add(goal("Premium", "custom", "all", cond("event", "equals", "Purchase"), prop("plan", "equals", "premium"),
            prop("coupon", "starts_with", "spring"), cond("prop_key", "not_contains", "debug")));
        goals.add(goal("Any", "custom", "any", cond("event", "ends_with", "roll"), prop("ref", "is_empty", null)));
        goals.add(goal("Blog", "pageview", "all", cond("path", "starts_with", "/blog/"), cond("url", "contains", "utm_"),
            cond("path", "not_equals", "/blog/")));
        goals.add(goal("Pricing", "pageview", "any", cond("path", "equals", "/pricing"), cond("path", "is_empty", null)));
        goals.add(goal("Amazon", "click", "all", cond("asin", "is_not_empty", null), cond("domain", "ends_with", "amazon.de"),
            cond("text", "not_contains", "x"), cond("title", "contains", "amazon")));
        goals.add(goal("Pdf", "click", "any", cond("url", "ends_with", ".pdf"), cond("domain", "not_equals", "cdn.example")));
        goals.add(goal("Contact", "form", "all", cond("form_name", "equals", "contact"), cond("form_id", "contains", "cf7"),
            cond("plugin", "not_equals", "html"), cond("page_url", "ends_with", "/contact")));
        final GoalMatcher matcher = new GoalMatcher(goals);

        final List<ByteBuf> bodies = new ArrayList<>();
        final MatchInput[] inputs = new MatchInput[BODIES.length];
        try
        {
            for (int i = 0; i < BODIES.length; i++)
            {
                final ByteBuf body = Unpooled.wrappedBuffer(json(BODIES[i]).getBytes(StandardCharsets.UTF_8));
                bodies.add(body);
                final Beacon beacon = new Beacon();
                assertEquals(Outcome.ACCEPTED, new BeaconDecoder().decode(body, beacon));
                inputs[i] = Fixtures.fill(beacon, new MatchInput(), new TextView());
            }
            final MatchState state = new MatchState();
            final int[] expected = {200, 201, 202, 203, 204, 205, 206, -1};
            for (int i = 0; i < inputs.length; i++)
            {
                assertEquals(expected[i], matcher.match(inputs[i], state), BODIES[i]);
            }

            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long thread = Thread.currentThread().getId();
            long best = Long.MAX_VALUE;
            long sink = 0;
            for (int round = 0; round < 8 && best > 0; round++)
            {
                final long before = threads.getThreadAllocatedBytes(thread);
                sink += matchMany(matcher, inputs, state, 1_000_000);
                final long allocated = threads.getThreadAllocatedBytes(thread) - before;
                best = Math.min(best, allocated);
            }
            assertTrue(sink != 0);
            // The counter itself may account for a few bytes; one allocation per match would be >= 16 MB here.
            assertTrue(best < 1024, "a million matches allocated " + best + " bytes in the best of 8 rounds");
        }
        finally
        {
            bodies.forEach(ByteBuf::release);
        }
    }

    private static long matchMany(final GoalMatcher matcher, final MatchInput[] inputs, final MatchState state, final int count)
    {
        long sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += matcher.match(inputs[i & 7], state);
        }
        return sum;
    }
}
