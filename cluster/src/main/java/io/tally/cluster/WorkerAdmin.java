package io.tally.cluster;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.engine.api.ApiHandler;
import io.tally.engine.api.request.Answer;

import java.util.function.UnaryOperator;

/**
 * Put in front of a rollup worker's API: the admin changes that act on an ingest node's local state and do nothing on
 * a worker are refused (409 {@code not_an_ingest_node}) rather than accepted and silently without effect. Goals are
 * matched and backfilled where events are journaled, on the nodes; sites come from the config file every node and
 * worker reads (the admin API's sites are the data dir's own). Reading them, and every other route, goes on.
 */
public final class WorkerAdmin implements UnaryOperator<ApiHandler>
{
    private static final String SITES = "/api/v1/sites";

    @Override
    public ApiHandler apply(final ApiHandler local)
    {
        return (method, uri, authorization, body) -> refused(method, uri) ?
            Answer.error(409, "not_an_ingest_node", "this is a cluster's rollup worker: change sites and " +
                "goals (and run goal backfills) on the ingest nodes and in the config file every node reads") :
            local.handle(method, uri, authorization, body);
    }

    /** A change (not a read) of the sites, or of a site's goals, backfills included. */
    static boolean refused(final HttpMethod method, final String uri)
    {
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || !uri.startsWith(SITES))
        {
            return false;
        }
        final int question = uri.indexOf('?');
        final String path = question < 0 ? uri : uri.substring(0, question);
        if (path.length() > SITES.length() && path.charAt(SITES.length()) != '/')
        {
            return false; // another path that begins with the same letters
        }
        final String[] segments = path.substring(SITES.length()).split("/");
        // "", then the site, then what of it: /api/v1/sites and /api/v1/sites/{site} change the site list
        return segments.length <= 2 || segments[2].equals("goals");
    }
}
