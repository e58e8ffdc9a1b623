package io.tally.bench.dashboard;

import io.tally.bench.Flags;
import io.tally.tracker.Browser;
import io.tally.tracker.Poll;

import java.io.PrintStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code tally bench dashboard}: how fast a running engine's dashboard shows a site, in headless Chromium on this
 * machine, timed by the browser itself (Paint and Resource Timing): the first contentful paint, the moment the KPI
 * cards' figures arrive, the moment every panel is drawn (the page's {@code data-state} turning {@code ready}), and
 * each stats request the page made, from its start to its last byte. Each page load is fresh (a new document; the
 * browser's cache keeps the static files, as a returning user's would); the first load is a warm-up and not counted.
 */
public final class DashboardTiming
{
    private static final Set<String> FLAGS = Set.of("url", "site", "token", "period", "loads");

    /**
     * Marks when the page first turns ready, installed before any of its scripts run: polling from outside would
     * add the driver's round trips to the figure.
     */
    private static final String MARK_READY = "new MutationObserver((changes, observer) => {" +
        " if (document.body && document.body.dataset.state === 'ready') {" +
        "  performance.mark('tally-ready'); observer.disconnect(); } })" +
        ".observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state']});";

    /** What one load measured, in milliseconds from the navigation's start. */
    record Load(double firstContentfulPaint, double kpisIn, double ready, Map<String, Double> requests)
    {
    }

    private DashboardTiming()
    {
    }

    public static void printHelp(final PrintStream out)
    {
        out.println("tally bench dashboard --url http://127.0.0.1:PORT --site S [flags]   (a running engine, loopback)");
        out.println("  --token T        the admin token or the site's read token (TALLY_ADMIN_TOKEN)");
        out.println("  --period P       the range shown: today, 7d, 30d, month, 12mo (30d)");
        out.println("  --loads N        page loads measured after one warm-up (5)");
        out.println("History to measure over: tally bench dashboard-history --data-dir D [--events N] [--days N]");
    }

    public static int run(final List<String> args, final PrintStream out)
    {
        final Flags flags = new Flags(args, FLAGS);
        if (flags.wantsHelp())
        {
            printHelp(out);
            return 0;
        }
        final String url = flags.string("url", null);
        final String site = flags.string("site", null);
        final String token = flags.string("token", System.getenv("TALLY_ADMIN_TOKEN"));
        if (url == null || site == null || token == null)
        {
            throw new IllegalArgumentException("--url, --site and --token (or TALLY_ADMIN_TOKEN) are required");
        }
        if (!URI.create(url).getHost().startsWith("127."))
        {
            throw new IllegalArgumentException("--url must be on loopback (127.0.0.0/8): " + url);
        }
        final String page = url + "/" + site + "?period=" + flags.string("period", "30d");
        final int loads = (int)flags.number("loads", 5, 1, 100);
        final List<Load> measured = new ArrayList<>();
        try (Browser browser = new Browser())
        {
            browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", MARK_READY));
            browser.open(url + "/dashboard/app.css");
            browser.js("sessionStorage.setItem('tally.token', arguments[0])", token);
            for (int i = 0; i <= loads; i++)
            {
                final Load load = load(browser, page);
                if (i > 0)
                {
                    measured.add(load);
                }
            }
        }
        print(out, page, measured);
        return 0;
    }

    private static Load load(final Browser browser, final String page)
    {
        browser.open(page);
        Poll.until("the dashboard is ready", () ->
        {
            if ("error".equals(browser.js("return document.body.dataset.state")))
            {
                throw new IllegalStateException("the dashboard shows an error: " +
                    browser.js("return document.getElementById('load-error').textContent"));
            }
            return Boolean.TRUE.equals(browser.js("return performance.getEntriesByName('tally-ready').length > 0"));
        });
        final double paint = number(browser.js("const p = performance.getEntriesByName('first-contentful-paint');" +
            " return p.length ? p[0].startTime : -1"));
        final double ready = number(browser.js("return performance.getEntriesByName('tally-ready')[0].startTime"));
        @SuppressWarnings("unchecked")
        final List<List<Object>> entries = (List<List<Object>>)browser.js("return performance.getEntriesByType('resource')" +
            ".filter(e => e.name.includes('/api/')).map(e => [e.name, e.startTime, e.responseEnd])");
        final Map<String, Double> requests = new TreeMap<>();
        double kpisIn = -1;
        for (final List<Object> entry : entries)
        {
            final String name = report(String.valueOf(entry.get(0)));
            final double end = number(entry.get(2));
            requests.merge(name, end - number(entry.get(1)), Math::max);
            if (name.equals("kpis"))
            {
                kpisIn = Math.max(kpisIn, end);
            }
        }
        return new Load(paint, kpisIn, ready, requests);
    }

    /** The report a stats URL asks for: {@code .../stats/SITE/REPORT?...} gives REPORT; another API path, its path. */
    static String report(final String url)
    {
        final String path = URI.create(url).getPath();
        final int stats = path.indexOf("/stats/");
        if (stats < 0)
        {
            return path;
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static double number(final Object value)
    {
        return ((Number)value).doubleValue();
    }

    private static void print(final PrintStream out, final String page, final List<Load> loads)
    {
        out.printf(Locale.ROOT, "%s, %d loads after a warm-up (ms from the navigation's start; median, max)%n", page, loads.size());
        out.printf(Locale.ROOT, "  first contentful paint   %8.1f %8.1f%n", median(loads, Load::firstContentfulPaint),
            max(loads, Load::firstContentfulPaint));
        out.printf(Locale.ROOT, "  KPI figures in           %8.1f %8.1f%n", median(loads, Load::kpisIn), max(loads, Load::kpisIn));
        out.printf(Locale.ROOT, "  every panel drawn        %8.1f %8.1f%n", median(loads, Load::ready), max(loads, Load::ready));
        out.println("each request the page made, start to last byte (median, max):");
        final Set<String> names = new java.util.TreeSet<>();
        loads.forEach(load -> names.addAll(load.requests().keySet()));
        for (final String name : names)
        {
            out.printf(Locale.ROOT, "  %-24s %8.1f %8.1f%n", name, median(loads, l -> l.requests().getOrDefault(name, -1.0)),
                max(loads, l -> l.requests().getOrDefault(name, -1.0)));
        }
    }

    private static double median(final List<Load> loads, final java.util.function.ToDoubleFunction<Load> figure)
    {
        final double[] values = loads.stream().mapToDouble(figure).sorted().toArray();
        return values.length == 0 ? Double.NaN : values[values.length / 2];
    }

    private static double max(final List<Load> loads, final java.util.function.ToDoubleFunction<Load> figure)
    {
        return loads.stream().mapToDouble(figure).max().orElse(Double.NaN);
    }
}
