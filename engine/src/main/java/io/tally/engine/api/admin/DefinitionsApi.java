package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.explore.DefinitionBook;
import io.tally.engine.explore.InvalidDefinitionException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A site's funnels or experiments under {@code /api/v1/sites/{site}/funnels} and {@code .../experiments} (admin
 * token): {@code POST} keeps one (replacing one of its name: 201 when new, 200 when replaced), {@code GET} lists them
 * or reads one ({@code .../funnels/{name}}), {@code DELETE .../funnels/{name}} deletes one. A definition that cannot
 * be kept is a 400 naming the field at fault ({@code "field": "steps[1].type"}).
 */
final class DefinitionsApi<T>
{
    private final String kind;
    private final DefinitionBook<T> book;
    private final Function<Object, T> reader;
    private final Function<T, Map<String, Object>> writer;
    private final BiConsumer<String, T> check;

    /**
     * @param kind  {@code funnel} or {@code experiment}: names the list ({@code funnels}) and the errors.
     * @param check more checks of a definition read well, for a site (its goal exists, its filters parse): throws
     *              {@link InvalidDefinitionException}.
     */
    DefinitionsApi(final String kind, final DefinitionBook<T> book, final Function<Object, T> reader,
        final Function<T, Map<String, Object>> writer, final BiConsumer<String, T> check)
    {
        this.kind = kind;
        this.book = book;
        this.reader = reader;
        this.writer = writer;
        this.check = check;
    }

    Answer handle(final HttpMethod method, final String site, final String name, final String body)
    {
        if (name == null && method == HttpMethod.POST)
        {
            return keep(site, body);
        }
        if (name == null && method == HttpMethod.GET)
        {
            final List<Object> list = new ArrayList<>();
            book.list(site).forEach(definition -> list.add(writer.apply(definition)));
            return new Answer(200, Json.write(Map.of(kind + "s", list)));
        }
        if (name != null && method == HttpMethod.GET)
        {
            final T definition = book.get(site, name);
            return definition == null ? missing(site, name) : new Answer(200, Json.write(writer.apply(definition)));
        }
        if (name != null && method == HttpMethod.DELETE)
        {
            return book.remove(site, name) ? new Answer(204, null) : missing(site, name);
        }
        return Answer.error(405, "method_not_allowed", "POST or GET ." + "../" + kind + "s, GET or DELETE .../" + kind + "s/{name}");
    }

    private Answer keep(final String site, final String body)
    {
        final T definition;
        try
        {
            definition = reader.apply(Json.parse(body == null ? "" : body));
            check.accept(site, definition);
        }
        catch (final InvalidDefinitionException ex)
        {
            final Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", "invalid_" + kind);
            error.put("field", ex.field());
            error.put("detail", ex.getMessage());
            return new Answer(400, Json.write(error));
        }
        catch (final IllegalArgumentException ex)
        {
            return Answer.error(400, "invalid_json", ex.getMessage());
        }
        try
        {
            final boolean replaced = book.put(site, definition);
            return new Answer(replaced ? 200 : 201, Json.write(writer.apply(definition)));
        }
        catch (final DefinitionBook.TooMany ex)
        {
            return Answer.error(409, "too_many_" + kind + "s", ex.getMessage());
        }
    }

    private Answer missing(final String site, final String name)
    {
        return Answer.error(404, "no_such_" + kind, "no " + kind + " '" + name + "' for " + site);
    }
}
