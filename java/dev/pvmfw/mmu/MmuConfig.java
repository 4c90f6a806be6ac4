package dev.pvmfw.mmu;

import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.VaRange;
import java.util.Objects;
import java.util.Optional;

/**
 * How the MMU is set up for a walk: the inputs that change its answers, for one half of the EL1&amp;0 stage-1 regime
 * (TTBR0 or TTBR1) with the 4 KiB granule, the core's features and the machine's physical memory map.
 *
 * @param tnsz TCR_EL1.T0SZ (TTBR0) or T1SZ (TTBR1), 16..48: the VA range is 2<sup>64 − tnsz</sup> bytes and the
 *     initial lookup level follows ({@link #rootLevel()}: 0 for 16–24, 1 for 25–33, 2 for 34–42, 3 for 43–48, the
 *     root table having fewer than 512 entries where tnsz is not 16 + 9·level); above 39 it needs FEAT_TTST
 *     ({@link #tnszOutOfRange()})
 * @param vaRange TTBR0 (lower) or TTBR1 (upper)
 * @param outputAddressBits the output address size TCR_EL1.IPS selects, 32..52: the effective size is the smallest of
 *     it, the core's PARange and 48 (the 4 KiB granule without FEAT_LPA2; {@link #effectiveOutputBits()}); an output
 *     or table address at or above 2<sup>effective</sup> is an Address size fault
 * @param hardwareAccessFlag TCR_EL1.HA: the hardware sets AF instead of raising an Access flag fault, if the core has
 *     FEAT_HAFDBS ({@link #accessFlagManaged()})
 * @param hardwareDirtyState TCR_EL1.HD: a write to a read-only leaf with DBM set is allowed (the hardware makes it
 *     writable) instead of raising a Permission fault, if the core has dirty-state management and HA is in effect too
 *     ({@link #dirtyStateManaged()})
 * @param mair MAIR_EL1: the memory type of each AttrIndx
 * @param outsideTables what a table pointer to memory that holds no table reads, when {@code memoryMap} does not
 *     describe the machine
 * @param features the core's features that change the rules ({@link CpuFeatures#ALL} unless said)
 * @param memoryMap what the machine has behind its PAs ({@link PhysicalMap#UNDESCRIBED} unless said)
 */
public record MmuConfig(int tnsz, VaRange vaRange, int outputAddressBits, boolean hardwareAccessFlag,
        boolean hardwareDirtyState, long mair, OutsideTables outsideTables, CpuFeatures features,
        PhysicalMap memoryMap) {

    /** MAIR_EL1 as vmbase programs it: Attr0 = 0x04 (Device-nGnRE), Attr1 = 0xff (Normal write-back). */
    public static final long PVMFW_MAIR = 0xff04;

    /** What the machine has where a table descriptor points at memory that holds no table. */
    public enum OutsideTables {
        /** Nothing: the walk ends in a synchronous external abort at the next level. "Only the tables exist." */
        EXTERNAL_ABORT,
        /** Memory that reads as zero (as flash at PA 0 on QEMU's virt board): the next level faults as invalid. */
        READS_AS_ZERO,
    }

    /** What a table read outside the tables' memory gives ({@link #tableReadOutsideTables}). */
    public enum TableRead {
        /** A synchronous external abort on the walk. */
        EXTERNAL_ABORT,
        /** A table of zeros. */
        ZERO,
        /** Contents the model does not know ({@link UnmodelledMemoryException}). */
        UNKNOWN,
    }

    /**
     * A configuration with these inputs.
     *
     * @throws IllegalArgumentException if tnsz is not 16..48 or outputAddressBits not 32..52
     */
    public MmuConfig {
        if (tnsz < 16 || tnsz > 48) {
            throw new IllegalArgumentException("TnSZ must be 16..48 with the 4 KiB granule, got " + tnsz);
        }
        Objects.requireNonNull(vaRange);
        Objects.requireNonNull(outsideTables);
        Objects.requireNonNull(features);
        Objects.requireNonNull(memoryMap);
        if (outputAddressBits < 32 || outputAddressBits > 52) {
            throw new IllegalArgumentException("output address size must be 32..52 bits, got " + outputAddressBits);
        }
    }

    /**
     * pvmfw's configuration: root level 1 (T0SZ 25), TTBR0, 48-bit output addresses, HA = HD = 0 (the 2023 eras),
     * {@link #PVMFW_MAIR}, only the tables exist for a walk ({@link OutsideTables#EXTERNAL_ABORT}, the machine not
     * otherwise described), every feature.
     */
    public static MmuConfig pvmfw() {
        return of(1, VaRange.LOWER);
    }

    /**
     * The TnSZ of {@code rootLevel} (16 + 9·level) and this VA range; the rest as {@link #pvmfw()}.
     *
     * @throws IllegalArgumentException if rootLevel is not 0..3
     */
    public static MmuConfig of(int rootLevel, VaRange vaRange) {
        if (rootLevel < 0 || rootLevel > Geometry.LEAF_LEVEL) {
            throw new IllegalArgumentException("root level must be 0..3, got " + rootLevel);
        }
        return forTnsz(16 + 9 * rootLevel, vaRange);
    }

    /**
     * This TnSZ and VA range; the rest as {@link #pvmfw()}.
     *
     * @throws IllegalArgumentException if tnsz is not 16..48
     */
    public static MmuConfig forTnsz(int tnsz, VaRange vaRange) {
        return new MmuConfig(tnsz, vaRange, 48, false, false, PVMFW_MAIR, OutsideTables.EXTERNAL_ABORT,
                CpuFeatures.ALL, PhysicalMap.UNDESCRIBED);
    }

    /** The same with another policy for memory outside the tables. */
    public MmuConfig withOutsideTables(OutsideTables policy) {
        return new MmuConfig(tnsz, vaRange, outputAddressBits, hardwareAccessFlag, hardwareDirtyState, mair, policy,
                features, memoryMap);
    }

    /** The same with another IPS size. @throws IllegalArgumentException if bits is not 32..52 */
    public MmuConfig withOutputBits(int bits) {
        return new MmuConfig(tnsz, vaRange, bits, hardwareAccessFlag, hardwareDirtyState, mair, outsideTables,
                features, memoryMap);
    }

    /** The same with TCR_EL1.HA and HD set to these. */
    public MmuConfig withHardwareManagement(boolean ha, boolean hd) {
        return new MmuConfig(tnsz, vaRange, outputAddressBits, ha, hd, mair, outsideTables, features, memoryMap);
    }

    /** The same with another MAIR_EL1. */
    public MmuConfig withMair(long mair) {
        return new MmuConfig(tnsz, vaRange, outputAddressBits, hardwareAccessFlag, hardwareDirtyState, mair,
                outsideTables, features, memoryMap);
    }

    /** The same on a core with these features. */
    public MmuConfig withFeatures(CpuFeatures features) {
        return new MmuConfig(tnsz, vaRange, outputAddressBits, hardwareAccessFlag, hardwareDirtyState, mair,
                outsideTables, features, memoryMap);
    }

    /** The same on a machine with this memory map. */
    public MmuConfig withMemoryMap(PhysicalMap memoryMap) {
        return new MmuConfig(tnsz, vaRange, outputAddressBits, hardwareAccessFlag, hardwareDirtyState, mair,
                outsideTables, features, memoryMap);
    }

    /** The same with another TnSZ (the root level follows). @throws IllegalArgumentException if not 16..48 */
    public MmuConfig withTnsz(int tnsz) {
        return new MmuConfig(tnsz, vaRange, outputAddressBits, hardwareAccessFlag, hardwareDirtyState, mair,
                outsideTables, features, memoryMap);
    }

    /** The same for the other TTBR. */
    public MmuConfig withVaRange(VaRange vaRange) {
        return new MmuConfig(tnsz, vaRange, outputAddressBits, hardwareAccessFlag, hardwareDirtyState, mair,
                outsideTables, features, memoryMap);
    }

    /** The initial lookup level TnSZ gives with the 4 KiB granule: (tnsz − 16) / 9. */
    public int rootLevel() {
        return (tnsz - 16) / 9;
    }

    /**
     * Whether TnSZ is above what the core allows (39 without FEAT_TTST). It is then IMPLEMENTATION DEFINED whether
     * the field is treated as the largest allowed value or a walk raises a Translation fault at level 0 (Arm ARM
     * DDI 0487, D8.1 "Input address size"); QEMU raises the fault, and so does this model: every walk of this
     * configuration is a level-0 Translation fault.
     */
    public boolean tnszOutOfRange() {
        return tnsz > features.maxTnsz();
    }

    /** Bytes of VA the table covers: 2<sup>64 − tnsz</sup>. */
    public long vaSize() {
        return 1L << (64 - tnsz);
    }

    /** Entries of the root table the walk can index: {@link #vaSize()} over what one root entry maps (≤ 512). */
    public int rootEntries() {
        return (int) (vaSize() / Geometry.granularityAtLevel(rootLevel()));
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

    /** The index of {@code va} in the root table: its bits for the root level, within {@link #rootEntries()}. */
    public int rootIndex(long va) {
        return Geometry.index(va, rootLevel()) & (rootEntries() - 1);
    }

    /** The output address size in effect: the smallest of IPS, the core's PARange and 48. */
    public int effectiveOutputBits() {
        return Math.min(48, Math.min(outputAddressBits, features.physicalAddressBits()));
    }

    /** Whether the hardware manages the Access flag: HA = 1 on a core with FEAT_HAFDBS. */
    public boolean accessFlagManaged() {
        return hardwareAccessFlag && features.accessFlagManagement();
    }

    /**
     * Whether the hardware manages dirty state: HD = 1 and HA in effect, on a core with it (TCR_EL1.HD "enables
     * hardware management of dirty state only if the HA bit is also set"; QEMU agrees, {@code QemuProbes}).
     */
    public boolean dirtyStateManaged() {
        return hardwareDirtyState && accessFlagManaged() && features.dirtyStateManagement();
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
        return (address >>> effectiveOutputBits()) == 0;
    }

    /**
     * What a walk reads at {@code pa} where the tables' memory holds no table: the memory map's answer if it
     * describes the machine (a region that reads as zero, one whose contents are unknown, or nothing: an external
     * abort), else {@link #outsideTables()}'s.
     */
    public TableRead tableReadOutsideTables(long pa) {
        if (!memoryMap.described()) {
            return outsideTables == OutsideTables.READS_AS_ZERO ? TableRead.ZERO : TableRead.EXTERNAL_ABORT;
        }
        Optional<PhysicalMap.Region> r = memoryMap.regionAt(pa);
        if (r.isEmpty()) {
            return TableRead.EXTERNAL_ABORT;
        }
        return r.get().contents() == PhysicalMap.Contents.ZERO ? TableRead.ZERO : TableRead.UNKNOWN;
    }

    /** Whether an access to {@code pa} reaches something: always, unless the memory map describes the machine. */
    public boolean hasMemoryAt(long pa) {
        return !memoryMap.described() || memoryMap.regionAt(pa).isPresent();
    }
}
