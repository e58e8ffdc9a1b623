package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.config.LiveSites;
import io.tally.engine.site.InvalidSiteException;
import io.tally.engine.site.RefusedChange;
import io.tally.engine.site.SiteSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/v1/sites}: every site in force, as the config file writes them, each with its {@code source}
 * ({@code config} or {@code api}); {@code POST /api/v1/sites} with a site object as in the config file adds the
 * site (201) or replaces the one of its domain (200); {@code DELETE /api/v1/sites/{site}} removes it. Changes take
 * effect at once, are kept in the data dir across restarts and reloads, and are logged.
 */
final class SitesApi
{
    private static final Logger LOG = LoggerFactory.getLogger("tally");

    private final LiveSites sites;

    SitesApi(final LiveSites sites)
    {
        this.sites = sites;
    }

    /** {@code path}: {@code sites}, or {@code sites} and a domain. */
    Answer handle(final HttpMethod method, final List<String> path, final String body)
    {
        try
        {
            if (path.size() == 2)
            {
                return method == HttpMethod.DELETE ? remove(path.get(1)) :
                    Answer.error(405, "method_not_allowed", "use DELETE");
            }
            if (method == HttpMethod.GET)
            {
                return new Answer(200, Json.write(Map.of("sites", sites.list())));
            }
            return method == HttpMethod.POST ? put(body) : Answer.error(405, "method_not_allowed", "use GET or POST");
        }
        catch (final RefusedChange ex)
        {
            return Answer.error(ex.status(), ex.code(), ex.getMessage());
        }
    }

    private Answer put(final String body)
    {
        final SiteSpec site;
        try
        {
            site = SiteSpec.read(Json.parse(body), "site");
        }
        catch (final InvalidSiteException ex)
        {
            return Answer.error(400, "invalid_site", ex.getMessage());
        }
        catch (final IllegalArgumentException ex)
        {
            return Answer.error(400, "invalid_json", ex.getMessage());
        }
        final LiveSites.Changes changes = sites.put(site);
        LOG.info("admin API: sites: {}", changes);
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("site", site.json());
        answer.put("changes", changes.toString());
        return new Answer(changes.added().isEmpty() ? 200 : 201, Json.write(answer));
    }

    private Answer remove(final String domain)
    {
        final LiveSites.Changes changes = sites.remove(domain.toLowerCase(Locale.ROOT));
        if (changes == null)
        {
            return Answer.error(404, "unknown_site", "no site '" + domain + "' is configured (name it by its domain)");
        }
        LOG.info("admin API: sites: {}", changes);
        return new Answer(200, Json.write(Map.of("changes", changes.toString())));
    }
}
