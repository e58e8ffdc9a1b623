package io.tally.tracker;

import io.tally.codec.json.Json;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Debian's Chromium, headless, driven by its chromedriver through Selenium: one per test class. Missing binaries
 * fail the test (CI installs them; see {@code .ci/run}): a browser test never skips silently.
 */
public final class Browser implements AutoCloseable
{
    static final String CHROMIUM = System.getProperty("tally.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("tally.chromedriver", "/usr/bin/chromedriver");

    /** What a person's desktop Chromium on Linux sends. */
    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) " +
        "Chrome/131.0.0.0 Safari/537.36";

    private final ChromeDriver driver;

    public Browser()
    {
        for (final String binary : List.of(CHROMIUM, CHROMEDRIVER))
        {
            if (!Files.isExecutable(Path.of(binary)))
            {
                throw new IllegalStateException(binary + " is missing: apt-get install -y chromium chromium-driver " +
                    "(as .ci/run does)");
            }
        }
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // the performance log carries the DevTools network events: which requests the page really made
        options.setCapability("goog:loggingPrefs", Map.of("performance", "ALL"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1200,800", "--no-first-run", "--disable-extensions", "--disable-background-networking",
            // headless Chromium says HeadlessChrome, which the engine keeps out as automation: these tests play a person
            "--user-agent=" + USER_AGENT);
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    public ChromeDriver driver()
    {
        return driver;
    }

    /** Opens {@code url} and waits for its load event (deferred scripts have run by then). */
    public void open(final String url)
    {
        driver.get(url);
    }

    public Object js(final String script, final Object... args)
    {
        return ((JavascriptExecutor)driver).executeScript(script, args);
    }

    /** Runs {@code script} (which must call {@code done()}) and returns what it passed. */
    public Object asyncJs(final String script, final Object... args)
    {
        return ((JavascriptExecutor)driver).executeAsyncScript("const done = arguments[arguments.length - 1];" + script, args);
    }

    /** Forgets the origin's storage (fire-once memory, retry queue, opt-out) by opening {@code origin} first. */
    public void clearStorage(final String anyPageOfOrigin)
    {
        open(anyPageOfOrigin);
        js("localStorage.clear()");
    }

    /** Waits until the page has fetched its triggers and the tracker has had a moment to install them. */
    public void awaitTriggers()
    {
        Poll.until("the triggers were fetched", () -> Boolean.TRUE.equals(js(
            "return performance.getEntriesByType('resource').some(e => e.name.endsWith('/triggers'))")));
        asyncJs("setTimeout(() => requestAnimationFrame(() => setTimeout(done, 50)), 0)");
    }

    /** Errors the page saw: its own {@code window.__errors} list, filled by error and unhandledrejection listeners. */
    @SuppressWarnings("unchecked")
    public List<Object> pageErrors()
    {
        return (List<Object>)js("return window.__errors || []");
    }

    /**
     * The requests sent since the last call whose URL contains {@code part}, as "METHOD content-type" lines, with
     * " with cookies" added when the network layer attached a cookie.
     */
    public List<String> requestsTo(final String part)
    {
        final Map<Object, String> byId = new LinkedHashMap<>();
        final Set<Object> withCookies = new HashSet<>();
        for (final LogEntry entry : driver.manage().logs().get("performance"))
        {
            final Map<?, ?> message = (Map<?, ?>)Json.parseObject(entry.getMessage()).get("message");
            final Map<?, ?> params = (Map<?, ?>)message.get("params");
            if ("Network.requestWillBeSent".equals(message.get("method")))
            {
                final Map<?, ?> request = (Map<?, ?>)params.get("request");
                if (String.valueOf(request.get("url")).contains(part))
                {
                    byId.put(params.get("requestId"), request.get("method") + " " + ((Map<?, ?>)request.get("headers")).get("Content-Type"));
                }
            }
            else if ("Network.requestWillBeSentExtraInfo".equals(message.get("method")) &&
                ((Map<?, ?>)params.get("headers")).keySet().stream().anyMatch(name -> "cookie".equalsIgnoreCase(String.valueOf(name))))
            {
                withCookies.add(params.get("requestId"));
            }
        }
        final List<String> requests = new ArrayList<>();
        byId.forEach((id, request) -> requests.add(withCookies.contains(id) ? request + " with cookies" : request));
        return requests;
    }

    @Override
    public void close()
    {
        driver.quit();
    }
}
