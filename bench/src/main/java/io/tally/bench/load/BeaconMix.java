package io.tally.bench.load;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The traffic a site sends, as BEACON.md bodies: mostly pageviews, custom events with 0 to 30 properties,
 * purchases with revenue, outbound clicks, form submits, downloads, engagement pings, and a few percent of
 * invalid bodies. A pool holds each kind in exact proportion, shuffled, so even a short run sees the mix.
 */
public final class BeaconMix
{
    /** Custom event names; the comparison harness's goals match some of them. */
    public static final String[] EVENT_NAMES = {
        "Signup", "Add to cart", "Video Play", "Newsletter", "Search", "Share", "Login", "Trial Start",
        "Download Brochure", "Pricing Toggle"};
    static final int MAX_PROPERTIES = 30;
    private static final String[] PLANS = {"free", "pro", "team", "enterprise"};
    private static final String[] REFERRERS = {
        "", "https://www.google.com/", "https://news.example/story/42", "https://t.co/x1", "https://duckduckgo.com/"};

    /** A kind of beacon and its share of the traffic, in thousandths. */
    public enum Kind
    {
        PAGEVIEW(550, true),
        CUSTOM(200, true),
        REVENUE(50, true),
        CLICK(80, true),
        FORM(50, true),
        DOWNLOAD(20, true),
        ENGAGEMENT(20, true),
        INVALID(30, false);

        final int perMille;
        final boolean valid;

        Kind(final int perMille, final boolean valid)
        {
            this.perMille = perMille;
            this.valid = valid;
        }

        public int perMille()
        {
            return perMille;
        }

        public boolean valid()
        {
            return valid;
        }
    }

    /** One body of the pool and what it is. */
    public record Body(Kind kind, String json)
    {
    }

    private final String site;
    private final Random random;

    private BeaconMix(final String site, final long seed)
    {
        this.site = site;
        this.random = new Random(seed);
    }

    /**
     * {@code size} bodies for {@code site}: each kind's count is its share of {@code size} (rounded down, one more
     * for each of the first kinds until the pool is full), in a shuffled order.
     */
    public static List<Body> pool(final String site, final int size, final long seed)
    {
        final BeaconMix mix = new BeaconMix(site, seed);
        final List<Body> bodies = new ArrayList<>(size);
        int assigned = 0;
        for (final Kind kind : Kind.values())
        {
            assigned += kind.perMille * size / 1000;
        }
        int remainder = size - assigned;
        for (final Kind kind : Kind.values())
        {
            final int extra = remainder > 0 ? 1 : 0;
            remainder -= extra;
            for (int i = kind.perMille * size / 1000 + extra; i > 0; i--)
            {
                bodies.add(new Body(kind, mix.body(kind, bodies.size())));
            }
        }
        Collections.shuffle(bodies, mix.random);
        return bodies;
    }

    private String body(final Kind kind, final int n)
    {
        switch (kind)
        {
            case PAGEVIEW:
                return "{\"t\":\"p\",\"u\":\"" + page(n) + "\"" + referrer() + "}";
            case CUSTOM:
                return "{\"t\":\"e\",\"n\":\"" + EVENT_NAMES[random.nextInt(EVENT_NAMES.length)] + "\",\"u\":\"https://" +
                    site + "/app/view-" + random.nextInt(50) + "\"" + properties(random.nextInt(MAX_PROPERTIES + 1)) + "}";
            case REVENUE:
                return "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://" + site + "/checkout/done\"" +
                    properties(1 + random.nextInt(4)) + ",\"ra\":" + (5 + random.nextInt(200)) + "." +
                    (10 + random.nextInt(90)) + ",\"rc\":\"" + (random.nextBoolean() ? "EUR" : "USD") + "\"}";
            case CLICK:
                return "{\"t\":\"c\",\"u\":\"https://" + site + "/review/" + random.nextInt(300) + "\",\"h\":\"" +
                    (random.nextBoolean() ? "https://www.amazon.de/dp/B08N5WR" + (100 + random.nextInt(900)) :
                    "https://partner.example/offer/" + random.nextInt(40)) + "\",\"x\":\"Buy now\"}";
            case FORM:
                return "{\"t\":\"f\",\"u\":\"https://" + site + "/contact\",\"fn\":\"contact\",\"fi\":\"wpcf7-f" +
                    random.nextInt(60) + "\",\"fp\":\"cf7\"}";
            case DOWNLOAD:
                return "{\"t\":\"d\",\"u\":\"https://" + site + "/docs\",\"h\":\"https://" + site + "/files/guide-" +
                    random.nextInt(20) + ".pdf\"}";
            case ENGAGEMENT:
                return "{\"t\":\"x\",\"u\":\"https://" + site + "/blog/post-" + random.nextInt(500) + "\",\"sec\":" +
                    (1 + random.nextInt(120)) + "}";
            default:
                return invalid(n);
        }
    }

    private String page(final int n)
    {
        switch (n % 5)
        {
            case 0:
                return "https://" + site + "/";
            case 1:
                return "https://" + site + "/pricing";
            case 2:
                return "https://" + site + "/blog/topic-" + random.nextInt(40) + "/post-" + random.nextInt(1000);
            case 3:
                return "https://" + site + "/products/item-" + random.nextInt(2000) + "?utm_source=news&utm_medium=email";
            default:
                return "https://" + site + "/thank-you-" + random.nextInt(30);
        }
    }

    private String referrer()
    {
        final String referrer = REFERRERS[random.nextInt(REFERRERS.length)];
        return referrer.isEmpty() ? "" : ",\"r\":\"" + referrer + "\"";
    }

    /** {@code count} properties as {@code mk}/{@code mv}; values are strings, numbers and booleans. */
    private String properties(final int count)
    {
        if (count == 0)
        {
            return "";
        }
        final StringBuilder keys = new StringBuilder(",\"mk\":[");
        final StringBuilder values = new StringBuilder(",\"mv\":[");
        for (int i = 0; i < count; i++)
        {
            final String separator = i == 0 ? "" : ",";
            keys.append(separator).append(i == 0 ? "\"plan\"" : "\"prop-" + i + "\"");
            values.append(separator);
            switch (i % 3)
            {
                case 0:
                    values.append('"').append(PLANS[random.nextInt(PLANS.length)]).append('"');
                    break;
                case 1:
                    values.append(random.nextInt(10_000));
                    break;
                default:
                    values.append(random.nextBoolean());
                    break;
            }
        }
        return keys.append(']').append(values).append(']').toString();
    }

    /** Bodies the engine answers 400, each a different mistake. */
    private String invalid(final int n)
    {
        switch (n % 6)
        {
            case 0:
                return "{\"t\":\"p\",\"u\":\"https://" + site + "/cut";
            case 1:
                return "{\"t\":\"e\",\"u\":\"https://" + site + "/no-name\"}";
            case 2:
                return "{\"t\":\"p\",\"u\":\"https://unknown-site.invalid/\"}";
            case 3:
                return "{\"t\":\"e\",\"n\":\"Signup\",\"u\":\"https://" + site + "/\",\"mk\":[\"a\",\"b\"],\"mv\":[\"1\"]}";
            case 4:
                return "{\"t\":\"q\",\"u\":\"https://" + site + "/\"}";
            default:
                return "{\"t\":\"e\",\"n\":\"Purchase\",\"u\":\"https://" + site + "/\",\"ra\":\"$49.99\"}";
        }
    }
}
