package io.tally.matcher;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled matcher against a naive reference evaluator: thousands of random goal sets (1 to 60 goals of
 * random types, fields, operators, {@code all}/{@code any}) and random events, the events written as beacon
 * JSON (some strings escaped), decoded with the real decoder from buffers of every kind, and matched. Values
 * come from a small alphabet with mixed ASCII case, multi-byte UTF-8 (2, 3 and 4 bytes) and case pairs that
 * only Unicode would fold, and condition values are mostly cut from values events really carry, so that many
 * events match and many goals compete.
 * <p>
 * The seed is fixed and printed with every failure; {@code -Dtally.matcher.seed=...} replays or varies it and
 * {@code -Dtally.matcher.sets=...} changes the number of goal sets.
 */
class GoalMatcherPropertyTest
{
    private static final long SEED = Long.getLong("tally.matcher.seed", 0x7A11_60A1L);
    private static final int GOAL_SETS = Integer.getInteger("tally.matcher.sets", 3000);
    private static final int EVENTS_PER_SET = 20;
    private static final int MAX_GOALS = 60;

    private static final String[] TOKENS = {"a", "A", "b", "B", "ab", "Ab", "/", ".", "-", " ", "\u00e9", "\u00c9",
        "\u65e5", "\uD83D\uDE00", "x"};
    private static final String[] HOSTS = {"a.example", "A.B.example", "ab.example", "www.amazon.de", "AMAZON.com",
        "\u00e9.example", "x-\u65e5.example"};
    private static final String[] ASINS = {"B08N5WRWNW", "B000000001", "b08n5wrwnw", "B08N5WRWNWX"};
    private static final String[] KEYS = {"k", "K", "plan", "Plan", "PLAN", "\u00e9", "\u00c9", "a b", "ab", "\u212a"};
    private static final String[] NAMES = {"Purchase", "purchase", "PURCHASE", "Sign up", "sign Up", "Ab\u00e9",
        "ab\u00c9", "\u65e5\u672c", "x", "a/b"};
    private static final String[] PLUGINS = {"cf7", "CF7", "wpforms", "gravity", "html"};
    private static final char[] TYPES = {'p', 'p', 'p', 'p', 'e', 'e', 'e', 'e', 'e', 'c', 'c', 'c', 'd', 'f', 'f', 'f', 'x'};

    @Test
    void compiledMatcherAgreesWithTheReference()
    {
        final Random random = new Random(SEED);
        final Fixtures.Events events = new Fixtures.Events();
        final Fixtures.Buffers[] buffers = Fixtures.Buffers.values();
        int total = 0;
        int matched = 0;
        int contested = 0;
        final Map<GoalType, Integer> matchedByType = new EnumMap<>(GoalType.class);
        for (int set = 0; set < GOAL_SETS; set++)
        {
            final List<Goal> goals = randomGoals(random, set % 3);
            final GoalMatcher matcher = new GoalMatcher(goals);
            for (int e = 0; e < EVENTS_PER_SET; e++)
            {
                final RefEvent event = randomEvent(random);
                final String body = event.toJson(random);
                // Tracked (pooled, leak-aware) buffers are slow under paranoid leak detection: one event in eight.
                final Fixtures.Buffers kind = random.nextInt(8) == 0 ? buffers[random.nextInt(buffers.length)] :
                    Fixtures.Buffers.UNPOOLED_HEAP;
                final int expected = reference(goals, event);
                final int actual = events.match(matcher, body.getBytes(StandardCharsets.UTF_8), kind);
                if (expected != actual)
                {
                    assertEquals(expected, actual, failure(set, e, goals, body, kind, expected, actual, event));
                }
                total++;
                if (expected >= 0)
                {
                    matched++;
                    matchedByType.merge(goals.get(expected).type(), 1, Integer::sum);
                    if (matchingGoals(goals, event) > 1)
                    {
                        contested++;
                    }
                }
            }
        }
        final String stats = "seed 0x" + Long.toHexString(SEED) + ": " + matched + " of " + total + " events matched, " +
            contested + " by more than one goal; by type " + matchedByType;
        System.out.println("GoalMatcherPropertyTest " + stats);
        assertTrue(matched > total / 5, "too few events match anything, the test would be vacuous: " + stats);
        assertTrue(total - matched > total / 10, "too few events match nothing: " + stats);
        assertTrue(contested > total / 20, "too few events where priority decides: " + stats);
        for (final GoalType type : GoalType.values())
        {
            assertTrue(matchedByType.getOrDefault(type, 0) > total / 100, "too few matches of " + type + ": " + stats);
        }
    }

    // ------------------------------------------------------------------------------------------ reference

    /**
     * The naive evaluator: goals in priority order, each condition of each goal evaluated on Strings exactly as
     * the semantics say, first match wins.
     */
    static int reference(final List<Goal> goals, final RefEvent event)
    {
        for (int i = 0; i < goals.size(); i++)
        {
            if (matches(goals.get(i), event))
            {
                return i;
            }
        }
        return -1;
    }

    private static int matchingGoals(final List<Goal> goals, final RefEvent event)
    {
        int count = 0;
        for (final Goal goal : goals)
        {
            count += matches(goal, event) ? 1 : 0;
        }
        return count;
    }

    static boolean matches(final Goal goal, final RefEvent event)
    {
        if (!sees(goal.type(), event.type))
        {
            return false;
        }
        for (final Condition condition : goal.conditions())
        {
            final boolean holds = holds(condition, event);
            if (goal.matchAll() && !holds)
            {
                return false;
            }
            if (!goal.matchAll() && holds)
            {
                return true;
            }
        }
        return goal.matchAll();
    }

    private static boolean sees(final GoalType type, final char eventType)
    {
        switch (type)
        {
            case PAGEVIEW: return eventType == 'p';
            case CLICK: return eventType == 'c' || eventType == 'd';
            case FORM: return eventType == 'f';
            case CUSTOM: return eventType == 'e';
            default: throw new IllegalArgumentException(type.name());
        }
    }

    private static boolean holds(final Condition condition, final RefEvent event)
    {
        final List<String> texts = new ArrayList<>();
        switch (condition.field())
        {
            case PATH: texts.add(orEmpty(event.path)); break;
            case URL: texts.add(orEmpty(event.type == 'p' ? event.url : event.target)); break;
            case DOMAIN: texts.add(orEmpty(event.targetHost)); break;
            case TEXT: texts.add(orEmpty(event.text)); break;
            case TITLE: texts.add(orEmpty(event.title)); break;
            case ASIN: texts.add(orEmpty(event.asin)); break;
            case FORM_NAME: texts.add(orEmpty(event.formName)); break;
            case FORM_ID: texts.add(orEmpty(event.formId)); break;
            case PLUGIN: texts.add(orEmpty(event.plugin)); break;
            case PAGE_URL: texts.add(orEmpty(event.url)); break;
            case EVENT: texts.add(orEmpty(event.name)); break;
            case PROP_KEY: texts.addAll(event.keys); break;
            case PROP_VALUE:
                for (int i = 0; i < event.keys.size(); i++)
                {
                    if (lowerAscii(event.keys.get(i)).equals(lowerAscii(condition.key())))
                    {
                        texts.add(event.values.get(i));
                    }
                }
                if (texts.isEmpty())
                {
                    texts.add("");
                }
                break;
            default: throw new IllegalArgumentException(condition.field().name());
        }
        final boolean caseSensitive = condition.field() == Field.EVENT;
        final String value = condition.value() == null ? null : caseSensitive ? condition.value() : lowerAscii(condition.value());
        switch (condition.op())
        {
            case EQUALS: return some(texts, caseSensitive, t -> t.equals(value));
            case NOT_EQUALS: return !some(texts, caseSensitive, t -> t.equals(value));
            case CONTAINS: return some(texts, caseSensitive, t -> t.contains(value));
            case NOT_CONTAINS: return !some(texts, caseSensitive, t -> t.contains(value));
            case STARTS_WITH: return some(texts, caseSensitive, t -> t.startsWith(value));
            case ENDS_WITH: return some(texts, caseSensitive, t -> t.endsWith(value));
            case IS_NOT_EMPTY: return some(texts, caseSensitive, t -> !t.isEmpty());
            case IS_EMPTY: return !some(texts, caseSensitive, t -> !t.isEmpty());
            default: throw new IllegalArgumentException(condition.op().name());
        }
    }

    private static boolean some(final List<String> texts, final boolean caseSensitive,
        final Predicate<String> test)
    {
        for (final String text : texts)
        {
            if (test.test(caseSensitive ? text : lowerAscii(text)))
            {
                return true;
            }
        }
        return false;
    }

    private static String orEmpty(final String text)
    {
        return text == null ? "" : text;
    }

    /** ASCII letters lower-cased, every other character kept: the only folding the semantics have. */
    static String lowerAscii(final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
        }
        return out.toString();
    }

    // --------------------------------------------------------------------------------------------- events

    /** An event as plain Strings (null where absent), with what the server derives already worked out. */
    static final class RefEvent
    {
        char type;
        String name;
        String url;
        String path;
        String target;
        String targetHost;
        String asin;
        String text;
        String title;
        String formName;
        String formId;
        String plugin;
        final List<String> keys = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        /** How each property value is written: a JSON string, or raw (numbers and booleans). */
        final List<Boolean> rawValues = new ArrayList<>();

        /** The beacon body, members in random order, some characters escaped. */
        String toJson(final Random random)
        {
            final List<String> members = new ArrayList<>();
            members.add(member("t", String.valueOf(type), random));
            member(members, "n", name, random);
            member(members, "u", url, random);
            member(members, "h", target, random);
            member(members, "x", text, random);
            member(members, "ti", title, random);
            member(members, "fn", formName, random);
            member(members, "fi", formId, random);
            member(members, "fp", plugin, random);
            if (type == 'x')
            {
                members.add("\"sec\":" + random.nextInt(100));
            }
            if (!keys.isEmpty() || random.nextInt(10) == 0)
            {
                final StringBuilder mk = new StringBuilder("\"mk\":[");
                final StringBuilder mv = new StringBuilder("\"mv\":[");
                for (int i = 0; i < keys.size(); i++)
                {
                    mk.append(i == 0 ? "" : ",");
                    mv.append(i == 0 ? "" : ",");
                    string(mk, keys.get(i), random);
                    if (rawValues.get(i))
                    {
                        mv.append(values.get(i));
                    }
                    else
                    {
                        string(mv, values.get(i), random);
                    }
                }
                members.add(mk.append(']').toString());
                members.add(mv.append(']').toString());
            }
            Collections.shuffle(members, random);
            return "{" + String.join(random.nextBoolean() ? "," : " , ", members) + "}";
        }

        private static void member(final List<String> members, final String key, final String value, final Random random)
        {
            if (value != null)
            {
                members.add(member(key, value, random));
            }
        }

        private static String member(final String key, final String value, final Random random)
        {
            final StringBuilder out = new StringBuilder();
            out.append('"').append(key).append("\":");
            string(out, value, random);
            return out.toString();
        }

        /** A JSON string; one string in five has escapes: some characters as \\u, slashes as \/. */
        private static void string(final StringBuilder out, final String value, final Random random)
        {
            final boolean escape = random.nextInt(5) == 0;
            out.append('"');
            for (int i = 0; i < value.length(); i += Character.charCount(value.codePointAt(i)))
            {
                final int c = value.codePointAt(i);
                if (c == '"' || c == '\\')
                {
                    out.append('\\').append((char)c);
                }
                else if (escape && c == '/' && random.nextBoolean())
                {
                    out.append("\\/");
                }
                else if (escape && random.nextInt(3) == 0)
                {
                    for (final char unit : Character.toChars(c))
                    {
                        out.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int)unit));
                    }
                }
                else
                {
                    out.appendCodePoint(c);
                }
            }
            out.append('"');
        }

        @Override
        public String toString()
        {
            return "type=" + type + " name=" + name + " url=" + url + " path=" + path + " target=" + target +
                " targetHost=" + targetHost + " asin=" + asin + " text=" + text + " title=" + title + " formName=" +
                formName + " formId=" + formId + " plugin=" + plugin + " keys=" + keys + " values=" + values;
        }
    }

    static RefEvent randomEvent(final Random random)
    {
        final RefEvent event = new RefEvent();
        event.type = TYPES[random.nextInt(TYPES.length)];
        final String host = pick(random, HOSTS);
        event.path = randomPath(random);
        event.url = "https://" + host + event.path + (random.nextInt(3) == 0 ? "?" + tokens(random, 0, 4) : "");
        switch (event.type)
        {
            case 'e':
                event.name = randomName(random);
                for (int i = 0, n = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(4); i < n; i++)
                {
                    // a key given twice is refused at decode (duplicate_key): the keys of one event differ
                    String key = randomKey(random);
                    while (event.keys.contains(key))
                    {
                        key = randomKey(random);
                    }
                    event.keys.add(key);
                    final int kind = random.nextInt(10);
                    event.rawValues.add(kind < 2);
                    event.values.add(kind == 0 ? String.valueOf(random.nextInt(3)) : kind == 1 ? "true" : randomValue(random));
                }
                break;
            case 'c':
            case 'd':
                if (random.nextInt(8) != 0)
                {
                    randomTarget(random, event);
                }
                event.text = random.nextInt(5) < 3 ? randomValue(random) : null;
                event.title = random.nextInt(5) < 2 ? randomValue(random) : null;
                break;
            case 'f':
                event.formName = random.nextInt(10) < 7 ? randomValue(random) : null;
                event.formId = random.nextInt(10) < 6 ? randomValue(random) : null;
                event.plugin = random.nextBoolean() ? pick(random, PLUGINS) : null;
                break;
            default:
                break;
        }
        return event;
    }

    /** The link of a click: sometimes an Amazon product link, so the ASIN is derived. */
    private static void randomTarget(final Random random, final RefEvent event)
    {
        final String host = pick(random, HOSTS);
        final boolean amazon = lowerAscii(host).contains("amazon.");
        String path = randomPath(random);
        String asin = null;
        if (amazon && random.nextInt(3) != 0)
        {
            final String candidate = pick(random, ASINS);
            final String rest = random.nextBoolean() ? "" : random.nextBoolean() ? "/" + tokens(random, 0, 2) : "?tag=" + tokens(random, 0, 2);
            path = (random.nextBoolean() ? "/dp/" : "/gp/product/") + candidate + rest;
            asin = candidate.matches("[0-9A-Z]{10}") ? candidate : null;
        }
        event.target = "https://" + host + path + (random.nextInt(4) == 0 ? "?" + tokens(random, 0, 3) : "");
        event.targetHost = host;
        event.asin = asin;
    }

    private static String randomPath(final Random random)
    {
        final int kind = random.nextInt(10);
        if (kind == 0)
        {
            return "";
        }
        if (kind == 1)
        {
            return "/";
        }
        final StringBuilder path = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++)
        {
            path.append('/').append(tokens(random, 0, 2));
        }
        return path.toString();
    }

    private static String randomName(final Random random)
    {
        final String name = random.nextInt(3) == 0 ? tokens(random, 1, 3) : pick(random, NAMES);
        return name.isBlank() ? "a" + name : name;
    }

    private static String randomKey(final Random random)
    {
        return random.nextInt(4) == 0 ? tokens(random, 1, 2) : pick(random, KEYS);
    }

    private static String randomValue(final Random random)
    {
        return tokens(random, 0, 3);
    }

    // ---------------------------------------------------------------------------------------------- goals

    /**
     * 1 to {@value #MAX_GOALS} goals. Negated operators make goals that hold for most events, so a third of
     * the sets have none (matches then come from anchors only) and a third have few.
     *
     * @param negation 0: no negated operators; 1: any operator equally likely; 2: one condition in eight negated.
     */
    static List<Goal> randomGoals(final Random random, final int negation)
    {
        final List<Goal> goals = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(MAX_GOALS); i < n; i++)
        {
            goals.add(randomGoal(random, "G" + i, negation));
        }
        return goals;
    }

    private static Op randomOp(final Random random, final int negation)
    {
        final Op op = Op.values()[random.nextInt(Op.values().length)];
        if (!op.isNegated() || negation == 1 || negation == 2 && random.nextInt(4) == 0)
        {
            return op;
        }
        return op.positive();
    }

    private static Goal randomGoal(final Random random, final String name, final int negation)
    {
        final GoalType type = GoalType.values()[random.nextInt(GoalType.values().length)];
        final List<Field> fields = new ArrayList<>(type.fields());
        final List<Object> conditions = new ArrayList<>();
        for (int i = 0, n = 1 + (random.nextInt(3) == 0 ? random.nextInt(4) : 0); i < n; i++)
        {
            final Field field = fields.get(random.nextInt(fields.size()));
            final Op op = randomOp(random, negation);
            final Map<String, Object> condition = new LinkedHashMap<>();
            condition.put("field", field.jsonName());
            if (field == Field.PROP_VALUE)
            {
                condition.put("key", randomKey(random));
            }
            condition.put("op", op.jsonName());
            if (op.takesValue())
            {
                condition.put("value", conditionValue(random, field));
            }
            conditions.add(condition);
        }
        final Map<String, Object> goal = new LinkedHashMap<>();
        goal.put("name", name);
        goal.put("kind", "event");
        goal.put("type", type.jsonName());
        goal.put("match", random.nextInt(5) < 3 ? "all" : "any");
        goal.put("conditions", conditions);
        // Through JSON text, as the admin API takes goals.
        return GoalJson.read(Json.parse(Json.write(goal)));
    }

    /** A non-empty value: mostly a piece of a value an event could carry in {@code field}, case sometimes changed. */
    private static String conditionValue(final Random random, final Field field)
    {
        String sample = random.nextInt(5) == 0 ? tokens(random, 1, 3) : sample(random, field);
        if (sample.isEmpty())
        {
            sample = tokens(random, 1, 2);
        }
        final int[] points = sample.codePoints().toArray();
        int from = 0;
        int to = points.length;
        switch (random.nextInt(5))
        {
            case 0: to = 1 + random.nextInt(points.length); break;
            case 1: from = random.nextInt(points.length); break;
            case 2:
                from = random.nextInt(points.length);
                to = from + 1 + random.nextInt(points.length - from);
                break;
            default: break;
        }
        final String piece = new String(points, from, to - from);
        return random.nextInt(4) == 0 ? flipAsciiCase(random, piece) : piece;
    }

    private static String sample(final Random random, final Field field)
    {
        final RefEvent event = new RefEvent();
        switch (field)
        {
            case PATH: return randomPath(random);
            case URL:
            case DOMAIN:
            case ASIN:
                randomTarget(random, event);
                return orEmpty(field == Field.URL ? event.target : field == Field.DOMAIN ? event.targetHost : event.asin);
            case PAGE_URL: return "https://" + pick(random, HOSTS) + randomPath(random);
            case EVENT: return randomName(random);
            case PROP_KEY: return randomKey(random);
            case PLUGIN: return pick(random, PLUGINS);
            default: return randomValue(random);
        }
    }

    private static String flipAsciiCase(final Random random, final String text)
    {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            out.append(letter && random.nextBoolean() ? (char)(c ^ 0x20) : c);
        }
        return out.toString();
    }

    private static String tokens(final Random random, final int min, final int max)
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0, n = min + random.nextInt(max - min + 1); i < n; i++)
        {
            out.append(pick(random, TOKENS));
        }
        return out.toString();
    }

    private static String pick(final Random random, final String[] from)
    {
        return from[random.nextInt(from.length)];
    }

    private static String failure(final int set, final int eventIndex, final List<Goal> goals, final String body,
        final Fixtures.Buffers kind, final int expected, final int actual, final RefEvent event)
    {
        final StringBuilder out = new StringBuilder();
        out.append("seed 0x").append(Long.toHexString(SEED)).append(" (-Dtally.matcher.seed=").append(SEED)
            .append("), goal set ").append(set).append(", event ").append(eventIndex).append(": reference ")
            .append(expected).append(", matcher ").append(actual).append("\nevent ").append(body).append(" in ")
            .append(kind).append("\n  ").append(event).append("\ngoals:");
        for (int i = 0; i < goals.size(); i++)
        {
            out.append("\n  ").append(i).append(matches(goals.get(i), event) ? " * " : "   ")
                .append(GoalJsonTest.text(goals.get(i)));
        }
        return out.toString();
    }
}
