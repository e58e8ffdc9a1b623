package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.site.ShareLinks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A site's share links under {@code /api/v1/sites/{site}/shares} (admin token): {@code POST} makes one and answers
 * {@code {"id", "url"}}, {@code GET} lists them, {@code DELETE .../shares/{id}} revokes one. The {@code url} is the
 * link's path on this engine ({@code /share/{id}}): the engine does not know the address people reach it by.
 */
final class SharesApi
{
    private final ShareLinks shares;

    SharesApi(final ShareLinks shares)
    {
        this.shares = shares;
    }

    Answer handle(final HttpMethod method, final String site, final String id)
    {
        if (id == null && method == HttpMethod.POST)
        {
            try
            {
                return new Answer(201, Json.write(row(shares.create(site))));
            }
            catch (final ShareLinks.TooManyShares ex)
            {
                return Answer.error(409, "too_many_shares", ex.getMessage());
            }
        }
        if (id == null && method == HttpMethod.GET)
        {
            final List<Object> list = new ArrayList<>();
            shares.list(site).forEach(share -> list.add(row(share)));
            return new Answer(200, Json.write(Map.of("shares", list)));
        }
        if (id != null && method == HttpMethod.DELETE)
        {
            return shares.revoke(site, id) ? new Answer(204, null) :
                Answer.error(404, "no_such_share", "no share link '" + id + "' for " + site);
        }
        return Answer.error(405, "method_not_allowed", "POST or GET .../shares, DELETE .../shares/{id}");
    }

    private static Map<String, Object> row(final ShareLinks.Share share)
    {
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", share.id());
        row.put("url", share.url());
        row.put("site", share.site());
        row.put("created", share.created());
        return row;
    }
}
