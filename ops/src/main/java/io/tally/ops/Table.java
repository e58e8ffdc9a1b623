package io.tally.ops;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A list printed for people: a header row, columns as wide as their widest cell, numbers right-aligned (and
 * written plainly: {@code 5}, not {@code 5.0}); {@code --json} prints the engine's answer instead, for scripts.
 */
final class Table
{
    private final List<String> headers;
    private final List<Object[]> rows = new ArrayList<>();

    Table(final String... headers)
    {
        this.headers = List.of(headers);
    }

    Table row(final Object... cells)
    {
        if (cells.length != headers.size())
        {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        rows.add(cells);
        return this;
    }

    /** Prints the table; {@code empty} instead when it has no rows (a header over nothing says less). */
    void print(final PrintStream out, final String empty)
    {
        print(out, empty, "");
    }

    /** Prints the table with each line indented by {@code indent}. */
    void print(final PrintStream out, final String empty, final String indent)
    {
        if (rows.isEmpty())
        {
            out.println(empty);
            return;
        }
        final int[] widths = new int[headers.size()];
        final boolean[] numeric = new boolean[headers.size()];
        java.util.Arrays.fill(numeric, true);
        for (int c = 0; c < widths.length; c++)
        {
            widths[c] = headers.get(c).length();
            for (final Object[] row : rows)
            {
                widths[c] = Math.max(widths[c], text(row[c]).length());
                numeric[c] &= row[c] instanceof Number || row[c] == null;
            }
        }
        line(out, indent, headers.toArray(), widths, numeric);
        rows.forEach(row -> line(out, indent, row, widths, numeric));
    }

    private static void line(final PrintStream out, final String indent, final Object[] cells, final int[] widths, final boolean[] numeric)
    {
        final StringBuilder line = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++)
        {
            final String cell = text(cells[c]);
            final String pad = " ".repeat(widths[c] - cell.length());
            line.append(c == 0 ? "" : "  ").append(numeric[c] ? pad + cell : c == cells.length - 1 ? cell : cell + pad);
        }
        out.println(line);
    }

    static String text(final Object value)
    {
        if (value == null)
        {
            return "-";
        }
        return value instanceof BigDecimal number ? number.stripTrailingZeros().toPlainString() : String.valueOf(value);
    }
}
