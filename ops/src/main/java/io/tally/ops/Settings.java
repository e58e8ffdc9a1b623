package io.tally.ops;

import io.tally.codec.json.Json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolves each {@link Option}: the flag if given, else its {@code TALLY_*} environment variable, else the
 * config file's key, else the default. A repeatable option takes all its flags, or a comma-separated
 * environment value, or a JSON array from the file; commas separate values in flags too.
 */
final class Settings
{
    private final CommandLine commandLine;
    private final Map<String, String> environment;
    private final Map<String, Object> configFile;

    Settings(final CommandLine commandLine, final Map<String, String> environment, final Map<String, Object> configFile)
    {
        this.commandLine = commandLine;
        this.environment = environment;
        this.configFile = configFile;
    }

    /** Reads a JSON config file; an absent path gives an empty config. */
    static Map<String, Object> readConfigFile(final String path)
    {
        if (path == null || path.isBlank())
        {
            return Map.of();
        }
        try
        {
            final Map<String, Object> config = parse(Files.readString(Path.of(path)), path);
            ConfigSchema.check(config, path);
            return config;
        }
        catch (final IOException ex)
        {
            throw new UsageException("cannot read config file " + path + ": " + ErrorReasons.of(ex));
        }
    }

    private static Map<String, Object> parse(final String text, final String path)
    {
        try
        {
            return Json.parseObject(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException("config file " + path + " is not valid JSON: " + ex.getMessage());
        }
    }

    Map<String, Object> configFile()
    {
        return configFile;
    }

    /** The resolved value, or null when no source gives one and there is no default. */
    String value(final Option option)
    {
        final List<String> flags = commandLine.values(option);
        if (!flags.isEmpty())
        {
            return flags.get(flags.size() - 1);
        }
        final String env = option.envValue(environment);
        if (env != null)
        {
            return env.trim();
        }
        if (option.configKey() != null && configFile.containsKey(option.configKey()))
        {
            final Object value = configFile.get(option.configKey());
            return value instanceof BigDecimal ? ((BigDecimal)value).toPlainString() : String.valueOf(value);
        }
        return option.defaultValue();
    }

    /** All values of a repeatable option from the first source that gives any. */
    List<String> values(final Option option)
    {
        final List<String> flags = commandLine.values(option);
        if (!flags.isEmpty())
        {
            return flags.stream().flatMap(flag -> splitList(flag).stream()).toList();
        }
        final String env = option.envValue(environment);
        if (env != null)
        {
            return splitList(env);
        }
        final Object fromFile = option.configKey() == null ? null : configFile.get(option.configKey());
        if (fromFile instanceof List)
        {
            final List<String> values = new ArrayList<>();
            for (final Object element : (List<?>)fromFile)
            {
                values.add(String.valueOf(element));
            }
            return values;
        }
        if (fromFile instanceof String)
        {
            return splitList((String)fromFile);
        }
        return option.defaultValue() == null ? List.of() : splitList(option.defaultValue());
    }

    int intValue(final Option option)
    {
        final String value = value(option);
        try
        {
            return Integer.parseInt(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(option.flag() + " must be a whole number: '" + value + "'");
        }
    }

    long longValue(final Option option)
    {
        final String value = value(option);
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(option.flag() + " must be a whole number: '" + value + "'");
        }
    }

    /** {@code --data-dir} (the option given), which must be a directory: a command that reads it names it when not. */
    Path existingDirectory(final Option option)
    {
        final Path dir = Path.of(value(option));
        if (!Files.isDirectory(dir))
        {
            throw new UsageException(option.flag() + " " + dir + ": " + (Files.exists(dir) ? "not a directory" :
                "no such directory") + " (give the engine's data dir)");
        }
        return dir;
    }

    /** {@code true} or {@code false} (any case); anything else is a usage error naming the flag. */
    boolean booleanValue(final Option option)
    {
        final String value = value(option).trim();
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))
        {
            return Boolean.parseBoolean(value);
        }
        throw new UsageException(option.flag() + " must be true or false: '" + value + "'");
    }

    double doubleValue(final Option option)
    {
        final String value = value(option);
        try
        {
            final double parsed = Double.parseDouble(value.trim());
            if (parsed < 0 || Double.isNaN(parsed) || Double.isInfinite(parsed))
            {
                throw new NumberFormatException();
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(option.flag() + " must be a number >= 0: '" + value + "'");
        }
    }

    /** A byte size: plain bytes, or with a suffix k/KiB, m/MiB, g/GiB (powers of 1,024). */
    long sizeValue(final Option option)
    {
        final String value = value(option).trim().toLowerCase(Locale.ROOT);
        long multiplier = 1;
        String digits = value;
        for (final String[] suffix : new String[][] {{"kib", "10"}, {"k", "10"}, {"mib", "20"}, {"m", "20"}, {"gib", "30"},
            {"g", "30"}})
        {
            if (value.endsWith(suffix[0]))
            {
                multiplier = 1L << Integer.parseInt(suffix[1]);
                digits = value.substring(0, value.length() - suffix[0].length()).trim();
                break;
            }
        }
        try
        {
            final long size = Math.multiplyExact(Long.parseLong(digits), multiplier);
            if (size < 0)
            {
                throw new NumberFormatException("negative");
            }
            return size;
        }
        catch (final ArithmeticException | NumberFormatException ex)
        {
            throw new UsageException(option.flag() + " must be a size such as 16384, 16k, 1m or 2g: '" + value + "'");
        }
    }

    /** A byte size that must fit an int (a buffer's size). */
    int intSizeValue(final Option option)
    {
        final long size = sizeValue(option);
        if (size > Integer.MAX_VALUE)
        {
            throw new UsageException(option.flag() + " must be at most " + Integer.MAX_VALUE + " bytes: '" + value(option) + "'");
        }
        return (int)size;
    }

    private static List<String> splitList(final String value)
    {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
