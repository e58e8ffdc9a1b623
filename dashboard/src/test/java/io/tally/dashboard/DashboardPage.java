package io.tally.dashboard;

import io.tally.tracker.Browser;
import io.tally.tracker.Poll;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The dashboard as the browser tests drive it: open a page signed in or out, wait for its state, take screenshots. */
public final class DashboardPage
{
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Browser browser;
    private final String base;

    public DashboardPage(final Browser browser, final int port)
    {
        this.browser = browser;
        this.base = "http://127.0.0.1:" + port;
    }

    public String base()
    {
        return base;
    }

    /** Opens {@code path} in a tab that remembers no token. */
    public void openSignedOut(final String path)
    {
        browser.open(base + "/dashboard/app.css");
        browser.js("sessionStorage.clear(); localStorage.clear()");
        browser.open(base + path);
    }

    /** Opens {@code path} signed in with {@code token} for this tab, and waits until it is ready. */
    public void openSignedIn(final String path, final String token)
    {
        openSignedOut(path);
        browser.js("sessionStorage.setItem('tally.token', arguments[0])", token);
        browser.open(base + path);
        awaitState("ready");
    }

    /** Waits for the page's state; a page that ends in its error state fails at once, with the error it shows. */
    public void awaitState(final String state)
    {
        Poll.until("the dashboard is " + state, () ->
        {
            final Object now = browser.js("return document.body.dataset.state");
            if ("error".equals(now) && !"error".equals(state))
            {
                throw new AssertionError("the dashboard shows an error: " + browser.js("return document.getElementById('load-error').textContent"));
            }
            return state.equals(now);
        });
    }

    /** The KPI cards as the page shows them: name to the raw figure behind the formatted text. */
    @SuppressWarnings("unchecked")
    public Map<String, String> cards()
    {
        return (Map<String, String>)browser.js("return Object.fromEntries([...document.querySelectorAll('#kpis [data-kpi]')]" +
            ".map(e => [e.dataset.kpi, e.dataset.value]))");
    }

    /** A table's rows as the page shows them: the row's key, then each column's raw figure. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, String>> table(final String id)
    {
        return (Map<String, Map<String, String>>)browser.js("return Object.fromEntries([...document.querySelectorAll(" +
            "'table[data-panel=\"' + arguments[0] + '\"] tbody tr')].map(r => [r.dataset.row, Object.fromEntries(" +
            "[...r.querySelectorAll('[data-col]')].map(c => [c.dataset.col, c.dataset.value]))]))", id);
    }

    /** Writes {@code target/screenshots/NAME.png} at {@code width} px, once the chart (when shown) fits it. */
    public void screenshot(final String name, final int width) throws IOException
    {
        browser.driver().manage().window().setSize(new Dimension(width, 2200));
        if (browser.driver().findElement(By.id("chart")).isDisplayed())
        {
            // the chart (when the figures have one) follows the window's width on resize; wait until it has
            Poll.until("the chart fits " + width + " px", () -> Boolean.TRUE.equals(browser.js(
                "const c = document.querySelector('#chart .uplot'); return !c || c.offsetWidth <= document.documentElement.clientWidth")));
        }
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.driver().getScreenshotAs(OutputType.BYTES));
    }

    /** Whether nothing on the page is wider than the window (the 375 px phone). */
    public boolean fitsTheWidth()
    {
        return (Long)browser.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0;
    }
}
