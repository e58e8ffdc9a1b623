package io.tally.codec;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tally.codec.Fixtures.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The key table built from {@link BeaconField} and the other members: every key found, nothing else. */
class FieldTableTest
{
    private static int memberOf(final String key, final boolean trusted)
    {
        final byte[] bytes = utf8(key);
        return FieldTable.memberOf(new TextView().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length), trusted);
    }

    @ParameterizedTest
    @EnumSource(BeaconField.class)
    void everyTextFieldIsFoundByItsKeys(final BeaconField field)
    {
        assertEquals(field.ordinal(), memberOf(field.key(), true));
        assertEquals(field.trusted() ? FieldTable.UNKNOWN : field.ordinal(), memberOf(field.key(), false),
            "trusted keys are unknown to a browser beacon");
        if (field.plausibleKey() != null)
        {
            assertEquals(field.ordinal(), memberOf(field.plausibleKey(), false));
        }
    }

    @Test
    void theOtherMembersAreFoundByTheirKeys()
    {
        assertEquals(FieldTable.TYPE, memberOf("t", false));
        assertEquals(FieldTable.PROP_KEYS, memberOf("mk", false));
        assertEquals(FieldTable.PROP_VALUES, memberOf("mv", false));
        assertEquals(FieldTable.REVENUE_AMOUNT, memberOf("ra", false));
        assertEquals(FieldTable.CURRENCY, memberOf("rc", false));
        assertEquals(FieldTable.VALUE, memberOf("v", false));
        assertEquals(FieldTable.SECONDS, memberOf("sec", false));
        assertEquals(FieldTable.PROPS, memberOf("props", false));
        assertEquals(FieldTable.PROPS, memberOf("p", false));
        assertEquals(FieldTable.REVENUE, memberOf("revenue", false));
        assertEquals(FieldTable.REVENUE, memberOf("$", false));
        assertEquals(FieldTable.IGNORED, memberOf("interactive", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "T", "nn", "n\u0000", "\u00e9", "\u00e9t", "t\u00e9", "se", "secs", "nam", "names", "interactiv",
        "interactivE", "interactives", "revenuE", "Props", "vi", "vidd", "tsx", "a-very-long-key-past-any-known"})
    void keysThatOnlyResembleKnownOnesAreUnknown(final String key)
    {
        assertEquals(FieldTable.UNKNOWN, memberOf(key, true));
    }

    @Test
    void plausibleObjectsTakeTheSeenBitsOfTheKeysTheyStandFor()
    {
        assertEquals(FieldTable.bitsOf(FieldTable.PROP_KEYS) | FieldTable.bitsOf(FieldTable.PROP_VALUES),
            FieldTable.bitsOf(FieldTable.PROPS));
        assertEquals(FieldTable.bitsOf(FieldTable.REVENUE_AMOUNT) | FieldTable.bitsOf(FieldTable.CURRENCY),
            FieldTable.bitsOf(FieldTable.REVENUE));
        assertNotEquals(0, FieldTable.bitsOf(FieldTable.IGNORED));
    }

    @Test
    void recordedFieldsComeFirstInRecordSlotOrder()
    {
        final BeaconField[] recorded = BeaconField.recordedFields();
        for (int i = 0; i < recorded.length; i++)
        {
            assertEquals(i, recorded[i].ordinal());
            assertEquals(EventRecord.NAME + i, recorded[i].recordSlot());
        }
        assertEquals(EventRecord.CATEGORY, recorded[recorded.length - 1].recordSlot());
    }
}
