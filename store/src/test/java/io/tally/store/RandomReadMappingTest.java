package io.tally.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class RandomReadMappingTest
{
    private static final long PAGE = RandomReadMapping.PAGE;

    @TempDir
    Path dir;

    @Test
    void eachTouchReadsItsOwnPageAcrossWindowsAndTheFilesShortLastWindow() throws IOException
    {
        final int pages = 10;
        final Path file = dir.resolve("pages");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            for (int page = 0; page < pages; page++)
            {
                out.write(ByteBuffer.wrap(new byte[] {(byte)(page + 1)}), page * PAGE); // page n starts with n + 1
            }
            out.truncate(pages * PAGE);
            out.write(ByteBuffer.wrap(new byte[] {0}), pages * PAGE - 1);
        }
        // windows of 4 pages: [0, 4), [4, 8) and the last one cut short at the file's end, [8, 10)
        try (RandomReadMapping mapping = new RandomReadMapping(FileChannel.open(file, StandardOpenOption.READ), 4 * PAGE))
        {
            assertEquals(pages * PAGE, mapping.fileSize());
            long expected = 0;
            for (final int page : new int[] {0, 3, 4, 9, 8, 1, 7})
            {
                mapping.touch(page * PAGE, mapping.fileSize());
                expected += page + 1;
                assertEquals(expected, mapping.sink(), "the byte read for page " + page + " is that page's");
            }
        }
    }

    @Test
    void aHoleReadsAsZeroAndTakesNoBlock() throws IOException
    {
        // on tmpfs a read of a hole takes a page of memory, which stat counts as a block: nothing to check there
        assumeFalse("tmpfs".equals(Files.getFileStore(dir).type()), "a disk's file system");
        final Path file = dir.resolve("sparse");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            out.truncate(0);
            out.write(ByteBuffer.wrap(new byte[] {0}), 1024 * PAGE - 1); // 4 MB, all of it a hole but the last byte
        }
        final long blocksBefore = allocatedBytes(file);
        try (RandomReadMapping mapping = new RandomReadMapping(FileChannel.open(file, StandardOpenOption.READ), 64 * PAGE))
        {
            for (long position = 0; position < 1000 * PAGE; position += PAGE)
            {
                mapping.touch(position, mapping.fileSize());
            }
            assertEquals(0, mapping.sink());
        }
        assertEquals(blocksBefore, allocatedBytes(file), "reading a hole allocates nothing on the disk");
    }

    /** The file's 512-byte blocks on the disk, from {@code stat}: what a write into a hole would add to. */
    private static long allocatedBytes(final Path file) throws IOException
    {
        final Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        try
        {
            final String out = new String(stat.getInputStream().readAllBytes()).trim();
            stat.waitFor();
            return Long.parseLong(out);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }
}
