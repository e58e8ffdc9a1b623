package io.tally.engine.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tally.codec.Outcome;
import io.tally.codec.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Cutting a streamed body into lines, at every split, and the bounds of the report. */
class NdjsonBatchTest
{
    /** Accepts lines that start with '{', refuses the others; remembers what it saw. */
    private static final class Recorder implements NdjsonBatch.LineSink
    {
        final List<String> lines = new ArrayList<>();
        private final IngestResult result = new IngestResult();

        @Override
        public IngestResult onLine(final ByteBuf buffer, final int from, final int to)
        {
            final String text = buffer.toString(from, to - from, StandardCharsets.UTF_8);
            lines.add(text);
            result.begin();
            if (text.startsWith("{"))
            {
                return result.accept();
            }
            result.refuse(Outcome.INVALID_JSON, "not an object");
            return result;
        }
    }

    @Test
    void linesComeOutWholeWhereverThePiecesAreCut()
    {
        final String body = "{\"a\":1}\n\n{\"b\":\"\u00e9\"}\r\nbad\n{\"c\":3}";
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++)
        {
            final NdjsonBatch batch = new NdjsonBatch(64);
            final Recorder recorder = new Recorder();
            batch.feed(Unpooled.wrappedBuffer(bytes, 0, split), recorder);
            batch.feed(Unpooled.wrappedBuffer(bytes, split, bytes.length - split), recorder);
            batch.finish(recorder);
            assertEquals(List.of("{\"a\":1}", "{\"b\":\"\u00e9\"}", "bad", "{\"c\":3}"), recorder.lines, "split " + split);
            final Map<String, Object> summary = Json.parseObject(batch.summary());
            assertEquals("3", summary.get("accepted").toString());
            assertEquals("4", ((Map<?, ?>)((List<?>)summary.get("rejected")).get(0)).get("line").toString(), "blank lines count");
        }
    }

    @Test
    void aLineAtTheLimitPassesAndOnePastIsRefusedEvenAcrossPieces()
    {
        final String atLimit = "{" + "x".repeat(62) + "}";
        final String past = "{" + "x".repeat(63) + "}";
        final byte[] bytes = (atLimit + "\n" + past + "\n{}").getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++)
        {
            final NdjsonBatch batch = new NdjsonBatch(64);
            final Recorder recorder = new Recorder();
            batch.feed(Unpooled.wrappedBuffer(bytes, 0, split), recorder);
            batch.feed(Unpooled.wrappedBuffer(bytes, split, bytes.length - split), recorder);
            batch.finish(recorder);
            assertEquals(List.of(atLimit, "{}"), recorder.lines, "split " + split);
            final Map<String, Object> summary = Json.parseObject(batch.summary());
            assertEquals("line_too_long", ((Map<?, ?>)((List<?>)summary.get("rejected")).get(0)).get("error"));
        }
    }

    @Test
    void theFirstThousandRefusedLinesAreListedAndAllAreCounted()
    {
        final NdjsonBatch batch = new NdjsonBatch(64);
        final Recorder recorder = new Recorder();
        batch.feed(Unpooled.copiedBuffer("bad\n".repeat(NdjsonBatch.MAX_REPORTED), StandardCharsets.UTF_8), recorder);
        assertEquals(NdjsonBatch.MAX_REPORTED, ((List<?>)Json.parseObject(batch.summary()).get("rejected")).size());
        batch.feed(Unpooled.copiedBuffer("bad\n", StandardCharsets.UTF_8), recorder);
        final Map<String, Object> summary = Json.parseObject(batch.summary());
        assertEquals(NdjsonBatch.MAX_REPORTED, ((List<?>)summary.get("rejected")).size());
        assertEquals(String.valueOf(NdjsonBatch.MAX_REPORTED + 1), summary.get("rejected_count").toString());
        assertEquals(200, batch.status());
    }
}
