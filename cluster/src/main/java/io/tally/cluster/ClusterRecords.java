package io.tally.cluster;

import io.tally.codec.EventRecord;
import io.tally.codec.EventRecordDecoder;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.ByteBuffer;

/**
 * How a journal record travels through Kafka: the value is the record's bytes exactly as in the journal; the key is
 * its site and visitor id, so the default partitioner (a hash of the key) puts one site's visitor in one partition,
 * always; two headers say which ingest node journaled it and at which journal index, which is what the workers
 * recognise a record sent twice by.
 */
public final class ClusterRecords
{
    public static final String NODE_HEADER = "tally-node";
    public static final String INDEX_HEADER = "tally-index";

    private ClusterRecords()
    {
    }

    /** The key: the site's UTF-8 bytes, then the visitor id (8 bytes, big-endian). */
    public static byte[] key(final EventRecordDecoder record)
    {
        final int offset = record.stringOffset(EventRecord.SITE);
        final int length = record.stringLength(EventRecord.SITE);
        final byte[] key = new byte[length + Long.BYTES];
        record.buffer().getBytes(offset, key, 0, length);
        ByteBuffer.wrap(key, length, Long.BYTES).putLong(record.visitorId());
        return key;
    }

    /**
     * The record's bytes as the journal holds them: a backfilled conversion's trailer (the journal index of the event
     * it converts) too, which the decoder's length leaves out.
     */
    public static byte[] value(final EventRecordDecoder record)
    {
        final byte[] value = new byte[record.length() + (record.isBackfill() ? EventRecord.BACKFILL_TRAILER : 0)];
        record.buffer().getBytes(record.offset(), value, 0, value.length);
        return value;
    }

    public static byte[] index(final long journalIndex)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(journalIndex).array();
    }

    /** The sending node's id, or null when the record has none (it did not come from a Tally forwarder). */
    public static String node(final Headers headers)
    {
        final Header header = headers.lastHeader(NODE_HEADER);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The journal index the sending node gave the record, or -1 when it has none. */
    public static long journalIndex(final Headers headers)
    {
        final Header header = headers.lastHeader(INDEX_HEADER);
        return header == null || header.value().length != Long.BYTES ? -1 : ByteBuffer.wrap(header.value()).getLong();
    }
}
