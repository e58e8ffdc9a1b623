package io.tally.engine.http;

/**
 * The content types a beacon may have (BEACON.md): {@code application/json}, {@code text/plain} (what
 * {@code navigator.sendBeacon} sends for a string), or none; parameters such as {@code charset} are ignored.
 */
final class ContentTypes
{
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";
    private static final String NDJSON = "application/x-ndjson";

    private ContentTypes()
    {
    }

    /** For a batch of trusted events: the beacon types, or NDJSON. */
    static boolean isAcceptedBatch(final CharSequence contentType)
    {
        return isAccepted(contentType) || is(contentType, NDJSON);
    }

    static boolean isAccepted(final CharSequence contentType)
    {
        return contentType == null || is(contentType, "") || is(contentType, JSON) || is(contentType, TEXT);
    }

    /** Whether the media type, without parameters and ignoring case, is {@code expected}. */
    private static boolean is(final CharSequence contentType, final String expected)
    {
        int end = 0;
        while (end < contentType.length() && contentType.charAt(end) != ';')
        {
            end++;
        }
        while (end > 0 && contentType.charAt(end - 1) == ' ')
        {
            end--;
        }
        int start = 0;
        while (start < end && contentType.charAt(start) == ' ')
        {
            start++;
        }
        return matches(contentType, start, end, expected);
    }

    private static boolean matches(final CharSequence value, final int start, final int end, final String expected)
    {
        if (end - start != expected.length())
        {
            return false;
        }
        for (int i = 0; i < expected.length(); i++)
        {
            if (Character.toLowerCase(value.charAt(start + i)) != expected.charAt(i))
            {
                return false;
            }
        }
        return true;
    }
}
