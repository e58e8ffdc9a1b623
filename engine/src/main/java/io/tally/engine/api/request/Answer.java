package io.tally.engine.api.request;

import io.tally.codec.json.Json;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An answer of the API: status and body (null for none), JSON unless {@code contentType} says otherwise; or, with
 * {@code file}, that file's bytes (a scratch file: the server deletes it once it is open).
 */
public record Answer(int status, String json, String contentType, Path file)
{
    public Answer(final int status, final String json)
    {
        this(status, json, null, null);
    }

    public static Answer error(final int status, final String code, final String detail)
    {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("detail", detail);
        return new Answer(status, Json.write(body));
    }
}
