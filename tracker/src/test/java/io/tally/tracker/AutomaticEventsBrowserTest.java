package io.tally.tracker;

import io.tally.testing.TestEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.tally.tracker.Records.awaitOne;
import static io.tally.tracker.Records.matching;
import static io.tally.tracker.Records.named;
import static io.tally.tracker.Records.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The script in Chromium against a real engine: pageviews of a single-page app, hash routing, outbound clicks,
 * downloads, forms of each plugin, engagement, the custom-event API with the stub, and each switch.
 */
class AutomaticEventsBrowserTest
{
    @TempDir
    static Path dataDir;
    private static BrowserSite site;
    private static TestEngine engine;
    private static PageServer pages;
    private static Browser browser;

    @BeforeAll
    static void start()
    {
        site = BrowserSite.start(dataDir, b -> b);
        engine = site.engine;
        pages = site.pages;
        browser = site.browser;
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

    private static String page(final String path, final String attributes, final String body)
    {
        return site.page(path, attributes, body);
    }

    private static void barrier(final String name)
    {
        site.barrier(name);
    }

    private static long count(final String recordType, final String path)
    {
        return matching(engine, type(recordType, path)).size();
    }

    @Test
    void pageviewsOfASinglePageApp()
    {
        browser.open(page("/spa/", "", "<main>app</main>"));
        awaitOne(engine, "the first pageview", type("pageview", "/spa/"));
        browser.js("history.pushState({}, '', '/spa/b')");
        awaitOne(engine, "pushState pageview", type("pageview", "/spa/b"));
        browser.js("history.replaceState({}, '', '/spa/c?tab=2')");
        final Map<String, Object> replaced = awaitOne(engine, "replaceState pageview", type("pageview", "/spa/c"));
        assertEquals(pages.origin() + "/spa/c?tab=2", replaced.get("url"));
        browser.js("history.replaceState({}, '', '/spa/c?tab=3'); location.hash = 'section'");
        browser.js("history.go(-2)");
        Records.await(engine, 2, "the popstate pageview", type("pageview", "/spa/"));
        barrier("spa-done");
        assertEquals(2, count("pageview", "/spa/"));
        assertEquals(1, count("pageview", "/spa/c"), "a new query or hash on the same path is the same page");
        assertEquals(List.of("/spa/", "/spa/b", "/spa/c", "/spa/"), matching(engine,
            r -> "pageview".equals(r.get("type")) && ((String)r.get("path")).startsWith("/spa/")).stream().map(r -> r.get("path")).toList());
        final Map<String, Object> first = matching(engine, type("pageview", "/spa/")).get(0);
        assertEquals("shop.example", first.get("site"), "data-site names the site although the page is on 127.0.0.1");
        assertNull(first.get("referrer"));
        assertEquals(List.of(), browser.pageErrors());
    }

    @Test
    void hashRoutingOnRequest()
    {
        browser.open(page("/hash/", "data-hash", "<main>app</main>"));
        awaitOne(engine, "the first pageview", r -> (pages.origin() + "/hash/").equals(r.get("url")));
        browser.js("location.hash = '#/account'");
        awaitOne(engine, "the hash route's pageview", r -> (pages.origin() + "/hash/#/account").equals(r.get("url")));
        browser.js("location.hash = '#/settings'");
        awaitOne(engine, "the next route", r -> (pages.origin() + "/hash/#/settings").equals(r.get("url")));
        assertEquals(3, count("pageview", "/hash/"));
    }

    @Test
    void outboundClicksAndDownloads()
    {
        final String links = page("/links/", "", "<a id=out href='" + pages.otherOrigin() + "/partner?ref=1' title='Our partner'>" +
            "Visit\n  the <b>partner</b></a> <a id=pdf href='/files/Report.PDF'>report</a> " +
            "<a id=attr href='/files/data.bin' download>data</a> <a id=inner href='/links/next'>next</a> " +
            "<a id=mail href='mailto:a@shop.example'>mail</a>");
        browser.open(links);
        browser.driver().findElement(By.id("out")).click();
        final Map<String, Object> click = awaitOne(engine, "the outbound click", type("click", "/links/"));
        assertEquals("outbound_click", click.get("name"));
        assertEquals(pages.otherOrigin() + "/partner?ref=1", click.get("target"));
        assertEquals("Visit the partner", click.get("text"));
        assertEquals("Our partner", click.get("title"));

        browser.open(links);
        browser.driver().findElement(By.id("pdf")).click();
        final Map<String, Object> pdf = awaitOne(engine, "the pdf download", r -> "download".equals(r.get("type")) &&
            String.valueOf(r.get("target")).endsWith("/files/Report.PDF"));
        assertEquals("file_download", pdf.get("name"));

        browser.open(links);
        browser.driver().findElement(By.id("attr")).click();
        awaitOne(engine, "the download attribute's download", r -> "download".equals(r.get("type")) &&
            String.valueOf(r.get("target")).endsWith("/files/data.bin"));

        browser.open(links);
        browser.js("document.getElementById('out').dispatchEvent(new MouseEvent('auxclick', {bubbles: true, button: 1}))");
        Records.await(engine, 2, "the middle click", type("click", "/links/"));
        browser.driver().findElement(By.id("mail")).click();
        browser.driver().findElement(By.id("inner")).click();
        browser.open(links);
        barrier("links-done");
        assertEquals(2, count("click", "/links/"), "mailto and same-host links are no outbound clicks");
        assertEquals(2, count("download", "/links/"));
    }

    @Test
    void downloadExtensionsAreConfigurable()
    {
        final String links = page("/custom-downloads/", "data-downloads='bin,iso'",
            "<a id=pdf href='/files/report.pdf'>report</a> <a id=iso href='/files/disk.iso'>disk</a>");
        browser.open(links);
        browser.driver().findElement(By.id("pdf")).click();
        browser.open(links);
        browser.driver().findElement(By.id("iso")).click();
        awaitOne(engine, "the iso download", r -> String.valueOf(r.get("target")).endsWith("/files/disk.iso"));
        browser.open(links);
        barrier("custom-downloads-done");
        assertEquals(1, count("download", "/custom-downloads/"), "pdf is not in this site's list");
    }

    @Test
    void formSubmitsOfEachPlugin()
    {
        final String forms = page("/forms/", "",
            "<div class='wpcf7 no-js' id='wpcf7-f42-p7-o1'><form class='wpcf7-form init' action='/forms/' method='get'>" +
            "<button id=cf7>send</button></form></div>" +
            "<form id='wpforms-form-123' class='wpforms-validate wpforms-form' action='/forms/'><button id=wpforms>send</button></form>" +
            "<div class='gform_wrapper'><form id='gform_1' name='quote' action='/forms/'><button id=gravity>send</button></form></div>" +
            "<form name='newsletter' id='newsletter' action='/forms/'><input name='id' value='clobbered'><input name='name'>" +
            "<input name='className'><button id=html>send</button></form>");
        final Object[][] expected = {
            {"cf7", null, "wpcf7-f42-p7-o1", "cf7"},
            {"wpforms", null, "wpforms-form-123", "wpforms"},
            {"gravity", "quote", "gform_1", "gravity"},
            {"html", "newsletter", "newsletter", "html"}};
        for (final Object[] form : expected)
        {
            browser.open(forms);
            browser.driver().findElement(By.id((String)form[0])).click();
            final Map<String, Object> record = awaitOne(engine, form[0] + " form", r -> "form".equals(r.get("type")) &&
                form[3].equals(r.get("form_plugin")));
            assertEquals("form_submit", record.get("name"));
            assertEquals(form[1], record.get("form_name"));
            assertEquals(form[2], record.get("form_id"));
            assertEquals("/forms/", record.get("path"));
        }
    }

    @Test
    void engagementIsActiveTimeSentWhenThePageIsHidden()
    {
        browser.open(page("/read/", "", "<article style='height:3000px'>text</article>"));
        final long opened = System.currentTimeMillis();
        // interacting for three seconds: a real reader moves and clicks while the page is visible
        browser.asyncJs("let n = 0; const t = setInterval(() => { document.body.dispatchEvent(new MouseEvent('mousemove', " +
            "{bubbles: true})); if (++n === 6) { clearInterval(t); done(); } }, 500)");
        browser.driver().findElement(By.tagName("article")).click();
        final long engaged = System.currentTimeMillis() - opened;
        browser.open(pages.origin() + "/blank");
        final Map<String, Object> engagement = awaitOne(engine, "the engagement", type("engagement", "/read/"));
        assertEquals("engagement", engagement.get("name"));
        final double seconds = Double.parseDouble((String)engagement.get("seconds"));
        assertTrue(seconds >= 2 && seconds <= engaged / 1000.0 + 1, seconds + " s engaged of " + engaged + " ms open");
    }

    @Test
    void customEventsWithPropsRevenueMetaAndTheStubsQueue()
    {
        browser.open(page("/shop/", "", "<script>tally.track('Early', {plan: 'pro'})</script>"));
        final Map<String, Object> early = awaitOne(engine, "the stub's call", named("Early"));
        assertEquals(Map.of("plan", "pro"), early.get("props"));
        browser.js("tally.track('Purchase', {product: 'Pro Plan', seats: 3, trial: false, gone: null, nested: {a: 1}}, " +
            "{amount: 29.99, currency: 'EUR'}, {label: 'Checkout', action: 'buy', category: 'shop'})");
        final Map<String, Object> purchase = awaitOne(engine, "the purchase", named("Purchase"));
        assertEquals("custom", purchase.get("type"));
        assertEquals(List.of("product", "seats", "trial"), List.copyOf(((Map<?, ?>)purchase.get("props")).keySet()));
        assertEquals(Map.of("product", "Pro Plan", "seats", "3", "trial", "false"), purchase.get("props"));
        assertEquals(Map.of("amount", "29.99", "currency", "EUR"), purchase.get("revenue"));
        assertEquals("Checkout", purchase.get("label"));
        assertEquals("buy", purchase.get("action"));
        assertEquals("shop", purchase.get("category"));
        browser.js("tally.track('Donation', null, {amount: 25})");
        final Map<String, Object> donation = awaitOne(engine, "the donation", named("Donation"));
        assertEquals(Map.of("amount", "25", "currency", "USD"), donation.get("revenue"));
        assertEquals(Map.of(), donation.get("props"));
    }

    @Test
    void beaconsArePlainTextPostsWithoutPreflightOrCookies()
    {
        browser.requestsTo("/api/event");
        browser.js("document.cookie = 'session=secret; path=/'");
        browser.open(page("/plain/", "", ""));
        browser.js("tally.track('Plain', {a: 'b'})");
        awaitOne(engine, "the event", named("Plain"));
        assertEquals(List.of("POST text/plain;charset=UTF-8", "POST text/plain;charset=UTF-8"), browser.requestsTo("/api/event"),
            "the pageview and the event: simple requests, so no OPTIONS preflight, and no cookie");
    }

    @Test
    void aValueParameterInThePageUrlIsTheGoalValue()
    {
        browser.open(page("/thanks/", "", "") + "?value=12.5");
        browser.js("tally.track('Signup')");
        final Map<String, Object> signup = awaitOne(engine, "the signup", named("Signup"));
        assertEquals("12.5", signup.get("value"));
        assertEquals("12.5", awaitOne(engine, "the pageview", type("pageview", "/thanks/")).get("value"));
    }

    @Test
    void eachAutomaticEventCanBeTurnedOff()
    {
        final String quiet = page("/quiet/", "data-no-pageviews data-no-outbound data-no-downloads data-no-forms data-no-engagement",
            "<a id=out href='" + pages.otherOrigin() + "/partner'>partner</a> <a id=pdf href='/files/a.pdf'>pdf</a>" +
            "<form action='/quiet/'><button id=send>send</button></form>");
        browser.open(quiet);
        browser.driver().findElement(By.id("out")).click();
        browser.open(quiet);
        browser.driver().findElement(By.id("pdf")).click();
        browser.open(quiet);
        browser.asyncJs("let n = 0; const t = setInterval(() => { document.body.click(); if (++n === 4) { clearInterval(t); done(); } }, 500)");
        browser.driver().findElement(By.id("send")).click();
        browser.open(quiet);
        browser.js("history.pushState({}, '', '/quiet/other')");
        browser.js("tally.pageview()");
        awaitOne(engine, "the manual pageview", type("pageview", "/quiet/other"));
        browser.open(pages.origin() + "/blank");
        browser.open(quiet);
        barrier("quiet-done");
        assertEquals(List.of("custom"), matching(engine, r -> String.valueOf(r.get("path")).equals("/quiet/"))
            .stream().map(r -> r.get("type")).toList());
    }

    @Test
    void aVisitorCanOptOut()
    {
        browser.open(page("/private/", "", ""));
        awaitOne(engine, "the pageview before opting out", type("pageview", "/private/"));
        browser.js("localStorage.tally_ignore = 'true'");
        browser.open(page("/private/", "", ""));
        browser.js("tally.track('Ignored')");
        browser.js("localStorage.removeItem('tally_ignore')");
        barrier("Counted");
        assertEquals(1, count("pageview", "/private/"));
        assertEquals(0, matching(engine, named("Ignored")).size());
        assertEquals(List.of(), browser.pageErrors());
    }
}
