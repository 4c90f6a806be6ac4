package dev.pvmfw.paging.v0_12_1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pvmfw.paging.PhysicalAddress;
import dev.pvmfw.paging.internal.TableLayout;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * {@code descriptor::UpdatableDescriptor} of aarch64-paging 0.12.1 ({@code src/descriptor.rs}): {@code is_table},
 * {@code updated} of each kind of descriptor, the entry it writes, and the end of its borrow; and
 * {@code Descriptor}'s {@code Debug}.
 */
class UpdatableDescriptorTest {
    private static final El1Attributes VALID_PAGE = El1Attributes.of(El1Attributes.VALID,
            El1Attributes.TABLE_OR_PAGE);

    @Test
    void isTableNeedsTableOrPageBelowLevel3AndNotValid() {
        assertFalse(UpdatableDescriptor.of(Descriptor.detached(El1Attributes.TYPE, 0b01), 1, false).isTable());
        assertTrue(UpdatableDescriptor.of(Descriptor.detached(El1Attributes.TYPE, 0b10), 1, false).isTable());
        assertTrue(UpdatableDescriptor.of(Descriptor.detached(El1Attributes.TYPE, 0x4000_0003L), 2, true).isTable());
        assertFalse(UpdatableDescriptor.of(Descriptor.detached(El1Attributes.TYPE, 0b11), 3, true).isTable());
        assertFalse(UpdatableDescriptor.cloneFrom(El1Attributes.TYPE, 0x4000_0001L, 0).isTable());
    }

    @Test
    void updatedRecordsAChangeOfTheValueOnly() {
        UpdatableDescriptor<El1Attributes> inactive = UpdatableDescriptor.of(
                Descriptor.detached(El1Attributes.TYPE, 0), 3, false);
        assertFalse(inactive.wasUpdated());
        assertTrue(inactive.set(new PhysicalAddress(0x1000), VALID_PAGE));
        assertTrue(inactive.updated());
        assertTrue(inactive.wasUpdated());

        UpdatableDescriptor<El1Attributes> same = UpdatableDescriptor.of(
                Descriptor.detached(El1Attributes.TYPE, 0x1003), 3, true);
        assertTrue(same.set(new PhysicalAddress(0x1000), VALID_PAGE), "the same value is BBM-safe");
        assertFalse(same.updated());
        assertFalse(same.wasUpdated());

        UpdatableDescriptor<El1Attributes> clone = UpdatableDescriptor.cloneFrom(El1Attributes.TYPE, 0x1003, 3);
        assertTrue(clone.set(new PhysicalAddress(0x1000), VALID_PAGE));
        assertFalse(clone.wasUpdated());
        assertTrue(clone.modifyFlags(El1Attributes.READ_ONLY, El1Attributes.empty()));
        assertTrue(clone.wasUpdated());
        assertEquals(0x1083, clone.bits());
    }

    @Test
    void aDescriptorOfATableWritesItsOwnEntry() {
        MemorySegment table = MemorySegment.ofArray(new long[4]);
        Descriptor<El1Attributes> entry2 = new Descriptor<>(El1Attributes.TYPE, table, 2);
        UpdatableDescriptor<El1Attributes> d = UpdatableDescriptor.of(entry2, 3, false);
        assertTrue(d.set(new PhysicalAddress(0x5000), VALID_PAGE));
        assertEquals(0x5003, TableLayout.read(table, 2));
        assertEquals(0, TableLayout.read(table, 0));
        assertEquals(0x5003, entry2.bits());
        assertEquals(0x5003, d.bits());
    }

    @Test
    void typeIsTheAttributeTypeOfTheTable() {
        assertSame(El1Attributes.TYPE,
                UpdatableDescriptor.of(Descriptor.detached(El1Attributes.TYPE, 0), 3, false).type());
        assertSame(Stage2Attributes.TYPE, UpdatableDescriptor.cloneFrom(Stage2Attributes.TYPE, 0, 3).type());
    }

    @Test
    void anExpiredDescriptorRefusesEveryUse() {
        UpdatableDescriptor<El1Attributes> d = UpdatableDescriptor.of(
                Descriptor.detached(El1Attributes.TYPE, 0x403), 2, true);
        d.expire();
        assertThrows(IllegalStateException.class, d::level);
        assertThrows(IllegalStateException.class, d::updated);
        assertThrows(IllegalStateException.class, d::bits);
        assertThrows(IllegalStateException.class, d::isTable);
        assertThrows(IllegalStateException.class, d::flags);
        assertThrows(IllegalStateException.class,
                () -> d.modifyFlags(El1Attributes.READ_ONLY, El1Attributes.empty()));
        assertEquals("UpdatableDescriptor { expired }", d.toString());
    }

    @Test
    void toStringShowsTheLevelAndTheDescriptorDebug() {
        UpdatableDescriptor<El1Attributes> d = UpdatableDescriptor.of(
                Descriptor.detached(El1Attributes.TYPE, 0x4000_1003L), 2, true);
        assertEquals("UpdatableDescriptor { level: 2, 0x00000040001003 (0x0000000040001000, "
                + "El1Attributes(VALID | TABLE_OR_PAGE)) }", d.toString());
    }

    /** The Debug of {@code docs/aarch64-paging-0.12.1.md}, "Debug formats", through {@code toString}. */
    @Test
    void descriptorToStringIsItsDebug() {
        assertEquals("0x00000040001003 (0x0000000040001000, El1Attributes(VALID | TABLE_OR_PAGE))",
                Descriptor.detached(El1Attributes.TYPE, 0x4000_1003L).toString());
        assertEquals("0x00000000000002", Descriptor.detached(Stage2Attributes.TYPE, 2).toString());
    }
}
