package dev.pvmfw.mmu;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.VaRange;
import java.util.Objects;

/**
 * How the MMU is set up for a walk: the inputs that change its answers, for the EL1&amp;0 stage-1 regime with the
 * 4 KiB granule.
 *
 * @param rootLevel the initial lookup level, 0..3, which TnSZ decides ({@link #tnsz()}: 16 + 9·level)
 * @param vaRange TTBR0 (lower) or TTBR1 (upper)
 * @param outputAddressBits the output address size, from TCR_ELx.IPS and the core's PARange (48 on pvmfw's cores;
 *     at most 48, as there is no LPA): an output or table address at or above 2<sup>bits</sup> is an Address size
 *     fault
 * @param hardwareAccessFlag TCR_ELx.HA with FEAT_HAFDBS: the hardware sets AF instead of raising an Access flag
 *     fault
 * @param hardwareDirtyState TCR_ELx.HD with FEAT_HAFDBS: a write to a read-only leaf with DBM set is allowed (the
 *     hardware makes it writable) instead of raising a Permission fault
 * @param mair MAIR_ELx: the memory type of each AttrIndx
 * @param outsideTables what a table pointer to memory that holds no table reads
 */
public record MmuConfig(int rootLevel, VaRange vaRange, int outputAddressBits, boolean hardwareAccessFlag,
        boolean hardwareDirtyState, long mair, OutsideTables outsideTables) {

    /** MAIR_EL1 as vmbase programs it: Attr0 = 0x04 (Device-nGnRE), Attr1 = 0xff (Normal write-back). */
    public static final long PVMFW_MAIR = 0xff04;

    /** What the machine has where a table descriptor points at memory that holds no table. */
    public enum OutsideTables {
        /** Nothing: the walk ends in a synchronous external abort at the next level. "Only the tables exist." */
        EXTERNAL_ABORT,
        /** Memory that reads as zero (as flash at PA 0 on QEMU's virt board): the next level faults as invalid. */
        READS_AS_ZERO,
    }

    /**
     * A configuration with these inputs.
     *
     * @throws IllegalArgumentException if rootLevel is not 0..3 or outputAddressBits not 32..48
     */
    public MmuConfig {
        if (rootLevel < 0 || rootLevel > Geometry.LEAF_LEVEL) {
            throw new IllegalArgumentException("root level must be 0..3, got " + rootLevel);
        }
        Objects.requireNonNull(vaRange);
        Objects.requireNonNull(outsideTables);
        if (outputAddressBits < 32 || outputAddressBits > 48) {
            throw new IllegalArgumentException("output address size must be 32..48 bits, got " + outputAddressBits);
        }
    }

    /**
     * pvmfw's configuration: root level 1 (T0SZ 25), TTBR0, 48-bit output addresses, HA = HD = 0 (the 2023 eras),
     * {@link #PVMFW_MAIR}, nothing outside the tables.
     */
    public static MmuConfig pvmfw() {
        return of(1, VaRange.LOWER);
    }

    /** This root level and VA range; the rest as {@link #pvmfw()}. */
    public static MmuConfig of(int rootLevel, VaRange vaRange) {
        return new MmuConfig(rootLevel, vaRange, 48, false, false, PVMFW_MAIR, OutsideTables.EXTERNAL_ABORT);
    }

    /** The same with another policy for memory outside the tables. */
    public MmuConfig withOutsideTables(OutsideTables policy) {
        return new MmuConfig(rootLevel, vaRange, outputAddressBits, hardwareAccessFlag, hardwareDirtyState, mair,
                policy);
    }

    /** Bytes of VA the root table covers: 2<sup>48 − 9·rootLevel</sup>. */
    public long vaSize() {
        return Geometry.granularityAtLevel(rootLevel) << Geometry.BITS_PER_LEVEL;
    }

    /** The lowest VA translated: 0 for TTBR0, 2<sup>64</sup> − {@link #vaSize()} for TTBR1. */
    public long vaBase() {
        return vaRange == VaRange.UPPER ? -vaSize() : 0;
    }

    /** Whether {@code va} selects this table: below {@link #vaSize()} (TTBR0), or at or above {@link #vaBase()}. */
    public boolean covers(long va) {
        return vaRange == VaRange.UPPER ? Long.compareUnsigned(va, vaBase()) >= 0
                : Long.compareUnsigned(va, vaSize()) < 0;
    }

    /** TCR_ELx.TnSZ for the root level: 16 + 9·rootLevel. */
    public int tnsz() {
        return 16 + 9 * rootLevel;
    }

    /**
     * MAIR's attribute byte {@code attrIndx} (Attr&lt;n&gt;, bits 8n+7:8n).
     *
     * @throws IndexOutOfBoundsException unless attrIndx is 0..7
     */
    public int attribute(int attrIndx) {
        Objects.checkIndex(attrIndx, 8);
        return (int) (mair >>> (8 * attrIndx)) & 0xff;
    }

    /**
     * Whether MAIR's attribute {@code attrIndx} (0..7) is a Device memory type: Attr&lt;n&gt;[7:4] = 0
     * ({@code 0b0000ddxx}, the UNPREDICTABLE {@code xx} included).
     */
    public boolean isDevice(int attrIndx) {
        return (attribute(attrIndx) & 0xf0) == 0;
    }

    /** Whether {@code address} (bits 47:12 of a descriptor, or a root table's PA) fits the output address size. */
    boolean fitsOutputSize(long address) {
        return outputAddressBits == 48 || (address >>> outputAddressBits) == 0;
    }
}
