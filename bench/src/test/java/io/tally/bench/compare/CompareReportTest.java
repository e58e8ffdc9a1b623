package io.tally.bench.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareReportTest
{
    @Test
    void theTableReplacesTheLastOneBetweenTheMarkersAndKeepsTheRest(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n\nbefore\n" + CompareReport.BEGIN + "\nold table\n" + CompareReport.END +
            "\nafter\n");
        CompareReport.writeInto(file, "new table\n");
        assertEquals("# Benchmarks\n\nbefore\n" + CompareReport.BEGIN + "\nnew table\n" + CompareReport.END + "\nafter\n",
            Files.readString(file));
    }

    @Test
    void withoutMarkersTheTableIsAppendedUnderItsHeading(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("BENCHMARKS.md");
        Files.writeString(file, "# Benchmarks\n");
        CompareReport.writeInto(file, "table\n");
        assertEquals("# Benchmarks\n\n## Comparison: Tally, nginx and a do-nothing Netty server\n\n" + CompareReport.BEGIN +
            "\ntable\n" + CompareReport.END + "\n", Files.readString(file));
    }

    @Test
    void processCpuReadsThisProcessFromProc()
    {
        final long pid = ProcessHandle.current().pid();
        long sum = 0;
        for (int i = 0; i < 50_000_000; i++)
        {
            sum += i ^ (sum >>> 3);
        }
        assertTrue(sum != 42 && ProcessCpu.ticks(pid) > 0);
        assertEquals(0, ProcessCpu.ticks(Long.MAX_VALUE));
    }
}
