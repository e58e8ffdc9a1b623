package io.tally.store;

/** The path of an absolute URL as a {@code String}, for cold paths that already hold the URL as one. */
public final class UrlPath
{
    private UrlPath()
    {
    }

    public static String of(final String url)
    {
        final int scheme = url.indexOf("://");
        final int authorityStart = scheme < 0 ? 0 : scheme + 3;
        int pathStart = url.length();
        for (int i = authorityStart; i < url.length(); i++)
        {
            final char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#')
            {
                pathStart = i;
                break;
            }
        }
        int pathEnd = pathStart;
        while (pathEnd < url.length() && url.charAt(pathEnd) != '?' && url.charAt(pathEnd) != '#')
        {
            pathEnd++;
        }
        final String path = url.substring(pathStart, pathEnd);
        return path.isEmpty() ? "/" : path;
    }
}
