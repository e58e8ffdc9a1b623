package io.tally.bench.compare;

import io.netty.channel.uring.IoUring;
import io.tally.testing.RawHttp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every variant of the do-nothing server answers each request once, whatever the bodies and the splits. */
class NullServerTest
{
    private static final String BODY = "{\"t\":\"p\",\"u\":\"https://shop.example/\"}";

    @ParameterizedTest
    @CsvSource({"EPOLL, NETTY", "EPOLL, SCANNER", "IO_URING, NETTY", "IO_URING, SCANNER"})
    void answersEveryRequestOnce(final NullServer.Transport transport, final NullServer.Decoder decoder) throws IOException
    {
        Assumptions.assumeTrue(transport != NullServer.Transport.IO_URING || IoUring.isAvailable(), "io_uring not available");
        try (NullServer server = new NullServer("127.0.0.1", 0, 1, transport, decoder, null);
             RawHttp http = new RawHttp(server.port()))
        {
            final byte[] first = RawHttp.post("/api/event", "application/json", BODY);
            final byte[] second = ("POST /api/event HTTP/1.1\r\nHost: x\r\ncontent-LENGTH:  " + BODY.length() +
                "\r\n\r\n" + BODY).getBytes(StandardCharsets.ISO_8859_1);
            final byte[] bodyless = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            final byte[] pipelined = RawHttp.concat(RawHttp.concat(first, second), bodyless);
            final int split = first.length + 20;
            http.send(Arrays.copyOfRange(pipelined, 0, split));
            assertEquals(202, http.read().status());
            http.send(Arrays.copyOfRange(pipelined, split, pipelined.length));
            assertEquals(202, http.read().status());
            assertEquals(202, http.read().status());
            assertEquals(3, server.requests());
        }
    }

    @ParameterizedTest
    @CsvSource({"EPOLL", "IO_URING"})
    void theScannerClosesAChunkedRequest(final NullServer.Transport transport) throws IOException
    {
        Assumptions.assumeTrue(transport != NullServer.Transport.IO_URING || IoUring.isAvailable(), "io_uring not available");
        try (NullServer server = new NullServer("127.0.0.1", 0, 1, transport, NullServer.Decoder.SCANNER, null);
             RawHttp http = new RawHttp(server.port()))
        {
            http.send("POST /api/event HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            http.setReadTimeoutMillis(5_000);
            assertTrue(http.isClosedByServer());
            assertEquals(0, server.requests());
        }
    }

    /** With mapped records, each request answered writes one record and counts it in the file's header. */
    @Test
    void writesARecordThroughTheMappingForEachRequest(@TempDir final Path dir) throws IOException
    {
        final Path file = dir.resolve("records");
        try (NullServer server = new NullServer("127.0.0.1", 0, 1, NullServer.Transport.EPOLL, NullServer.Decoder.NETTY,
            new MappedRecords(file, 100));
             RawHttp http = new RawHttp(server.port()))
        {
            for (int i = 0; i < 3; i++)
            {
                http.send(RawHttp.post("/api/event", "application/json", BODY));
                assertEquals(202, http.read().status());
            }
        }
        try (FileChannel channel = FileChannel.open(file))
        {
            final ByteBuffer header = ByteBuffer.allocate(8);
            channel.read(header, 0);
            assertEquals(3, header.flip().getLong(), "records counted in the header");
            final ByteBuffer records = ByteBuffer.allocate(301);
            channel.read(records, 4096);
            final byte[] bytes = records.array();
            assertEquals('r', bytes[0]);
            assertEquals('r', bytes[299]);
            assertEquals(0, bytes[300], "three records of 100 bytes, nothing after");
        }
        assertEquals(256L << 20, Files.size(file));
    }

    /** With journal records (and a thread reading them behind), each request answered appends one record to a journal. */
    @Test
    void appendsARecordToTheJournalForEachRequest(@TempDir final Path dir) throws IOException
    {
        final JournalRecords records = new JournalRecords(dir, 100, 1);
        try (NullServer server = new NullServer("127.0.0.1", 0, 1, NullServer.Transport.EPOLL, NullServer.Decoder.NETTY,
            records);
             RawHttp http = new RawHttp(server.port()))
        {
            for (int i = 0; i < 3; i++)
            {
                http.send(RawHttp.post("/api/event", "application/json", BODY));
                assertEquals(202, http.read().status());
            }
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (records.recordsRead() < 3 && System.nanoTime() < deadline)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // the tailer parks a millisecond when caught up
            }
            assertEquals(3, records.recordsRead(), "the tailer read every record");
        }
        try (io.tally.store.Journal journal = io.tally.store.Journal.openForReading(dir))
        {
            assertEquals(3, journal.countAfter(-1), "records in the journal");
        }
    }
}
