package io.tally.tracker;

import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tally.tracker.Records.awaitOne;
import static io.tally.tracker.Records.matching;
import static io.tally.tracker.Records.named;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Client-side triggers defined with goals in the admin API, fetched by the script in Chromium: each type, fire once
 * per visitor and device (remembered across page loads) or every time; the server matches the event to its goal.
 */
class TriggersBrowserTest
{
    private static final String TOKEN = "trigger-test-token";
    private static final List<String> GOALS = List.of(
        "{\"name\":\"Buy clicked\",\"trigger\":{\"type\":\"click\",\"selector\":\".buy\"}}",
        "{\"name\":\"CTA\",\"kind\":\"event\",\"trigger\":{\"type\":\"click\",\"selector\":\"#cta\",\"every_time\":true}}",
        "{\"name\":\"Broken selector\",\"trigger\":{\"type\":\"click\",\"selector\":\"##not a selector\"}}",
        "{\"name\":\"Pricing viewed\",\"trigger\":{\"type\":\"view\",\"selector\":\"#pricing\"}}",
        "{\"name\":\"Pro landing\",\"trigger\":{\"type\":\"page\",\"path\":\"/landing\",\"query\":{\"plan\":\"pro\",\"utm_source\":\"\"}}}",
        "{\"name\":\"Docs visit\",\"kind\":\"event\",\"trigger\":{\"type\":\"page\",\"path\":\"/docs/\",\"op\":\"starts_with\"," +
            "\"every_time\":true}}",
        "{\"name\":\"Engaged\",\"trigger\":{\"type\":\"engagement\",\"seconds\":2}}",
        "{\"name\":\"Busy\",\"trigger\":{\"type\":\"engagement\",\"interactions\":3,\"event\":\"Three interactions\"}}");

    @TempDir
    static Path dataDir;
    private static BrowserSite site;
    private static TestEngine engine;
    private static PageServer pages;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception
    {
        site = BrowserSite.start(dataDir, b -> b.adminToken(TOKEN));
        engine = site.engine;
        pages = site.pages;
        browser = site.browser;
        final HttpClient client = HttpClient.newHttpClient();
        for (final String goal : GOALS)
        {
            final HttpResponse<String> created = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + engine.port() + "/api/v1/sites/shop.example/goals"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.ofString(goal)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
    }

    @AfterAll
    static void stop()
    {
        site.close();
    }

    @BeforeEach
    void freshStorage()
    {
        site.freshStorage();
    }

    private static String page(final String path, final String body)
    {
        return site.page(path, "", body);
    }

    private static void openWithTriggers(final String url)
    {
        browser.open(url);
        browser.awaitTriggers();
    }

    private static void barrier(final String name)
    {
        site.barrier(name);
    }

    private static int goalCount(final String goal)
    {
        return matching(engine, r -> goal.equals(r.get("goal"))).size();
    }

    @Test
    void clickTriggersFireOncePerVisitorOrEveryTime()
    {
        final String shop = page("/clicks/", "<button class='buy big'><span id=label>Buy</span></button> <button id=cta>Go</button>");
        openWithTriggers(shop);
        browser.driver().findElement(By.id("label")).click();
        browser.driver().findElement(By.id("label")).click();
        for (int i = 0; i < 3; i++)
        {
            browser.driver().findElement(By.id("cta")).click();
        }
        final Map<String, Object> buy = awaitOne(engine, "the buy click", named("Buy clicked"));
        assertEquals("custom", buy.get("type"));
        assertEquals("Buy clicked", buy.get("goal"), "the server matched the trigger's event to its goal");
        assertEquals("/clicks/", buy.get("path"));
        Records.await(engine, 3, "three CTA clicks", named("CTA"));
        assertEquals("1", browser.js("return localStorage.getItem('tally:shop.example:Buy clicked')"));

        openWithTriggers(shop);
        browser.driver().findElement(By.id("label")).click();
        browser.driver().findElement(By.id("cta")).click();
        Records.await(engine, 4, "the fourth CTA click", named("CTA"));
        barrier("clicks-done");
        assertEquals(1, goalCount("Buy clicked"), "fire once, remembered across page loads");
        assertEquals(4, matching(engine, named("CTA")).size());
        assertEquals(0, goalCount("Broken selector"));
        assertEquals(List.of(), browser.pageErrors(), "a broken selector stays inside the tracker");
    }

    @Test
    void dataNoTriggersTurnsThemOff()
    {
        browser.open(site.page("/no-triggers/", "data-no-triggers", "<button class=buy>Buy</button>"));
        browser.driver().findElement(By.className("buy")).click();
        barrier("no-triggers-done");
        assertEquals(0, goalCount("Buy clicked"));
        assertEquals(Boolean.FALSE, browser.js("return performance.getEntriesByType('resource').some(e => e.name.endsWith('/triggers'))"));
    }

    @Test
    void viewTriggerFiresWhenTheElementEntersTheViewport()
    {
        final String pricing = page("/pricing/", "<div style='height:4000px'>intro</div><section id=pricing>Prices</section>" +
            "<div style='height:4000px'>more</div>");
        openWithTriggers(pricing);
        barrier("view-before-scroll");
        assertEquals(0, goalCount("Pricing viewed"), "below the fold, not seen yet");
        browser.js("document.getElementById('pricing').scrollIntoView()");
        awaitOne(engine, "the view", named("Pricing viewed"));
        openWithTriggers(pricing);
        browser.js("document.getElementById('pricing').scrollIntoView()");
        barrier("view-done");
        assertEquals(1, goalCount("Pricing viewed"));
    }

    @Test
    void pageTriggersTestPathAndQueryParameters()
    {
        final String landing = page("/landing", "<p>welcome</p>");
        openWithTriggers(landing + "?plan=basic&utm_source=news");
        openWithTriggers(landing + "?plan=pro");
        barrier("landing-without-match");
        assertEquals(0, goalCount("Pro landing"), "plan=basic, and plan=pro without utm_source, do not match");
        openWithTriggers(landing + "?utm_source=news&plan=pro");
        final Map<String, Object> pro = awaitOne(engine, "the pro landing", named("Pro landing"));
        assertEquals(pages.origin() + "/landing?utm_source=news&plan=pro", pro.get("url"));
        openWithTriggers(landing + "?utm_source=ads&plan=pro");
        barrier("landing-again");
        assertEquals(1, goalCount("Pro landing"));

        openWithTriggers(page("/docs/intro", "<p>docs</p>"));
        awaitOne(engine, "the first docs visit", named("Docs visit"));
        browser.js("history.pushState({}, '', '/docs/setup')");
        Records.await(engine, 2, "a docs visit after pushState", named("Docs visit"));
        browser.js("history.pushState({}, '', '/blog/')");
        barrier("docs-done");
        assertEquals(List.of("/docs/intro", "/docs/setup"),
            matching(engine, named("Docs visit")).stream().map(r -> r.get("path")).toList(), "every time, on matching pages only");
    }

    @Test
    void engagementTriggersOnActiveTimeAndInteractions()
    {
        openWithTriggers(page("/article/", "<article style='height:2000px'>text</article>"));
        for (int i = 0; i < 3; i++)
        {
            browser.driver().findElement(By.tagName("article")).click();
        }
        final Map<String, Object> busy = awaitOne(engine, "three interactions", named("Three interactions"));
        assertEquals("Busy", busy.get("goal"));
        browser.asyncJs("let n = 0; const t = setInterval(() => { document.body.dispatchEvent(new MouseEvent('mousemove', " +
            "{bubbles: true})); if (++n === 8) { clearInterval(t); done(); } }, 500)");
        awaitOne(engine, "two engaged seconds", named("Engaged"));
        barrier("engagement-done");
        assertEquals(1, goalCount("Busy"));
        assertEquals(1, goalCount("Engaged"));
    }
}
