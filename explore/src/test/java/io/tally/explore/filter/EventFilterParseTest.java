package io.tally.explore.filter;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading filter texts: the clauses they give, the SQL and parameters, every error's exact text and every limit. */
class EventFilterParseTest
{
    @Test
    void clausesAreReadWithTheirOperatorAndAlternatives()
    {
        final EventFilter filter = EventFilter.parse("event:page==/pricing*|/blog;visit:country!=fr;event:props:plan==pro|team");
        assertEquals(List.of(
            new Clause(Dimension.EVENT_PAGE, null, false, List.of("/pricing*", "/blog"), List.of(true, false)),
            new Clause(Dimension.VISIT_COUNTRY, null, true, List.of("FR"), List.of(false)),
            new Clause(Dimension.EVENT_PROPS, "plan", false, List.of("pro", "team"), List.of(false, false))), filter.clauses());
        assertEquals("(path IN (?) OR path LIKE ? ESCAPE '\\') AND NOT coalesce((country IN (?)), FALSE)"
            + " AND (props[?] IN (?, ?))", filter.sql());
        assertEquals(List.of("/blog", "/pricing%", "FR", "plan", "pro", "team"), filter.parameters());
        assertEquals("event:props:plan", filter.clauses().get(2).name());
    }

    @Test
    void visitClausesAreOneSemiJoinOverSessionsWithTheirParametersAfterTheEventClauses()
    {
        final EventFilter filter = EventFilter.parse("visit:source==news.example;event:name==Signup;visit:exit_page==/thanks");
        assertTrue(filter.sql().startsWith("(coalesce(name, type) IN (?)) AND session_id IN (SELECT session_id FROM events"),
            filter.sql());
        assertTrue(filter.sql().contains("arg_max(coalesce(path, ''), (time, journal_index))"), "the exit page is the last");
        assertEquals(List.of("Signup", "news.example", "/thanks"), filter.parameters());
    }

    @Test
    void userTextIsNeverInTheSql()
    {
        final EventFilter filter = EventFilter.parse("event:name==x') OR 1=1 --;event:props:a'b==c");
        assertFalse(filter.sql().contains("OR 1=1"), filter.sql());
        assertFalse(filter.sql().contains("a'b"), filter.sql());
        assertEquals(List.of("x') OR 1=1 --", "a'b", "c"), filter.parameters());
    }

    @Test
    void escapesKeepPipesSemicolonsAndStarsLiteral()
    {
        final EventFilter filter = EventFilter.parse("visit:utm_campaign==campaign\\|one;event:name==a\\;b;event:page==/a\\*b*");
        assertEquals(List.of("campaign|one"), filter.clauses().get(0).values());
        assertEquals(List.of("a;b"), filter.clauses().get(1).values());
        assertEquals(List.of(true), filter.clauses().get(2).patterns());
        assertEquals(List.of("a;b", "/a*b%", "campaign|one"), filter.parameters(), "an escaped star is a literal star, a bare one any run");
        assertEquals("100\\%\\_x%", FilterSql.like("100%_x*"), "LIKE's own wildcards are escaped");
        assertEquals(List.of(false), EventFilter.parse("event:page==/a\\*b").clauses().get(0).patterns());
    }

    @Test
    void valuesAreFoldedToTheCaseTheStoreKeeps()
    {
        assertEquals(List.of("mobile"), EventFilter.parse("visit:device==Mobile").clauses().get(0).values());
        assertEquals(List.of("DE"), EventFilter.parse("visit:country==de").clauses().get(0).values());
        assertEquals(List.of("spring sale"), EventFilter.parse("visit:utm_campaign==Spring Sale").clauses().get(0).values());
        assertEquals(List.of("Signup"), EventFilter.parse("event:goal==Signup").clauses().get(0).values());
    }

    @Test
    void withoutDropsADimensionsClauses()
    {
        final EventFilter filter = EventFilter.parse("event:goal==Buy;visit:country==DE");
        assertTrue(filter.has(Dimension.EVENT_GOAL));
        assertEquals(EventFilter.parse("visit:country==DE"), filter.without(Dimension.EVENT_GOAL));
        assertSame(EventFilter.NONE, EventFilter.parse("event:goal==Buy").without(Dimension.EVENT_GOAL));
        assertEquals("TRUE", EventFilter.NONE.sql());
        assertTrue(EventFilter.NONE.parameters().isEmpty());
    }

    @Test
    void badClausesAreNamedWithWhy()
    {
        assertError("filter clause 2 \"visit:city==Berlin\": unknown dimension \"visit:city\" (known: event:name, event:page, "
            + "event:hostname, event:goal, event:props:KEY, visit:source, visit:referrer, visit:utm_medium, visit:utm_source, "
            + "visit:utm_campaign, visit:utm_content, visit:utm_term, visit:entry_page, visit:exit_page, visit:browser, "
            + "visit:os, visit:device, visit:country)", "event:name==a;visit:city==Berlin");
        assertError("filter clause 1 \"event:page==\": an empty value (nothing after the operator, or an empty '|' alternative)",
            "event:page==");
        assertError("filter clause 1 \"event:page==/a||/b\": an empty value (nothing after the operator, or an empty '|' alternative)",
            "event:page==/a||/b");
        assertError("filter clause 1 \"event:page=/a\": no operator: write DIMENSION==VALUE or DIMENSION!=VALUE", "event:page=/a");
        assertError("filter clause 2 \"\": an empty clause (two ';' in a row, or one at an end)", "event:page==/a;");
        assertError("filter clause 1 \"event:props:==x\": no property key: write event:props:KEY==VALUE", "event:props:==x");
        assertError("filters is empty: give clauses such as event:page==/pricing;visit:country==DE", " ");
        assertError("filters is empty: give clauses such as event:page==/pricing;visit:country==DE", null);
    }

    @Test
    void theLengthLimitHoldsAtAndPastIt()
    {
        final String at = "event:name==" + "x".repeat(EventFilter.MAX_LENGTH - "event:name==".length());
        assertEquals(EventFilter.MAX_LENGTH, at.length());
        assertEquals(1, EventFilter.parse(at).clauses().size());
        assertError("filters is 1001 characters long: at most 1000", at + "x");
    }

    @Test
    void theClauseLimitHoldsAtAndPastIt()
    {
        final String ten = String.join(";", java.util.Collections.nCopies(EventFilter.MAX_CLAUSES, "event:name==a"));
        assertEquals(EventFilter.MAX_CLAUSES, EventFilter.parse(ten).clauses().size());
        assertError("filters has 11 clauses: at most 10", ten + ";event:name==b");
    }

    @Test
    void theAlternativeLimitHoldsAtAndPastIt()
    {
        final String hundred = "event:name==" + String.join("|", java.util.Collections.nCopies(EventFilter.MAX_ALTERNATIVES, "a"));
        assertEquals(EventFilter.MAX_ALTERNATIVES, EventFilter.parse(hundred).clauses().get(0).values().size());
        final String past = hundred + "|b";
        assertError("filter clause 1 \"" + past + "\": 101 alternatives: at most 100", past);
    }

    private static void assertError(final String expected, final String filters)
    {
        assertEquals(expected, assertThrows(FilterException.class, () -> EventFilter.parse(filters)).getMessage());
    }
}
