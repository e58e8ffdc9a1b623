package io.tally.bench.soak;

import io.tally.bench.Flags;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SoakSettingsTest
{
    private static SoakSettings parse(final String... args)
    {
        return new SoakSettings(new Flags(List.of(args), SoakSettings.FLAGS), List.of(args));
    }

    private static void assertRefused(final String message, final String... args)
    {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage());
    }

    @Test
    void defaultsAreTenMinutesSampledEveryTenSecondsAtHalfTheMaximum()
    {
        final SoakSettings settings = parse();
        assertEquals(600_000, settings.durationMillis);
        assertEquals(10_000, settings.intervalMillis);
        assertEquals(0, settings.rate);
        assertEquals(4, settings.adminRate);
        assertEquals(20_000, settings.warmupMillis);
        assertEquals("0", settings.serverCpu);
        assertEquals("1", settings.clientCpu);
        assertEquals("./tally bench soak", settings.commandLine);
    }

    @Test
    void flagsSetEveryKnob()
    {
        final SoakSettings settings = parse("--duration", "2m", "--interval", "5s", "--rate", "30000", "--admin-rate", "0",
            "--warmup", "0", "--server-cpu", "1", "--client-cpu", "0", "--port", "19000");
        assertEquals(120_000, settings.durationMillis);
        assertEquals(5_000, settings.intervalMillis);
        assertEquals(30_000, settings.rate);
        assertEquals(0, settings.adminRate);
        assertEquals(0, settings.warmupMillis);
        assertEquals(19_000, settings.port);
        assertEquals("./tally bench soak --duration 2m --interval 5s --rate 30000 --admin-rate 0 --warmup 0 --server-cpu 1 " +
            "--client-cpu 0 --port 19000", settings.commandLine);
    }

    @Test
    void boundsAreChecked()
    {
        assertRefused("--duration must be between 10000 ms and 3600000 ms: 5000 ms", "--duration", "5s");
        assertRefused("--duration must be between 10000 ms and 3600000 ms: 3660000 ms", "--duration", "61m");
        assertRefused("--interval must be between 1000 ms and 600000 ms: 500 ms", "--interval", "500ms");
        assertRefused("--interval must be at most half of --duration: 60000 ms of 90000 ms", "--duration", "90s", "--interval", "1m");
        assertRefused("--admin-rate must be between 0 and 100: 101", "--admin-rate", "101");
        assertRefused("--rate must be a whole number: fast", "--rate", "fast");
        assertRefused("unknown flag --rounds", "--rounds", "3");
    }
}
