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
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's funnels and experiments views in Chromium against the engine with the event store on, as
 * {@code tally serve --event-store true} composes them: each figure the page shows is the one the stats API answers
 * for the same range; a funnel is made through the form (an error the API gives shown on its field first) and
 * deleted; a read token sees the same figures and no editing. Screenshots go to {@code target/screenshots}.
 */
class DashboardExplorationBrowserTest
{
    private static final String FUNNELS = "/api/v1/sites/shop.example/funnels";
    private static final String AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";

    @TempDir
    static Path dataDir;
    private static StoreDashboard dashboard;
    private static StoreServedEngine served;
    private static Browser browser;
    private static DashboardPage page;
    private static String admin;

    @BeforeAll
    static void start() throws Exception
    {
        FunnelsServeTest.awayFromMidnight();
        dashboard = new StoreDashboard(dataDir);
        served = dashboard.served();
        admin = served.admin();
        call("POST", "/api/v1/sites/shop.example/goals", "{\"name\":\"Buy\",\"type\":\"custom\"," +
            "\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Buy\"}]}", 201);
        call("POST", FUNNELS, "{\"name\":\"Checkout\",\"window\":\"30m\",\"steps\":[{\"type\":\"page\",\"value\":\"/pricing\"}," +
            "{\"type\":\"event\",\"value\":\"Signup\"},{\"type\":\"goal\",\"value\":\"Buy\",\"name\":\"Bought\"}]}", 201);
        // meant to split 90/10, seen split evenly: the sample ratio mismatch the page must warn of
        call("POST", "/api/v1/sites/shop.example/experiments", "{\"name\":\"Hero\",\"variant\":{\"property\":\"hero\"}," +
            "\"goal\":\"Buy\",\"control\":\"A\",\"weights\":{\"A\":90,\"B\":10}}", 201);
        try (RawHttp http = new RawHttp(served.engine().port()))
        {
            for (int visitor = 1; visitor <= 20; visitor++)
            {
                served.send(http, visitor, AGENT, "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\",\"mk\":[\"hero\"],\"mv\":[\"" +
                    (visitor % 2 == 0 ? "A" : "B") + "\"]}");
                if (visitor <= 14)
                {
                    served.send(http, visitor, AGENT, "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/signup\"}");
                }
                if (visitor <= 7)
                {
                    served.send(http, visitor, AGENT, "{\"t\":\"e\",\"n\":\"Buy\",\"u\":\"https://shop.example/buy\",\"ra\":12.5,\"rc\":\"EUR\"}");
                }
            }
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

    private static RawHttp.Answer call(final String method, final String path, final String body, final int status)
        throws IOException
    {
        final RawHttp.Answer answer = served.engine().call(method, path, body, admin);
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    private static Map<String, Object> report(final String query) throws IOException
    {
        return Json.parseObject(call("GET", "/api/v1/stats/shop.example/" + query, null, 200).body());
    }

    private static WebElement find(final String css)
    {
        return browser.driver().findElement(By.cssSelector(css));
    }

    private static List<String> savedFunnels() throws IOException
    {
        return ((List<?>)Json.parseObject(call("GET", FUNNELS, null, 200).body()).get("funnels")).stream()
            .map(f -> (String)((Map<?, ?>)f).get("name")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownFunnels()
    {
        return (List<String>)browser.js("return [...document.querySelectorAll('#fn-list li')].map(li => li.dataset.name)");
    }

    /** Each row of the API's {@code rowsKey} against the page's table: every column the page shows, the same number. */
    private static void assertSameRows(final List<?> rows, final String rowKey, final Map<String, Map<String, String>> shown,
        final List<String> columns)
    {
        assertEquals(rows.size(), shown.size(), shown.toString());
        for (final Object each : rows)
        {
            final Map<?, ?> row = (Map<?, ?>)each;
            final Map<String, String> cells = shown.get(String.valueOf(row.get(rowKey)));
            assertTrue(cells != null, row.get(rowKey) + " is shown: " + shown);
            for (final String column : columns)
            {
                final Object expected = row.get(column);
                final String value = cells.get(column);
                if (expected == null || expected instanceof List || expected instanceof Map)
                {
                    assertEquals(expected == null ? "" : Json.write(expected), value, row.get(rowKey) + "." + column);
                }
                else
                {
                    assertEquals(0, new BigDecimal(String.valueOf(expected)).compareTo(new BigDecimal(value)),
                        row.get(rowKey) + "." + column + ": " + expected + " vs " + value);
                }
            }
        }
    }

    @Test
    void theFunnelViewShowsTheFiguresTheApiAnswers() throws IOException
    {
        page.openSignedIn("/shop.example?view=funnels&funnel=Checkout&period=7d", admin);
        final Map<String, Object> funnel = report("funnel?name=Checkout&period=7d");
        final List<?> steps = (List<?>)funnel.get("steps");
        assertTrue(((BigDecimal)((Map<?, ?>)steps.get(0)).get("visitors")).longValue() > 0, funnel.toString());
        assertSameRows(steps, "name", page.table("funnel-steps"), List.of("visitors", "dropoff", "conversion_rate",
            "conversion_rate_from_previous", "median_seconds_from_previous", "revenue"));
        assertEquals(List.of(Map.of("currency", "EUR", "amount", "87.5")), ((Map<?, ?>)steps.get(2)).get("revenue"),
            "seven purchases of 12.50");
        assertEquals("Checkout", find("#fn-report-title").getText());
        assertEquals("true", find("#fn-list li[data-name=Checkout] button.link").getAttribute("aria-pressed"));
        assertFalse(find("#fn-store-off").isDisplayed());

        page.screenshot("funnels-desktop", 1280);
        page.screenshot("funnels-phone", 375);
        assertTrue(page.fitsTheWidth(), "nothing is wider than the phone");
        browser.driver().manage().window().setSize(new Dimension(1200, 800));
    }

    @Test
    void theExperimentViewShowsTheFiguresTheApiAnswersAndWarnsOfTheSampleRatio() throws IOException
    {
        page.openSignedIn("/shop.example?view=experiments&experiment=Hero&period=7d", admin);
        final Map<String, Object> experiment = report("experiment?name=Hero&period=7d");
        final List<?> variants = (List<?>)experiment.get("variants");
        assertEquals(2, variants.size(), experiment.toString());
        assertSameRows(variants, "variant", page.table("experiment-variants"), List.of("visitors", "conversions",
            "conversion_rate", "conversion_rate_low", "conversion_rate_high", "lift", "p_value"));
        assertEquals(true, ((Map<?, ?>)experiment.get("sample_ratio")).get("mismatch"), experiment.toString());
        assertTrue(find("#ex-srm").isDisplayed(), "the mismatch is in sight");
        assertTrue(find("#ex-srm").getText().startsWith("Sample ratio mismatch"), find("#ex-srm").getText());
        assertEquals("alert", find("#ex-srm").getAttribute("role"));

        page.screenshot("experiments-desktop", 1280);
        page.screenshot("experiments-phone", 375);
        assertTrue(page.fitsTheWidth(), "nothing is wider than the phone");

        // the system's dark theme, as the page reads it: the warning in the dark theme's red
        browser.driver().executeCdpCommand("Emulation.setEmulatedMedia",
            Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try
        {
            browser.open(browser.driver().getCurrentUrl());
            page.awaitState("ready");
            assertEquals("rgb(255, 138, 128)", browser.js("return getComputedStyle(document.getElementById('ex-srm')).color"));
            page.screenshot("experiments-desktop-dark", 1280);
        }
        finally
        {
            browser.driver().executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
            browser.driver().manage().window().setSize(new Dimension(1200, 800));
        }
    }

    @Test
    void aFunnelIsMadeThroughTheFormAfterAnErrorOnItsFieldThenDeleted() throws IOException
    {
        page.openSignedIn("/shop.example?view=funnels&period=7d", admin);
        find("#fn-new").click();
        find("#f-name").sendKeys("Signup flow");
        find("#f-steps li:nth-child(1) .s-value").sendKeys("pricing");
        find("#f-steps li:nth-child(2) .s-value").sendKeys("Signup");
        find("#f-save").click();
        Poll.until("the error is beside the first step's value", () -> !browser.driver().findElements(
            By.cssSelector(".field-error[data-error-for='steps[0].value']")).isEmpty());
        assertEquals("true", find("#f-steps li:nth-child(1) .s-value").getAttribute("aria-invalid"));
        assertEquals("steps[0].value", browser.js("return document.activeElement.dataset.field"), "the field in error has the focus");
        assertTrue(find(".field-error[data-error-for='steps[0].value']").getText().contains("starts with /"),
            find(".field-error[data-error-for='steps[0].value']").getText());
        assertEquals(List.of("Checkout"), savedFunnels(), "nothing saved");
        page.screenshot("funnel-form-phone", 375);
        assertTrue(page.fitsTheWidth(), "the form fits the phone");
        browser.driver().manage().window().setSize(new Dimension(1200, 800));

        final WebElement value = find("#f-steps li:nth-child(1) .s-value");
        value.clear();
        value.sendKeys("/pricing");
        find("#f-save").click();
        Poll.until("the new funnel is listed", () -> shownFunnels().contains("Signup flow"));
        assertEquals(List.of("Checkout", "Signup flow"), savedFunnels());
        Poll.until("its report is shown", () -> "Signup flow".equals(find("#fn-report-title").getText()));
        page.awaitState("ready");
        assertTrue(browser.driver().getCurrentUrl().contains("funnel=Signup+flow"), browser.driver().getCurrentUrl());
        final Map<String, Object> made = report("funnel?name=Signup%20flow&period=7d");
        assertSameRows((List<?>)made.get("steps"), "name", page.table("funnel-steps"), List.of("visitors", "dropoff", "conversion_rate"));

        // deleted on the second press
        find("#fn-list li[data-name='Signup flow'] .delete").click();
        assertEquals(List.of("Checkout", "Signup flow"), savedFunnels(), "the first press asks");
        find("#fn-list li[data-name='Signup flow'] .delete").click();
        Poll.until("the funnel is gone from the list", () -> shownFunnels().equals(List.of("Checkout")));
        assertEquals(List.of("Checkout"), savedFunnels());
    }

    @Test
    void aReadTokenSeesTheSameFiguresAndCannotEdit() throws IOException
    {
        page.openSignedIn("/shop.example?view=funnels&funnel=Checkout&period=7d", StoreServedEngine.READ_TOKEN);
        assertSameRows((List<?>)report("funnel?name=Checkout&period=7d").get("steps"), "name", page.table("funnel-steps"),
            List.of("visitors", "conversion_rate"));
        assertFalse(find("#fn-new").isDisplayed(), "no new funnel for a read token");
        assertTrue(browser.driver().findElements(By.cssSelector("#fn-list .delete")).isEmpty(), "no delete for a read token");
        assertFalse(find("#views a[data-view=goals]").isDisplayed(), "the goal editor stays the admin's");
    }
}
