package io.tally.matcher;

import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.ArrayList;
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

/** Reading goals: every invalid field refused with its exact name; defaults; writing round-trips through reading. */
class GoalJsonTest
{
    private static final String EVENT_CONDITION = "{'field':'event','op':'equals','value':'Signup'}";
    private static final String CONDITIONS = "'conditions':[" + EVENT_CONDITION + "]";

    /** A custom goal with one condition, {@code members} (single-quoted JSON members, comma-led) added. */
    private static String custom(final String members)
    {
        return "{'name':'Signup','type':'custom'," + CONDITIONS + members + "}";
    }

    /** A custom goal whose only condition is {@code condition}. */
    private static String withCondition(final String condition)
    {
        return "{'name':'Signup','type':'custom','conditions':[" + condition + "]}";
    }

    static Stream<Arguments> invalidGoals()
    {
        return Stream.of(
            // the goal itself and unknown members
            Arguments.of("goal", "[" + custom("") + "]"),
            Arguments.of("goal", "'Signup'"),
            Arguments.of("colour", custom(",'colour':'red'")),
            Arguments.of("Name", custom(",'Name':'x'")),
            // name
            Arguments.of("name", "{'type':'custom'," + CONDITIONS + "}"),
            Arguments.of("name", "{'name':null,'type':'custom'," + CONDITIONS + "}"),
            Arguments.of("name", "{'name':'','type':'custom'," + CONDITIONS + "}"),
            Arguments.of("name", "{'name':'   ','type':'custom'," + CONDITIONS + "}"),
            Arguments.of("name", "{'name':7,'type':'custom'," + CONDITIONS + "}"),
            Arguments.of("name", "{'name':'" + "n".repeat(121) + "','type':'custom'," + CONDITIONS + "}"),
            Arguments.of("name", "{'name':'" + "\u00e9".repeat(121) + "','type':'custom'," + CONDITIONS + "}"),
            // kind, value, weight, counts_as_conversion
            Arguments.of("kind", custom(",'kind':'mega'")),
            Arguments.of("kind", custom(",'kind':'MACRO','value':{'amount':'1'}")),
            Arguments.of("kind", custom(",'kind':3")),
            Arguments.of("value", custom(",'kind':'micro','value':{'amount':'1.00'}")),
            Arguments.of("value", custom(",'kind':'event','value':{'amount':'1.00'}")),
            Arguments.of("value", custom(",'kind':'macro'")),
            Arguments.of("value", custom(",'kind':'macro','value':'29.00'")),
            Arguments.of("value", custom(",'value':29")),
            Arguments.of("weight", custom(",'kind':'micro','weight':0")),
            Arguments.of("weight", custom(",'kind':'micro','weight':4")),
            Arguments.of("weight", custom(",'weight':0")),
            Arguments.of("weight", custom(",'weight':-1")),
            Arguments.of("weight", custom(",'kind':'micro','weight':1.5")),
            Arguments.of("weight", custom(",'kind':'micro','weight':'2'")),
            Arguments.of("weight", custom(",'kind':'macro','value':{'amount':'1'},'weight':1")),
            Arguments.of("weight", custom(",'kind':'event','weight':2")),
            Arguments.of("value.amount", custom(",'value':{'amount':'abc'}")),
            Arguments.of("value.amount", custom(",'value':{'amount':'$29.00'}")),
            Arguments.of("value.amount", custom(",'value':{'amount':'-1'}")),
            Arguments.of("value.amount", custom(",'value':{'amount':-0.01}")),
            Arguments.of("value.amount", custom(",'value':{'amount':true}")),
            Arguments.of("value.amount", custom(",'value':{'currency':'USD'}")),
            Arguments.of("value.amount", custom(",'value':{'amount':'1e400'}")),
            Arguments.of("value.currency", custom(",'value':{'amount':'1','currency':'US'}")),
            Arguments.of("value.currency", custom(",'value':{'amount':'1','currency':'EURO'}")),
            Arguments.of("value.currency", custom(",'value':{'amount':'1','currency':'U1D'}")),
            Arguments.of("value.currency", custom(",'value':{'amount':'1','currency':840}")),
            Arguments.of("value.currency", custom(",'value':{'amount':'1','currency':'ZZZ'}")),
            Arguments.of("value.currency", custom(",'value':{'amount':'1','currency':'xxa'}")),
            Arguments.of("counts_as_conversion", custom(",'kind':'event','counts_as_conversion':true")),
            Arguments.of("counts_as_conversion", custom(",'counts_as_conversion':'yes'")),
            // type, match, fire
            Arguments.of("type", "{'name':'Signup'," + CONDITIONS + "}"),
            Arguments.of("type", "{'name':'Signup','type':'purchase'," + CONDITIONS + "}"),
            Arguments.of("type", "{'name':'Signup','type':'Custom'," + CONDITIONS + "}"),
            Arguments.of("match", custom(",'match':'some'")),
            Arguments.of("match", custom(",'match':true")),
            Arguments.of("fire", custom(",'fire':'twice'")),
            // conditions
            Arguments.of("conditions", "{'name':'Signup','type':'custom'}"),
            Arguments.of("conditions", "{'name':'Signup','type':'custom','conditions':[]}"),
            Arguments.of("conditions", "{'name':'Signup','type':'custom','conditions':{}}"),
            Arguments.of("conditions", "{'name':'Signup','type':'custom','conditions':" + conditions(33) + "}"),
            Arguments.of("conditions[0]", withCondition("'event'")),
            Arguments.of("conditions[0].field", withCondition("{'field':'path','op':'equals','value':'/'}")),
            Arguments.of("conditions[0].field", withCondition("{'field':'nope','op':'equals','value':'/'}")),
            Arguments.of("conditions[0].field", withCondition("{'field':'Event','op':'equals','value':'x'}")),
            Arguments.of("conditions[0].field", withCondition("{'op':'equals','value':'x'}")),
            Arguments.of("conditions[1].field", "{'name':'P','type':'pageview','conditions':[" +
                "{'field':'path','op':'equals','value':'/'},{'field':'domain','op':'equals','value':'x'}]}"),
            Arguments.of("conditions[0].field", "{'name':'C','type':'click','conditions':[{'field':'path','op':'equals','value':'/'}]}"),
            Arguments.of("conditions[0].field", "{'name':'F','type':'form','conditions':[{'field':'url','op':'equals','value':'/'}]}"),
            Arguments.of("conditions[0].field", "{'name':'P','type':'pageview','conditions':[{'field':'event','op':'equals','value':'x'}]}"),
            Arguments.of("conditions[0].op", withCondition("{'field':'event','op':'is','value':'x'}")),
            Arguments.of("conditions[0].op", withCondition("{'field':'event','op':'EQUALS','value':'x'}")),
            Arguments.of("conditions[0].op", withCondition("{'field':'event','value':'x'}")),
            Arguments.of("conditions[0].value", withCondition("{'field':'event','op':'equals'}")),
            Arguments.of("conditions[0].value", withCondition("{'field':'event','op':'contains','value':''}")),
            Arguments.of("conditions[0].value", withCondition("{'field':'event','op':'starts_with','value':5}")),
            Arguments.of("conditions[0].value", withCondition("{'field':'event','op':'ends_with','value':'" + "v".repeat(2001) + "'}")),
            Arguments.of("conditions[0].value", withCondition("{'field':'event','op':'is_empty','value':'x'}")),
            Arguments.of("conditions[0].value", withCondition("{'field':'event','op':'is_not_empty','value':''}")),
            Arguments.of("conditions[0].key", withCondition("{'field':'prop_value','op':'equals','value':'x'}")),
            Arguments.of("conditions[0].key", withCondition("{'field':'prop_value','key':'','op':'equals','value':'x'}")),
            Arguments.of("conditions[0].key", withCondition("{'field':'prop_value','key':'" + "k".repeat(301) + "','op':'equals','value':'x'}")),
            Arguments.of("conditions[0].key", withCondition("{'field':'event','key':'plan','op':'equals','value':'x'}")),
            Arguments.of("conditions[0].key", withCondition("{'field':'prop_key','key':'plan','op':'equals','value':'x'}")),
            Arguments.of("conditions[0].extra", withCondition("{'field':'event','op':'equals','value':'x','extra':1}")),
            // notify
            Arguments.of("notify", custom(",'notify':{'channel':'email','target':'a@b.example'}")),
            Arguments.of("notify[0].channel", custom(",'notify':[{'channel':'sms','target':'+1555'}]")),
            Arguments.of("notify[0].channel", custom(",'notify':[{'target':'a@b.example'}]")),
            Arguments.of("notify[1].channel", custom(",'notify':[{'channel':'email','target':'a@b.example'},{'channel':'Webhook','target':'x'}]")),
            Arguments.of("notify[0].target", custom(",'notify':[{'channel':'webhook','target':' '}]")),
            Arguments.of("notify[0].target", custom(",'notify':[{'channel':'webhook'}]")),
            Arguments.of("notify[1]", custom(",'notify':[{'channel':'webhook','target':'https://h.example/'},'x']")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidGoals")
    void invalidFieldIsNamed(final String field, final String singleQuoted)
    {
        final Object parsed = Json.parse(json(singleQuoted));
        final InvalidGoalException ex = assertThrows(InvalidGoalException.class, () -> GoalJson.read(parsed));
        assertEquals(field, ex.field(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(field + ": "), ex.getMessage());
    }

    @Test
    void aCurrencyThatIsNoIso4217CodeIsRefusedAsBeaconsRefuseIt()
    {
        final Object parsed = Json.parse(json(custom(",'value':{'amount':'1','currency':'ZZZ'}")));
        final InvalidGoalException ex = assertThrows(InvalidGoalException.class, () -> GoalJson.read(parsed));
        assertEquals("value.currency: is not an ISO 4217 currency code", ex.getMessage());
    }

    @Test
    void nameOf120CharactersIsAccepted()
    {
        assertEquals("n".repeat(120), goal("{'name':'" + "n".repeat(120) + "','type':'custom'," + CONDITIONS + "}").name());
        assertEquals("\u00e9".repeat(120), goal("{'name':'" + "\u00e9".repeat(120) + "','type':'custom'," + CONDITIONS + "}").name());
        assertEquals("x", goal("{'name':'x','type':'custom'," + CONDITIONS + "}").name());
    }

    @Test
    void thirtyTwoConditionsAreAccepted()
    {
        assertEquals(32, goal("{'name':'Many','type':'custom','conditions':" + conditions(32) + "}").conditions().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3", "2.0"})
    void microWeightsOneToThree(final String weight)
    {
        final Goal goal = goal(custom(",'kind':'micro','weight':" + weight));
        assertEquals(new BigDecimal(weight).intValueExact(), goal.weight());
        assertEquals(Goal.Kind.MICRO, goal.kind());
        assertTrue(goal.isConversion());
    }

    @Test
    void defaults()
    {
        final Goal micro = goal(custom(""));
        assertEquals(Goal.Kind.MICRO, micro.kind());
        assertEquals(1, micro.weight());
        assertTrue(micro.countsAsConversion());
        assertTrue(micro.matchAll());
        assertTrue(micro.fireOnce());
        assertTrue(micro.recipients().isEmpty());
        assertNull(micro.valueAmount());

        final Goal macro = goal(custom(",'value':{'amount':'29.00'}"));
        assertEquals(Goal.Kind.MACRO, macro.kind());
        assertEquals(new BigDecimal("29.00"), macro.valueAmount());
        assertEquals("USD", macro.valueCurrency());
        assertEquals(0, macro.weight());
        assertTrue(macro.isConversion());

        final Goal event = goal(custom(",'kind':'event'"));
        assertFalse(event.countsAsConversion());
        assertFalse(event.isConversion());
        assertEquals(0, event.weight());

        final Goal notCounted = goal(custom(",'kind':'macro','counts_as_conversion':false,'value':{'amount':5,'currency':'eur'}"));
        assertFalse(notCounted.isConversion());
        assertEquals("EUR", notCounted.valueCurrency());
        assertEquals("CHF", goal(custom(",'value':{'amount':'1','currency':'chf'}")).valueCurrency());
        assertEquals("JPY", goal(custom(",'value':{'amount':'1','currency':'JPY'}")).valueCurrency());
        assertEquals(new BigDecimal("5"), notCounted.valueAmount());
        assertEquals(new BigDecimal("1000"), goal(custom(",'value':{'amount':'1e3'}")).valueAmount());
        assertEquals(new BigDecimal("0"), goal(custom(",'value':{'amount':'0'}")).valueAmount());

        final Goal any = goal(custom(",'match':'any','fire':'always'"));
        assertFalse(any.matchAll());
        assertFalse(any.fireOnce());
    }

    @Test
    void theIssueExample()
    {
        final Goal goal = goal("{'name': 'Premium Plan Purchase', 'kind': 'macro', 'counts_as_conversion': true," +
            " 'value': {'amount': '29.00', 'currency': 'USD'}, 'type': 'custom', 'match': 'all'," +
            " 'conditions': [{'field': 'event', 'op': 'equals', 'value': 'Purchase'}," +
            " {'field': 'prop_value', 'key': 'plan', 'op': 'equals', 'value': 'premium'}]," +
            " 'fire': 'once', 'notify': [{'channel': 'webhook', 'target': 'https://hooks.shop.example/tally'}]}");
        assertEquals(new Goal("Premium Plan Purchase", Goal.Kind.MACRO, true, new BigDecimal("29.00"), "USD", 0,
            GoalType.CUSTOM, true, List.of(Condition.of(Field.EVENT, Op.EQUALS, "Purchase"),
            Condition.property("plan", Op.EQUALS, "premium")), true,
            List.of(new Goal.Notify("webhook", "https://hooks.shop.example/tally")), null), goal);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "pageview, path", "pageview, url",
        "click, url", "click, domain", "click, text", "click, title", "click, asin",
        "form, form_name", "form, form_id", "form, plugin", "form, page_url",
        "custom, event", "custom, prop_key"})
    void everyFieldOfEveryTypeAndEveryOperatorIsAccepted(final String type, final String field)
    {
        for (final Op op : Op.values())
        {
            final String value = op.takesValue() ? ",'value':'v'" : "";
            final Goal goal = goal("{'name':'G','type':'" + type + "','conditions':[{'field':'" + field + "','op':'" +
                op.jsonName() + "'" + value + "}]}");
            assertEquals(Field.fromJson(field), goal.conditions().get(0).field());
            assertEquals(op, goal.conditions().get(0).op());
            assertEquals(op.takesValue() ? "v" : null, goal.conditions().get(0).value());
        }
    }

    @Test
    void writeRoundTripsThroughRead()
    {
        final List<Goal> goals = new ArrayList<>();
        goals.add(goal("{'name':'Premium Plan Purchase','kind':'macro','value':{'amount':'29.00','currency':'eur'}," +
            "'type':'custom','match':'all','conditions':[{'field':'event','op':'equals','value':'Purchase'}," +
            "{'field':'prop_value','key':'Plan','op':'not_contains','value':'basic'},{'field':'prop_key','op':'is_not_empty'}]," +
            "'fire':'always','notify':[{'channel':'webhook','target':'https://hooks.shop.example/tally'}," +
            "{'channel':'email','target':'ops@shop.example'}]}"));
        goals.add(goal("{'name':'Pricing \u00e9\u65e5\uD83D\uDE00','kind':'micro','weight':3,'type':'pageview','match':'any'," +
            "'conditions':[{'field':'path','op':'starts_with','value':'/Pricing'},{'field':'url','op':'contains','value':'?signedUp=true'}," +
            "{'field':'path','op':'is_empty'}]}"));
        goals.add(goal("{'name':'Amazon','kind':'event','type':'click','conditions':[{'field':'url','op':'ends_with','value':'x'}," +
            "{'field':'domain','op':'equals','value':'amazon.de'},{'field':'text','op':'not_equals','value':'a \\\"q\\\" \\\\ b'}," +
            "{'field':'title','op':'is_not_empty'},{'field':'asin','op':'equals','value':'B08N5WRWNW'}]}"));
        goals.add(goal("{'name':'Contact','value':{'amount':12.5},'counts_as_conversion':false,'type':'form'," +
            "'conditions':[{'field':'form_name','op':'equals','value':'contact'},{'field':'form_id','op':'contains','value':'cf7'}," +
            "{'field':'plugin','op':'not_equals','value':'html'},{'field':'page_url','op':'ends_with','value':'/contact'}]}"));
        goals.add(goal("{'name':'Many','type':'custom','conditions':" + conditions(32) + "}"));
        for (final Goal goal : goals)
        {
            final Map<String, Object> written = GoalJson.write(goal);
            assertEquals(goal, GoalJson.read(written));
            final String text = Json.write(written);
            assertEquals(Json.parse(text), written, "write gives the tree that Json.parse gives for its text");
            final Goal reread = GoalJson.read(Json.parse(text));
            assertEquals(goal, reread, text);
            assertEquals(text, text(reread));
        }
    }

    /** The goal as JSON text. */
    static String text(final Goal goal)
    {
        return Json.write(GoalJson.write(goal));
    }

    /** A JSON array of {@code count} distinct event conditions, single-quoted. */
    private static String conditions(final int count)
    {
        final List<String> conditions = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            conditions.add("{'field':'event','op':'not_equals','value':'E" + i + "'}");
        }
        return "[" + String.join(",", conditions) + "]";
    }
}
