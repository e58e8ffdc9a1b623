package io.tally.store.rollup.day;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * A new session's entry page and source ({@link Source}'s four dimensions) read straight from the journal record's
 * bytes into a day's {@link Dictionary}: no string is made for the usual ASCII URL. Whatever {@link Source} would
 * decode or lower-case beyond ASCII (a {@code %}-escape, a {@code +}, a byte past 127) goes through {@link Source}
 * itself, so both always agree. One per day cube; single-threaded.
 * <p>
 * A day keeps at most {@link #MAX_TEXTS} distinct entry pages and sources together (anyone can send a beacon with
 * a page of their choosing); past them, a new one is {@code (other)}, and never enters the dictionary.
 */
final class SourceParser
{
    private static final byte[] SCHEME = "://".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] PARAMETERS = {null, "utm_source".getBytes(StandardCharsets.US_ASCII),
        "utm_medium".getBytes(StandardCharsets.US_ASCII), "utm_campaign".getBytes(StandardCharsets.US_ASCII)};

    private final Dictionary strings;
    private final int direct;
    private final int none;
    private final int root;
    /** Distinct entry pages and sources one day keeps. */
    static final int MAX_TEXTS = 10_000;

    /** URLs parsed before: entry page, then utm_source, utm_medium, utm_campaign. */
    private final ParsedTexts urls = new ParsedTexts(512, 256, DayCube.DIMENSIONS);
    /** Referrers parsed before: their domain. */
    private final ParsedTexts referrers = new ParsedTexts(256, 128, 1);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[256]);
    private final int other;
    private int texts;

    SourceParser(final Dictionary strings)
    {
        this.strings = strings;
        this.direct = strings.id(Source.DIRECT);
        this.none = strings.id(Source.NONE);
        this.root = strings.id("/");
        this.other = strings.id(RollupCaps.OTHER);
    }

    /** The id of a page or source text, added only while the day keeps fewer than {@link #MAX_TEXTS}. */
    private int intern(final DirectBuffer buffer, final int offset, final int length)
    {
        final int known = strings.find(buffer, offset, length);
        if (known >= 0)
        {
            return known;
        }
        if (texts >= MAX_TEXTS)
        {
            return other;
        }
        texts++;
        return strings.id(buffer, offset, length);
    }

    private int intern(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return intern(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    /** The path of the URL at {@code [offset, offset + length)}, {@code /} when it has none. */
    int entryPage(final DirectBuffer buffer, final int offset, final int length)
    {
        final int end = offset + length;
        final int scheme = indexOf(buffer, offset, end, SCHEME);
        int pathStart = scheme < 0 ? offset : scheme + SCHEME.length;
        while (pathStart < end && !isAny(buffer.getByte(pathStart), '/', '?', '#'))
        {
            pathStart++;
        }
        int pathEnd = pathStart;
        while (pathEnd < end && !isAny(buffer.getByte(pathEnd), '?', '#', '#'))
        {
            pathEnd++;
        }
        return pathEnd == pathStart ? root : intern(buffer, pathStart, pathEnd - pathStart);
    }

    /**
     * A new session's entry page (into {@code pages} at {@code page}) and four source dimensions (into {@code into} at
     * {@code at}), from the record's URL and referrer: what parsing the same bytes gave before, or parsed now.
     */
    void session(final EventRecordDecoder record, final int[] pages, final int page, final int[] into, final int at)
    {
        session(record.buffer(), record.stringOffset(EventRecord.URL), record.stringLength(EventRecord.URL),
            record.stringOffset(EventRecord.REFERRER), record.stringLength(EventRecord.REFERRER), pages, page, into, at);
    }

    /** {@link #session(EventRecordDecoder, int[], int, int[], int)} of a URL and a referrer in {@code buffer}. */
    void session(final DirectBuffer buffer, final int url, final int urlLength, final int referrer, final int referrerLength,
        final int[] pages, final int page, final int[] into, final int at)
    {
        final int urlHash = ParsedTexts.hash(buffer, url, urlLength);
        int known = urls.find(urlHash, buffer, url, urlLength);
        if (known >= 0)
        {
            final int[] parsedUrl = urls.values();
            pages[page] = parsedUrl[known];
            into[at] = domainOf(buffer, referrer, referrerLength);
            System.arraycopy(parsedUrl, known + 1, into, at + 1, DayCube.DIMENSIONS - 1);
            return;
        }
        // parsed in the order the texts always entered the dictionary: page, referrer, parameters
        pages[page] = entryPage(buffer, url, urlLength);
        into[at] = domainOf(buffer, referrer, referrerLength);
        parameters(buffer, url, urlLength, into, at);
        known = keepable() ? urls.keep(urlHash, buffer, url, urlLength) : -1;
        if (known >= 0)
        {
            final int[] parsedUrl = urls.values(); // made by the first keep
            parsedUrl[known] = pages[page];
            System.arraycopy(into, at + 1, parsedUrl, known + 1, DayCube.DIMENSIONS - 1);
        }
    }

    /**
     * Whether what was just parsed may be remembered: only while the day keeps fewer than {@link #MAX_TEXTS}, so no
     * text of it was counted as {@code (other)} for the cap, a result that a later parse could see otherwise (once
     * the same text entered the dictionary another way, as an event name say). Every id found or added stays.
     */
    private boolean keepable()
    {
        return texts < MAX_TEXTS;
    }

    /** The referrer's domain: what parsing the same bytes gave before, or parsed now. */
    private int domainOf(final DirectBuffer buffer, final int referrer, final int length)
    {
        if (length == 0)
        {
            return direct;
        }
        final int hash = ParsedTexts.hash(buffer, referrer, length);
        final int known = referrers.find(hash, buffer, referrer, length);
        if (known >= 0)
        {
            return referrers.values()[known];
        }
        final int domain = referrerDomain(buffer, referrer, referrer + length);
        final int kept = keepable() ? referrers.keep(hash, buffer, referrer, length) : -1;
        if (kept >= 0)
        {
            referrers.values()[kept] = domain; // made by the first keep
        }
        return domain;
    }

    /** The four source dimensions of a visit that landed on a URL from a referrer, both in {@code buffer}. */
    void source(final DirectBuffer buffer, final int url, final int urlLength, final int referrer, final int referrerLength,
        final int[] into, final int at)
    {
        into[at] = referrerDomain(buffer, referrer, referrer + referrerLength);
        parameters(buffer, url, urlLength, into, at);
    }

    /** The URL's {@code utm_source}, {@code utm_medium} and {@code utm_campaign}, into {@code into} from {@code at + 1}. */
    private void parameters(final DirectBuffer buffer, final int url, final int urlLength, final int[] into, final int at)
    {
        final int urlEnd = url + urlLength;
        final int query = indexOf(buffer, url, urlEnd, '?');
        final int fragment = query < 0 ? -1 : indexOf(buffer, url, urlEnd, '#');
        for (int d = 1; d < PARAMETERS.length; d++)
        {
            into[at + d] = query < 0 || (fragment >= 0 && fragment < query) ? none :
                parameter(buffer, url, urlEnd, query, fragment < 0 ? urlEnd : fragment, PARAMETERS[d]);
        }
    }

    private int referrerDomain(final DirectBuffer buffer, final int offset, final int end)
    {
        final int scheme = indexOf(buffer, offset, end, SCHEME);
        if (end == offset || scheme < 0)
        {
            return direct;
        }
        int hostEnd = scheme + SCHEME.length;
        while (hostEnd < end && !isAny(buffer.getByte(hostEnd), '/', '?', '#', ':'))
        {
            hostEnd++;
        }
        int hostStart = scheme + SCHEME.length;
        for (int i = hostStart; i < hostEnd; i++)
        {
            final byte b = buffer.getByte(i);
            if (b < 0)
            {
                return intern(Source.referrerDomain(text(buffer, offset, end)));
            }
            if (b == '@')
            {
                hostStart = i + 1;
            }
        }
        final int length = lowerCase(buffer, hostStart, hostEnd);
        final int www = length >= 4 && scratch.getByte(0) == 'w' && scratch.getByte(1) == 'w' && scratch.getByte(2) == 'w' &&
            scratch.getByte(3) == '.' ? 4 : 0;
        return length == www ? direct : intern(scratch, www, length - www);
    }

    /**
     * The decoded, trimmed, lower-cased value of a query parameter of the URL ({@code query} its {@code ?},
     * {@code end} its fragment or end); {@code (none)} without one.
     */
    private int parameter(final DirectBuffer buffer, final int offset, final int urlEnd, final int query, final int end,
        final byte[] name)
    {
        for (int pair = query + 1; pair < end; pair = nextPair(buffer, pair, end))
        {
            final int valueStart = pair + name.length + 1;
            if (valueStart <= end && startsWith(buffer, pair, name) && buffer.getByte(valueStart - 1) == '=')
            {
                final int valueEnd = nextPair(buffer, pair, end) - 1;
                return needsDecoding(buffer, valueStart, valueEnd) ?
                    intern(Source.parameter(text(buffer, offset, urlEnd), new String(name, StandardCharsets.US_ASCII))) :
                    plainValue(buffer, valueStart, valueEnd);
            }
        }
        return none;
    }

    /** Whether {@link Source} would change more than ASCII case: an escape, a plus, a byte past 127. */
    private static boolean needsDecoding(final DirectBuffer buffer, final int start, final int end)
    {
        for (int i = start; i < end; i++)
        {
            final byte b = buffer.getByte(i);
            if (b < 0 || b == '%' || b == '+')
            {
                return true;
            }
        }
        return false;
    }

    private int plainValue(final DirectBuffer buffer, final int start, final int end)
    {
        int from = start;
        int to = end;
        while (from < to && buffer.getByte(from) <= ' ')
        {
            from++;
        }
        while (to > from && buffer.getByte(to - 1) <= ' ')
        {
            to--;
        }
        return from == to ? none : intern(scratch, 0, lowerCase(buffer, from, to));
    }

    private static String text(final DirectBuffer buffer, final int from, final int end)
    {
        return buffer.getStringWithoutLengthUtf8(from, end - from);
    }

    /** Copies ASCII bytes lower-cased into the scratch buffer (grown when needed); returns their length. */
    private int lowerCase(final DirectBuffer buffer, final int from, final int to)
    {
        final int length = to - from;
        if (length > scratch.capacity())
        {
            scratch.wrap(new byte[Math.max(length, scratch.capacity() * 2)]);
        }
        for (int i = 0; i < length; i++)
        {
            final byte b = buffer.getByte(from + i);
            scratch.putByte(i, b >= 'A' && b <= 'Z' ? (byte)(b + ('a' - 'A')) : b);
        }
        return length;
    }

    private static int nextPair(final DirectBuffer buffer, final int pair, final int end)
    {
        final int ampersand = indexOf(buffer, pair, end, '&');
        return ampersand < 0 ? end + 1 : ampersand + 1;
    }

    private static boolean startsWith(final DirectBuffer buffer, final int at, final byte[] prefix)
    {
        for (int i = 0; i < prefix.length; i++)
        {
            if (buffer.getByte(at + i) != prefix[i])
            {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(final DirectBuffer buffer, final int from, final int end, final char c)
    {
        for (int i = from; i < end; i++)
        {
            if (buffer.getByte(i) == c)
            {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(final DirectBuffer buffer, final int from, final int end, final byte[] needle)
    {
        for (int i = from; i + needle.length <= end; i++)
        {
            if (startsWith(buffer, i, needle))
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAny(final byte b, final char c1, final char c2, final char c3)
    {
        return b == c1 || b == c2 || b == c3;
    }

    private static boolean isAny(final byte b, final char c1, final char c2, final char c3, final char c4)
    {
        return b == c1 || b == c2 || b == c3 || b == c4;
    }
}
