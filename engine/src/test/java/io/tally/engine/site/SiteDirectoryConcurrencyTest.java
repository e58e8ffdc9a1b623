package io.tally.engine.site;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lookups while the sites change: a site in every set is always found, and a site found is always one of a set
 * that was published (its own domain), never a half-built table's.
 */
class SiteDirectoryConcurrencyTest
{
    @Test
    void lookupsDuringChangesSeeOneWholeSetOrTheOther() throws Exception
    {
        final Site stays = new Site("shop.example", List.of("shop.example.net"), "UTC");
        final List<Site> first = List.of(stays, new Site("a.example"));
        final List<Site> second = List.of(new Site("b.example"), stays, new Site("c.example", List.of("a.example.org"), "UTC"));
        final SiteDirectory directory = new SiteDirectory(first);
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                while (!done.get())
                {
                    assertTrue(directory.findByName("www.shop.example.net") == stays, "the site in both sets");
                    final Site a = directory.findByName("a.example");
                    assertTrue(a == null || a.domain().equals("a.example"));
                    final Site c = directory.findByName("a.example.org");
                    assertTrue(c == null || c.domain().equals("c.example"));
                }
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        });
        reader.start();
        for (int i = 0; i < 20_000 && failure.get() == null; i++)
        {
            directory.replace(i % 2 == 0 ? second : first);
        }
        done.set(true);
        reader.join();
        if (failure.get() != null)
        {
            throw new AssertionError(failure.get());
        }
        directory.replace(second);
        assertNull(directory.findByName("a.example"), "the last set published is the one in force");
    }
}
