package io.tally.engine.limit;

import io.tally.codec.EventType;
import io.tally.engine.site.Site;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Monthly event quotas per site, and every site's usage this month (UTC calendar month, by receive time: the
 * quota is about what the engine took in, so a replayed old event counts in the month it was sent). Every
 * event type but engagement counts: pageviews, custom events and the tracker's automatic events (outbound
 * clicks, form submits, downloads), which are custom events by another name. Usage is rebuilt from the
 * journal at start, so restarts change nothing.
 * <p>
 * {@link #tryTake} reserves one event (an atomic add, no allocation), {@link #giveBack} returns it when the
 * append failed. Quotas change live; usage does not reset when they do.
 */
public final class Quotas
{
    /** Removed sites whose month's usage is kept, at most: a site removed and added again keeps counting. */
    static final int MAX_REMOVED = 10_000;

    private volatile Map<String, Usage> bySite;
    private volatile Month month;
    /**
     * This month's usage of sites removed while running, oldest removal first, so that removing a site and adding it
     * back does not give it a fresh quota; forgotten at the month's end, and past {@link #MAX_REMOVED}.
     */
    private final Map<String, Usage> removed = new LinkedHashMap<>();

    /** A site's usage counter and quota (0: no quota). */
    private static final class Usage
    {
        final AtomicLong used = new AtomicLong();
        volatile long quota;
    }

    /** The current month's bounds in epoch milliseconds. */
    private record Month(YearMonth month, long startMillis, long endMillis)
    {
        static Month of(final long millis)
        {
            final YearMonth month = YearMonth.from(Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC));
            return new Month(month, month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli(),
                month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
        }

        boolean contains(final long millis)
        {
            return millis >= startMillis && millis < endMillis;
        }
    }

    /** One site's figures, for the stats API. */
    public record SiteUsage(String site, YearMonth month, long used, long quota, long resetsAtMillis)
    {
    }

    public Quotas(final List<Site> sites, final Map<String, Long> quotas, final long nowMillis)
    {
        final Map<String, Usage> usage = new HashMap<>();
        sites.forEach(site -> usage.put(site.domain(), new Usage()));
        this.bySite = Map.copyOf(usage);
        this.month = Month.of(nowMillis);
        apply(quotas);
    }

    /**
     * Follows the sites as they change live: a new site starts its month at zero, a removed one's usage is kept for
     * the month, and taken up again should the site come back (at the next start the journal counts both anyway).
     */
    public synchronized void retainSites(final Collection<String> domains)
    {
        final Map<String, Usage> next = new HashMap<>();
        for (final String domain : domains)
        {
            final Usage usage = bySite.containsKey(domain) ? bySite.get(domain) : removed.remove(domain);
            next.put(domain, usage == null ? new Usage() : usage);
        }
        bySite.forEach((domain, usage) ->
        {
            if (!next.containsKey(domain))
            {
                removed.put(domain, usage);
            }
        });
        for (final Iterator<String> oldest = removed.keySet().iterator(); removed.size() > MAX_REMOVED; )
        {
            oldest.next();
            oldest.remove();
        }
        bySite = Map.copyOf(next);
    }

    /** Sets every site's quota: those listed get theirs, the others none. */
    public synchronized void apply(final Map<String, Long> quotas)
    {
        bySite.forEach((site, usage) -> usage.quota = quotas.getOrDefault(site, 0L));
    }

    public static boolean counts(final EventType type)
    {
        return type != EventType.ENGAGEMENT;
    }

    /** Counts a journaled event found at start (only those received this month count). */
    public void countJournaled(final String site, final EventType type, final long receivedAtMillis)
    {
        final Usage usage = bySite.get(site);
        if (usage != null && counts(type) && month.contains(receivedAtMillis))
        {
            usage.used.incrementAndGet();
        }
    }

    /**
     * Reserves one event of {@code site}'s quota.
     *
     * @return false when the site has used its quota this month (nothing is reserved then).
     */
    public boolean tryTake(final String site, final EventType type, final long nowMillis)
    {
        final Usage usage = bySite.get(site);
        if (usage == null || !counts(type))
        {
            return true;
        }
        rollOver(nowMillis);
        final long quota = usage.quota;
        final long used = usage.used.incrementAndGet();
        if (quota > 0 && used > quota)
        {
            usage.used.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Returns a reservation whose event was not journaled after all. */
    public void giveBack(final String site, final EventType type)
    {
        final Usage usage = bySite.get(site);
        if (usage != null && counts(type))
        {
            usage.used.decrementAndGet();
        }
    }

    /** Whole seconds until the quotas reset (the next month), at least 1. */
    public long secondsUntilReset(final long nowMillis)
    {
        return Math.max(1, (month.endMillis() - nowMillis + 999) / 1000);
    }

    /** The site's usage this month, or null for an unknown site. */
    public SiteUsage usage(final String site, final long nowMillis)
    {
        final Usage usage = bySite.get(site);
        if (usage == null)
        {
            return null;
        }
        rollOver(nowMillis);
        final Month current = month;
        return new SiteUsage(site, current.month(), usage.used.get(), usage.quota, current.endMillis());
    }

    /** At the first event of a new month every site starts from zero (once, whichever thread sees it first). */
    private void rollOver(final long nowMillis)
    {
        if (nowMillis < month.endMillis())
        {
            return;
        }
        synchronized (this)
        {
            if (nowMillis >= month.endMillis())
            {
                month = Month.of(nowMillis);
                bySite.values().forEach(usage -> usage.used.set(0));
                removed.clear();
            }
        }
    }

    /** The first millisecond of the month of {@code nowMillis} (UTC). */
    public static long monthStart(final long nowMillis)
    {
        return Month.of(nowMillis).startMillis();
    }
}
