package io.tally.ops;

import io.tally.engine.limit.Limiters;
import io.tally.engine.limit.Quotas;
import org.slf4j.Logger;

import java.util.Map;
import java.util.TreeMap;

/**
 * SIGHUP: reads the config file again and applies what can change on a running engine: the rate limiter's rate
 * and burst, per-site overrides, and monthly quotas. Flags and environment still beat the file, as at start.
 * Buckets and usage are kept. A file that cannot be read or is invalid changes nothing (logged).
 */
final class ConfigReloader
{
    private final CommandLine commandLine;
    private final Map<String, String> environment;
    private final Limiters limiters;
    private final Quotas quotas;
    private final Logger log;

    ConfigReloader(final CommandLine commandLine, final Map<String, String> environment, final Limiters limiters,
        final Quotas quotas, final Logger log)
    {
        this.commandLine = commandLine;
        this.environment = environment;
        this.limiters = limiters;
        this.quotas = quotas;
        this.log = log;
    }

    synchronized void reload()
    {
        try
        {
            final Settings bootstrap = new Settings(commandLine, environment, Map.of());
            final Settings settings = new Settings(commandLine, environment,
                Settings.readConfigFile(bootstrap.value(ServeCommand.CONFIG)));
            final Limiters.Setting defaults = new Limiters.Setting(settings.doubleValue(ServeCommand.RATE_LIMIT),
                settings.intValue(ServeCommand.BURST));
            final Map<String, Limiters.Setting> overrides = SiteSettings.limits(settings.configFile(), defaults);
            final Map<String, Long> monthly = SiteSettings.quotas(settings.configFile());
            limiters.apply(defaults, overrides);
            quotas.apply(monthly);
            log.info("SIGHUP: configuration reloaded; rate limiter: {}; quotas: {}", limiters.summary(),
                monthly.isEmpty() ? "none" : new TreeMap<>(monthly));
        }
        catch (final UsageException | IllegalArgumentException ex)
        {
            log.error("SIGHUP: configuration not reloaded, nothing changed: {}", ex.getMessage());
        }
    }
}
