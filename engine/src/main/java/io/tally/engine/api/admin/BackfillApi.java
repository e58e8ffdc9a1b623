package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.ApiDates;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.api.request.QueryParameters;
import io.tally.engine.api.request.Range;
import io.tally.engine.backfill.GoalBackfill;
import io.tally.engine.site.Site;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code POST /api/v1/sites/{site}/goals/{name}/backfill?from=YYYY-MM-DD[&to=YYYY-MM-DD]} (admin token): evaluates the
 * goal over the events already journaled in those days (the site's time zone; {@code to} is today by default) and
 * records what it matches as backfilled conversions. Answers when done, with what was found and appended.
 */
final class BackfillApi
{
    private static final List<String> PARAMETERS = List.of("from", "to");
    private static final int MAX_DAYS = 3660;

    private final GoalBackfill backfill;
    private final LongSupplier clock;

    BackfillApi(final GoalBackfill backfill, final LongSupplier clock)
    {
        this.backfill = backfill;
        this.clock = clock;
    }

    /** Whether {@code path} (after {@code /api/v1/}) is a goal's backfill. */
    static boolean handles(final List<String> path)
    {
        return path.size() == 5 && path.get(0).equals("sites") && path.get(2).equals("goals") && path.get(4).equals("backfill");
    }

    Answer handle(final HttpMethod method, final Site site, final String goal, final QueryParameters query)
    {
        query.allowOnly(PARAMETERS, "backfill");
        if (method != HttpMethod.POST)
        {
            return Answer.error(405, "method_not_allowed", "use POST");
        }
        final ZoneId zone = ZoneId.of(site.timeZone());
        final String fromText = query.get("from");
        if (fromText == null)
        {
            throw new InvalidRequestException("invalid_range", "from (YYYY-MM-DD) is required");
        }
        final LocalDate from = ApiDates.day(fromText);
        final LocalDate to = query.has("to") ? ApiDates.day(query.get("to")) :
            java.time.Instant.ofEpochMilli(clock.getAsLong()).atZone(zone).toLocalDate();
        if (to.isBefore(from) || to.toEpochDay() - from.toEpochDay() >= MAX_DAYS)
        {
            throw new InvalidRequestException("invalid_range", "to must be on or after from, at most ten years later");
        }
        final Range range = Range.of(from, to, zone);
        final GoalBackfill.Result result;
        try
        {
            result = backfill.run(site.domain(), goal, range.fromMillis(), range.toMillis());
        }
        catch (final GoalBackfill.NoSuchGoalException ex)
        {
            return Answer.error(404, "no_such_goal", ex.getMessage());
        }
        catch (final GoalBackfill.TooLargeException ex)
        {
            return Answer.error(422, "range_too_large", ex.getMessage());
        }
        if (result == null)
        {
            return Answer.error(409, "backfill_running", "another backfill is running; try again when it is done");
        }
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("site", result.site());
        body.put("goal", result.goal());
        body.put("from", from.toString());
        body.put("to", to.toString());
        body.put("events_scanned", result.scanned());
        body.put("matched", result.matched());
        body.put("already_backfilled", result.alreadyClaimed());
        body.put("appended", result.appended());
        body.put("conversions", result.conversions());
        return new Answer(200, Json.write(body));
    }

}
