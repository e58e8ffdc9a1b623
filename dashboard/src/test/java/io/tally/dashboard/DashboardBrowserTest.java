package io.tally.dashboard;

import io.tally.codec.json.Json;
import io.tally.engine.site.Site;
import io.tally.testing.RawHttp;
import io.tally.testing.TestEngine;
import io.tally.tracker.Browser;
import io.tally.tracker.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in Chromium against a real engine, with events sent over its socket first: signing in with the
 * admin token shows the figures the stats API answers for the same data; a share link opens the site signed out,
 * a revoked one does not. Screenshots of the site view at desktop and phone width go to {@code target/screenshots}.
 */
class DashboardBrowserTest
{
    private static final String ADMIN = "dashboard-admin-token";
    private static final String SITE = "shop.example";
    private static final String READER = "shop-read-token";

    @TempDir
    static Path dataDir;
    private static TestEngine engine;
    private static Browser browser;
    private static DashboardPage page;

    @BeforeAll
    static void start() throws IOException
    {
        engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN)
            .sites(List.of(new Site(SITE, List.of(), "UTC", READER), new Site("blog.example"))));
        browser = new Browser();
        page = new DashboardPage(browser, engine.port());
        admin("POST", "/api/v1/sites/shop.example/goals", "{\"name\":\"Buy\",\"value\":{\"amount\":\"10.00\",\"currency\":\"EUR\"}," +
            "\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}]}", 201);
        admin("POST", "/api/v1/sites/shop.example/goals", "{\"name\":\"Pricing\",\"type\":\"pageview\"," +
            "\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\",\"value\":\"/pricing\"}]}", 201);
        send("A", "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"r\":\"https://news.example/story\"}");
        send("A", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
        send("A", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/buy\",\"mk\":[\"plan\"],\"mv\":[\"pro\"],\"ra\":19.99,\"rc\":\"EUR\"}");
        send("B", "{\"t\":\"p\",\"u\":\"https://shop.example/landing?utm_source=mail\",\"r\":\"https://search.example/\"}");
        send("B", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/buy\",\"mk\":[\"plan\"],\"mv\":[\"team\"]}");
        send("C", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
        send("C", "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\",\"el\":\"footer\"}");
        // two visitors ten days ago, through the trusted API: the previous period of the last 7 days has them
        final long tenDaysAgo = System.currentTimeMillis() - 10L * 86_400_000L;
        final String past = "{\"t\":\"p\",\"u\":\"https://shop.example/old\",\"vid\":\"past-1\",\"ts\":" + tenDaysAgo + "}\n" +
            "{\"t\":\"p\",\"u\":\"https://shop.example/old\",\"vid\":\"past-2\",\"ts\":" + tenDaysAgo + "}\n";
        final RawHttp.Answer trusted = engine.call("POST", "/api/v1/events", past, engine.siteToken(SITE, ADMIN));
        assertEquals(200, trusted.status(), trusted.body());
        assertEquals(2L, ((Number)Json.parseObject(trusted.body()).get("accepted")).longValue(), trusted.body());
        engine.awaitRollups();
    }

    @AfterAll
    static void stop()
    {
        try
        {
            browser.close();
        }
        finally
        {
            engine.close();
        }
    }

    private static String base()
    {
        return "http://127.0.0.1:" + engine.port();
    }

    private static void send(final String userAgent, final String beacon) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", beacon, "User-Agent: " + userAgent)).status());
        }
    }

    private static RawHttp.Answer admin(final String method, final String path, final String body, final int status) throws IOException
    {
        final RawHttp.Answer answer = engine.call(method, path, body, ADMIN);
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    /** Opens {@code url} in a tab that remembers no token. */
    private static void openSignedOut(final String url)
    {
        page.openSignedOut(url.substring(base().length()));
    }

    private static void awaitState(final String state)
    {
        page.awaitState(state);
    }

    /** The KPI cards as the page shows them: name to the raw figure behind the formatted text. */
    private static Map<String, String> cards()
    {
        return page.cards();
    }

    /** A panel's rows: the first column's value, then each column's raw figure. */
    private static Map<String, Map<String, String>> panel(final String id)
    {
        return page.table(id);
    }

    private static void assertSameNumber(final Object expected, final String shown, final String what)
    {
        assertEquals(0, new BigDecimal(String.valueOf(expected)).compareTo(new BigDecimal(shown)), what + ": " + expected + " vs " + shown);
    }

    private static void assertKpisAsTheApi(final Map<String, Object> kpis)
    {
        final Map<String, String> cards = cards();
        for (final String key : List.of("visitors", "pageviews", "events", "sessions", "conversions", "conversion_rate",
            "visits", "bounce_rate", "visit_duration", "views_per_visit"))
        {
            assertSameNumber(kpis.get(key), cards.get(key), key);
        }
        for (final Object revenue : (List<?>)kpis.get("revenue"))
        {
            final Map<?, ?> amount = (Map<?, ?>)revenue;
            assertSameNumber(amount.get("amount"), cards.get("revenue-" + amount.get("currency")), "revenue");
        }
    }

    /** The panel shows one row per row of the report, with the same figure in {@code column}. */
    private static void assertPanelAsTheApi(final String panel, final String report, final String rowsKey, final String label,
        final String column) throws IOException
    {
        final Map<String, String> expected = new LinkedHashMap<>();
        for (final Object row : (List<?>)engine.stats(SITE, report).get(rowsKey))
        {
            expected.put(String.valueOf(((Map<?, ?>)row).get(label)), String.valueOf(((Map<?, ?>)row).get(column)));
        }
        final Map<String, String> shown = new LinkedHashMap<>();
        panel(panel).forEach((row, cells) -> shown.put(row, cells.get(column)));
        assertEquals(expected, shown, panel);
        assertFalse(expected.isEmpty(), "the data has rows for " + panel);
    }

    private static void screenshot(final String name, final int width) throws IOException
    {
        page.screenshot(name, width);
    }

    @Test
    void signedInWithTheAdminTokenTheCardsAndGoalsShowTheStatsApisFigures() throws IOException
    {
        openSignedOut(base() + "/shop.example");
        Poll.until("the sign-in form is shown", () -> browser.driver().findElement(By.id("token")).isDisplayed());
        browser.driver().findElement(By.id("token")).sendKeys(ADMIN);
        browser.driver().findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        awaitState("ready");

        assertEquals(SITE, browser.driver().findElement(By.id("site-title")).getText());
        assertKpisAsTheApi(engine.stats(SITE, "kpis?period=30d"));
        final Map<String, Map<String, String>> shown = panel("goals");
        final List<?> goals = (List<?>)engine.stats(SITE, "goals?period=30d").get("goals");
        assertEquals(goals.size(), shown.size(), "a row per goal: " + shown);
        for (final Object row : goals)
        {
            final Map<?, ?> goal = (Map<?, ?>)row;
            final Map<String, String> cells = shown.get((String)goal.get("name"));
            for (final String column : List.of("conversions", "visitors", "conversion_rate", "weight"))
            {
                assertSameNumber(goal.get(column), cells.get(column), goal.get("name") + " " + column);
            }
        }
        assertTrue(Integer.parseInt(shown.get("Buy").get("conversions")) > 0, "the data has conversions: " + shown);

        // the site-wide panels: pages, sources, entry and exit pages, as the API counts them
        assertPanelAsTheApi("top-pages", "pages?period=30d", "pages", "page", "pageviews");
        assertPanelAsTheApi("top-sources", "sources?period=30d&dimension=referrer", "sources", "source", "visits");
        assertPanelAsTheApi("entry-pages", "entry_pages?period=30d", "entry_pages", "page", "visits");
        assertPanelAsTheApi("exit-pages", "exit_pages?period=30d", "exit_pages", "page", "exits");
        // the audience, as the API counts it
        assertPanelAsTheApi("browsers", "browsers?period=30d", "browsers", "browser", "visitors");
        assertPanelAsTheApi("operating_systems", "operating_systems?period=30d", "operating_systems", "os", "visitors");
        assertPanelAsTheApi("devices", "devices?period=30d", "devices", "device", "visitors");

        // the realtime strip: the last half hour's events, as the API counts them
        final Object recent = engine.stats(SITE, "realtime").get("events");
        Poll.until("the realtime strip is shown", () -> String.valueOf(recent).equals(browser.js("return document.getElementById('realtime').dataset.events")));
        assertEquals(7L, ((Number)recent).longValue(), "the seven events sent just now, not the two of ten days ago");

        // the token stays out of URLs and, without "remember me", out of localStorage
        assertNull(browser.js("return localStorage.getItem('tally.token')"));
        assertEquals(ADMIN, browser.js("return sessionStorage.getItem('tally.token')"));
        assertEquals(List.of(), browser.requestsTo(ADMIN));
        assertFalse(browser.driver().getCurrentUrl().contains(ADMIN));

        // picking a goal shows where its conversions came from, as the API counts them
        browser.driver().findElement(By.cssSelector("table[data-panel=goals] tr[data-row=Buy] button")).click();
        Poll.until("the sources of Buy are shown", () -> !panel("sources").isEmpty());
        awaitState("ready");
        final Map<String, Map<String, String>> sources = panel("sources");
        final Map<String, String> expected = new LinkedHashMap<>();
        for (final Object row : (List<?>)engine.stats(SITE, "sources?period=30d&goal=Buy").get("sources"))
        {
            expected.put((String)((Map<?, ?>)row).get("source"), String.valueOf(((Map<?, ?>)row).get("conversions")));
        }
        final Map<String, String> actual = new LinkedHashMap<>();
        sources.forEach((source, cells) -> actual.put(source, cells.get("conversions")));
        assertEquals(expected, actual);

        // picking an event breaks it down by its properties, as the API does
        browser.driver().findElement(By.cssSelector("table[data-panel=events] tr[data-row=Purchase] button")).click();
        Poll.until("the properties of Purchase are shown", () -> !panel("properties").isEmpty());
        awaitState("ready");
        final Map<String, String> values = new LinkedHashMap<>();
        ((Map<?, ?>)engine.stats(SITE, "events?period=30d&name=Purchase").get("properties")).forEach((key, rows) ->
            ((List<?>)rows).forEach(row -> values.put(key + "=" + ((Map<?, ?>)row).get("value"),
                String.valueOf(((Map<?, ?>)row).get("events")))));
        final Map<String, String> shownValues = new LinkedHashMap<>();
        panel("properties").forEach((row, cells) -> shownValues.put(row, cells.get("events")));
        assertEquals(values, shownValues);
        assertEquals(2, values.size(), "plan=pro and plan=team: " + values);

        // the sessions carry a badge for each goal they matched
        assertEquals(List.of("Buy", "Buy", "Pricing"), browser.js("return [...document.querySelectorAll('.sessions .badge')]" +
            ".map(b => b.dataset.goal).sort()"));

        screenshot("site-desktop", 1280);
        screenshot("site-phone", 375);
        assertTrue((Long)browser.js("return document.documentElement.scrollWidth") <= 375, "nothing is wider than the phone");

        // the system's dark theme, as the page reads it
        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try
        {
            browser.open(browser.driver().getCurrentUrl());
            awaitState("ready");
            assertEquals("rgb(18, 19, 23)", browser.js("return getComputedStyle(document.body).backgroundColor"));
            screenshot("site-desktop-dark", 1280);
        }
        finally
        {
            browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
            browser.driver().manage().window().setSize(new Dimension(1200, 800));
        }
    }

    @Test
    void aSiteWithoutEventsShowsTheSnippetAndAWrongTokenIsRefused() throws IOException
    {
        openSignedOut(base() + "/blog.example");
        Poll.until("the sign-in form is shown", () -> browser.driver().findElement(By.id("token")).isDisplayed());
        browser.driver().findElement(By.id("token")).sendKeys("not-the-token");
        browser.driver().findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        Poll.until("the refusal is shown", () -> !browser.driver().findElement(By.id("sign-in-error")).getText().isEmpty());
        assertNull(browser.js("return sessionStorage.getItem('tally.token') || localStorage.getItem('tally.token')"));

        browser.driver().findElement(By.id("token")).clear();
        browser.driver().findElement(By.id("token")).sendKeys(ADMIN);
        browser.driver().findElement(By.id("remember")).click();
        browser.driver().findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        awaitState("ready");
        assertEquals(ADMIN, browser.js("return localStorage.getItem('tally.token')"), "remembered, as asked");
        assertEquals(List.of(SITE, "blog.example"), browser.js("return [...document.querySelectorAll('#sites a')].map(a => a.textContent)"),
            "the admin token reads every site");
        assertTrue(browser.driver().findElement(By.id("empty")).isDisplayed());
        final String snippet = browser.driver().findElement(By.id("snippet")).getText();
        assertTrue(snippet.contains("data-site=\"blog.example\" src=\"" + base() + "/js/tally.js\""), snippet);
        assertEquals("0", cards().get("visitors"));
        screenshot("empty-phone", 375);
        assertTrue(page.fitsTheWidth(), "the snippet scrolls inside its box, not the page");
        browser.driver().manage().window().setSize(new Dimension(1200, 800));
    }

    @Test
    void aReadTokenOpensItsOneSiteWithoutTheShareLinks() throws IOException
    {
        openSignedOut(base() + "/");
        Poll.until("the sign-in form is shown", () -> browser.driver().findElement(By.id("token")).isDisplayed());
        browser.driver().findElement(By.id("token")).sendKeys(READER);
        browser.driver().findElement(By.cssSelector("#sign-in-form button[type=submit]")).click();
        awaitState("ready");
        assertEquals(SITE, browser.driver().findElement(By.id("site-title")).getText(), "its one site, opened at once");
        assertFalse(browser.driver().findElement(By.id("shares")).isDisplayed());
        assertKpisAsTheApi(engine.stats(SITE, "kpis?period=30d"));
        assertEquals(List.of(), browser.requestsTo(READER));
    }

    @Test
    void theCardsShowTheChangeAgainstThePreviousPeriod() throws IOException
    {
        openSignedOut(base() + "/shop.example");
        browser.js("sessionStorage.setItem('tally.token', arguments[0])", ADMIN);
        browser.open(base() + "/shop.example?period=7d");
        awaitState("ready");
        final Map<String, Object> kpis = engine.stats(SITE, "kpis?period=7d&compare=previous");
        final Map<?, ?> previous = (Map<?, ?>)kpis.get("previous");
        assertEquals(2L, ((Number)previous.get("visitors")).longValue(), "the two visitors of ten days ago: " + previous);
        final double expected = (((Number)kpis.get("visitors")).doubleValue() - 2) / 2;
        assertEquals(String.valueOf(expected).replaceAll("\\.0$", ""), browser.js(
            "return document.querySelector('#kpis [data-kpi=visitors]').dataset.delta"));
        assertTrue(browser.driver().findElement(By.cssSelector("#kpis [data-kpi=visitors] .kpi-delta")).isDisplayed());

        browser.driver().findElement(By.id("compare")).click();
        Poll.until("the comparison is off in the address", () -> browser.driver().getCurrentUrl().endsWith("&compare=off"));
        awaitState("ready");
        assertTrue(browser.driver().findElements(By.cssSelector("#kpis .kpi-delta")).isEmpty());
    }

    @Test
    void theKeyboardReachesThePanelsWithAVisibleFocus()
    {
        openSignedOut(base() + "/shop.example");
        browser.js("sessionStorage.setItem('tally.token', arguments[0])", ADMIN);
        browser.open(base() + "/shop.example");
        awaitState("ready");
        new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
        assertEquals("Skip to the figures", browser.js("return document.activeElement.textContent"));
        assertEquals("solid 3px", browser.js("const s = getComputedStyle(document.activeElement); " +
            "return s.outlineStyle + ' ' + s.outlineWidth"), "the focus is drawn");
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        for (int i = 0; i < 40 && !"Buy".equals(browser.js("return document.activeElement.textContent")); i++)
        {
            new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
        }
        assertEquals("Buy", browser.js("return document.activeElement.textContent"), "the goals are reached by Tab");
        new Actions(browser.driver()).sendKeys(Keys.ENTER).perform();
        Poll.until("the sources of Buy are shown", () -> !panel("sources").isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static List<String> statsRequests()
    {
        return (List<String>)browser.js("return performance.getEntriesByType('resource').map(e => e.name)" +
            ".filter(n => n.includes('/api/v1/stats/'))");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aClickedPageBecomesAFilterChipKeptInTheAddressAndSentWithEveryReport() throws IOException
    {
        page.openSignedIn("/shop.example?period=30d", ADMIN);
        browser.js("performance.clearResourceTimings()");
        browser.driver().findElement(By.cssSelector("table[data-panel=top-pages] tr[data-row='/pricing'] button")).click();
        Poll.until("the filter is in the address", () -> browser.driver().getCurrentUrl().contains("filters=event%3Apage%3D%3D%2Fpricing"));
        awaitState("ready");
        assertEquals(List.of("Page is /pricing"), browser.js("return [...document.querySelectorAll('#filters .chip span')].map(s => s.textContent)"));

        // every report is asked with the filter, but the sessions (which take none) and the realtime strip
        final List<String> asked = statsRequests();
        assertFalse(asked.isEmpty());
        for (final String url : asked)
        {
            final boolean takesFilters = !url.contains("/sessions?") && !url.contains("/realtime");
            assertEquals(takesFilters, url.contains("filters=event%3Apage%3D%3D%2Fpricing"), url);
        }

        // the page shows what the API answers for the same filter: the figures, or why it cannot filter
        final RawHttp.Answer filtered = engine.call("GET", "/api/v1/stats/shop.example/kpis?period=30d&compare=previous" +
            "&filters=event%3Apage%3D%3D%2Fpricing", null, ADMIN);
        if (filtered.status() == 200)
        {
            assertKpisAsTheApi(Json.parseObject(filtered.body()));
        }
        else
        {
            final String detail = (String)Json.parseObject(filtered.body()).get("detail");
            assertEquals("These filters cannot be applied: " + detail, browser.driver().findElement(By.id("filter-error")).getText());
            assertEquals(Map.of(), cards());
            assertFalse(browser.driver().findElements(By.cssSelector("#panel-goals .filter-refused")).isEmpty(),
                "each panel says why it shows nothing");
        }
        screenshot("filtered-desktop", 1280);
        screenshot("filtered-phone", 375);
        assertTrue(page.fitsTheWidth(), "nothing is wider than the phone");
        browser.driver().manage().window().setSize(new Dimension(1200, 800));

        // a bookmarked view opens with its chips; removing the last one shows the whole site again
        page.openSignedIn("/shop.example?period=30d&filters=event%3Apage%3D%3D%2Fpricing", ADMIN);
        assertEquals(List.of("event:page==/pricing"), browser.js("return [...document.querySelectorAll('#filters .chip')].map(c => c.dataset.filter)"));
        browser.driver().findElement(By.cssSelector("#filters .chip button")).click();
        Poll.until("the filter is gone from the address", () -> !browser.driver().getCurrentUrl().contains("filters="));
        awaitState("ready");
        assertFalse(browser.driver().findElement(By.id("filter-bar")).isDisplayed());
        assertKpisAsTheApi(engine.stats(SITE, "kpis?period=30d"));
        assertEquals("period", browser.js("return document.activeElement.id"), "the focus is kept on the page");
    }

    @Test
    void aNarrowerRangeShowsThatRangesFigures() throws IOException
    {
        openSignedOut(base() + "/shop.example");
        browser.js("sessionStorage.setItem('tally.token', arguments[0])", ADMIN);
        browser.open(base() + "/shop.example?period=today");
        awaitState("ready");
        assertKpisAsTheApi(engine.stats(SITE, "kpis?period=today"));
        assertEquals("today", browser.js("return document.getElementById('period').value"));
        browser.js("const p = document.getElementById('period'); p.value = '12mo'; p.dispatchEvent(new Event('change'))");
        Poll.until("the range is in the address", () -> browser.driver().getCurrentUrl().endsWith("?period=12mo"));
        awaitState("ready");
        assertKpisAsTheApi(engine.stats(SITE, "kpis?period=12mo"));
    }

    @Test
    void aShareLinkOpensTheSiteSignedOutUntilItIsRevoked() throws IOException
    {
        final Map<String, Object> share = Json.parseObject(admin("POST", "/api/v1/sites/shop.example/shares", null, 201).body());
        openSignedOut(base() + share.get("url"));
        awaitState("ready");
        assertEquals(SITE, browser.driver().findElement(By.id("site-title")).getText());
        assertTrue(browser.driver().findElement(By.id("shared-note")).isDisplayed());
        assertFalse(browser.driver().findElement(By.id("sign-in")).isDisplayed());
        assertFalse(browser.driver().findElement(By.id("shares")).isDisplayed(), "a shared view manages no links");
        assertKpisAsTheApi(engine.stats(SITE, "kpis?period=30d"));
        assertFalse(panel("goals").isEmpty());
        assertNull(browser.js("return sessionStorage.getItem('tally.token') || localStorage.getItem('tally.token')"));

        admin("DELETE", "/api/v1/sites/shop.example/shares/" + share.get("id"), null, 204);
        openSignedOut(base() + share.get("url"));
        awaitState("error");
        assertTrue(browser.driver().findElement(By.id("load-error")).getText().contains("revoked"));
        assertEquals(Map.of(), cards());
        assertTrue(panel("goals").isEmpty());
    }

    @Test
    void theAdminMakesAndRevokesShareLinksFromThePage() throws IOException
    {
        openSignedOut(base() + "/shop.example");
        browser.js("sessionStorage.setItem('tally.token', arguments[0])", ADMIN);
        browser.open(base() + "/shop.example");
        awaitState("ready");
        final List<String> before = shareIds();
        Poll.until("the links are listed", () -> shownShares().equals(before));

        browser.driver().findElement(By.id("share-create")).click();
        Poll.until("the new link is listed", () -> shownShares().size() == before.size() + 1);
        final List<String> after = shareIds();
        assertEquals(after, shownShares());
        final String made = after.stream().filter(id -> !before.contains(id)).findFirst().orElseThrow();
        assertEquals(base() + "/share/" + made, browser.js(
            "return document.querySelector('#share-list [data-share=\"' + arguments[0] + '\"] input').value", made));

        browser.driver().findElement(By.cssSelector("#share-list [data-share=\"" + made + "\"] button.revoke")).click();
        Poll.until("the revoked link is gone", () -> shownShares().equals(before));
        assertEquals(before, shareIds());
    }

    private static List<String> shareIds() throws IOException
    {
        final List<?> shares = (List<?>)Json.parseObject(engine.call("GET", "/api/v1/sites/shop.example/shares", null, ADMIN).body())
            .get("shares");
        return shares.stream().map(s -> (String)((Map<?, ?>)s).get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownShares()
    {
        return (List<String>)browser.js("return [...document.querySelectorAll('#share-list [data-share]')].map(e => e.dataset.share)");
    }
}
