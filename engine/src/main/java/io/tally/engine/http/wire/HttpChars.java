package io.tally.engine.http.wire;

/** Which bytes may stand where in a request head (RFC 9110, 5.6.2 and 5.5), as lookup tables. */
final class HttpChars
{
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HTAB = '\t';

    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] FIELD_VALUE = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];

    static
    {
        for (int c = '0'; c <= '9'; c++)
        {
            TOKEN[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++)
        {
            TOKEN[c] = true;
            TOKEN[c - 'a' + 'A'] = true;
        }
        for (final char c : "!#$%&'*+-.^_`|~".toCharArray())
        {
            TOKEN[c] = true;
        }
        // a field value: visible ASCII, obs-text, and the spaces between words; no other control character
        for (int c = 0x21; c < 256; c++)
        {
            FIELD_VALUE[c] = c != 0x7F;
            TARGET[c] = c != 0x7F;
        }
        FIELD_VALUE[SP] = true;
        FIELD_VALUE[HTAB] = true;
    }

    private HttpChars()
    {
    }

    static boolean isToken(final byte b)
    {
        return TOKEN[b & 0xFF];
    }

    static boolean isFieldValue(final byte b)
    {
        return FIELD_VALUE[b & 0xFF];
    }

    /** A byte of a request target: anything visible (its syntax is the route's to judge), no space or control. */
    static boolean isTarget(final byte b)
    {
        return TARGET[b & 0xFF];
    }

    static boolean isSpace(final byte b)
    {
        return b == SP || b == HTAB;
    }

    /** ASCII lower case of a byte; other bytes as they are. */
    static int lower(final byte b)
    {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }
}
