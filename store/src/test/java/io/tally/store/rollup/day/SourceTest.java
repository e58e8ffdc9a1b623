package io.tally.store.rollup.day;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SourceTest
{
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "https://shop.example/                                  | (none)",
        "https://shop.example/?utm_source=Mail                  | mail",
        "https://shop.example/?a=1&utm_source=news&b=2          | news",
        "https://shop.example/?a=1&&utm_source=news             | news",
        "https://shop.example/?utm_source_x=1&utm_source=ok     | ok",
        "https://shop.example/?utm_source=                      | (none)",
        "https://shop.example/?utm_source                       | (none)",
        "https://shop.example/?utm_source=%20Big+Sale%21        | big sale!",
        "https://shop.example/?utm_source=100%                  | 100%",
        "https://shop.example/?utm_source=a#utm_source=b        | a",
        "https://shop.example/#x?utm_source=b                   | (none)",
        "https://shop.example/?x=1#utm_source=b                 | (none)",
        "https://shop.example/?utm_medium=cpc&utm_source=g&     | g",
    })
    void utmParametersAreReadDecodedAndLowerCased(final String url, final String expected)
    {
        assertEquals(expected, Source.parameter(url, "utm_source"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                                     | (direct)",
        "not a url                              | (direct)",
        "https://www.News.example/a?b           | news.example",
        "https://user@news.example:8443/        | news.example",
        "android-app://com.example.app          | com.example.app",
        "https:///path                          | (direct)",
    })
    void referrersGiveTheirDomain(final String referrer, final String expected)
    {
        assertEquals(expected, Source.referrerDomain(referrer));
    }
}
