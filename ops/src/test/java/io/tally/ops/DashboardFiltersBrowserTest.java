package io.tally.ops;

import io.tally.codec.json.Json;
import io.tally.dashboard.DashboardPage;
import io.tally.testing.RawHttp;
import io.tally.tracker.Browser;
import io.tally.tracker.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's filters in Chromium against the engine with the event store on, as {@code tally serve
 * --event-store true} composes them: a clicked page becomes a chip, and every panel then shows the filtered figures
 * the stats API answers for the same filter, fewer than the whole site's. Screenshots go to {@code target/screenshots}.
 */
class DashboardFiltersBrowserTest
{
    private static final String SITE = "shop.example";
    private static final String FILTER = "&filters=event%3Apage%3D%3D%2Fpricing";

    @TempDir
    static Path dataDir;
    private static final String AGENT =
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    private static StoreDashboard dashboard;
    private static StoreServedEngine served;
    private static Browser browser;
    private static DashboardPage page;
    private static String admin;

    @BeforeAll
    static void start() throws Exception
    {
        dashboard = new StoreDashboard(dataDir);
        served = dashboard.served();
        admin = served.admin();
        assertEquals(201, served.engine().call("POST", "/api/v1/sites/shop.example/goals", "{\"name\":\"Buy\",\"type\":\"custom\"," +
            "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}]}", admin).status());
        try (RawHttp http = new RawHttp(served.engine().port()))
        {
            served.send(http, 1, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/\",\"r\":\"https://news.example/story\"}");
            served.send(http, 1, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
            served.send(http, 1, AGENT, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/pricing\"}");
            served.send(http, 2, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/landing\"}");
            served.send(http, 2, AGENT, "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/buy\"}");
            served.send(http, 3, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/\"}");
            served.send(http, 3, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
        }
        dashboard.open();
        browser = dashboard.browser();
        page = dashboard.page();
    }

    @AfterAll
    static void stop()
    {
        dashboard.close();
    }

    private static Map<String, Object> stats(final String report) throws IOException
    {
        final RawHttp.Answer answer = served.engine().call("GET", "/api/v1/stats/shop.example/" + report, null, admin);
        assertEquals(200, answer.status(), answer.body());
        return Json.parseObject(answer.body());
    }

    /** A panel's rows as the page shows them, against the report's rows: label to the figure in {@code column}. */
    private static void assertPanel(final String panel, final String report, final String rowsKey, final String label,
        final String column) throws IOException
    {
        final Map<String, String> expected = new LinkedHashMap<>();
        for (final Object row : (List<?>)stats(report).get(rowsKey))
        {
            expected.put(String.valueOf(((Map<?, ?>)row).get(label)), String.valueOf(((Map<?, ?>)row).get(column)));
        }
        final Map<String, String> shown = new LinkedHashMap<>();
        page.table(panel).forEach((row, cells) -> shown.put(row, cells.get(column)));
        assertEquals(expected, shown, panel);
    }

    private static void assertSameNumber(final Object expected, final String shown, final String what)
    {
        assertEquals(0, new BigDecimal(String.valueOf(expected)).compareTo(new BigDecimal(shown)), what + ": " + expected + " vs " + shown);
    }

    @Test
    void aClickedPageFiltersEveryPanelToTheFiguresTheApiAnswers() throws IOException
    {
        page.openSignedIn("/shop.example?period=7d", admin);
        final Map<String, String> whole = page.cards();
        browser.driver().findElement(By.cssSelector("table[data-panel=top-pages] tr[data-row='/pricing'] button")).click();
        Poll.until("the filter is in the address", () -> browser.driver().getCurrentUrl().contains(FILTER));
        page.awaitState("ready");
        assertFalse(browser.driver().findElement(By.id("filter-error")).isDisplayed(), "the engine filters");

        final Map<String, Object> kpis = stats("kpis?period=7d&compare=previous" + FILTER);
        final Map<String, String> cards = page.cards();
        for (final String key : List.of("visitors", "pageviews", "events", "conversions"))
        {
            assertSameNumber(kpis.get(key), cards.get(key), key);
        }
        assertEquals("2", cards.get("visitors"), "A and C saw /pricing: " + cards);
        assertTrue(Long.parseLong(whole.get("visitors")) > Long.parseLong(cards.get("visitors")), "narrower than " + whole);

        assertPanel("top-pages", "pages?period=7d" + FILTER, "pages", "page", "pageviews");
        assertEquals(List.of("/pricing"), List.copyOf(page.table("top-pages").keySet()));
        assertPanel("goals", "goals?period=7d" + FILTER, "goals", "name", "conversions");
        assertEquals("1", page.table("goals").get("Buy").get("conversions"), "A's purchase on /pricing, not B's on /buy");
        assertPanel("events", "events?period=7d" + FILTER, "events", "name", "events");

        page.screenshot("filtered-store-desktop", 1280);
        page.screenshot("filtered-store-phone", 375);
        assertTrue(page.fitsTheWidth(), "nothing is wider than the phone");
        browser.driver().manage().window().setSize(new Dimension(1200, 800));
    }
}
