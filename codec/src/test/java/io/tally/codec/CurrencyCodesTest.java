package io.tally.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.Currency;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrencyCodesTest
{
    @Test
    void everyThreeLetterCodeIsKnownExactlyWhenTheJdkKnowsIt()
    {
        final Set<String> jdk = Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode).collect(Collectors.toSet());
        int known = 0;
        for (char a = 'A'; a <= 'Z'; a++)
        {
            for (char b = 'A'; b <= 'Z'; b++)
            {
                for (char c = 'A'; c <= 'Z'; c++)
                {
                    final String code = "" + a + b + c;
                    final boolean iso = CurrencyCodes.isIso4217((byte)a, (byte)b, (byte)c);
                    assertEquals(jdk.contains(code), iso, code);
                    known += iso ? 1 : 0;
                }
            }
        }
        assertEquals(jdk.size(), known, "every code the JDK knows has three letters");
        assertTrue(known > 150, known + " codes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "EUR", "JPY", "CHF", "GBP", "XAU", "XXX"})
    void realCodesAreKnown(final String code)
    {
        assertTrue(CurrencyCodes.isIso4217((byte)code.charAt(0), (byte)code.charAt(1), (byte)code.charAt(2)));
        assertEquals(code, CurrencyCodes.canonical(code));
        assertEquals(code, CurrencyCodes.canonical(code.toLowerCase(java.util.Locale.ROOT)), "either case");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ZZZ", "XXA", "AAA", "QQQ", "zzz", "EU", "EURO", "", "E1R", "\u0131NR", "U\u017fD", "@AA", "[AA", "`AA", "{AA"})
    void anythingElseIsNot(final String code)
    {
        assertNull(CurrencyCodes.canonical(code));
    }

    @Test
    void onlyUpperCaseAsciiLettersAreCodes()
    {
        assertFalse(CurrencyCodes.isIso4217((byte)'u', (byte)'s', (byte)'d'), "callers fold the case first");
        assertFalse(CurrencyCodes.isIso4217((byte)('U' + 128), (byte)'S', (byte)'D'));
        assertEquals('U', CurrencyCodes.upperCaseLetter('u'));
        assertEquals('U', CurrencyCodes.upperCaseLetter('U'));
        assertEquals(0, CurrencyCodes.upperCaseLetter('@'));
        assertEquals(0, CurrencyCodes.upperCaseLetter('['));
        assertEquals(0, CurrencyCodes.upperCaseLetter('`'));
        assertEquals(0, CurrencyCodes.upperCaseLetter('{'));
        assertEquals(0, CurrencyCodes.upperCaseLetter((byte)0xC3));
    }

    @Test
    void checkingACodeAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] codes = "USDZZZEURXXAjpyCHF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int known = check(codes);
        final long before = threads.getCurrentThreadAllocatedBytes();
        known += check(codes);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 4 * 1024, allocated + " bytes for a million checks");
        assertEquals(2 * 666_666, known, "USD, EUR, JPY (in lower case) and CHF of every six");
    }

    private static int check(final byte[] codes)
    {
        int known = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            final int at = i % 6 * 3;
            final byte first = CurrencyCodes.upperCaseLetter(codes[at]);
            known += CurrencyCodes.isIso4217(first, CurrencyCodes.upperCaseLetter(codes[at + 1]),
                CurrencyCodes.upperCaseLetter(codes[at + 2])) ? 1 : 0;
        }
        return known;
    }
}
