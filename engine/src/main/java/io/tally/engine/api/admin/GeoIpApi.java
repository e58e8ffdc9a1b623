package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.geo.GeoIp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/geoip}: the GeoIP database in use and its counts; {@code POST /api/v1/geoip/reload}: read the
 * file again, as SIGHUP does (admin token). A file that cannot be used is a 422 {@code invalid_geoip_db} naming why,
 * and the database loaded before stays in use; without {@code --geoip-db} a reload is a 409 {@code no_geoip_db}.
 */
final class GeoIpApi
{
    private final GeoIp geoIp;

    GeoIpApi(final GeoIp geoIp)
    {
        this.geoIp = geoIp;
    }

    Answer handle(final HttpMethod method, final boolean reload)
    {
        if (!reload)
        {
            return method == HttpMethod.GET ? new Answer(200, Json.write(geoIp.status())) :
                Answer.error(405, "method_not_allowed", "use GET, or POST /api/v1/geoip/reload");
        }
        if (method != HttpMethod.POST)
        {
            return Answer.error(405, "method_not_allowed", "use POST");
        }
        if (geoIp.path() == null)
        {
            return Answer.error(409, "no_geoip_db", "no GeoIP database is configured: start with --geoip-db FILE");
        }
        final GeoIp.Reload result = geoIp.reload();
        if (!result.loaded())
        {
            return Answer.error(422, "invalid_geoip_db", result.error() + "; the database loaded before stays in use");
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("reloaded", true);
        body.put("geoip", geoIp.status());
        return new Answer(200, Json.write(body));
    }
}
