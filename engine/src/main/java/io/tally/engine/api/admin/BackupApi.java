package io.tally.engine.api.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.tally.codec.json.Json;
import io.tally.engine.api.request.Answer;
import io.tally.engine.api.request.InvalidRequestException;
import io.tally.engine.backup.EngineBackup;

import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/v1/backup} with {@code {"dir": "/absolute/path"}} (admin token): a consistent copy of the
 * engine's state into a new directory on the engine's machine ({@link EngineBackup}); 201 with what it holds. A
 * directory that cannot be used is a 422 {@code invalid_backup_dir} saying why; a failure to write, a 500
 * {@code backup_failed}. Runs on an API thread, never an event loop.
 */
final class BackupApi
{
    private final EngineBackup backup;

    BackupApi(final EngineBackup backup)
    {
        this.backup = backup;
    }

    Answer handle(final HttpMethod method, final String body)
    {
        if (method != HttpMethod.POST)
        {
            return Answer.error(405, "method_not_allowed", "use POST with {\"dir\": \"/absolute/path\"}");
        }
        final Path directory = directory(body);
        final EngineBackup.Result result;
        try
        {
            result = backup.write(directory);
        }
        catch (final IllegalArgumentException ex)
        {
            return Answer.error(422, "invalid_backup_dir", ex.getMessage());
        }
        catch (final UncheckedIOException ex)
        {
            return Answer.error(500, "backup_failed", ex.getMessage());
        }
        final Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dir", result.directory().toString());
        answer.put("journal_index", result.journalIndex());
        answer.put("journal_records", result.journalRecords());
        answer.put("rollup_index", result.rollupIndex());
        answer.put("state_files", result.stateFiles());
        return new Answer(201, Json.write(answer));
    }

    /** The one key, {@code dir}: anything else is a 400 naming it. */
    private static Path directory(final String body)
    {
        final Map<String, Object> request;
        try
        {
            request = Json.parseObject(body == null || body.isBlank() ? "{}" : body);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new InvalidRequestException("invalid_json", "the body is not a JSON object: " + ex.getMessage());
        }
        for (final String key : request.keySet())
        {
            if (!key.equals("dir"))
            {
                throw new InvalidRequestException("unknown_field", "unknown field '" + key + "': a backup takes dir");
            }
        }
        if (!(request.get("dir") instanceof String dir) || dir.isBlank())
        {
            throw new InvalidRequestException("invalid_request", "dir is required: the absolute path of a new directory");
        }
        try
        {
            return Path.of(dir);
        }
        catch (final InvalidPathException ex)
        {
            throw new InvalidRequestException("invalid_request", "dir is not a path: " + ex.getMessage());
        }
    }
}
