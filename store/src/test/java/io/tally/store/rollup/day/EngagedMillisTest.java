package io.tally.store.rollup.day;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An engagement's seconds, as sent with any number of decimals, in whole milliseconds. */
class EngagedMillisTest
{
    @Test
    void secondsOfAnyScaleBecomeWholeMilliseconds()
    {
        assertEquals(25_000, DayCube.engagedMillis(25, 0));
        assertEquals(40_500, DayCube.engagedMillis(405, 1));
        assertEquals(1_234, DayCube.engagedMillis(1_234, 3));
        assertEquals(1_234, DayCube.engagedMillis(1_234_567, 6), "past milliseconds: cut");
        assertEquals(0, DayCube.engagedMillis(0, 2));
        assertEquals(0, DayCube.engagedMillis(-5, 0), "never below 0");
        assertEquals(Long.MAX_VALUE, DayCube.engagedMillis(Long.MAX_VALUE / 2, 0), "past a long: the largest");
    }
}
