package io.tally.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SuggestionsTest
{
    private static final List<String> KEYS = List.of("domain", "aliases", "time_zone", "read_token", "ingest_rate_limit",
        "ingest_burst", "monthly_quota", "goals");

    @ParameterizedTest
    @CsvSource({
        "timezone, time_zone", // a missing character
        "ingest_rate_limt, ingest_rate_limit",
        "domian, domain", // two neighbours swapped: one edit
        "Aliases, aliases", // case is ignored
        "monthly_quotas, monthly_quota",
        "ingest_brust, ingest_burst"})
    void suggestsTheClosestKnownName(final String given, final String expected)
    {
        assertEquals(expected, Suggestions.closest(given, KEYS));
        assertEquals("; did you mean " + expected + "?", Suggestions.didYouMean(given, KEYS));
    }

    @Test
    void suggestsNothingFarOff()
    {
        assertNull(Suggestions.closest("colour", KEYS));
        assertNull(Suggestions.closest("x", KEYS));
        assertEquals("", Suggestions.didYouMean("bandwidth", KEYS));
    }

    @Test
    void shortNamesAllowOneEditAndLongOnesAtMostThree()
    {
        assertEquals("--port", Suggestions.closest("--prot", List.of("--host", "--port")));
        assertNull(Suggestions.closest("ab", List.of("cd"))); // two edits in two characters
        assertEquals("ingest_rate_limit", Suggestions.closest("ingst_rat_limt", KEYS)); // three edits in 14
        assertNull(Suggestions.closest("ngst_rat_lmt", KEYS)); // four edits
    }

    @Test
    void tiesGoToTheFirstListed()
    {
        assertEquals("serve", Suggestions.closest("servf", List.of("serve", "servg")));
        assertEquals("servg", Suggestions.closest("servf", List.of("servg", "serve")));
    }

    @Test
    void distanceCountsEachKindOfEditOnce()
    {
        assertEquals(0, Suggestions.distance("abc", "abc"));
        assertEquals(1, Suggestions.distance("abc", "abcd"));
        assertEquals(1, Suggestions.distance("abcd", "abc"));
        assertEquals(1, Suggestions.distance("abc", "abd"));
        assertEquals(1, Suggestions.distance("abc", "acb"));
        assertEquals(3, Suggestions.distance("", "abc"));
    }

    @Test
    void commandNamesAreCloseTyposOrTheOnlyNameBegun()
    {
        assertEquals(1, Suggestions.distance("prot", "port"), "a swap of neighbours is one edit");
        assertEquals(1, Suggestions.distance("serv", "serve"));
        assertEquals(3, Suggestions.distance("kitten", "sitting"));
        assertEquals(0, Suggestions.distance("", ""));
        assertEquals("serve", Suggestions.closest("serv", List.of("serve", "replay")));
        assertEquals(null, Suggestions.closest("x", List.of("serve", "replay")), "one letter is no typo of anything");
        assertEquals("goals", Suggestions.closest("goals", List.of("goals", "goal")), "an exact name wins");
        assertEquals("replay", Suggestions.closest("rep", List.of("serve", "replay")), "the only name it begins");
        assertEquals(null, Suggestions.closest("r", List.of("rollup", "replay")), "a prefix of several names says nothing");
        assertEquals("", Suggestions.didYouMean("zzzz", List.of("serve")));
        assertEquals("; did you mean serve?", Suggestions.didYouMean("sevre", List.of("serve")));
    }
}
