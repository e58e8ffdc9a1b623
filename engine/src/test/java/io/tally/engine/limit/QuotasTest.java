package io.tally.engine.limit;

import io.tally.codec.EventType;
import io.tally.engine.site.Site;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A site's monthly quota across live site changes: removing it and adding it back gives it no fresh quota. */
class QuotasTest
{
    private static final long NOW = 1_796_000_000_000L; // 2026-11-30
    private static final String SHOP = "shop.example";

    @Test
    void aSiteRemovedAndAddedBackKeepsItsMonthsUsage()
    {
        final Quotas quotas = new Quotas(List.of(new Site(SHOP)), Map.of(SHOP, 2L), NOW);
        assertTrue(quotas.tryTake(SHOP, EventType.PAGEVIEW, NOW));
        assertTrue(quotas.tryTake(SHOP, EventType.PAGEVIEW, NOW));
        assertFalse(quotas.tryTake(SHOP, EventType.PAGEVIEW, NOW), "the quota is used");

        quotas.retainSites(List.of());
        assertEquals(null, quotas.usage(SHOP, NOW), "removed");
        quotas.retainSites(List.of(SHOP));
        quotas.apply(Map.of(SHOP, 2L));
        assertEquals(2, quotas.usage(SHOP, NOW).used(), "back with its usage");
        assertFalse(quotas.tryTake(SHOP, EventType.PAGEVIEW, NOW), "and no fresh quota");

        final long nextMonth = NOW + 2 * 86_400_000L;
        assertTrue(quotas.tryTake(SHOP, EventType.PAGEVIEW, nextMonth), "a new month starts from zero");
    }

    @Test
    void removedSitesAreRememberedUpToTheCap()
    {
        assertEquals(Quotas.MAX_REMOVED, usageKeptOverARemoval(Quotas.MAX_REMOVED), "at the cap, every one");
        assertEquals(Quotas.MAX_REMOVED, usageKeptOverARemoval(Quotas.MAX_REMOVED + 1), "past it, one is forgotten");
    }

    /** {@code count} sites with an event each, all removed at once and added back: the events still counted. */
    private static long usageKeptOverARemoval(final int count)
    {
        final List<String> domains = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            domains.add("s" + i + ".example");
        }
        final Quotas quotas = new Quotas(domains.stream().map(Site::new).toList(), Map.of(), NOW);
        domains.forEach(domain -> assertTrue(quotas.tryTake(domain, EventType.PAGEVIEW, NOW)));
        quotas.retainSites(List.of());
        quotas.retainSites(domains);
        return domains.stream().mapToLong(domain -> quotas.usage(domain, NOW).used()).sum();
    }
}
