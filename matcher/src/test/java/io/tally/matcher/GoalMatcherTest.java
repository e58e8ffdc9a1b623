package io.tally.matcher;

import io.tally.codec.EventType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.tally.matcher.Fixtures.cond;
import static io.tally.matcher.Fixtures.goal;
import static io.tally.matcher.Fixtures.json;
import static io.tally.matcher.Fixtures.matcher;
import static io.tally.matcher.Fixtures.prop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compiled matcher on real decoded beacons: every goal type and field, every operator with the case
 * rules (event names case-sensitive, everything else ASCII-case-insensitive), {@code all}/{@code any},
 * properties (absent, duplicated, non-string), priority order and the event types each goal type sees.
 * A {@code -} in a table stands for "no value" (the emptiness tests).
 */
class GoalMatcherTest
{
    private static final String CLICK = "{'t':'c','u':'https://blog.example/review'," +
        "'h':'https://www.Amazon.de/dp/B08N5WRWNW/ref=nosim?tag=blog-21','x':'Buy now','ti':'See it on Amazon'}";
    private static final String FORM = "{'t':'f','u':'https://shop.example/Contact?ref=nav','fn':'Contact Form'," +
        "'fi':'wpcf7-f42','fp':'cf7'}";
    private static final String SIGNUP_WITH_PROPS = "{'t':'e','n':'Signup','u':'https://shop.example/join'," +
        "'mk':['Plan','ref'],'mv':['Premium','newsletter']}";
    private static final String SIGNUP_NO_PROPS = "{'t':'e','n':'Signup','u':'https://shop.example/join'}";

    private final Fixtures.Events events = new Fixtures.Events();

    // ------------------------------------------------------------------------------------------- pageview

    @ParameterizedTest(name = "path {0} {1} on {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "equals       | /pricing        | https://shop.example/pricing?plan=pro        | true",
        "equals       | /pricing        | https://shop.example/Pricing                 | true",
        "equals       | /PRICING        | https://shop.example/pricing#faq             | true",
        "equals       | /pricing        | https://shop.example/pricing/annual          | false",
        "equals       | /pricing        | https://pricing.example/                     | false",
        "not_equals   | /pricing        | https://shop.example/PRICING                 | false",
        "not_equals   | /pricing        | https://shop.example/about                   | true",
        "starts_with  | /Blog           | https://shop.example/blog/x                  | true",
        "starts_with  | /blog           | https://shop.example/BLOG                    | true",
        "starts_with  | /blog           | https://shop.example/news/blog               | false",
        "starts_with  | /blog/post      | https://shop.example/blog/pos                | false",
        "contains     | thank           | https://shop.example/checkout/Thank-You      | true",
        "contains     | thank           | https://shop.example/?thank=1                | false",
        "contains     | /               | https://shop.example/                        | true",
        "not_contains | thank           | https://shop.example/checkout/done           | true",
        "not_contains | thank           | https://shop.example/THANKS                  | false",
        "ends_with    | .HTML           | https://shop.example/a/page.html?x=1         | true",
        "ends_with    | .html           | https://shop.example/page.htm                | false",
        "ends_with    | page.html       | https://shop.example/age.html                | false",
        "is_empty     | -               | https://shop.example                         | true",
        "is_empty     | -               | https://shop.example?x=1                     | true",
        "is_empty     | -               | https://shop.example/                        | false",
        "is_not_empty | -               | https://shop.example/                        | true",
        "is_not_empty | -               | https://shop.example#top                     | false",
        "contains     | caf\u00e9       | https://shop.example/CAF\u00e9/menu           | true",
        "contains     | \u00c9          | https://shop.example/caf\u00e9               | false",
        "starts_with  | /CAF\u00c9      | https://shop.example/caf\u00c9s              | true",
        "equals       | /\u65e5\u672c   | https://shop.example/\u65e5\u672c?q         | true",
        "ends_with    | \uD83D\uDE00    | https://shop.example/smile\uD83D\uDE00       | true",
    })
    void pageviewPath(final String op, final String value, final String url, final boolean expected)
    {
        assertMatch(expected, goal("Path", "pageview", "all", cond("path", op, valueOf(value))),
            "{'t':'p','u':'" + url + "'}");
    }

    @ParameterizedTest(name = "url {0} {1} on {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "contains     | ?signedUp=true                     | https://shop.example/welcome?signedup=TRUE | true",
        "contains     | ?signedUp=true                     | https://shop.example/welcome?signedUp=no   | false",
        "equals       | https://shop.example/pricing?x=1   | HTTPS://Shop.Example/pricing?X=1           | true",
        "equals       | https://shop.example/pricing       | https://shop.example/pricing?x=1           | false",
        "starts_with  | https://shop.example/blog          | https://shop.example/blog/a?b=c            | true",
        "starts_with  | http://shop.example/               | https://shop.example/                      | false",
        "ends_with    | utm_source=news                    | https://shop.example/?utm_source=News      | true",
        "ends_with    | utm_source=news                    | https://shop.example/?utm_source=news#x    | false",
        "not_contains | utm_                               | https://shop.example/?utm_source=x         | false",
        "not_contains | utm_                               | https://shop.example/                      | true",
        "not_equals   | https://shop.example/              | https://shop.example/                      | false",
        "is_not_empty | -                                  | https://shop.example                       | true",
        "is_empty     | -                                  | https://shop.example                       | false",
    })
    void pageviewUrlIsTheWholePageUrl(final String op, final String value, final String url, final boolean expected)
    {
        assertMatch(expected, goal("Url", "pageview", "all", cond("url", op, valueOf(value))),
            "{'t':'p','u':'" + url + "'}");
    }

    // ---------------------------------------------------------------------------------------------- click

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "url    | equals       | https://www.amazon.de/dp/B08N5WRWNW/ref=nosim?tag=blog-21 | true",
        "url    | contains     | blog.example                                              | false",
        "url    | contains     | /DP/                                                      | true",
        "url    | starts_with  | https://www.amazon.                                       | true",
        "url    | ends_with    | TAG=BLOG-21                                               | true",
        "url    | not_equals   | https://blog.example/review                               | true",
        "url    | not_contains | amazon                                                    | false",
        "domain | equals       | www.amazon.de                                             | true",
        "domain | equals       | amazon.de                                                 | false",
        "domain | ends_with    | AMAZON.DE                                                 | true",
        "domain | starts_with  | www.                                                      | true",
        "domain | contains     | blog                                                      | false",
        "domain | contains     | /dp                                                       | false",
        "domain | not_equals   | www.amazon.de                                             | false",
        "domain | is_not_empty | -                                                         | true",
        "text   | equals       | buy now                                                   | true",
        "text   | contains     | NOW                                                       | true",
        "text   | starts_with  | now                                                       | false",
        "text   | not_contains | buy                                                       | false",
        "text   | not_equals   | buy                                                       | true",
        "text   | is_empty     | -                                                         | false",
        "title  | contains     | amazon                                                    | true",
        "title  | equals       | See it                                                    | false",
        "title  | ends_with    | On Amazon                                                 | true",
        "title  | is_not_empty | -                                                         | true",
        "asin   | equals       | B08N5WRWNW                                                | true",
        "asin   | equals       | b08n5wrwnw                                                | true",
        "asin   | equals       | B08N5WRWN                                                 | false",
        "asin   | starts_with  | B08                                                       | true",
        "asin   | ends_with    | rwnw                                                      | true",
        "asin   | contains     | 5WR                                                       | true",
        "asin   | contains     | ref                                                       | false",
        "asin   | is_empty     | -                                                         | false",
        "asin   | is_not_empty | -                                                         | true",
    })
    void clickFieldsAreTheLink(final String field, final String op, final String value, final boolean expected)
    {
        assertMatch(expected, goal("Click", "click", "all", cond(field, op, valueOf(value))), CLICK);
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "url    | is_empty     | -       | true",
        "url    | not_equals   | x       | true",
        "url    | contains     | blog    | false",
        "domain | is_empty     | -       | true",
        "domain | not_contains | blog    | true",
        "domain | equals       | blog.example | false",
        "text   | is_empty     | -       | true",
        "title  | is_empty     | -       | true",
        "title  | not_equals   | x       | true",
        "title  | equals       | x       | false",
        "asin   | is_empty     | -       | true",
        "asin   | is_not_empty | -       | false",
    })
    void clickWithoutLinkTextOrTitleReadsEmpty(final String field, final String op, final String value,
        final boolean expected)
    {
        assertMatch(expected, goal("Bare click", "click", "all", cond(field, op, valueOf(value))),
            "{'t':'c','u':'https://blog.example/'}");
    }

    @Test
    void asinOnlyFromAmazonProductLinks()
    {
        final GoalMatcher hasAsin = matcher(goal("Asin", "click", "all", cond("asin", "is_not_empty", null)));
        assertEquals(0, events.match(hasAsin, "{'t':'c','u':'https://b.example/','h':'https://amazon.com/gp/product/B000123456?x'}"));
        assertEquals(-1, events.match(hasAsin, "{'t':'c','u':'https://b.example/','h':'https://shop.example/dp/B08N5WRWNW'}"));
        assertEquals(-1, events.match(hasAsin, "{'t':'c','u':'https://b.example/','h':'https://www.amazon.de/s?k=B08N5WRWNW'}"));
        assertEquals(-1, events.match(hasAsin, "{'t':'p','u':'https://www.amazon.de/dp/B08N5WRWNW'}"));
    }

    @Test
    void clickGoalsMatchOutboundClicksAndDownloads()
    {
        final GoalMatcher pdf = matcher(
            goal("Pdf", "click", "all", cond("url", "ends_with", ".pdf"), cond("domain", "equals", "cdn.example")));
        assertEquals(0, events.match(pdf, "{'t':'d','u':'https://shop.example/docs','h':'https://cdn.example/files/Guide.PDF'}"));
        assertEquals(0, events.match(pdf, "{'t':'c','u':'https://shop.example/docs','h':'https://CDN.example/Guide.pdf'}"));
        assertEquals(-1, events.match(pdf, "{'t':'d','u':'https://shop.example/docs','h':'https://cdn.example/files/Guide.pdf.zip'}"));
        assertEquals(-1, events.match(pdf, "{'t':'p','u':'https://cdn.example/Guide.pdf'}"));
        assertEquals(-1, events.match(pdf, "{'t':'f','u':'https://cdn.example/Guide.pdf','fn':'x'}"));
    }

    // ----------------------------------------------------------------------------------------------- form

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "form_name | equals       | contact form                         | true",
        "form_name | contains     | FORM                                 | true",
        "form_name | equals       | contact                              | false",
        "form_name | not_equals   | contact                              | true",
        "form_name | is_empty     | -                                    | false",
        "form_id   | starts_with  | WPCF7                                | true",
        "form_id   | ends_with    | f42                                  | true",
        "form_id   | equals       | wpcf7                                | false",
        "form_id   | not_contains | cf7                                  | false",
        "plugin    | equals       | CF7                                  | true",
        "plugin    | equals       | wpforms                              | false",
        "plugin    | not_equals   | wpforms                              | true",
        "plugin    | is_not_empty | -                                    | true",
        "page_url  | contains     | /contact                             | true",
        "page_url  | contains     | ref=NAV                              | true",
        "page_url  | equals       | https://shop.example/contact?ref=nav | true",
        "page_url  | starts_with  | /contact                             | false",
        "page_url  | ends_with    | ?ref=nav                             | true",
    })
    void formFields(final String field, final String op, final String value, final boolean expected)
    {
        assertMatch(expected, goal("Form", "form", "all", cond(field, op, valueOf(value))), FORM);
    }

    @Test
    void formWithoutPluginReadsEmpty()
    {
        final String bare = "{'t':'f','u':'https://shop.example/contact','fn':'contact'}";
        assertMatch(true, goal("No plugin", "form", "all", cond("plugin", "is_empty", null)), bare);
        assertMatch(true, goal("Not cf7", "form", "all", cond("plugin", "not_equals", "cf7")), bare);
        assertMatch(false, goal("Id", "form", "all", cond("form_id", "is_not_empty", null)), bare);
        assertMatch(false, goal("Cf7", "form", "all", cond("plugin", "starts_with", "c")), bare);
    }

    // --------------------------------------------------------------------------------------------- custom

    @ParameterizedTest(name = "event {0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "equals       | Purchase Completed | true",
        "equals       | purchase completed | false",
        "equals       | PURCHASE COMPLETED | false",
        "equals       | Purchase           | false",
        "contains     | Completed          | true",
        "contains     | completed          | false",
        "starts_with  | Purchase           | true",
        "starts_with  | purchase           | false",
        "ends_with    | Completed          | true",
        "ends_with    | COMPLETED          | false",
        "not_equals   | purchase completed | true",
        "not_equals   | Purchase Completed | false",
        "not_contains | chase              | false",
        "not_contains | CHASE              | true",
        "is_not_empty | -                  | true",
        "is_empty     | -                  | false",
    })
    void eventNamesAreCaseSensitive(final String op, final String value, final boolean expected)
    {
        assertMatch(expected, goal("Event", "custom", "all", cond("event", op, valueOf(value))),
            "{'t':'e','n':'Purchase Completed','u':'https://shop.example/done'}");
    }

    @ParameterizedTest(name = "prop_key {0} {1}: {2} with Plan and ref, {3} without properties")
    @CsvSource(delimiter = '|', value = {
        "equals       | plan   | true  | false",
        "equals       | PLAN   | true  | false",
        "equals       | coupon | false | false",
        "not_equals   | plan   | false | true",
        "not_equals   | coupon | true  | true",
        "contains     | RE     | true  | false",
        "starts_with  | pl     | true  | false",
        "ends_with    | AN     | true  | false",
        "ends_with    | pla    | false | false",
        "not_contains | e      | false | true",
        "not_contains | x      | true  | true",
        "is_not_empty | -      | true  | false",
        "is_empty     | -      | false | true",
    })
    void propKeySomeKeyMeetsItNegationsNoneDoes(final String op, final String value, final boolean withProps,
        final boolean withoutProps)
    {
        final Goal goal = goal("Key", "custom", "all", cond("prop_key", op, valueOf(value)));
        assertMatch(withProps, goal, SIGNUP_WITH_PROPS);
        assertMatch(withoutProps, goal, SIGNUP_NO_PROPS);
    }

    @ParameterizedTest(name = "prop_value[{0}] {1} {2}: {3}")
    @CsvSource(delimiter = '|', value = {
        "plan   | equals       | premium    | true",
        "PLAN   | equals       | PREMIUM    | true",
        "plan   | equals       | basic      | false",
        "plan   | not_equals   | basic      | true",
        "plan   | not_equals   | premium    | false",
        "plan   | contains     | EMI        | true",
        "plan   | not_contains | emi        | false",
        "plan   | starts_with  | pre        | true",
        "plan   | ends_with    | IUM        | true",
        "plan   | ends_with    | premiu     | false",
        "plan   | is_not_empty | -          | true",
        "plan   | is_empty     | -          | false",
        "ref    | equals       | newsletter | true",
        "ref    | equals       | premium    | false",
        "Ref    | starts_with  | NEWS       | true",
        "coupon | equals       | x          | false",
        "coupon | contains     | x          | false",
        "coupon | starts_with  | x          | false",
        "coupon | ends_with    | x          | false",
        "coupon | is_not_empty | -          | false",
        "coupon | not_equals   | x          | true",
        "coupon | not_contains | x          | true",
        "coupon | is_empty     | -          | true",
    })
    void propValueOfTheNamedProperty(final String key, final String op, final String value, final boolean expected)
    {
        assertMatch(expected, goal("Value", "custom", "all", prop(key, op, valueOf(value))), SIGNUP_WITH_PROPS);
    }

    @Test
    void absentPropertyReadsAsEmptyWhenThereAreNoPropertiesAtAll()
    {
        assertMatch(true, goal("A", "custom", "all", prop("plan", "not_equals", "premium")), SIGNUP_NO_PROPS);
        assertMatch(true, goal("B", "custom", "all", prop("plan", "not_contains", "p")), SIGNUP_NO_PROPS);
        assertMatch(true, goal("C", "custom", "all", prop("plan", "is_empty", null)), SIGNUP_NO_PROPS);
        assertMatch(false, goal("D", "custom", "all", prop("plan", "is_not_empty", null)), SIGNUP_NO_PROPS);
        assertMatch(false, goal("E", "custom", "all", prop("plan", "equals", "premium")), SIGNUP_NO_PROPS);
    }

    @Test
    void propertyValuesSentAsNumbersBooleansOrEmptyStrings()
    {
        final String body = "{'t':'e','n':'Order','u':'https://shop.example/','mk':['qty','gift','note','price']," +
            "'mv':[3,true,'',49.90]}";
        assertMatch(true, goal("Qty", "custom", "all", prop("qty", "equals", "3")), body);
        assertMatch(true, goal("Gift", "custom", "all", prop("gift", "equals", "TRUE")), body);
        assertMatch(true, goal("Price", "custom", "all", prop("price", "starts_with", "49.9")), body);
        assertMatch(true, goal("Note empty", "custom", "all", prop("note", "is_empty", null)), body);
        assertMatch(false, goal("Note set", "custom", "all", prop("note", "is_not_empty", null)), body);
        assertMatch(true, goal("Note not x", "custom", "all", prop("note", "not_equals", "x")), body);
        assertMatch(true, goal("Key of empty", "custom", "all", cond("prop_key", "equals", "note")), body);
    }

    @Test
    void repeatedPropertyKeyAnyOfItsValues()
    {
        final String body = "{'t':'e','n':'Order','u':'https://shop.example/','mk':['plan','Plan'],'mv':['basic','premium']}";
        assertMatch(true, goal("Premium", "custom", "all", prop("plan", "equals", "premium")), body);
        assertMatch(true, goal("Basic", "custom", "all", prop("plan", "equals", "basic")), body);
        assertMatch(false, goal("Not premium", "custom", "all", prop("plan", "not_equals", "premium")), body);
        assertMatch(false, goal("Not basic", "custom", "all", prop("PLAN", "not_equals", "basic")), body);
        assertMatch(true, goal("Not gold", "custom", "all", prop("plan", "not_equals", "gold")), body);
        assertMatch(false, goal("No a", "custom", "all", prop("plan", "not_contains", "a")), body);
    }

    /** Keys fold ASCII case only, like every other text: non-ASCII letters are compared as they are. */
    @Test
    void propertyKeysFoldAsciiCaseOnly()
    {
        final String body = "{'t':'e','n':'Order','u':'https://shop.example/'," +
            "'mk':['\u00c4rger','Gr\u00f6\u00dfe','k'],'mv':['viel','XL','kelvin']}";
        assertMatch(true, goal("Same key", "custom", "all", prop("\u00c4rger", "equals", "viel")), body);
        assertMatch(true, goal("Ascii case", "custom", "all", prop("\u00c4RGER", "equals", "VIEL")), body);
        assertMatch(false, goal("Non-ASCII case", "custom", "all", prop("\u00e4rger", "equals", "viel")), body);
        assertMatch(true, goal("Lower key", "custom", "all", prop("GR\u00f6\u00dfE", "equals", "xl")), body);
        assertMatch(false, goal("Kelvin sign", "custom", "all", prop("\u212a", "equals", "kelvin")), body);
        assertMatch(true, goal("Kelvin sign absent", "custom", "all", prop("\u212a", "is_empty", null)), body);
        assertMatch(true, goal("K", "custom", "all", prop("K", "equals", "KELVIN")), body);
        assertMatch(true, goal("Key contains", "custom", "all", cond("prop_key", "contains", "\u00c4R")), body);
        assertMatch(false, goal("Key non-ASCII case", "custom", "all", cond("prop_key", "contains", "\u00e4r")), body);
    }

    @Test
    void manyPropertyKeysInOnePlan()
    {
        final GoalMatcher matcher = matcher(
            goal("Plan premium", "custom", "all", prop("plan", "equals", "premium")),
            goal("Coupon", "custom", "all", prop("coupon", "starts_with", "SPRING")),
            goal("Plan basic", "custom", "all", prop("PLAN", "equals", "basic")),
            goal("Ref", "custom", "all", prop("ref", "contains", "news")));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'X','u':'https://s.example/','mk':['ref','plan'],'mv':['newsletter','premium']}"));
        assertEquals(1, events.match(matcher, "{'t':'e','n':'X','u':'https://s.example/','mk':['coupon','plan'],'mv':['spring24','basic']}"));
        assertEquals(2, events.match(matcher, "{'t':'e','n':'X','u':'https://s.example/','mk':['Plan'],'mv':['Basic']}"));
        assertEquals(3, events.match(matcher, "{'t':'e','n':'X','u':'https://s.example/','mk':['plan','ref'],'mv':['gold','NEWS']}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'X','u':'https://s.example/','mk':['premium'],'mv':['plan']}"));
    }

    // -------------------------------------------------------------------------------------------- all/any

    @Test
    void allNeedsEveryCondition()
    {
        final GoalMatcher matcher = matcher(goal("Premium", "custom", "all",
            cond("event", "equals", "Purchase"), prop("plan", "equals", "premium")));
        assertEquals(0, events.match(matcher, purchase("premium")));
        assertEquals(-1, events.match(matcher, purchase("basic")));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Signup','u':'https://s.example/','mk':['plan'],'mv':['premium']}"));
    }

    @Test
    void anyNeedsOneCondition()
    {
        final GoalMatcher matcher = matcher(goal("Lead", "custom", "any",
            cond("event", "equals", "Signup"), cond("prop_key", "equals", "ref")));
        assertEquals(0, events.match(matcher, SIGNUP_NO_PROPS));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'Other','u':'https://s.example/','mk':['REF'],'mv':['x']}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Other','u':'https://s.example/','mk':['refs'],'mv':['x']}"));
    }

    @Test
    void anyWithANegatedCondition()
    {
        final GoalMatcher matcher = matcher(goal("Real", "custom", "any",
            cond("event", "equals", "Purchase"), cond("prop_key", "not_equals", "debug")));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'Other','u':'https://s.example/'}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Other','u':'https://s.example/','mk':['debug'],'mv':['1']}"));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'Purchase','u':'https://s.example/','mk':['debug'],'mv':['1']}"));
    }

    @Test
    void allOfNegatedConditionsOnly()
    {
        final GoalMatcher matcher = matcher(goal("Not test", "custom", "all",
            cond("event", "not_equals", "Test"), cond("event", "not_contains", "debug")));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'Purchase','u':'https://s.example/'}"));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'test','u':'https://s.example/'}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Test','u':'https://s.example/'}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'a debug run','u':'https://s.example/'}"));
    }

    @Test
    void allWithNegatedConditionBeforeThePositiveOne()
    {
        final GoalMatcher matcher = matcher(goal("Purchase, not debug", "custom", "all",
            cond("prop_key", "not_equals", "debug"), cond("event", "equals", "Purchase")));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'Purchase','u':'https://s.example/'}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Purchase','u':'https://s.example/','mk':['Debug'],'mv':['1']}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Refund','u':'https://s.example/'}"));
    }

    @Test
    void allOnOneFieldSeveralTimes()
    {
        final GoalMatcher matcher = matcher(goal("Posts", "pageview", "all", cond("path", "starts_with", "/blog/"),
            cond("path", "ends_with", ".html"), cond("path", "not_contains", "draft"), cond("url", "contains", "?ref=")));
        assertEquals(0, events.match(matcher, "{'t':'p','u':'https://s.example/Blog/post.HTML?ref=x'}"));
        assertEquals(-1, events.match(matcher, "{'t':'p','u':'https://s.example/blog/post.html'}"));
        assertEquals(-1, events.match(matcher, "{'t':'p','u':'https://s.example/blog/Draft-post.html?ref=x'}"));
        assertEquals(-1, events.match(matcher, "{'t':'p','u':'https://s.example/news/post.html?ref=x'}"));
    }

    @Test
    void anyOverEveryFieldOfAType()
    {
        final GoalMatcher matcher = matcher(goal("Any click field", "click", "any", cond("url", "contains", "/go/"),
            cond("domain", "equals", "partner.example"), cond("text", "equals", "Sign up"),
            cond("title", "starts_with", "Partner"), cond("asin", "equals", "B000000001")));
        final String base = "{'t':'c','u':'https://s.example/'";
        assertEquals(0, events.match(matcher, base + ",'h':'https://x.example/GO/1'}"));
        assertEquals(0, events.match(matcher, base + ",'h':'https://Partner.Example:8443/'}"));
        assertEquals(0, events.match(matcher, base + ",'h':'https://x.example/','x':'SIGN UP'}"));
        assertEquals(0, events.match(matcher, base + ",'h':'https://x.example/','ti':'partner offer'}"));
        assertEquals(0, events.match(matcher, base + ",'h':'https://amazon.fr/dp/B000000001'}"));
        assertEquals(-1, events.match(matcher, base + ",'h':'https://x.example/','x':'Sign up now','ti':'A partner'}"));
    }

    // ------------------------------------------------------------------------------------------- priority

    @Test
    void priorityOrderFirstMatchWins()
    {
        final Goal premium = goal("{'name':'Premium Plan Purchase','kind':'macro','value':{'amount':'29.00','currency':'USD'}," +
            "'type':'custom','match':'all','conditions':[{'field':'event','op':'equals','value':'Purchase'}," +
            "{'field':'prop_value','key':'plan','op':'equals','value':'premium'}]}");
        final Goal all = goal("{'name':'All Purchases','kind':'micro','weight':2,'type':'custom'," +
            "'conditions':[{'field':'event','op':'equals','value':'Purchase'}]}");
        final GoalMatcher matcher = matcher(premium, all);
        assertEquals(0, events.match(matcher, purchase("premium")));
        assertEquals(1, events.match(matcher, purchase("basic")));
        assertEquals(1, events.match(matcher, "{'t':'e','n':'Purchase','u':'https://shop.example/'}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Refund','u':'https://shop.example/','mk':['plan'],'mv':['premium']}"));
        assertEquals("Premium Plan Purchase", matcher.goal(0).name());

        final GoalMatcher reversed = matcher(all, premium);
        assertEquals(0, events.match(reversed, purchase("premium")));
        assertEquals(0, events.match(reversed, purchase("basic")));
    }

    @Test
    void indexIsSiteWideAcrossTypes()
    {
        final GoalMatcher matcher = matcher(
            goal("Pricing", "pageview", "all", cond("path", "equals", "/pricing")),
            goal("All Purchases", "custom", "all", cond("event", "equals", "Purchase")),
            goal("Outbound", "click", "all", cond("url", "is_not_empty", null)),
            goal("Premium Plan Purchase", "custom", "all", cond("event", "equals", "Purchase"), prop("plan", "equals", "premium")),
            goal("Contact", "form", "all", cond("form_name", "equals", "contact")));
        assertEquals(0, events.match(matcher, "{'t':'p','u':'https://shop.example/pricing'}"));
        assertEquals(1, events.match(matcher, purchase("premium")));
        assertEquals(2, events.match(matcher, CLICK));
        assertEquals(4, events.match(matcher, "{'t':'f','u':'https://shop.example/c','fn':'Contact'}"));
        assertEquals(-1, events.match(matcher, "{'t':'p','u':'https://shop.example/about'}"));
    }

    /** More than 64 goals of a type (several words of candidate bits), with anchored and always-checked goals. */
    @Test
    void priorityAcrossManyGoals()
    {
        final List<Goal> goals = new ArrayList<>();
        for (int i = 0; i < 150; i++)
        {
            if (i == 70 || i == 130)
            {
                goals.add(goal("Target " + i, "custom", "all", cond("event", "equals", "Target")));
            }
            else if (i == 100)
            {
                goals.add(goal("No plan, not Nope", "custom", "all", cond("event", "not_equals", "Nope"),
                    cond("prop_key", "not_equals", "plan")));
            }
            else if (i == 140)
            {
                goals.add(goal("Nope or prop", "custom", "any", cond("event", "equals", "Nope"), cond("prop_key", "equals", "p")));
            }
            else
            {
                goals.add(goal("Event " + i, "custom", "all", cond("event", "equals", "Event " + i),
                    prop("plan", "equals", "p" + i)));
            }
        }
        final GoalMatcher matcher = new GoalMatcher(goals);
        assertEquals(70, events.match(matcher, "{'t':'e','n':'Target','u':'https://s.example/'}"));
        assertEquals(100, events.match(matcher, "{'t':'e','n':'Other','u':'https://s.example/'}"));
        assertEquals(140, events.match(matcher, "{'t':'e','n':'Nope','u':'https://s.example/'}"));
        assertEquals(100, events.match(matcher, "{'t':'e','n':'Other','u':'https://s.example/','mk':['p'],'mv':['x']}"));
        assertEquals(140, events.match(matcher, "{'t':'e','n':'Other','u':'https://s.example/','mk':['p','plan'],'mv':['x','y']}"));
        assertEquals(-1, events.match(matcher, "{'t':'e','n':'Event 3','u':'https://s.example/','mk':['plan'],'mv':['p4']}"));
        assertEquals(3, events.match(matcher, "{'t':'e','n':'Event 3','u':'https://s.example/','mk':['plan'],'mv':['p3']}"));
        assertEquals(149, events.match(matcher, "{'t':'e','n':'Event 149','u':'https://s.example/','mk':['plan'],'mv':['P149']}"));
        assertEquals(99, events.match(matcher, "{'t':'e','n':'Event 99','u':'https://s.example/','mk':['plan'],'mv':['p99']}"));
    }

    // ---------------------------------------------------------------------------------------- event types

    @ParameterizedTest(name = "t={0}")
    @CsvSource({"p, 0", "c, 1", "d, 1", "f, 2", "e, 3", "x, -1"})
    void eachGoalTypeSeesItsEventTypesOnly(final String t, final int expected)
    {
        final GoalMatcher matcher = matcher(
            goal("Any page", "pageview", "all", cond("path", "not_equals", "~")),
            goal("Any click", "click", "all", cond("url", "not_equals", "~")),
            goal("Any form", "form", "all", cond("form_name", "not_equals", "~")),
            goal("Any custom", "custom", "all", cond("event", "not_equals", "~")));
        final String name = t.equals("e") ? ",'n':'Anything'" : "";
        assertEquals(expected, events.match(matcher, "{'t':'" + t + "'" + name + ",'u':'https://shop.example/a'," +
            "'h':'https://x.example/','fn':'f','sec':3}"));
    }

    @Test
    void noGoalForEngagement()
    {
        final GoalMatcher matcher = matcher(
            goal("Page", "pageview", "any", cond("path", "is_empty", null), cond("path", "is_not_empty", null)),
            goal("Custom", "custom", "any", cond("event", "is_empty", null), cond("event", "equals", "engagement")),
            goal("Click", "click", "all", cond("text", "is_empty", null)),
            goal("Form", "form", "all", cond("form_name", "is_empty", null)));
        assertEquals(-1, events.match(matcher, "{'t':'x','u':'https://shop.example/','sec':12.5}"));
        assertNull(GoalType.forEvent(EventType.ENGAGEMENT));
        assertEquals(0, events.match(matcher, "{'t':'p','u':'https://shop.example/'}"));
    }

    @Test
    void customGoalsDoNotSeeDefaultNamesOfOtherTypes()
    {
        final GoalMatcher matcher = matcher(
            goal("Pageview event", "custom", "all", cond("event", "equals", "pageview")),
            goal("Outbound event", "custom", "all", cond("event", "equals", "outbound_click")));
        assertEquals(-1, events.match(matcher, "{'t':'p','u':'https://shop.example/'}"));
        assertEquals(-1, events.match(matcher, "{'t':'c','u':'https://shop.example/','h':'https://x.example/'}"));
        assertEquals(0, events.match(matcher, "{'t':'e','n':'pageview','u':'https://shop.example/'}"));
    }

    @Test
    void emptyMatcherMatchesNothing()
    {
        assertEquals(-1, events.match(GoalMatcher.EMPTY, "{'t':'e','n':'Purchase','u':'https://shop.example/'}"));
        assertEquals(-1, events.match(matcher(goal("Page", "pageview", "all", cond("path", "is_empty", null))),
            "{'t':'e','n':'Purchase','u':'https://shop.example'}"));
    }

    // ------------------------------------------------------------------------------------ buffers, escapes

    /** Escaped strings are unescaped into the decoder's scratch buffer; offsets and buffer kinds vary. */
    @ParameterizedTest
    @EnumSource(Fixtures.Buffers.class)
    void everyBufferKindAndEscapedStrings(final Fixtures.Buffers buffers)
    {
        final GoalMatcher matcher = matcher(
            goal("Premium", "custom", "all", cond("event", "equals", "Purchase \u00e9"), prop("Plan", "equals", "PREMIUM")),
            goal("Amazon", "click", "all", cond("asin", "equals", "B08N5WRWNW"), cond("domain", "ends_with", "amazon.de")),
            goal("Blog", "pageview", "all", cond("path", "starts_with", "/Blog/\u65e5")),
            goal("Contact", "form", "all", cond("form_id", "equals", "wpcf7-f42")));
        assertEquals(0, match(matcher, "{\"t\":\"e\",\"n\":\"Purch\\u0061se \\u00e9\",\"u\":\"https://s.example/\"," +
            "\"mk\":[\"pl\\u0061n\"],\"mv\":[\"Premium\"]}", buffers));
        assertEquals(-1, match(matcher, "{\"t\":\"e\",\"n\":\"Purchase \\u00c9\",\"u\":\"https://s.example/\"," +
            "\"mk\":[\"plan\"],\"mv\":[\"premium\"]}", buffers));
        assertEquals(1, match(matcher, "{\"t\":\"c\",\"u\":\"https://s.example/\"," +
            "\"h\":\"https:\\/\\/www.amazon.de\\/dp\\/B08N5WRWNW?tag=x\"}", buffers));
        assertEquals(2, match(matcher, "{\"u\":\"https://s.example/blog/\\u65e5\\u672c\",\"t\":\"p\"}", buffers));
        assertEquals(3, match(matcher, "{\"t\":\"f\",\"u\":\"https://s.example/\",\"fi\":\"WPCF7-F42\"}", buffers));
    }

    @Test
    void goalLookups()
    {
        final GoalMatcher matcher = matcher(goal("Caf\u00e9", "pageview", "all", cond("path", "equals", "/")),
            goal("{'name':'Sale','value':{'amount':'5'},'type':'custom','conditions':[{'field':'event','op':'equals','value':'Sale'}]}"));
        assertEquals(2, matcher.goals().size());
        assertEquals("Caf\u00e9", new String(matcher.nameBytes(0), StandardCharsets.UTF_8));
        assertTrue(matcher.hasConversionGoal());
        assertFalse(matcher(goal("Ev", "custom", "all", cond("event", "equals", "x"))).hasConversionGoal());
    }

    // ------------------------------------------------------------------------------------------- helpers

    private void assertMatch(final boolean expected, final Goal goal, final String singleQuotedBeacon)
    {
        final int index = events.match(matcher(goal), singleQuotedBeacon);
        assertEquals(expected ? 0 : -1, index, () -> "goal " + GoalJsonTest.text(goal) + " on " + json(singleQuotedBeacon));
    }

    private int match(final GoalMatcher matcher, final String body, final Fixtures.Buffers buffers)
    {
        return events.match(matcher, body.getBytes(StandardCharsets.UTF_8), buffers);
    }

    private static String purchase(final String plan)
    {
        return "{'t':'e','n':'Purchase','u':'https://shop.example/checkout/done','mk':['plan','currency']," +
            "'mv':['" + plan + "','USD'],'ra':29.0}";
    }

    private static String valueOf(final String tableValue)
    {
        return "-".equals(tableValue) ? null : tableValue;
    }
}
