package dev.pvmfw.paging.v0_12_1.mair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.pvmfw.paging.CratePanic;
import org.junit.jupiter.api.Test;

/**
 * The unit tests of aarch64-paging 0.12.1 {@code src/mair.rs}, ported by name, and the module's doctest
 * ({@code docs/aarch64-paging-0.12.1.md}, "Tests ported").
 */
class MairTest {

    @Test
    void format_device() {
        assertEquals("Device-nGnRnE", MairAttribute.DEVICE_NGNRNE.toString());
        assertEquals("Device-nGnRE", MairAttribute.DEVICE_NGNRE.toString());
        assertEquals("Device-nGRE", MairAttribute.DEVICE_NGRE.toString());
        assertEquals("Device-GRE", MairAttribute.DEVICE_GRE.toString());
    }

    @Test
    void format_normal() {
        assertEquals("Normal, Inner Non-Cacheable, Outer Write-back non-transient, do not allocate",
                MairAttribute.normal(NormalMemory.NonCacheable, NormalMemory.WriteBackNonTransient).toString());
        assertEquals("Normal, Inner Write-through transient, read-allocate, Outer Write-back non-transient, "
                + "write-allocate", MairAttribute.normal(NormalMemory.WriteThroughTransientReadAllocate,
                        NormalMemory.WriteBackNonTransientWriteAllocate).toString());
        assertEquals("Normal, Inner Write-through transient, read-write-allocate, Outer Write-through "
                + "non-transient, do not allocate", MairAttribute.normal(
                        NormalMemory.WriteThroughTransientReadWriteAllocate, NormalMemory.WriteThroughNonTransient)
                        .toString());
    }

    @Test
    void format_unpredictable() {
        assertEquals("Unpredictable (0x01)", new MairAttribute(0b0000_0001).toString());
        assertEquals("Unpredictable (0x0f)", new MairAttribute(0b0000_1111).toString());
        assertEquals("Unpredictable (0x40)", new MairAttribute(0b0100_0000).toString());
        assertEquals("Unpredictable (0xf0)", new MairAttribute(0b1111_0000).toString());
    }

    @Test
    void format_mair() {
        assertEquals("{0: Device-nGnRE; "
                + "1: Normal, Inner Write-back non-transient, read-write-allocate, Outer Write-back non-transient, "
                + "read-write-allocate; "
                + "2: Normal, Inner Non-Cacheable, Outer Non-Cacheable; "
                + "3: Device-nGnRnE; 4: Device-nGnRnE; 5: Device-nGnRnE; 6: Device-nGnRnE; 7: Device-nGnRnE}",
                new Mair(0x44ff04).toString());
    }

    @Test
    void build_const() {
        Mair mair = Mair.of(MairAttribute.DEVICE_NGNRE,
                MairAttribute.normal(NormalMemory.NonCacheable, NormalMemory.NonCacheable),
                MairAttribute.normal(NormalMemory.WriteBackNonTransientReadWriteAllocate,
                        NormalMemory.WriteBackTransientReadWriteAllocate),
                MairAttribute.DEVICE_NGNRNE, MairAttribute.DEVICE_NGNRNE, MairAttribute.DEVICE_NGNRNE,
                MairAttribute.DEVICE_NGNRNE, MairAttribute.DEVICE_NGNRNE);
        assertEquals(0x0000_0000_007f_4404L, mair.value());

        Mair mair2 = Mair.EMPTY.withAttribute(0, MairAttribute.DEVICE_NGNRE)
                .withAttribute(1, MairAttribute.normal(NormalMemory.NonCacheable, NormalMemory.NonCacheable))
                .withAttribute(2, MairAttribute.normal(NormalMemory.WriteBackNonTransientReadWriteAllocate,
                        NormalMemory.WriteBackTransientReadWriteAllocate));
        assertEquals(mair, mair2);
    }

    /** {@code #[should_panic]}. */
    @Test
    void invalid_index() {
        CratePanic panic = assertThrows(CratePanic.class,
                () -> Mair.EMPTY.withAttribute(8, MairAttribute.DEVICE_GRE));
        assertEquals("assertion failed: index < 8", panic.getMessage());
    }

    /** The module doctest: a MAIR built in a readable way. */
    @Test
    void doctest_mair_example() {
        Mair mair = Mair.EMPTY.withAttribute(0, MairAttribute.DEVICE_NGNRE)
                .withAttribute(1, MairAttribute.normal(NormalMemory.NonCacheable, NormalMemory.NonCacheable))
                .withAttribute(2, MairAttribute.normal(NormalMemory.WriteBackNonTransientReadWriteAllocate,
                        NormalMemory.WriteBackNonTransientReadWriteAllocate));
        // Not in the doctest: its value.
        assertEquals(0xff_4404L, mair.value());
    }

    /**
     * Found reading the crate: {@code NormalMemory::try_from(0b0001)} answers {@code WriteBackNonTransientWriteAllocate}
     * (0b1101), so an attribute whose nibble is 1 prints as that.
     */
    @Test
    void normalMemoryOneDecodesAsWriteBackQuirk() {
        assertEquals(NormalMemory.WriteBackNonTransientWriteAllocate, NormalMemory.tryFrom(0b0001).orElseThrow());
        assertEquals("Normal, Inner Write-back non-transient, write-allocate, Outer Write-back non-transient, "
                + "write-allocate", new MairAttribute(0x11).toString());
        assertEquals(0x11, MairAttribute.normal(NormalMemory.WriteThroughTransientWriteAllocate,
                NormalMemory.WriteThroughTransientWriteAllocate).value());
    }

    /**
     * Not a crate test: {@code with_attribute} replaces field {@code index} of a non-empty value
     * ({@code self.0 & !(0xff << offset) | (attribute.0 as u64) << offset}), leaving the other fields.
     */
    @Test
    void withAttributeReplacesOnlyItsField() {
        assertEquals(0xffff_ffff_ffff_00ffL, new Mair(-1L).withAttribute(1, MairAttribute.DEVICE_NGNRNE).value());
        assertEquals(0x04ff_ffff_ffff_ffffL, new Mair(-1L).withAttribute(7, MairAttribute.DEVICE_NGNRE).value());
        assertEquals(0x1111_1111_1108_1111L,
                new Mair(0x1111_1111_1111_1111L).withAttribute(2, MairAttribute.DEVICE_NGRE).value());
    }
}
