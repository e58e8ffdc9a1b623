package io.tally.engine.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Outcome;
import io.tally.codec.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One NDJSON batch of trusted events, read as a stream: the body's pieces are cut into lines as they arrive
 * and each line is handed on at once, so a batch of any size needs only one line of memory. A line that lies
 * within one piece is handed on in place (no slice); only a line split across pieces is copied, into a buffer of
 * {@code maxLine} bytes (a longer line is skipped and reported as {@code line_too_long}). One per connection,
 * reused for each batch.
 */
public final class NdjsonBatch
{
    /** Rejected lines reported one by one; the rest are only counted. */
    static final int MAX_REPORTED = 1000;

    /** Takes one line (without its line break); returns what became of it, and says why when it was refused. */
    @FunctionalInterface
    public interface LineSink
    {
        /** The line is the bytes {@code [from, to)} of {@code buffer}, valid during the call. */
        IngestResult onLine(ByteBuf buffer, int from, int to);
    }

    private final ByteBuf pending;
    private final int maxLine;
    private boolean overlong;
    private int lineNumber;
    private long accepted;
    private long duplicates;
    private long rejectedCount;
    private boolean forbidden;
    private boolean unavailable;
    private long retryAfterSeconds;
    private final List<Object> rejected = new ArrayList<>();

    public NdjsonBatch(final int maxLine)
    {
        this.maxLine = maxLine;
        this.pending = Unpooled.buffer(Math.min(maxLine, 4096), maxLine);
    }

    public void reset()
    {
        pending.clear();
        overlong = false;
        lineNumber = 0;
        accepted = 0;
        duplicates = 0;
        rejectedCount = 0;
        forbidden = false;
        unavailable = false;
        retryAfterSeconds = 0;
        rejected.clear();
    }

    /** Cuts {@code piece} into lines, handing each complete one to {@code sink}. */
    public void feed(final ByteBuf piece, final LineSink sink)
    {
        feed(piece, piece.readerIndex(), piece.writerIndex(), sink);
    }

    /** Cuts {@code [from, end)} of {@code piece} into lines (its indexes are not moved), as {@link #feed(ByteBuf, LineSink)}. */
    public void feed(final ByteBuf piece, final int from, final int end, final LineSink sink)
    {
        int start = from;
        while (start < end)
        {
            final int newline = piece.indexOf(start, end, (byte)'\n');
            if (newline < 0)
            {
                keep(piece, start, end - start);
                return;
            }
            if (pending.isReadable() || overlong)
            {
                keep(piece, start, newline - start);
                line(pending, pending.readerIndex(), pending.writerIndex(), sink);
                pending.clear();
            }
            else
            {
                line(piece, start, newline, sink);
            }
            start = newline + 1;
        }
    }

    /** The body ended: the last line may have no line break. */
    public void finish(final LineSink sink)
    {
        if (pending.isReadable() || overlong)
        {
            line(pending, pending.readerIndex(), pending.writerIndex(), sink);
            pending.clear();
        }
    }

    private void keep(final ByteBuf piece, final int from, final int length)
    {
        if (overlong || pending.readableBytes() + length > maxLine)
        {
            overlong = true;
            pending.clear();
            return;
        }
        pending.writeBytes(piece, from, length);
    }

    private void line(final ByteBuf buffer, final int from, final int to, final LineSink sink)
    {
        lineNumber++;
        if (overlong || to - from > maxLine)
        {
            overlong = false;
            reject(Outcome.LINE_TOO_LONG, "a line is longer than " + maxLine + " bytes");
            return;
        }
        int end = to;
        if (end > from && buffer.getByte(end - 1) == '\r')
        {
            end--;
        }
        if (isBlank(buffer, from, end))
        {
            return;
        }
        final IngestResult result = sink.onLine(buffer, from, end);
        final Outcome outcome = result.outcome();
        if (outcome == Outcome.ACCEPTED || outcome == Outcome.ROBOT)
        {
            accepted++; // a robot's event is acknowledged as any other (and not stored)
        }
        else if (outcome == Outcome.DUPLICATE)
        {
            duplicates++;
        }
        else
        {
            forbidden |= outcome == Outcome.FORBIDDEN_SITE;
            unavailable |= outcome.httpStatus() == 503;
            retryAfterSeconds = Math.max(retryAfterSeconds, result.retryAfterSeconds());
            reject(outcome, result.detail() == null ? null : result.detail().toString());
        }
    }

    private void reject(final Outcome outcome, final String detail)
    {
        rejectedCount++;
        if (rejected.size() < MAX_REPORTED)
        {
            final Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("line", lineNumber);
            entry.put("error", outcome.code());
            entry.put("detail", detail);
            rejected.add(entry);
        }
    }

    private static boolean isBlank(final ByteBuf buffer, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final byte b = buffer.getByte(i);
            if (b != ' ' && b != '\t')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * 503 when lines were refused because the engine could not store them now (a full disk): sending the batch
     * again later stores them, and its ids keep what was taken from being stored twice. 403 when lines were
     * refused for another site and nothing was taken; 200 otherwise.
     */
    public int status()
    {
        if (unavailable)
        {
            return 503;
        }
        return forbidden && accepted == 0 && duplicates == 0 ? 403 : 200;
    }

    /** For a 503: the longest wait any refused line asked for, in whole seconds (at least 1). */
    public long retryAfterSeconds()
    {
        return Math.max(1, retryAfterSeconds);
    }

    public String summary()
    {
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("accepted", accepted);
        json.put("duplicates", duplicates);
        json.put("rejected_count", rejectedCount);
        json.put("rejected", rejected);
        return Json.write(json);
    }
}
