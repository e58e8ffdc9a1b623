package io.tally.bench.soak;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessSampleTest
{
    private static final String STATUS = """
        Name:\tjava
        Umask:\t0022
        State:\tS (sleeping)
        VmPeak:\t 9309484 kB
        VmRSS:\t  153928 kB
        RssAnon:\t   96020 kB
        RssFile:\t   57908 kB
        RssShmem:\t       0 kB
        Threads:\t41
        SigQ:\t0/91738
        """;

    @Test
    void readsTheFieldsOfProcStatus()
    {
        assertEquals(new ProcessSample(153_928, 96_020, 57_908, 41, 75), ProcessSample.parse(STATUS, 75));
    }

    @Test
    void aMissingFieldIsAnErrorNotAZero()
    {
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
            () -> ProcessSample.parse(STATUS.replace("Threads:\t41\n", ""), 75));
        assertEquals("no Threads in /proc/PID/status", missing.getMessage());
    }

    @Test
    void countsTheOpenFilesAndThreadsOfALiveProcess(@TempDir final Path dir) throws Exception
    {
        final long pid = ProcessHandle.current().pid();
        final ProcessSample before = ProcessSample.of(pid);
        assertTrue(before.rssKb() > 0 && before.rssAnonKb() > 0 && before.rssFileKb() > 0, before.toString());
        assertTrue(before.rssKb() >= before.rssAnonKb(), before.toString());
        final List<RandomAccessFile> files = new ArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                files.add(new RandomAccessFile(dir.resolve("f" + i).toFile(), "rw"));
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                });
                thread.start();
                threads.add(thread);
            }
            final ProcessSample during = ProcessSample.of(pid);
            // other threads of the test JVM may open or close a file or start a thread meanwhile: at least ours show
            assertTrue(during.openFiles() >= before.openFiles() + 18, before + " then " + during);
            assertTrue(during.threads() >= before.threads() + 18, before + " then " + during);
        }
        finally
        {
            release.countDown();
            for (final RandomAccessFile file : files)
            {
                file.close();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }
    }

    @Test
    void aProcessThatIsGoneIsAnError()
    {
        assertThrows(java.io.UncheckedIOException.class, () -> ProcessSample.of(Integer.MAX_VALUE));
    }
}
