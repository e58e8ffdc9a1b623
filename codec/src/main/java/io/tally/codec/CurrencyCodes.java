package io.tally.codec;

import java.util.Currency;

/**
 * The ISO 4217 currency codes as the running JDK knows them ({@link Currency#getAvailableCurrencies()}: the
 * current codes, the X codes such as {@code XAU} and {@code XXX}, and the withdrawn ones the JDK keeps, such as
 * {@code DEM}). They are a bitset over the 26^3 three-letter codes, built once at class load, so that checking
 * a beacon's currency reads one {@code long} and allocates nothing. Every path that takes a currency (beacons,
 * Plausible bodies, trusted events, goal values) checks it here.
 */
public final class CurrencyCodes
{
    private static final int LETTERS = 26;
    private static final long[] KNOWN = known();

    private CurrencyCodes()
    {
    }

    /** True when the three bytes, upper-case ASCII letters, are an ISO 4217 code; false for any other bytes. */
    public static boolean isIso4217(final byte first, final byte second, final byte third)
    {
        final int index = index(first, second, third);
        return index >= 0 && (KNOWN[index >>> 6] & 1L << index) != 0;
    }

    /**
     * The upper-case letter of an ASCII letter in either case, 0 for anything else (a code is read case-blind, and
     * only ASCII letters are folded: no {@code ı} becoming {@code I}).
     */
    public static byte upperCaseLetter(final int c)
    {
        if (c >= 'a' && c <= 'z')
        {
            return (byte)(c - ('a' - 'A'));
        }
        return c >= 'A' && c <= 'Z' ? (byte)c : 0;
    }

    /** {@code code} in upper case when it is an ISO 4217 code in either case, else null. For cold paths. */
    public static String canonical(final String code)
    {
        if (code.length() != 3)
        {
            return null;
        }
        final byte first = upperCaseLetter(code.charAt(0));
        final byte second = upperCaseLetter(code.charAt(1));
        final byte third = upperCaseLetter(code.charAt(2));
        return isIso4217(first, second, third) ? new String(new char[] {(char)first, (char)second, (char)third}) : null;
    }

    /** The code's bit: letters as base-26 digits; -1 unless all three are upper-case ASCII letters. */
    private static int index(final int first, final int second, final int third)
    {
        final int a = first - 'A';
        final int b = second - 'A';
        final int c = third - 'A';
        if ((a | b | c) < 0 || a >= LETTERS || b >= LETTERS || c >= LETTERS)
        {
            return -1;
        }
        return (a * LETTERS + b) * LETTERS + c;
    }

    private static long[] known()
    {
        final long[] bits = new long[(LETTERS * LETTERS * LETTERS + 63) / 64];
        for (final Currency currency : Currency.getAvailableCurrencies())
        {
            final String code = currency.getCurrencyCode();
            final int index = code.length() == 3 ? index(code.charAt(0), code.charAt(1), code.charAt(2)) : -1;
            if (index >= 0)
            {
                bits[index >>> 6] |= 1L << index;
            }
        }
        return bits;
    }
}
