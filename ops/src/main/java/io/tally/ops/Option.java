package io.tally.ops;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One setting of a command: its flag, its environment twin, its key in the config file, its default and a
 * line of help. Values are resolved flag first, then environment, then config file, then default. An option
 * whose environment variable was renamed still reads the old name ({@code oldEnv}) for one release, with a
 * warning: each variable means one thing in every command.
 */
record Option(String flag, String env, String configKey, String defaultValue, String help, boolean repeatable,
    boolean isSwitch, String oldEnv)
{
    static Option of(final String flag, final String configKey, final String defaultValue, final String help)
    {
        return new Option(flag, envName(flag), configKey, defaultValue, help, false, false, null);
    }

    static Option repeatable(final String flag, final String configKey, final String defaultValue, final String help)
    {
        return new Option(flag, envName(flag), configKey, defaultValue, help, true, false, null);
    }

    /** A flag that is on when given alone ({@code --keep-bots}); {@code --flag=false} and the environment say either. */
    static Option onOff(final String flag, final String configKey, final String help)
    {
        return new Option(flag, envName(flag), configKey, "false", help, false, true, null);
    }

    /** This option with its environment twin named {@code env}, still read as {@code oldEnv} (deprecated) when set. */
    Option renamedEnv(final String newEnv, final String deprecatedEnv)
    {
        return new Option(flag, newEnv, configKey, defaultValue, help, repeatable, isSwitch, deprecatedEnv);
    }

    private static String envName(final String flag)
    {
        return "TALLY_" + flag.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The environment's value for this option: its variable, else the deprecated one; null when neither is set. */
    String envValue(final Map<String, String> environment)
    {
        final String value = environment.get(env);
        if (value != null && !value.isBlank())
        {
            return value;
        }
        final String old = oldEnv == null ? null : environment.get(oldEnv);
        return old == null || old.isBlank() ? null : old;
    }

    /** One line on {@code err} for each deprecated variable set for {@code options}: what to use instead. */
    static void warnOfOldNames(final String command, final List<Option> options, final Map<String, String> environment,
        final PrintStream err)
    {
        for (final Option option : options)
        {
            final String old = option.oldEnv == null ? null : environment.get(option.oldEnv);
            if (old == null || old.isBlank())
            {
                continue;
            }
            final String current = environment.get(option.env);
            err.println("tally " + command + ": warning: " + (current == null || current.isBlank() ?
                option.oldEnv + " is deprecated here: set " + option.env + " (" + option.flag + ") instead; the old name " +
                    "works until the next release" :
                option.oldEnv + " is ignored: " + option.env + " (" + option.flag + ") is set"));
        }
    }

    String helpLine()
    {
        final String name = flag + (isSwitch ? "" : repeatable ? " VALUE (repeatable)" : " VALUE");
        return String.format("  %-36s %s%n  %-36s env %s, default: %s%n", name, help, "", env,
            defaultValue == null ? "(none)" : defaultValue);
    }
}
