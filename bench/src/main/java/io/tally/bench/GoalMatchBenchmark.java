package io.tally.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.tally.codec.Beacon;
import io.tally.codec.BeaconDecoder;
import io.tally.codec.Outcome;
import io.tally.codec.TextView;
import io.tally.codec.UrlParts;
import io.tally.codec.json.Json;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.matcher.GoalMatcher;
import io.tally.matcher.MatchInput;
import io.tally.matcher.MatchState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link GoalMatcher#match} on a realistic mix, at 10, 100 and 1,000 goals on the site: the goal at position
 * {@code i} is, by {@code i % 10}, a custom goal on the event name (six in ten; two of those also test a
 * property with {@code prop_value}, one is an {@code any} of the name or a {@code prop_key}), a pageview goal
 * (two in ten: path {@code equals}, {@code starts_with} or {@code contains}), a click goal (domain, ASIN or
 * link text) or a form goal (form id). Names, paths and values are distinct per goal and share prefixes, as a
 * site's goals do ("Signup Plan", "Signup Ebook", "/pricing-2", "/blog/topic-12/", ...).
 * <p>
 * The events ({@link #BODIES}): eight custom events, five pageviews, two outbound clicks and a form submit;
 * five of the sixteen match a goal (always one of the first ten, so each goal count matches the same events
 * with the same goals), the rest match none, some narrowly (a goal's event name with another property value,
 * a form id that starts like the goals' ones). Each body is decoded once at setup from a pooled direct buffer
 * and its {@link MatchInput} filled as the engine does; one operation is one {@code match} of one event (the
 * benchmark matches all sixteen per invocation). The {@link MatchState} is reused. Targets: 1,000 goals cost
 * less than three times 10 goals, and 0 B/op under {@code -prof gc}. Run with {@code bench/jmh.sh GoalMatch}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class GoalMatchBenchmark
{
    /** Events matched per invocation; ns/op and B/op are per event. */
    static final int EVENTS = 16;

    /** The events, single-quoted JSON; see the class comment for which match. */
    static final String[] BODIES = {
        "{'t':'e','n':'Scroll Depth','u':'https://shop.example/blog/how-we-track-conversions','mk':['depth'],'mv':[75]}",
        "{'t':'p','u':'https://shop.example/'}",
        "{'t':'e','n':'Video Play','u':'https://shop.example/','mk':['video','position'],'mv':['intro',0]}",
        "{'t':'e','n':'Signup Plan','u':'https://shop.example/join'}",
        "{'t':'p','u':'https://shop.example/blog/how-we-track-conversions','r':'https://www.google.com/'}",
        "{'t':'e','n':'Signup Ebook','u':'https://shop.example/ebook','mk':['plan','billing'],'mv':['Premium','annual']}",
        "{'t':'e','n':'Signup Ebook','u':'https://shop.example/ebook','mk':['plan'],'mv':['basic']}",
        "{'t':'e','n':'Signup Cart','u':'https://shop.example/cart','mk':['items'],'mv':[3]}",
        "{'t':'p','u':'https://shop.example/docs/getting-started?ref=nav'}",
        "{'t':'e','n':'Outbound Link: Click','u':'https://shop.example/docs'}",
        "{'t':'p','u':'https://shop.example/products/widget-pro?utm_source=google&utm_medium=cpc'}",
        "{'t':'c','u':'https://shop.example/docs','h':'https://github.com/tally/tally','x':'GitHub'}",
        "{'t':'p','u':'https://shop.example/pricing-2'}",
        "{'t':'e','n':'Purchase Plan','u':'https://shop.example/checkout/done','mk':['plan','coupon'],'mv':['basic','SPRING24']}",
        "{'t':'c','u':'https://shop.example/partners','h':'https://partner-5.example/signup?ref=shop','x':'Try Partner'}",
        "{'t':'f','u':'https://shop.example/contact','fn':'newsletter','fi':'wpcf7-f1234','fp':'cf7'}",
    };
    /** The goal each event matches, at every goal count. */
    static final int[] EXPECTED = {-1, -1, -1, 0, -1, 1, -1, 4, -1, -1, -1, -1, 2, -1, 5, -1};

    private static final String[] VERBS = {"Signup", "Purchase", "Download", "Subscribe", "Start", "Complete", "Share", "Book"};
    private static final String[] NOUNS = {"Plan", "Ebook", "Newsletter", "Trial", "Cart", "Webinar", "Course", "Demo"};
    private static final String[] PROPERTY_KEYS = {"plan", "billing", "product", "method"};
    private static final String[] PROPERTY_VALUES = {"premium", "annual", "widget-pro", "card"};

    @Param({"10", "100", "1000"})
    public int goals;

    private final MatchState state = new MatchState();
    private final MatchInput[] inputs = new MatchInput[EVENTS];
    private final ByteBuf[] bodies = new ByteBuf[EVENTS];
    private GoalMatcher matcher;

    @Setup(Level.Trial)
    public void setUp()
    {
        matcher = new GoalMatcher(goals(goals));
        for (int i = 0; i < EVENTS; i++)
        {
            final byte[] bytes = BODIES[i].replace('\'', '"').getBytes(StandardCharsets.UTF_8);
            bodies[i] = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
            // A decoder per event: views of escaped strings would live in a shared decoder's scratch buffer.
            final Beacon beacon = new Beacon();
            final BeaconDecoder decoder = new BeaconDecoder();
            if (decoder.decode(bodies[i], beacon) != Outcome.ACCEPTED)
            {
                throw new IllegalStateException("event " + i + " does not decode: " + decoder.errorDetail());
            }
            final MatchInput input = new MatchInput().wrap(beacon);
            UrlParts.path(beacon.url(), input.path());
            if (beacon.target().isPresent())
            {
                UrlParts.host(beacon.target(), input.targetHost());
            }
            UrlParts.asin(beacon.target(), input.asin(), new TextView());
            inputs[i] = input;
        }
        final int[] matched = new int[EVENTS];
        for (int i = 0; i < EVENTS; i++)
        {
            matched[i] = matcher.match(inputs[i], state);
        }
        if (!Arrays.equals(EXPECTED, matched))
        {
            throw new IllegalStateException("with " + goals + " goals the events match " + Arrays.toString(matched) +
                ", expected " + Arrays.toString(EXPECTED));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        for (int i = 0; i < EVENTS; i++)
        {
            bodies[i].release();
            bodies[i] = null;
        }
    }

    /** Matches each of the {@value #EVENTS} events once; the sum of the indices goes back to JMH. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int match()
    {
        int sum = 0;
        for (final MatchInput input : inputs)
        {
            sum += matcher.match(input, state);
        }
        return sum;
    }

    /** The site's goals in priority order, {@code count} of them; see the class comment. */
    static List<Goal> goals(final int count)
    {
        final List<Goal> goals = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final String name = VERBS[(i / NOUNS.length) % VERBS.length] + " " + NOUNS[i % NOUNS.length] +
                (i >= VERBS.length * NOUNS.length ? " " + i / (VERBS.length * NOUNS.length) : "");
            final String variant = String.valueOf(i);
            final List<Map<String, Object>> conditions = new ArrayList<>();
            final String type;
            String match = "all";
            switch (i % 10)
            {
                case 1:
                case 8:
                    type = "custom";
                    conditions.add(condition("event", "equals", name));
                    conditions.add(property(PROPERTY_KEYS[(i / 10) % PROPERTY_KEYS.length],
                        i < 10 ? "premium" : PROPERTY_VALUES[(i / 10) % PROPERTY_VALUES.length] + "-" + variant));
                    break;
                case 4:
                    type = "custom";
                    match = "any";
                    conditions.add(condition("event", "equals", name));
                    conditions.add(condition("prop_key", "equals", "coupon-" + variant));
                    break;
                case 2:
                case 7:
                    type = "pageview";
                    switch ((i / 10) % 3)
                    {
                        case 0: conditions.add(condition("path", "equals", "/pricing-" + variant)); break;
                        case 1: conditions.add(condition("path", "starts_with", "/blog/topic-" + variant + "/")); break;
                        default: conditions.add(condition("path", "contains", "/thank-you-" + variant)); break;
                    }
                    break;
                case 5:
                    type = "click";
                    switch ((i / 10) % 3)
                    {
                        case 0: conditions.add(condition("domain", "equals", "partner-" + variant + ".example")); break;
                        case 1: conditions.add(condition("asin", "equals", String.format("B0%08d", i))); break;
                        default: conditions.add(condition("text", "equals", "Sign up " + variant)); break;
                    }
                    break;
                case 9:
                    type = "form";
                    conditions.add(condition("form_id", "equals", "wpcf7-f" + variant));
                    break;
                default:
                    type = "custom";
                    conditions.add(condition("event", "equals", name));
                    break;
            }
            final Map<String, Object> goal = new LinkedHashMap<>();
            goal.put("name", "Goal " + i + ": " + name);
            goal.put("kind", "event");
            goal.put("type", type);
            goal.put("match", match);
            goal.put("conditions", conditions);
            goals.add(GoalJson.read(Json.parse(Json.write(goal))));
        }
        return goals;
    }

    private static Map<String, Object> condition(final String field, final String op, final String value)
    {
        final Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("field", field);
        condition.put("op", op);
        condition.put("value", value);
        return condition;
    }

    private static Map<String, Object> property(final String key, final String value)
    {
        final Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("field", "prop_value");
        condition.put("key", key);
        condition.put("op", "equals");
        condition.put("value", value);
        return condition;
    }
}
