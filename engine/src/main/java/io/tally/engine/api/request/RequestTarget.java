package io.tally.engine.api.request;

import java.util.ArrayList;
import java.util.List;

/**
 * The target of an admin or stats API request, decoded once and the same way on every route: the raw path is
 * split on '/' first and each segment then %-decoded once ({@link PercentDecoder#segment}), so a '/', '%' or '+'
 * sent as %2F, %25 or %2B belongs to its segment (a goal named {@code a/b} is {@code a%2Fb}); the query is parsed
 * into {@link QueryParameters}.
 */
public record RequestTarget(List<String> segments, QueryParameters query)
{
    /**
     * @param uri the request's target as sent.
     * @param prefix the raw path's start, which the route already matched; {@link #segments} are those after it.
     * @throws InvalidRequestException for a malformed escape ({@code invalid_path}, {@code invalid_query}) or a
     *     repeated parameter.
     */
    public static RequestTarget parse(final String uri, final String prefix)
    {
        final int question = uri.indexOf('?');
        final String path = question < 0 ? uri : uri.substring(0, question);
        if (!path.startsWith(prefix))
        {
            throw new IllegalArgumentException(path + " is not under " + prefix);
        }
        final List<String> segments = new ArrayList<>();
        int start = prefix.length();
        for (int slash = path.indexOf('/', start); ; slash = path.indexOf('/', start))
        {
            segments.add(segment(path.substring(start, slash < 0 ? path.length() : slash)));
            if (slash < 0)
            {
                break;
            }
            start = slash + 1;
        }
        return new RequestTarget(List.copyOf(segments), QueryParameters.parse(question < 0 ? null : uri.substring(question + 1)));
    }

    private static String segment(final String raw)
    {
        try
        {
            return PercentDecoder.segment(raw);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidRequestException("invalid_path", "the path: " + ex.getMessage());
        }
    }
}
