package io.tally.ops;

import io.tally.dashboard.DashboardPage;
import io.tally.tracker.Browser;

import java.nio.file.Path;

/**
 * The engine with its event store on, as {@code tally serve --event-store true} composes them, and, once a test has
 * sent its events, the dashboard in Chromium against it: what the dashboard's browser tests over the store share.
 */
final class StoreDashboard implements AutoCloseable
{
    private final StoreServedEngine served;
    private Browser browser;
    private DashboardPage page;

    StoreDashboard(final Path dataDir)
    {
        this.served = new StoreServedEngine(dataDir);
    }

    StoreServedEngine served()
    {
        return served;
    }

    /** Waits until the store has sealed every event sent so far, then opens Chromium on the dashboard. */
    void open() throws InterruptedException
    {
        served.awaitSealed();
        browser = new Browser();
        page = new DashboardPage(browser, served.engine().port());
    }

    Browser browser()
    {
        return browser;
    }

    DashboardPage page()
    {
        return page;
    }

    @Override
    public void close()
    {
        try
        {
            if (browser != null)
            {
                browser.close();
            }
        }
        finally
        {
            served.close();
        }
    }
}
