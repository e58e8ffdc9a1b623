package io.tally.cluster;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.ApiHandler;
import io.tally.engine.api.request.Answer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * Put in front of a worker's API with {@code --peers}: a stats request for a report that adds up across workers
 * ({@link #MERGED}) is answered for the whole cluster, from this worker's figures and each peer's (asked with
 * {@code scope=local}, which answers for one worker only, and with the caller's own token). A peer that does not
 * answer 200 makes the request fail (502 {@code peer_unavailable}): part of the cluster's figures would look whole.
 * The row reports (pages, sources, entry and exit pages, events, countries, browsers, systems, devices) and the time
 * series merge in {@link ReportsMerge}. Sessions and realtime read a journal, and a worker's is empty: the ingest
 * nodes answer those.
 */
public final class ClusterStats implements UnaryOperator<ApiHandler>
{
    /** The reports answered for the whole cluster (with {@link ReportsMerge#REPORTS}, the row reports). */
    public static final Set<String> MERGED = Set.of("kpis", "goals");
    private static final String PREFIX = "/api/v1/stats/";
    private static final String LOCAL = "scope=local";
    private static final Duration PEER_WAIT = Duration.ofSeconds(10);

    private final List<String> peers;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(PEER_WAIT).build();

    /** @param peers the other workers, {@code host:port} each. */
    public ClusterStats(final List<String> peers)
    {
        this.peers = List.copyOf(peers);
    }

    @Override
    public ApiHandler apply(final ApiHandler local)
    {
        return (method, uri, authorization, body) -> answer(local, method, uri, authorization, body);
    }

    private Answer answer(final ApiHandler local, final HttpMethod method, final String uri,
        final String authorization, final String body)
    {
        if (!method.equals(HttpMethod.GET) || !uri.startsWith(PREFIX))
        {
            return local.handle(method, uri, authorization, body);
        }
        final int question = uri.indexOf('?');
        final String path = question < 0 ? uri : uri.substring(0, question);
        final String query = question < 0 ? "" : uri.substring(question + 1);
        final List<String> parameters = new ArrayList<>(query.isEmpty() ? List.of() : List.of(query.split("&")));
        if (parameters.remove(LOCAL))
        {
            return local.handle(method, path + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters)),
                authorization, body);
        }
        final String report = path.substring(path.lastIndexOf('/') + 1);
        if (ReportsMerge.REPORTS.contains(report) && !peers.isEmpty())
        {
            return rows(local, path, parameters, authorization, report);
        }
        final Answer own = local.handle(method, uri, authorization, body);
        if (own.status() != 200 || !MERGED.contains(report) || peers.isEmpty())
        {
            return own;
        }
        try
        {
            final List<Map<String, Object>> answers = new ArrayList<>();
            answers.add(Json.parseObject(own.json()));
            answers.addAll(askPeers(path, query, authorization));
            if (report.equals("kpis"))
            {
                return new Answer(200, Json.write(StatsMerge.kpis(answers)));
            }
            final List<Map<String, Object>> kpis = new ArrayList<>();
            final String kpisPath = path.substring(0, path.lastIndexOf('/') + 1) + "kpis";
            kpis.add(Json.parseObject(local.handle(method, kpisPath + (query.isEmpty() ? "" : "?" + query), authorization,
                body).json()));
            kpis.addAll(askPeers(kpisPath, query, authorization));
            return new Answer(200, Json.write(StatsMerge.goals(answers,
                StatsMerge.number(StatsMerge.kpis(kpis), "visitors"))));
        }
        catch (final PeerException ex)
        {
            return Answer.error(502, "peer_unavailable", ex.getMessage());
        }
    }

    /**
     * A row report for the whole cluster: every worker asked for its rows up to {@link ReportsMerge#MAX_ROWS}, added,
     * then cut to the caller's {@code limit} (and {@code page}). The caller's parameters are checked by this worker
     * first (but the page, which only the merged list can check), so a bad one is answered as one node answers it.
     */
    private Answer rows(final ApiHandler local, final String path, final List<String> parameters,
        final String authorization, final String report)
    {
        final List<String> checked = new ArrayList<>(parameters);
        final boolean oneName = checked.stream().anyMatch(parameter -> parameter.startsWith("name="));
        final String pageText = oneName ? null : take(checked, "page"); // with name= a page is refused as it is alone
        final String checkedUri = join(path, checked);
        final Answer check = local.handle(HttpMethod.GET, checkedUri, authorization, null);
        if (check.status() != 200)
        {
            return check;
        }
        final int page;
        try
        {
            page = pageText == null ? 1 : Integer.parseInt(pageText);
            if (page < 1)
            {
                throw new NumberFormatException();
            }
        }
        catch (final NumberFormatException ex)
        {
            return Answer.error(400, "invalid_query", "page: a whole number of at least 1");
        }
        final String limitText = take(checked, "limit");
        final Integer limit = limitText == null ? null : Integer.valueOf(limitText);
        if (ReportsMerge.LIMITED.contains(report) && !oneName && !(limit == null && ReportsMerge.byGoal(report, checked)))
        {
            checked.add("limit=" + ReportsMerge.MAX_ROWS);
        }
        try
        {
            final List<Map<String, Object>> answers = new ArrayList<>();
            final String ownUri = join(path, checked);
            answers.add(Json.parseObject((ownUri.equals(checkedUri) ? check : // the same question: asked once
                local.handle(HttpMethod.GET, ownUri, authorization, null)).json()));
            answers.addAll(askPeers(path, String.join("&", checked), authorization));
            final Map<String, Object> merged = ReportsMerge.merge(report, answers, limit, page);
            if (report.equals("exit_pages"))
            {
                ReportsMerge.exitRates(merged, pageAnswers(local, path, checked, authorization));
            }
            return new Answer(200, Json.write(merged));
        }
        catch (final PeerException ex)
        {
            return Answer.error(502, "peer_unavailable", ex.getMessage());
        }
        catch (final ReportsMerge.PageTooFar ex)
        {
            return Answer.error(400, "invalid_query", ex.getMessage());
        }
    }

    /**
     * Every worker's pages report for the same range: a worker has an exit row only for pages a visit left from, so the
     * pageviews of a page that others' visitors viewed without leaving come from here.
     */
    private List<Map<String, Object>> pageAnswers(final ApiHandler local, final String path, final List<String> parameters,
        final String authorization) throws PeerException
    {
        final String pages = path.substring(0, path.lastIndexOf('/') + 1) + "pages";
        final List<Map<String, Object>> answers = new ArrayList<>();
        answers.add(Json.parseObject(local.handle(HttpMethod.GET, join(pages, parameters), authorization, null).json()));
        answers.addAll(askPeers(pages, String.join("&", parameters), authorization));
        return answers;
    }

    /** Removes parameter {@code name} from {@code parameters}: its value, or null when it was not there. */
    private static String take(final List<String> parameters, final String name)
    {
        for (int i = 0; i < parameters.size(); i++)
        {
            if (parameters.get(i).startsWith(name + "="))
            {
                return parameters.remove(i).substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String join(final String path, final List<String> parameters)
    {
        return parameters.isEmpty() ? path : path + "?" + String.join("&", parameters);
    }

    /** Each peer's answer for itself alone, asked all at once. */
    private List<Map<String, Object>> askPeers(final String path, final String query, final String authorization)
        throws PeerException
    {
        final List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (final String peer : peers)
        {
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + peer + path + "?" +
                (query.isEmpty() ? "" : query + "&") + LOCAL)).timeout(PEER_WAIT).GET();
            if (authorization != null)
            {
                request.header("Authorization", authorization);
            }
            pending.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        final List<Map<String, Object>> answers = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++)
        {
            final HttpResponse<String> answer;
            try
            {
                answer = pending.get(i).get();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new PeerException(peers.get(i) + ": interrupted");
            }
            catch (final java.util.concurrent.ExecutionException ex)
            {
                throw new PeerException(peers.get(i) + " did not answer: " + ex.getCause());
            }
            if (answer.statusCode() != 200)
            {
                throw new PeerException(peers.get(i) + " answered " + answer.statusCode() + ": " + answer.body());
            }
            answers.add(Json.parseObject(answer.body()));
        }
        return answers;
    }

    /** A peer that did not give its figures. */
    private static final class PeerException extends Exception
    {
        private static final long serialVersionUID = 1L;

        PeerException(final String message)
        {
            super(message);
        }
    }
}
