package io.tally.ops;

import io.tally.engine.identity.AddressRanges;
import io.tally.engine.site.Site;
import io.tally.explore.EventStore;
import io.tally.store.state.FreeSpace;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@link TestEngine} with the event store beside it (a round every 100 ms, unless told) and its reports (the filtered ones, the
 * funnels and experiments) handed to the engine, as
 * {@code tally serve --event-store true} composes them; loopback is a trusted proxy, so each beacon's
 * {@code X-Forwarded-For} makes a visitor.
 */
final class StoreServedEngine implements AutoCloseable
{
    /** The read token of {@code shop.example}; {@code other.example} has {@link #OTHER_READ_TOKEN}. */
    static final String READ_TOKEN = "shop-read-token";
    static final String OTHER_READ_TOKEN = "other-read-token";

    private final TestEngine engine;
    private EventStore store;
    private volatile boolean sealing = true;

    StoreServedEngine(final Path dataDir)
    {
        this(dataDir, List.of());
    }

    /** With {@code more} sites beside {@code shop.example} and {@code other.example}. */
    StoreServedEngine(final Path dataDir, final List<Site> more)
    {
        this(dataDir, more, 100);
    }

    /** With a round every {@code sealIntervalMillis} (fewer, larger files, as a busy store's). */
    StoreServedEngine(final Path dataDir, final List<Site> more, final long sealIntervalMillis)
    {
        final List<Site> sites = new java.util.ArrayList<>(List.of(new Site("shop.example", List.of(), "UTC", READ_TOKEN),
            new Site("other.example", List.of(), "UTC", OTHER_READ_TOKEN)));
        sites.addAll(more);
        this.engine = TestEngine.start(dataDir, b -> b.trustedProxies(AddressRanges.parse(List.of("127.0.0.1")))
            .sites(List.copyOf(sites)), started ->
        {
            store = new EventStore(dataDir, started.journal(), 0, sealIntervalMillis, started.clock(),
                new FreeSpace(dataDir, TestEngine.TEST_MIN_FREE_SPACE));
            final EventReports reports = EventsCommand.reports(started, dataDir, store);
            EventsCommand.connectExports(started, dataDir, store);
            final ExploreReports explore = ExploreReports.connect(started, dataDir);
            return () ->
            {
                explore.close();
                reports.close();
                if (sealing)
                {
                    store.close();
                }
            };
        });
        // the User-Agent analyzer builds in the background after a start: until it is ready beacons wait for it
        engine.engine().ingestServices().screening().classifier().awaitReady();
    }

    TestEngine engine()
    {
        return engine;
    }

    String admin()
    {
        return engine.engine().adminToken().value();
    }

    /** Sends {@code body} as visitor {@code visitor} (its address) with {@code agent}; asserts the 202. */
    void send(final RawHttp http, final int visitor, final String agent, final String body) throws IOException
    {
        final RawHttp.Answer answer = http.exchange(RawHttp.post("/api/event", "application/json", body,
            "X-Forwarded-For: 10.1." + visitor / 250 + "." + visitor % 250, "User-Agent: " + agent));
        assertEquals(202, answer.status(), answer.body());
    }

    /** Waits until the rollups have counted and the store has sealed every record journaled; fails after 60 s. */
    void awaitSealed() throws InterruptedException
    {
        engine.awaitRollups();
        final long last = engine.engine().journal().lastIndex();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (store.counters().position() < last && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(last, store.counters().position(), "the store sealed every event within 60 s");
    }

    /** Stops the store's sealer; its files stay, and the reports read them: what is journaled from now on is not in them. */
    void stopSealing()
    {
        sealing = false;
        store.close();
    }

    @Override
    public void close()
    {
        engine.close();
    }
}
