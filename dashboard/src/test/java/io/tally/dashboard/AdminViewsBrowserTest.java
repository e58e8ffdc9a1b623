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
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin's views in Chromium against a real engine: the goal editor (a goal made, an error the API gives shown
 * on its field, tried on the site's events, reordered by dragging and from the keyboard with the order kept by the
 * API, edited, deleted) and the operator view (the engine's figures as the API reads them, the limiter changed
 * live). Screenshots at desktop and phone width go to {@code target/screenshots}.
 */
class AdminViewsBrowserTest
{
    private static final String ADMIN = "admin-views-token";
    private static final String SITE = "shop.example";
    private static final String GOALS = "/api/v1/sites/shop.example/goals";

    @TempDir
    static Path dataDir;
    private static TestEngine engine;
    private static Browser browser;
    private static DashboardPage page;

    @BeforeAll
    static void start() throws IOException
    {
        engine = TestEngine.start(dataDir, b -> b.adminToken(ADMIN).sites(List.of(new Site(SITE), new Site("blog.example"))));
        browser = new Browser();
        page = new DashboardPage(browser, engine.port());
        call("POST", GOALS, "{\"name\":\"Buy\",\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Purchase\"}]}", 201);
        call("POST", GOALS, "{\"name\":\"Pricing\",\"type\":\"pageview\",\"conditions\":[{\"field\":\"path\",\"op\":\"starts_with\",\"value\":\"/pricing\"}]}", 201);
        send("A", "{\"t\":\"p\",\"u\":\"https://shop.example/pricing\"}");
        send("A", "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}");
        send("B", "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://shop.example/join\"}");
        send("B", "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://shop.example/buy\"}");
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

    private static void send(final String userAgent, final String beacon) throws IOException
    {
        try (RawHttp http = new RawHttp(engine.port()))
        {
            assertEquals(202, http.exchange(RawHttp.post("/api/event", "application/json", beacon, "User-Agent: " + userAgent)).status());
        }
    }

    private static RawHttp.Answer call(final String method, final String path, final String body, final int status) throws IOException
    {
        final RawHttp.Answer answer = engine.call(method, path, body, ADMIN);
        assertEquals(status, answer.status(), answer.body());
        return answer;
    }

    private static List<String> savedOrder()
    {
        try
        {
            return ((List<?>)Json.parseObject(call("GET", GOALS, null, 200).body()).get("goals")).stream()
                .map(g -> (String)((Map<?, ?>)g).get("name")).toList();
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> shownOrder()
    {
        return (List<String>)browser.js("return [...document.querySelectorAll('#goal-list li')].map(li => li.dataset.goal)");
    }

    private static WebElement find(final String css)
    {
        return browser.driver().findElement(By.cssSelector(css));
    }

    private static void type(final String id, final String text)
    {
        final WebElement input = browser.driver().findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    /** Picks an option as a person does: the value, then the change event. */
    private static void choose(final WebElement select, final String value)
    {
        browser.js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", select, value);
        assertEquals(value, select.getAttribute("value"));
    }

    /** Drags one goal's row onto another's with the events a browser's drag and drop fires. */
    private static void drag(final String from, final String onto)
    {
        browser.js("const row = (n) => document.querySelector('#goal-list li[data-goal=\"' + n + '\"]');" +
            "const source = row(arguments[0]), target = row(arguments[1]), data = new DataTransfer();" +
            "source.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));" +
            "target.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));" +
            "target.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));" +
            "source.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: data}));", from, onto);
    }

    @Test
    void theGoalEditorMakesTestsReordersEditsAndDeletesGoalsThroughTheApi() throws IOException
    {
        page.openSignedIn("/shop.example?view=goals", ADMIN);
        Poll.until("the goals are listed", () -> shownOrder().equals(savedOrder()));
        assertEquals(List.of("Buy", "Pricing"), shownOrder());

        // a new macro goal with an amount the API refuses: the error is shown on the amount, and nothing is saved
        find("#goal-new").click();
        type("g-name", "Signup");
        choose(browser.driver().findElement(By.id("g-kind")), "macro");
        type("g-amount", "lots");
        type("g-currency", "EUR");
        choose(browser.driver().findElement(By.id("g-type")), "custom");
        choose(find("#g-conditions .c-field"), "event");
        find("#g-conditions .c-value").sendKeys("Signup");
        find("#g-save").click();
        Poll.until("the error is beside the amount", () -> !browser.driver().findElements(
            By.cssSelector(".field-error[data-error-for='value.amount']")).isEmpty());
        assertEquals("true", browser.driver().findElement(By.id("g-amount")).getAttribute("aria-invalid"));
        assertEquals("g-amount", browser.js("return document.activeElement.id"), "the field in error has the focus");
        final String shownError = find(".field-error[data-error-for='value.amount']").getText();
        assertTrue(shownError.startsWith("must be a decimal"), shownError);
        assertEquals(List.of("Buy", "Pricing"), savedOrder(), "nothing saved");

        // tried before saving: the page shows what the API's trial counts for the same goal
        type("g-amount", "5.00");
        find("#g-test").click();
        Poll.until("the test result is shown", () -> !browser.driver().findElements(By.cssSelector("#g-test-result [data-events]")).isEmpty());
        final Map<String, Object> trial = Json.parseObject(call("POST", GOALS + "/test", "{\"name\":\"Signup\",\"kind\":\"macro\"," +
            "\"value\":{\"amount\":\"5.00\",\"currency\":\"EUR\"},\"type\":\"custom\",\"conditions\":[{\"field\":\"event\",\"op\":\"equals\",\"value\":\"Signup\"}]}",
            200).body());
        assertEquals(2L, ((Number)trial.get("events")).longValue(), trial.toString());
        assertEquals(String.valueOf(trial.get("events")), find("#g-test-result [data-events]").getAttribute("data-events"));
        assertEquals(String.valueOf(trial.get("sessions")), find("#g-test-result [data-events]").getAttribute("data-sessions"));
        assertEquals(List.of("Buy", "Pricing"), savedOrder(), "a test saves nothing");

        find("#g-save").click();
        Poll.until("the new goal is listed", () -> shownOrder().size() == 3);
        assertEquals(List.of("Buy", "Pricing", "Signup"), savedOrder());
        final Map<?, ?> saved = Json.parseObject(call("GET", GOALS + "/Signup", null, 200).body());
        assertEquals(Map.of("amount", "5.00", "currency", "EUR"), saved.get("value"));
        page.screenshot("goals-desktop", 1280);

        // dragged to the top: the API keeps the new order
        drag("Signup", "Buy");
        Poll.until("the order is saved", () -> savedOrder().equals(List.of("Signup", "Buy", "Pricing")));
        Poll.until("the list shows it", () -> shownOrder().equals(List.of("Signup", "Buy", "Pricing")));

        // from the keyboard: Pricing's "up" button, pressed with Enter, keeps the focus on the moved goal
        find("#goal-list li[data-goal=Pricing] .up").sendKeys(Keys.ENTER);
        Poll.until("the order is saved", () -> savedOrder().equals(List.of("Signup", "Pricing", "Buy")));
        Poll.until("the focus follows the goal", () -> "Move Pricing up".equals(browser.js("return document.activeElement.getAttribute('aria-label')")));
        assertTrue(find("#goal-status").getText().contains("Pricing is now priority 2 of 3"), find("#goal-status").getText());

        // the order is the API's: a fresh page shows it
        page.openSignedIn("/shop.example?view=goals", ADMIN);
        Poll.until("the saved order is shown", () -> shownOrder().equals(List.of("Signup", "Pricing", "Buy")));

        // edited: fires every time, tells a webhook
        find("#goal-list li[data-goal=Pricing] .edit").click();
        assertEquals("true", browser.driver().findElement(By.id("g-name")).getAttribute("readonly"), "a name never changes");
        choose(browser.driver().findElement(By.id("g-fire")), "always");
        find("#g-add-notify").click();
        find("#g-notify .n-target").sendKeys("https://hooks.example/tally");
        find("#g-save").click();
        Poll.until("the change is saved", () ->
        {
            try
            {
                return "always".equals(Json.parseObject(call("GET", GOALS + "/Pricing", null, 200).body()).get("fire"));
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
        });
        assertEquals(List.of(Map.of("channel", "webhook", "target", "https://hooks.example/tally")),
            Json.parseObject(call("GET", GOALS + "/Pricing", null, 200).body()).get("notify"));

        // the page draws its list again after the save: the rows found before that are gone
        Poll.until("the page has drawn the saved goal", () -> "Pricing saved.".equals(find("#goal-status").getText()));

        // deleted on the second press
        find("#goal-list li[data-goal=Signup] .delete").click();
        assertEquals(List.of("Signup", "Pricing", "Buy"), savedOrder(), "the first press asks");
        find("#goal-list li[data-goal=Signup] .delete").click();
        Poll.until("the goal is deleted", () -> savedOrder().equals(List.of("Pricing", "Buy")));
        Poll.until("and gone from the list", () -> shownOrder().equals(List.of("Pricing", "Buy")));

        find("#goal-new").click();
        page.screenshot("goals-phone", 375);
        assertTrue(page.fitsTheWidth(), "nothing is wider than the phone");
        browser.driver().manage().window().setSize(new Dimension(1200, 800));
    }

    @Test
    void aGoalWithAClientTriggerAndRecipientsIsMadeWithEveryFieldTheApiTakes() throws IOException
    {
        page.openSignedIn("/shop.example?view=goals", ADMIN);
        find("#goal-new").click();
        type("g-name", "Pricing seen");
        choose(browser.driver().findElement(By.id("g-kind")), "event");
        assertFalse(browser.driver().findElement(By.id("g-conversion")).isDisplayed(), "an event goal is never a conversion");
        choose(browser.driver().findElement(By.id("g-trigger-type")), "view");
        assertEquals("custom", browser.driver().findElement(By.id("g-type")).getAttribute("value"), "a trigger sends a custom event");
        browser.js("document.querySelector('#g-conditions .remove').click()");
        find("#g-save").click();
        Poll.until("the missing selector is shown on its field", () -> !browser.driver().findElements(
            By.cssSelector(".field-error[data-error-for='trigger.selector']")).isEmpty());
        assertEquals("g-trigger-selector", browser.js("return document.activeElement.id"));

        type("g-trigger-selector", "#pricing");
        browser.driver().findElement(By.id("g-trigger-every")).click();
        find("#g-add-notify").click();
        choose(find("#g-notify .n-channel"), "email");
        find("#g-notify .n-target").sendKeys("owner@shop.example");
        find("#g-save").click();
        Poll.until("the goal is listed", () -> shownOrder().contains("Pricing seen"));
        final Map<String, Object> saved = Json.parseObject(call("GET", GOALS + "/Pricing%20seen", null, 200).body());
        assertEquals("event", saved.get("kind"));
        assertEquals(false, saved.get("counts_as_conversion"));
        assertEquals("custom", saved.get("type"));
        assertEquals(Map.of("type", "view", "event", "Pricing seen", "selector", "#pricing", "every_time", true), saved.get("trigger"));
        assertEquals(List.of(Map.of("channel", "email", "target", "owner@shop.example")), saved.get("notify"));
        call("DELETE", GOALS + "/Pricing%20seen", null, 204);
    }

    @Test
    void theFunnelsAndExperimentsViewsSayPlainlyThatTheEventStoreIsOff() throws IOException
    {
        call("POST", "/api/v1/sites/shop.example/funnels", "{\"name\":\"Checkout\",\"steps\":[{\"type\":\"page\"," +
            "\"value\":\"/pricing\"},{\"type\":\"event\",\"value\":\"Signup\"}]}", 201);
        try
        {
            page.openSignedIn("/shop.example?view=funnels", ADMIN);
            assertTrue(find("#fn-store-off").isDisplayed(), "the store being off is said");
            assertTrue(find("#fn-store-off").getText().contains("--event-store true"), find("#fn-store-off").getText());
            assertFalse(find("#load-error").isDisplayed(), "not an error");
            assertFalse(find("#fn-report").isDisplayed(), "no figures to show");
            assertEquals("Checkout", find("#fn-list li").getAttribute("data-name"), "the definitions are listed still");
            assertTrue(find("#fn-new").isDisplayed(), "and the admin can still make one");

            page.openSignedIn("/shop.example?view=experiments", ADMIN);
            assertTrue(find("#ex-store-off").isDisplayed());
            assertTrue(find("#ex-store-off").getText().startsWith("Experiments are read from the event store"), find("#ex-store-off").getText());
            assertTrue(find("#ex-empty").isDisplayed(), "none made yet");
            assertFalse(find("#load-error").isDisplayed());
            assertEquals("page", find("#views a[data-view=experiments]").getAttribute("aria-current"));
        }
        finally
        {
            call("DELETE", "/api/v1/sites/shop.example/funnels/Checkout", null, 204);
        }
    }

    @Test
    void theOperatorViewShowsTheEnginesFiguresAndChangesTheLimiterLive() throws IOException
    {
        // an address limited first, so the view has one to show
        call("PUT", "/api/v1/limits", "{\"rate_per_second\": 0.001, \"burst\": 1}", 200);
        try (RawHttp http = new RawHttp(engine.port()))
        {
            http.exchange(RawHttp.post("/api/event", "application/json", "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "User-Agent: C"));
        }
        for (int i = 0; i < 2; i++)
        {
            try (RawHttp http = new RawHttp(engine.port()))
            {
                assertEquals(429, http.exchange(RawHttp.post("/api/event", "application/json",
                    "{\"t\":\"p\",\"u\":\"https://shop.example/\"}", "User-Agent: C")).status());
            }
        }
        page.openSignedIn("/shop.example?view=operator", ADMIN);
        final Map<String, Object> report = Json.parseObject(call("GET", "/api/v1/operator", null, 200).body());
        Poll.until("the appends are the engine's", () -> String.valueOf(report.get("journal_appends")).equals(
            browser.js("return document.querySelector('#op-kpis [data-kpi=journal_appends]').dataset.value")));
        final Map<?, ?> answers = (Map<?, ?>)((Map<?, ?>)report.get("health")).get("answers");
        final Map<String, Map<String, String>> shown = page.table("answers");
        answers.forEach((code, count) -> assertEquals(String.valueOf(count), shown.get((String)code).get("count"), (String)code));
        assertEquals(answers.size(), shown.size());
        assertTrue(Long.parseLong(shown.get("rate_limited").get("count")) >= 2, shown.toString());
        assertEquals("2", page.table("top-limited").get("127.0.0.1").get("limited"), page.table("top-limited").toString());
        assertEquals(String.valueOf(((Map<?, ?>)((List<?>)report.get("usage")).get(0)).get("events")),
            page.table("usage").get(SITE).get("events"));
        assertEquals("0.001", browser.driver().findElement(By.id("op-rate")).getAttribute("value"));

        // a value the API refuses is shown on its field and changes nothing
        type("op-burst", "1.5");
        find("#op-limits button[type=submit]").click();
        Poll.until("the refusal is shown", () -> find("#op-limits-result").getText().startsWith("Not applied"));
        assertEquals("true", browser.driver().findElement(By.id("op-burst")).getAttribute("aria-invalid"));
        assertEquals(1L, ((Number)Json.parseObject(call("GET", "/api/v1/limits", null, 200).body()).get("burst")).longValue());

        // changed live from the page
        type("op-rate", "50");
        type("op-burst", "100");
        find("#op-limits button[type=submit]").click();
        Poll.until("the limiter is changed", () -> find("#op-limits-result").getText().startsWith("Applied"));
        final Map<String, Object> limits = Json.parseObject(call("GET", "/api/v1/limits", null, 200).body());
        assertEquals(50L, ((Number)limits.get("rate_per_second")).longValue());
        assertEquals(100L, ((Number)limits.get("burst")).longValue());
        Poll.until("the next reading shows a rate", () -> !"".equals(
            browser.js("return document.querySelector('#op-kpis [data-kpi=ingest_rate]').dataset.value")));

        page.screenshot("operator-desktop", 1280);
        page.screenshot("operator-phone", 375);
        assertTrue(page.fitsTheWidth(), "nothing is wider than the phone");
        browser.driver().manage().window().setSize(new Dimension(1200, 800));
        assertFalse(browser.driver().findElement(By.id("view-overview")).isDisplayed());
    }
}
