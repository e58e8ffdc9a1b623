package io.tally.ops;

import io.tally.testing.TestEngine;
import io.tally.tracker.Browser;
import io.tally.tracker.PageServer;
import io.tally.tracker.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The "done when": a page with the snippet, opened in Chromium against a real {@code tally serve} process
 * (the launcher's classpath carries the tracker), produces the expected journal records.
 */
class TrackerServeBrowserTest
{
    @TempDir
    Path dataDir;

    private Map<String, Object> await(final String what, final String type, final String name)
    {
        Poll.until(what + " in the journal", () -> TestEngine.dump(dataDir).stream()
            .anyMatch(r -> type.equals(r.get("type")) && name.equals(r.get("name"))));
        final List<Map<String, Object>> found = TestEngine.dump(dataDir).stream()
            .filter(r -> type.equals(r.get("type")) && name.equals(r.get("name"))).toList();
        assertEquals(1, found.size(), what + ": " + found);
        return found.get(0);
    }

    @Test
    void aPageWithTheSnippetAgainstTallyServe() throws Exception
    {
        try (EngineProcess engine = EngineProcess.start(dataDir, "--site", "shop.example", "--ingest-rate-limit", "0");
            PageServer pages = new PageServer();
            Browser browser = new Browser())
        {
            final String page = pages.page("/welcome", PageServer.html(PageServer.snippet(engine.port(), ""),
                "<a id=out href='" + pages.otherOrigin() + "/partner'>Partner</a>"));
            browser.open(page);
            assertEquals("/welcome", await("the pageview", "pageview", "pageview").get("path"));
            browser.js("tally.track('Purchase', {plan: 'pro'}, {amount: 49.5, currency: 'EUR'})");
            final Map<String, Object> purchase = await("the purchase", "custom", "Purchase");
            assertEquals(Map.of("plan", "pro"), purchase.get("props"));
            assertEquals(Map.of("amount", "49.5", "currency", "EUR"), purchase.get("revenue"));
            browser.driver().findElement(By.id("out")).click();
            assertEquals(pages.otherOrigin() + "/partner", await("the outbound click", "click", "outbound_click").get("target"));
            assertEquals(List.of(), List.copyOf(browser.pageErrors()));
        }
    }
}
