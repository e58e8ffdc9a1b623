package io.tally.ops;

/**
 * One setting of a command: its flag, its environment twin, its key in the config file, its default and a
 * line of help. Values are resolved flag first, then environment, then config file, then default.
 */
record Option(String flag, String env, String configKey, String defaultValue, String help, boolean repeatable,
    boolean isSwitch)
{
    static Option of(final String flag, final String configKey, final String defaultValue, final String help)
    {
        return new Option(flag, envName(flag), configKey, defaultValue, help, false, false);
    }

    static Option repeatable(final String flag, final String configKey, final String defaultValue, final String help)
    {
        return new Option(flag, envName(flag), configKey, defaultValue, help, true, false);
    }

    /** A flag that is on when given alone ({@code --keep-bots}); {@code --flag=false} and the environment say either. */
    static Option onOff(final String flag, final String configKey, final String help)
    {
        return new Option(flag, envName(flag), configKey, "false", help, false, true);
    }

    private static String envName(final String flag)
    {
        return "TALLY_" + flag.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    String helpLine()
    {
        final String name = flag + (isSwitch ? "" : repeatable ? " VALUE (repeatable)" : " VALUE");
        return String.format("  %-36s %s%n  %-36s env %s, default: %s%n", name, help, "", env,
            defaultValue == null ? "(none)" : defaultValue);
    }
}
