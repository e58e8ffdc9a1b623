package io.tally.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plausible's bodies decoded as Plausible's ingestion reads them. The cases and the outcomes they must have are
 * those of Plausible's own code and tests: plausible/analytics lib/plausible/ingestion/request.ex,
 * extra/lib/plausible/ingestion/request/revenue.ex, lib/plausible/ingestion/source.ex,
 * test/plausible/ingestion/request_test.exs and test/plausible_web/controllers/api/external_controller_test.exs.
 */
class PlausibleRequestTest
{
    private final BeaconDecoder decoder = new BeaconDecoder();
    private final Beacon beacon = new Beacon();

    /** The last body: the beacon's views point into it until the next. */
    private ByteBuf body;

    @AfterEach
    void release()
    {
        if (body != null)
        {
            body.release();
        }
    }

    private Outcome decode(final String singleQuoted)
    {
        release();
        body = Unpooled.copiedBuffer(singleQuoted.replace('\'', '"'), StandardCharsets.UTF_8);
        return decoder.decode(body, beacon);
    }

    private void accepted(final String body)
    {
        assertEquals(Outcome.ACCEPTED, decode(body), () -> decoder.errorDetail());
    }

    /** request_test.exs "request can be built with numeric event name": {@code n: 404} is the name "404". */
    @Test
    void anIntegerNameIsItsText()
    {
        accepted("{'n':404,'d':'dummy.site','u':'http://dummy.site/index'}");
        assertEquals("404", beacon.name().toString());
        assertEquals(EventType.CUSTOM, beacon.type());
        assertEquals(Outcome.WRONG_TYPE, decode("{'n':4.5,'u':'http://dummy.site/'}"), "Plausible casts integers only");
        assertEquals(Outcome.WRONG_TYPE, decode("{'t':'e','n':404,'u':'http://dummy.site/'}"), "a beacon's n stays a string");
    }

    /** request.ex put_props: {@code m || meta || p || props}. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"m", "meta", "p", "props"})
    void propsUnderEveryNamePlausibleReads(final String key)
    {
        accepted("{'n':'Signup','u':'http://example.com/','" + key + "':{'plan':'pro'}}");
        assertEquals(1, beacon.propertyCount());
        assertEquals("plan", beacon.propertyKey(0).toString());
        assertEquals(Outcome.DUPLICATE_KEY, decode("{'n':'A','u':'http://example.com/','" + key + "':{},'mk':[]}"));
    }

    /** external_controller_test.exs "filters out bad props" and "ignores custom prop with ... value". */
    @Test
    void badPropertiesAreDroppedAndTheRestKept()
    {
        accepted("{'name':'Signup','url':'http://example.com/','props':{'false':null,'nil':false,'good':true," +
            "'      ':'    ','    ':'value','key':'    ','wat':['some-thing'],'foo':{'bar':'baz'},'empty':'','other':'key'}}");
        assertEquals(3, beacon.propertyCount());
        assertEquals("nil", beacon.propertyKey(0).toString());
        assertEquals("false", beacon.propertyValue(0).toString());
        assertEquals("good", beacon.propertyKey(1).toString());
        assertEquals("other", beacon.propertyKey(2).toString());
        assertEquals(2, beacon.dropped().count(DropReason.PROP_KEY));
        assertEquals(5, beacon.dropped().count(DropReason.PROP_VALUE));
        assertEquals("prop_key=2, prop_value=5", beacon.dropped().toString());
    }

    /** external_controller_test.exs "ignores malformed custom props" and "can send props stringified". */
    @Test
    void propsThatHoldNoObjectAreNone()
    {
        accepted("{'name':'Signup','url':'http://example.com/','props':'\\'show-more:button\\''}");
        assertEquals(0, beacon.propertyCount());
        assertEquals(1, beacon.dropped().count(DropReason.PROPS_INVALID));
        accepted("{'name':'Signup','url':'http://example.com/','props':'{\\'number_test\\':12}'}");
        assertEquals("12", beacon.propertyValue(0).toString());
        assertEquals(0, beacon.dropped().total());
        accepted("{'name':'Signup','url':'http://example.com/','props':12}");
        assertEquals("props_invalid=1", beacon.dropped().toString());
    }

    /** request_test.exs revenue cases; external_controller_test.exs "revenue values can be sent with minified keys". */
    @Test
    void revenueInEachFormPlausibleAccepts()
    {
        accepted("{'name':'pageview','url':'http://dummy.site/','revenue':'{\\'amount\\':20.2,\\'currency\\':\\'EUR\\'}'}");
        assertTrue(beacon.hasRevenue());
        assertEquals(202, beacon.revenueUnscaled());
        assertEquals(1, beacon.revenueScale());
        assertEquals('E', beacon.currencyByte(0));
        accepted("{'n':'Payment','u':'http://example.com/','$':'{\\'amount\\':10.2,\\'currency\\':\\'USD\\'}'}");
        assertEquals(102, beacon.revenueUnscaled());
        accepted("{'name':'pageview','url':'http://dummy.site/','revenue':{'amount':20,'currency':'USD'}}");
        assertEquals(20, beacon.revenueUnscaled());
        accepted("{'name':'pageview','url':'http://dummy.site/','revenue':{'amount':'12.3','currency':'USD'}}");
        assertEquals(123, beacon.revenueUnscaled());
        assertEquals(0, beacon.dropped().total());
    }

    /** request_test.exs "ignores revenue data when currency is invalid"; external "does not fail when revenue value is invalid". */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'amount':1233.2,'currency':'EEEE'}", "{'amount':'1831d','currency':'ADSIE'}", "{'amount':-5,'currency':'USD'}",
        "{'amount':true,'currency':'USD'}", "{'amount':1,'currency':5}", "'not json'", "'{\\'amount\\':1,\\'currency\\':\\'XYZ\\'}'",
        "[1]", "7"})
    void anInvalidRevenueIsDroppedNotTheEvent(final String revenue)
    {
        accepted("{'name':'Payment','url':'http://example.com/','revenue':" + revenue + "}");
        assertFalse(beacon.hasRevenue());
        assertEquals("revenue=1", beacon.dropped().toString());
        assertEquals("Payment", beacon.name().toString());
    }

    /** external_controller_test.exs "URL is decoded", "decodes URL pathname, fragment and search", "trailing whitespace is removed". */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "http://www.example.com/opportunity/category/%D8%AC%D9%88%D8%A7%D8%A6%D8%B2-%D9%88%D9%85%D8%B3%D8%A7%D8%A8%D9%82%D8%A7%D8%AA" +
            "|http://www.example.com/opportunity/category/\u062c\u0648\u0627\u0626\u0632-\u0648\u0645\u0633\u0627\u0628\u0642\u0627\u062a",
        "http://www.example.com/path |http://www.example.com/path",
        "http://www.example.com/path%20%20?utm_source=%25balle%25|http://www.example.com/path?utm_source=%25balle%25",
        "http://dummy.site/pictures/index.html#foo|http://dummy.site/pictures/index.html",
        "http://x.example/a%3Fb%23c%2Fd|http://x.example/a%3Fb%23c/d",
        "http://x.example/%FF%FE|http://x.example/%FF%FE",
        "http://x.example/100%|http://x.example/100%",
        "http://x.example/plain?q=1|http://x.example/plain?q=1"})
    void thePathIsStoredAsPlausibleStoresIt(final String sent, final String stored)
    {
        accepted("{'n':'pageview','u':'" + sent + "','d':'dummy.site'}");
        assertEquals(stored, beacon.url().toString());
    }

    /** external_controller_test.exs "records hash when in hash mode", "does not record hash when hash mode is 0"; request_test "pathname is set with hashMode". */
    @Test
    void hashModeKeepsTheFragment()
    {
        accepted("{'n':'pageview','u':'http://www.example.com/#page-a','d':'example.com','h':1}");
        assertEquals("http://www.example.com/#page-a", beacon.url().toString());
        assertFalse(beacon.target().isPresent());
        accepted("{'n':'pageview','u':'http://www.example.com/#page-a','d':'example.com','h':0}");
        assertEquals("http://www.example.com/", beacon.url().toString());
        accepted("{'name':'pageview','url':'http://dummy.site/pictures/index.html#f%C3%A9','domain':'dummy.site','hashMode':1}");
        assertEquals("http://dummy.site/pictures/index.html#f\u00e9", beacon.url().toString());
        assertEquals(Outcome.DUPLICATE_KEY, decode("{'n':'pageview','u':'http://x.example/','h':1,'hashMode':1}"));
    }

    /** external_controller_test.exs referrer cases; source.ex valid_referrer? and has_referral?. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "https://example.com|false", "https://www.example.com/x|false", "http://localhost:4000/|false",
        "ftp://wat|false", "https:://twitter.com|false", "not a url|false", "https://|false",
        "https://blog.example.com|true", "https://facebook.com/page/|true", "android-app://some.android.app|true",
        "HTTPS://News.Example/|true"})
    void aReferrerIsKeptOnlyWhenPlausibleKeepsIt(final String referrer, final boolean kept)
    {
        accepted("{'name':'pageview','url':'http://example.com/','referrer':'" + referrer + "','domain':'example.com'}");
        assertEquals(kept, beacon.referrer().isPresent(), referrer);
        assertEquals(kept ? 0 : 1, beacon.dropped().count(DropReason.REFERRER));
        if (kept)
        {
            assertEquals(referrer, beacon.referrer().toString());
        }
    }

    /** Beacons (with {@code t}) keep their referrer as sent: the rule is Plausible's, for Plausible's bodies. */
    @Test
    void aBeaconsReferrerIsItsOwn()
    {
        accepted("{'t':'p','u':'http://example.com/','r':'ftp://wat'}");
        assertEquals("ftp://wat", beacon.referrer().toString());
    }

    /** request.ex put_engagement_fields, parse_scroll_depth and parse_engagement_time; external "scroll depth tests". */
    @ParameterizedTest(name = "sd={0} e={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // sd, e, accepted, scroll depth, seconds (unscaled), dropped
        "25|null|true|25|-|-", "101|null|true|100|-|-", "'25'|null|true|25|-|-", "null|1234|true|-1|1234|-",
        "40|'3000'|true|40|3000|-", "-1|500|true|-1|500|scroll_depth=1", "'x'|500|true|-1|500|scroll_depth=1",
        "10|-5|true|10|-|engaged_time=1", "10|2592000000|true|10|-|engaged_time=1", "10|2591999999|true|10|2591999999|-",
        "null|null|false|-|-|-", "-1|0|false|-|-|-", "1.5|null|false|-|-|-", "null|12.5|false|-|-|-", "0|0|true|0|0|-"})
    void anEngagementNeedsAScrollDepthOrAnEngagedTime(final String sd, final String e, final boolean ok, final String depth,
        final String seconds, final String dropped)
    {
        final Outcome outcome = decode("{'n':'engagement','u':'https://test.com/','d':'test.com','sd':" + sd + ",'e':" + e + "}");
        if (!ok)
        {
            assertEquals(Outcome.MISSING_FIELD, outcome);
            return;
        }
        assertEquals(Outcome.ACCEPTED, outcome, () -> decoder.errorDetail());
        assertEquals(EventType.ENGAGEMENT, beacon.type());
        assertEquals(Integer.parseInt(depth), beacon.scrollDepth());
        if ("-".equals(seconds))
        {
            assertFalse(beacon.hasSeconds());
        }
        else
        {
            assertTrue(beacon.hasSeconds());
            assertEquals(Long.parseLong(seconds), beacon.secondsUnscaled());
            assertEquals(Long.parseLong(seconds) == 0 ? 0 : 3, beacon.secondsScale(), "milliseconds are seconds at scale 3");
        }
        assertEquals("-".equals(dropped) ? "" : dropped, beacon.dropped().toString());
    }

    /** external "sd field is ignored if name is not pageleave": other events keep no scroll depth. */
    @Test
    void sdAndEMeanNothingOnOtherEvents()
    {
        accepted("{'n':'pageview','u':'https://test.com/','sd':10,'e':'x'}");
        assertEquals(Beacon.NO_SCROLL_DEPTH, beacon.scrollDepth());
        assertFalse(beacon.hasSeconds());
        assertEquals(0, beacon.dropped().total());
    }

    /** request.ex put_interactive: {@code i} or {@code interactive} is taken (Tally keeps no such flag). */
    @Test
    void interactiveIsTaken()
    {
        accepted("{'n':'Scroll','u':'https://test.com/','i':false}");
        accepted("{'name':'Scroll','url':'https://test.com/','interactive':false}");
        assertEquals(Outcome.DUPLICATE_KEY, decode("{'n':'Scroll','u':'https://test.com/','i':false,'i':true}"));
    }
}
