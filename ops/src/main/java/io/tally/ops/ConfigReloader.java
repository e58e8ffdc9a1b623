package io.tally.ops;

import io.tally.engine.Engine;
import io.tally.engine.EngineConfig;
import io.tally.engine.config.LiveSites;
import io.tally.engine.site.RefusedChange;
import org.slf4j.Logger;

import java.util.Map;
import java.util.TreeMap;

/**
 * SIGHUP: reads the config file again, checked as strictly as at start, and applies what can change on a running
 * engine: the sites (added, changed, removed; the admin API's changes stay laid over them), the rate limiter's
 * rate and burst, per-site overrides, and monthly quotas. Flags and environment still beat the file, as at start.
 * Buckets and usage are kept. A file that cannot be read or is invalid changes nothing (logged, with why).
 */
final class ConfigReloader
{
    private final CommandLine commandLine;
    private final Map<String, String> environment;
    private final Engine engine;
    private final Logger log;

    ConfigReloader(final CommandLine commandLine, final Map<String, String> environment, final Engine engine,
        final Logger log)
    {
        this.commandLine = commandLine;
        this.environment = environment;
        this.engine = engine;
        this.log = log;
    }

    synchronized void reload()
    {
        final LiveSites.Changes changes;
        final EngineConfig config;
        try
        {
            final Settings bootstrap = new Settings(commandLine, environment, Map.of());
            config = ServeCommand.toConfig(new Settings(commandLine, environment,
                Settings.readConfigFile(bootstrap.value(ServeCommand.CONFIG))));
            changes = engine.sites().reconfigure(Engine.configuredSites(config));
        }
        catch (final UsageException | IllegalArgumentException ex)
        {
            log.error("SIGHUP: configuration not reloaded, nothing changed: {}", ex.getMessage());
            return;
        }
        catch (final RefusedChange ex)
        {
            log.error("SIGHUP: configuration not reloaded, nothing changed: sites: {}", ex.getMessage());
            return;
        }
        log.info("SIGHUP: configuration reloaded; sites: {}; kept from the admin API: {}; rate limiter: {}; quotas: {}",
            changes, engine.sites().apiOverrides(), engine.limiters().summary(),
            config.quotas().isEmpty() ? "none" : new TreeMap<>(config.quotas()));
    }
}
