package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.AdminToken;
import io.tally.engine.api.ApiHandler;
import io.tally.engine.api.ApiServices;
import io.tally.engine.api.export.ExportApi;
import io.tally.engine.api.plausible.PlausibleStatsApi;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.api.request.RequestTarget;
import io.tally.engine.api.stats.ExplorationReports;
import io.tally.engine.api.stats.GoalTrial;
import io.tally.engine.api.stats.RealtimeReport;
import io.tally.engine.api.stats.StatsApi;
import io.tally.engine.explore.Experiment;
import io.tally.engine.explore.Funnel;
import io.tally.engine.limit.Quotas;
import io.tally.engine.metrics.EngineReadings;
import io.tally.engine.site.GoalBook;
import io.tally.engine.site.RefusedChange;
import io.tally.engine.site.ShareLinks;
import io.tally.engine.site.Site;
import io.tally.engine.site.SiteDirectory;
import io.tally.engine.site.SiteTokens;
import io.tally.matcher.Goal;
import io.tally.matcher.GoalJson;
import io.tally.matcher.InvalidGoalException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The admin API under {@code /api/v1/sites} (list, add, change and remove sites: {@link SitesApi}),
 * {@code /api/v1/sites/{site}/goals} (list, create, replace, delete and reorder goals, and try
 * one out on recent events: {@code POST .../goals/test}),
 * the rate limiter under {@code /api/v1/limits}, and the stats API under {@code /api/v1/stats/{site}/...}
 * (plus {@code usage}: the month's events against the quota), with {@code Authorization: Bearer <admin token>}.
 * A cold path: it parses JSON trees and builds strings.
 */
public final class AdminApi implements ApiHandler
{
    public static final String PREFIX = "/api/v1/";
    private static final List<String> LIMITS = List.of("limits");
    private static final List<String> ACCESS = List.of("access");
    private static final List<String> OPERATOR = List.of("operator");
    private static final List<String> GEOIP = List.of("geoip");
    private static final List<String> GEOIP_RELOAD = List.of("geoip", "reload");
    private static final List<String> BACKUP = List.of("backup");

    private final GoalBook goals;
    private final AdminToken token;
    private final SiteDirectory sites;
    private final StatsApi stats;
    private final PlausibleStatsApi plausible;
    private final SiteTokens siteTokens;
    private final LimitsApi limits;
    private final Quotas quotas;
    private final LongSupplier clock;
    private final SharesApi shares;
    private final ShareLinks shareLinks;
    private final GeoIpApi geoIp;
    private final ExplorationReports explorationReports;
    private final DefinitionsApi<Funnel> funnels;
    private final DefinitionsApi<Experiment> experiments;
    private final ExportApi exports;
    private final BackfillApi backfills;
    private final GoalTrial trial;
    private final OperatorReport operator;
    private final RealtimeReport realtime;
    private final SitesApi siteList;
    private final BackupApi backup;

    public AdminApi(final ApiServices services)
    {
        this(services, null);
    }

    /** {@code readings}: what the operator report reads; null answers it 404 (an API made without a server). */
    public AdminApi(final ApiServices services, final EngineReadings readings)
    {
        this.operator = readings == null ? null : new OperatorReport(readings);
        this.goals = services.goals();
        this.token = services.adminToken();
        this.sites = services.sites();
        this.siteTokens = services.siteTokens();
        this.limits = new LimitsApi(services.limiters(), services.sites());
        this.quotas = services.quotas();
        this.clock = services.clock();
        this.shareLinks = services.shares();
        this.shares = new SharesApi(services.shares());
        this.geoIp = new GeoIpApi(services.geoIp());
        this.trial = new GoalTrial(services.journal());
        this.realtime = new RealtimeReport(services.journal(), services.clock(), services.filtered());
        this.siteList = new SitesApi(services.liveSites());
        this.backup = new BackupApi(services.backup());
        this.stats = new StatsApi(services.rollups(), services.goals(), services.journal(), Clock.systemUTC(),
            services.geoIp(), services.filtered());
        this.plausible = new PlausibleStatsApi(services.sites(), services.adminToken(), services.filtered(), Clock.systemUTC());
        this.explorationReports = new ExplorationReports(services.explorations());
        this.funnels = new DefinitionsApi<>("funnel", services.explorations().funnels(), Funnel::read, Funnel::json,
            (site, funnel) -> Definitions.checkFilters(services.explorations(), funnel));
        this.experiments = new DefinitionsApi<>("experiment", services.explorations().experiments(), Experiment::read,
            Experiment::json, (site, experiment) -> Definitions.checkGoal(services.goals(), site, experiment));
        this.backfills = new BackfillApi(services.backfill(), services.clock());
        this.exports = new ExportApi(stats, services.sites(), services.eventExports(), this::authorizesSite,
            (site, authorization) -> token.authorizes(authorization) || site.isReadToken(AdminToken.bearer(authorization)));
    }

    @Override
    public Answer handle(final HttpMethod method, final String uri, final String authorization, final String body)
    {
        try
        {
            return route(method, RequestTarget.parse(uri, PREFIX), authorization, body);
        }
        catch (final InvalidRequestException ex)
        {
            return Answer.error(400, ex.code(), ex.getMessage());
        }
    }

    /** Routes on the target's segments after {@code /api/v1/}, each decoded once. */
    private Answer route(final HttpMethod method, final RequestTarget target, final String authorization, final String body)
    {
        final List<String> path = target.segments();
        if (exports.handles(path))
        {
            return exports.handle(method, path, authorization, target.query());
        }
        if (path.get(0).equals("stats"))
        {
            return stats(method, path, authorization, target.query());
        }
        if (path.equals(ACCESS))
        {
            target.query().allowOnly(List.of(), "access");
            return method == HttpMethod.GET ? access(authorization) : Answer.error(405, "method_not_allowed", "use GET");
        }
        if (!token.authorizes(authorization))
        {
            return Answer.error(401, "unauthorized", "send Authorization: Bearer <admin token>");
        }
        if (path.equals(LIMITS))
        {
            target.query().allowOnly(List.of(), "limits");
            return limits.handle(method, body);
        }
        if (path.equals(OPERATOR) && operator != null)
        {
            target.query().allowOnly(List.of(), "operator");
            return method == HttpMethod.GET ? operator.answer() : Answer.error(405, "method_not_allowed", "use GET");
        }
        if (path.equals(GEOIP) || path.equals(GEOIP_RELOAD))
        {
            target.query().allowOnly(List.of(), "geoip");
            return geoIp.handle(method, path.size() == 2);
        }
        if (BackfillApi.handles(path))
        {
            final Site site = sites.byDomain(path.get(1));
            return site == null ? unknownSite(path.get(1)) : backfills.handle(method, site, path.get(3), target.query());
        }
        if (path.get(0).equals("sites") && path.size() <= 2)
        {
            target.query().allowOnly(List.of(), "sites");
            return siteList.handle(method, path, body);
        }
        if (path.equals(BACKUP))
        {
            target.query().allowOnly(List.of(), "backup");
            return backup.handle(method, body);
        }
        if (path.size() < 3 || path.size() > 4 || !path.get(0).equals("sites") ||
            !(path.get(2).equals("goals") || path.get(2).equals("tokens") || path.get(2).equals("shares") ||
                path.get(2).equals("funnels") || path.get(2).equals("experiments")))
        {
            return Answer.error(404, "not_found", "no such path");
        }
        target.query().allowOnly(List.of(), path.get(2));
        final Site site = sites.byDomain(path.get(1));
        if (site == null)
        {
            return unknownSite(path.get(1));
        }
        final String name = path.size() == 4 ? path.get(3) : null;
        return switch (path.get(2))
        {
            case "tokens" -> onTokens(method, site.domain(), name);
            case "shares" -> shares.handle(method, site.domain(), name);
            case "funnels" -> funnels.handle(method, site.domain(), name, body);
            case "experiments" -> experiments.handle(method, site.domain(), name, body);
            default -> goals(method, site.domain(), name, body);
        };
    }

    /**
     * What the bearer may read, for the dashboard's sign-in: {@code admin} and every site for the admin token, the
     * sites whose read token or share link it is otherwise (a 401 when none).
     */
    private Answer access(final String authorization)
    {
        final boolean admin = token.authorizes(authorization);
        final String bearer = AdminToken.bearer(authorization);
        final List<Object> list = new ArrayList<>();
        for (final Site site : sites.sites())
        {
            if (!admin && !readsSite(site, bearer))
            {
                continue;
            }
            final Map<String, Object> row = new LinkedHashMap<>();
            row.put("domain", site.domain());
            row.put("time_zone", site.timeZone());
            list.add(row);
        }
        if (list.isEmpty())
        {
            return Answer.error(401, "unauthorized", "send Authorization: Bearer <admin token, a read token or a share link's id>");
        }
        return new Answer(200, Json.write(Map.of("admin", admin, "sites", list)));
    }

    private static Answer unknownSite(final String name)
    {
        return Answer.error(404, "unknown_site", "no site '" + name + "' is configured (name it by its domain)");
    }

    /** The goals of a site, or one goal ({@code name} not null). */
    private Answer goals(final HttpMethod method, final String site, final String name, final String body)
    {
        try
        {
            return name == null ? onGoals(method, site, body) : onGoal(method, site, name, body);
        }
        catch (final InvalidGoalException ex)
        {
            // the field it names, apart, so a form can show the error beside it
            final Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", "invalid_goal");
            error.put("detail", ex.getMessage());
            error.put("field", ex.field());
            return new Answer(400, Json.write(error));
        }
        catch (final RefusedChange ex)
        {
            return Answer.error(ex.status(), ex.code(), ex.getMessage());
        }
        catch (final IllegalArgumentException ex)
        {
            return Answer.error(400, "invalid_json", ex.getMessage());
        }
    }

    /**
     * The stats API: the admin token, the site's read token, or one of the site's share links (its id as the bearer
     * token). {@code path}: stats, site, report.
     */
    private Answer stats(final HttpMethod method, final List<String> path, final String authorization,
        final QueryParameters query)
    {
        if (path.size() == 2 && PlausibleStatsApi.ENDPOINTS.contains(path.get(1)))
        {
            // Plausible's Stats API: two segments, where Tally's reports have three ({site}/{report})
            return method == HttpMethod.GET ? plausible.handle(path.get(1), authorization, query)
                : Answer.error(405, "method_not_allowed", "use GET");
        }
        final Site site = path.size() == 3 ? sites.byDomain(path.get(1)) : null;
        if (!token.authorizes(authorization) && (site == null || !readsSite(site, AdminToken.bearer(authorization))))
        {
            return Answer.error(401, "unauthorized", "send Authorization: Bearer <admin token, the site's read token or a share link's id>");
        }
        if (path.size() != 3)
        {
            return Answer.error(404, "not_found", "use /api/v1/stats/{site}/kpis, goals or events");
        }
        if (method != HttpMethod.GET)
        {
            return Answer.error(405, "method_not_allowed", "use GET");
        }
        if (site == null)
        {
            return unknownSite(path.get(1));
        }
        if (path.get(2).equals("usage"))
        {
            query.allowOnly(List.of(), "usage");
            return usage(site);
        }
        if (path.get(2).equals("realtime"))
        {
            return realtime.answer(site, query);
        }
        if (path.get(2).equals("sessions") && !token.authorizes(authorization) &&
            !site.isReadToken(AdminToken.bearer(authorization)))
        {
            // a share link is a public URL: it shows the aggregate figures, not each session's events
            return Answer.error(403, "forbidden", "a share link reads the reports, not the sessions");
        }
        if (ExplorationReports.REPORTS.contains(path.get(2)))
        {
            return explorationReports.handle(site, path.get(2), query, stats::range);
        }
        return stats.handle(site, path.get(2), query);
    }

    /** Whether {@code authorization} reads {@code site}: the admin token, its read token or one of its share links. */
    private boolean authorizesSite(final Site site, final String authorization)
    {
        return token.authorizes(authorization) || readsSite(site, AdminToken.bearer(authorization));
    }

    private boolean readsSite(final Site site, final String bearer)
    {
        return site.isReadToken(bearer) || shareLinks.reads(site.domain(), bearer);
    }

    /** The site's events this month against its quota. */
    private Answer usage(final Site site)
    {
        final Quotas.SiteUsage usage = quotas.usage(site.domain(), clock.getAsLong());
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", usage.site());
        body.put("month", usage.month().toString());
        body.put("events", usage.used());
        body.put("quota", usage.quota() > 0 ? usage.quota() : null);
        body.put("remaining", usage.quota() > 0 ? Math.max(0, usage.quota() - usage.used()) : null);
        body.put("resets_at", java.time.Instant.ofEpochMilli(usage.resetsAtMillis()).toString());
        return new Answer(200, Json.write(body));
    }

    /** Site tokens for the trusted events API: create (shown once), list (ids only), revoke. */
    private Answer onTokens(final HttpMethod method, final String site, final String id)
    {
        if (id == null && method == HttpMethod.POST)
        {
            final SiteTokens.Created created = siteTokens.create(site);
            return new Answer(201, Json.write(Map.of("token", created.token(), "id", created.id(), "site", site)));
        }
        if (id == null && method == HttpMethod.GET)
        {
            final List<Object> list = new ArrayList<>();
            siteTokens.list(site).forEach(t -> list.add(Map.of("id", t.id(), "created", t.created())));
            return new Answer(200, Json.write(Map.of("tokens", list)));
        }
        if (id != null && method == HttpMethod.DELETE)
        {
            return siteTokens.revoke(site, id) ? new Answer(204, null) :
                Answer.error(404, "no_such_token", "no token '" + id + "' for " + site);
        }
        return Answer.error(405, "method_not_allowed", "POST or GET .../tokens, DELETE .../tokens/{id}");
    }

    private Answer onGoals(final HttpMethod method, final String site, final String body)
    {
        if (method == HttpMethod.GET)
        {
            return list(site);
        }
        if (method == HttpMethod.POST)
        {
            final Goal goal = GoalJson.read(Json.parse(body));
            goals.add(site, goal);
            return new Answer(201, Json.write(GoalJson.write(goal)));
        }
        return Answer.error(405, "method_not_allowed", "use GET or POST");
    }

    private Answer onGoal(final HttpMethod method, final String site, final String name, final String body)
    {
        if (name.equals("test") && method == HttpMethod.POST)
        {
            return new Answer(200, Json.write(trial.run(site, GoalJson.read(Json.parse(body)))));
        }
        if (name.equals("order") && method == HttpMethod.PUT)
        {
            goals.reorder(site, names(Json.parse(body)));
            return list(site);
        }
        if (method == HttpMethod.PUT)
        {
            final Goal goal = GoalJson.read(Json.parse(body));
            goals.replace(site, name, goal);
            return new Answer(200, Json.write(GoalJson.write(goal)));
        }
        if (method == HttpMethod.DELETE)
        {
            goals.remove(site, name);
            return new Answer(204, null);
        }
        if (method == HttpMethod.GET)
        {
            for (final Goal goal : goals.goals(site))
            {
                if (goal.name().equals(name))
                {
                    return new Answer(200, Json.write(GoalJson.write(goal)));
                }
            }
            return Answer.error(404, "no_such_goal", "no goal named '" + name + "'");
        }
        return Answer.error(405, "method_not_allowed", "use GET, PUT or DELETE");
    }

    private Answer list(final String site)
    {
        final List<Object> list = new ArrayList<>();
        goals.goals(site).forEach(goal -> list.add(GoalJson.write(goal)));
        return new Answer(200, Json.write(Map.of("goals", list)));
    }

    /** The body of a reorder: a list of names, or {@code {"names": [...]}}. */
    private static List<String> names(final Object json)
    {
        final Object list = json instanceof Map ? ((Map<?, ?>)json).get("names") : json;
        if (!(list instanceof List))
        {
            throw new RefusedChange(400, "invalid_order", "names: send the goal names as a JSON array");
        }
        final List<String> names = new ArrayList<>();
        for (final Object name : (List<?>)list)
        {
            if (!(name instanceof String))
            {
                throw new RefusedChange(400, "invalid_order", "names: every entry must be a string");
            }
            names.add((String)name);
        }
        return names;
    }
}
