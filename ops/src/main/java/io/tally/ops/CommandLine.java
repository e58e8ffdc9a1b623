package io.tally.ops;

import io.tally.codec.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags given to one command: {@code --name value}, {@code --name=value}, repeatable flags collected in
 * order; anything not starting with {@code -} (or {@code -} alone: standard input) is a positional argument. Unknown flags
 * are an error that names the closest known flag.
 */
final class CommandLine
{
    private final Map<String, List<String>> flags = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final boolean help;

    CommandLine(final List<String> args, final List<Option> options)
    {
        boolean wantsHelp = false;
        for (int i = 0; i < args.size(); i++)
        {
            final String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h"))
            {
                wantsHelp = true;
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-"))
            {
                positional.add(arg);
                continue;
            }
            final int equals = arg.indexOf('=');
            final String name = equals < 0 ? arg : arg.substring(0, equals);
            final Option option = options.stream().filter(o -> o.flag().equals(name)).findFirst()
                .orElseThrow(() -> unknownFlag(name, options));
            final String value;
            if (equals >= 0)
            {
                value = arg.substring(equals + 1);
            }
            else if (option.isSwitch())
            {
                value = "true";
            }
            else if (i + 1 < args.size())
            {
                value = args.get(++i);
            }
            else
            {
                throw new UsageException(name + " needs a value");
            }
            final List<String> values = flags.computeIfAbsent(name, k -> new ArrayList<>());
            if (!values.isEmpty() && !option.repeatable())
            {
                throw new UsageException(name + " given twice");
            }
            values.add(value);
        }
        this.help = wantsHelp;
    }

    /** The error for a flag no option has: the closest flag when it looks like a typo ({@code -port} too). */
    private static UsageException unknownFlag(final String name, final List<Option> options)
    {
        final String bare = name.replaceFirst("^-+", "");
        final String closest = Suggestions.closest(bare, options.stream().map(o -> o.flag().substring(2)).toList());
        return new UsageException("unknown flag " + name +
            (closest == null ? " (--help lists the flags)" : "; did you mean --" + closest + "?"));
    }

    boolean wantsHelp()
    {
        return help;
    }

    List<String> positional()
    {
        return positional;
    }

    /** The values of a flag, empty when it was not given. */
    List<String> values(final Option option)
    {
        return flags.getOrDefault(option.flag(), List.of());
    }
}
