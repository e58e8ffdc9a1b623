package io.tally.tracker;

import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.util.Map;

import static io.tally.tracker.PageServer.html;
import static io.tally.tracker.Records.awaitOne;
import static io.tally.tracker.Records.named;
import static io.tally.tracker.Records.type;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Plausible's official tracker ({@code @plausible-analytics/tracker} 0.4.6 from npm, vendored unchanged with its
 * MIT license) in Chromium, pointed at Tally's {@code /api/event}: its pageviews, SPA pageviews, custom events with
 * props and revenue, and outbound clicks land in the journal.
 */
class PlausibleTrackerBrowserTest
{
    @TempDir
    static Path dataDir;
    private static BrowserSite site;

    @BeforeAll
    static void start()
    {
        site = BrowserSite.start(dataDir, b -> b);
    }

    @AfterAll
    static void stop()
    {
        site.close();
    }

    @Test
    void plausiblesOwnTrackerLandsItsEvents()
    {
        final TestEngine engine = site.engine;
        final PageServer pages = site.pages;
        final Browser browser = site.browser;
        // __plausible: the script ignores browsers driven by WebDriver unless told otherwise
        final String module = "<script type='module'>import { init, track } from '/plausible.js';" +
            "window.__plausible = true;" +
            "init({domain: 'shop.example', endpoint: 'http://127.0.0.1:" + engine.port() + "/api/event', " +
            "captureOnLocalhost: true, outboundLinks: true, logging: false});" +
            "window.plausibleTrack = track;</script>";
        browser.open(pages.page("/plausible/", html(module, "<a id=out href='" + pages.otherOrigin() + "/partner'>partner</a>")));
        final Map<String, Object> pageview = awaitOne(engine, "Plausible's pageview", type("pageview", "/plausible/"));
        assertEquals("shop.example", pageview.get("site"));
        assertEquals("pageview", pageview.get("name"));

        browser.js("plausibleTrack('Signup', {props: {plan: 'pro', seats: 3}, revenue: {amount: 15.99, currency: 'EUR'}})");
        final Map<String, Object> signup = awaitOne(engine, "Plausible's custom event", named("Signup"));
        assertEquals("custom", signup.get("type"));
        assertEquals(Map.of("plan", "pro", "seats", "3"), signup.get("props"));
        assertEquals(Map.of("amount", "15.99", "currency", "EUR"), signup.get("revenue"));
        assertEquals(null, signup.get("value"), "the script's version field is no goal value");

        browser.js("history.pushState({}, '', '/plausible/step-2')");
        awaitOne(engine, "Plausible's SPA pageview", type("pageview", "/plausible/step-2"));

        browser.driver().findElement(By.id("out")).click();
        final Map<String, Object> outbound = awaitOne(engine, "Plausible's outbound click", named("Outbound Link: Click"));
        assertEquals(Map.of("url", pages.otherOrigin() + "/partner"), outbound.get("props"));
    }
}
