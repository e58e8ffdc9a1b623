package io.tally.engine.geo;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;

/**
 * The one field Tally reads of a database record: the country's ISO 3166-1 alpha-2 code, from {@code country.iso_code}
 * (MaxMind's GeoLite2 and GeoIP2, DB-IP's lite databases) or a top-level {@code country_code} (databases converted
 * to a flat layout). The reader skips every other field without decoding it, and caches what it decoded per record
 * of the database, so a record shared by many networks is decoded once.
 */
public final class CountryRecord
{
    private final String isoCode;

    @MaxMindDbConstructor
    public CountryRecord(@MaxMindDbParameter(name = "country") final Country country,
        @MaxMindDbParameter(name = "country_code") final String countryCode)
    {
        this.isoCode = country != null && country.isoCode != null ? country.isoCode : countryCode;
    }

    /** The code as the database has it, or null. */
    public String isoCode()
    {
        return isoCode;
    }

    /** The {@code country} map of a record. */
    public static final class Country
    {
        private final String isoCode;

        @MaxMindDbConstructor
        public Country(@MaxMindDbParameter(name = "iso_code") final String isoCode)
        {
            this.isoCode = isoCode;
        }
    }
}
