package io.tally.matcher;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tally.matcher.Fixtures.goal;
import static io.tally.matcher.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A goal's client-side trigger: each type, its defaults, every invalid field named, limits at and past, round trips. */
class TriggerJsonTest
{
    /** A goal named Signup with {@code trigger} (single-quoted JSON) and nothing else. */
    private static String withTrigger(final String trigger)
    {
        return "{'name':'Signup','trigger':" + trigger + "}";
    }

    static Stream<Arguments> invalidTriggers()
    {
        return Stream.of(
            Arguments.of("trigger", withTrigger("'click'")),
            Arguments.of("trigger.type", withTrigger("{'selector':'#a'}")),
            Arguments.of("trigger.type", withTrigger("{'type':'hover','selector':'#a'}")),
            Arguments.of("trigger.selector", withTrigger("{'type':'click'}")),
            Arguments.of("trigger.selector", withTrigger("{'type':'view','selector':' '}")),
            Arguments.of("trigger.selector", withTrigger("{'type':'click','selector':'" + "a".repeat(501) + "'}")),
            Arguments.of("trigger.selector", withTrigger("{'type':'click','selector':7}")),
            Arguments.of("trigger.path", withTrigger("{'type':'click','selector':'#a','path':'/x'}")),
            Arguments.of("trigger.path", withTrigger("{'type':'page'}")),
            Arguments.of("trigger.path", withTrigger("{'type':'page','path':''}")),
            Arguments.of("trigger.op", withTrigger("{'type':'page','path':'/x','op':'is_empty'}")),
            Arguments.of("trigger.op", withTrigger("{'type':'page','path':'/x','op':'not_equals'}")),
            Arguments.of("trigger.op", withTrigger("{'type':'page','op':'equals','query':{'a':'1'}}")),
            Arguments.of("trigger.query", withTrigger("{'type':'page','query':['a']}")),
            Arguments.of("trigger.query", withTrigger("{'type':'page','query':" + query(17) + "}")),
            Arguments.of("trigger.query.plan", withTrigger("{'type':'page','query':{'plan':1}}")),
            Arguments.of("trigger.selector", withTrigger("{'type':'page','path':'/x','selector':'#a'}")),
            Arguments.of("trigger.seconds", withTrigger("{'type':'engagement'}")),
            Arguments.of("trigger.seconds", withTrigger("{'type':'engagement','seconds':10,'interactions':3}")),
            Arguments.of("trigger.seconds", withTrigger("{'type':'engagement','seconds':0}")),
            Arguments.of("trigger.seconds", withTrigger("{'type':'engagement','seconds':86401}")),
            Arguments.of("trigger.seconds", withTrigger("{'type':'engagement','seconds':1.5}")),
            Arguments.of("trigger.interactions", withTrigger("{'type':'engagement','interactions':'3'}")),
            Arguments.of("trigger.interactions", withTrigger("{'type':'engagement','interactions':10001}")),
            Arguments.of("trigger.event", withTrigger("{'type':'click','selector':'#a','event':''}")),
            Arguments.of("trigger.event", withTrigger("{'type':'click','selector':'#a','event':'" + "e".repeat(121) + "'}")),
            Arguments.of("trigger.every_time", withTrigger("{'type':'click','selector':'#a','every_time':'yes'}")),
            Arguments.of("trigger", "{'name':'P','type':'pageview','conditions':[{'field':'path','op':'equals','value':'/'}]," +
                "'trigger':{'type':'click','selector':'#a'}}"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidTriggers")
    void invalidFieldIsNamed(final String field, final String singleQuoted)
    {
        final Object parsed = Json.parse(json(singleQuoted));
        final InvalidGoalException ex = assertThrows(InvalidGoalException.class, () -> GoalJson.read(parsed));
        assertEquals(field, ex.field(), ex.getMessage());
    }

    @Test
    void aTriggerMakesACustomGoalOnItsEventByDefault()
    {
        final Goal goal = goal(withTrigger("{'type':'click','selector':'#buy'}"));
        assertEquals(GoalType.CUSTOM, goal.type());
        assertEquals(List.of(Condition.of(Field.EVENT, Op.EQUALS, "Signup")), goal.conditions());
        final Trigger trigger = goal.trigger();
        assertEquals(Trigger.Type.CLICK, trigger.type());
        assertEquals("Signup", trigger.event());
        assertEquals("#buy", trigger.selector());
        assertFalse(trigger.everyTime());

        final Goal named = goal(withTrigger("{'type':'view','selector':'#pricing','event':'Pricing seen','every_time':true}"));
        assertEquals(List.of(Condition.of(Field.EVENT, Op.EQUALS, "Pricing seen")), named.conditions());
        assertTrue(named.trigger().everyTime());
        assertNull(goal("{'name':'G','type':'custom','conditions':[{'field':'event','op':'equals','value':'G'}]}").trigger());
    }

    @Test
    void limitsAreAcceptedAtTheirValue()
    {
        assertEquals(500, goal(withTrigger("{'type':'click','selector':'" + "a".repeat(500) + "'}")).trigger().selector().length());
        assertEquals(86_400, goal(withTrigger("{'type':'engagement','seconds':86400}")).trigger().seconds());
        assertEquals(10_000, goal(withTrigger("{'type':'engagement','interactions':10000}")).trigger().interactions());
        assertEquals(16, goal(withTrigger("{'type':'page','query':" + query(16) + "}")).trigger().query().size());
        assertEquals(120, goal(withTrigger("{'type':'click','selector':'a','event':'" + "e".repeat(120) + "'}"))
            .trigger().event().length());
    }

    @Test
    void pageTriggerDefaultsToEqualsAndKeepsQueryOrder()
    {
        final Trigger trigger = goal(withTrigger("{'type':'page','path':'/thanks','query':{'plan':'pro','ref':''}}")).trigger();
        assertEquals(Op.EQUALS, trigger.pathOp());
        assertEquals(List.of("plan", "ref"), List.copyOf(trigger.query().keySet()));
        assertEquals("", trigger.query().get("ref"));
    }

    @Test
    void everyTypeRoundTrips()
    {
        for (final String trigger : List.of(
            "{'type':'page','path':'/pricing','op':'starts_with'}",
            "{'type':'page','query':{'utm_campaign':'spring'},'event':'Campaign','every_time':true}",
            "{'type':'click','selector':'a.buy, #cta'}",
            "{'type':'view','selector':'#pricing'}",
            "{'type':'engagement','seconds':30}",
            "{'type':'engagement','interactions':5,'every_time':true}"))
        {
            final Goal goal = goal("{'name':'G','kind':'event','trigger':" + trigger + "}");
            final Map<String, Object> written = GoalJson.write(goal);
            final String text = Json.write(written);
            assertEquals(goal, GoalJson.read(Json.parse(text)), text);
            assertEquals(text, GoalJsonTest.text(GoalJson.read(Json.parse(text))));
        }
    }

    /** A query object with {@code count} parameters. */
    private static String query(final int count)
    {
        final StringBuilder query = new StringBuilder("{");
        for (int i = 0; i < count; i++)
        {
            query.append(i == 0 ? "" : ",").append("'p").append(i).append("':'v'");
        }
        return query.append('}').toString();
    }
}
