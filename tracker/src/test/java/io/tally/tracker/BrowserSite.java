package io.tally.tracker;

import io.tally.engine.EngineConfig;
import io.tally.testing.TestEngine;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static io.tally.tracker.PageServer.html;
import static io.tally.tracker.PageServer.snippet;

/** What a browser test class shares: a real engine, the site's page server on another origin, one Chromium. */
final class BrowserSite implements AutoCloseable
{
    final TestEngine engine;
    final PageServer pages;
    final Browser browser;

    private BrowserSite(final TestEngine engine)
    {
        this.engine = engine;
        this.pages = new PageServer();
        this.pages.page("/blank", html("", ""));
        this.browser = new Browser();
    }

    static BrowserSite start(final Path dataDir, final UnaryOperator<EngineConfig.Builder> customize)
    {
        return new BrowserSite(TestEngine.start(dataDir, customize));
    }

    /** Serves a page with the snippet ({@code attributes} on the script tag) and {@code body}; returns its URL. */
    String page(final String path, final String attributes, final String body)
    {
        return pages.page(path, html(snippet(engine.port(), attributes), body));
    }

    /** Forgets the page origin's storage: fire-once memory, the retry queue, the opt-out flag. */
    void freshStorage()
    {
        browser.clearStorage(pages.origin() + "/blank");
    }

    /** Sends a custom event and waits for it: what the page sent before has been answered by then. */
    void barrier(final String name)
    {
        browser.js("tally.track(arguments[0])", name);
        Records.awaitOne(engine, name, Records.named(name));
    }

    @Override
    public void close()
    {
        browser.close();
        pages.close();
        engine.close();
    }
}
