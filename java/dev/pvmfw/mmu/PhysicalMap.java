package dev.pvmfw.mmu;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a machine has behind its physical addresses, beyond the translation tables: the regions that exist (RAM,
 * flash, devices), each with what a translation table walk reads there where the tables' own memory holds no table.
 * A PA in no region has nothing behind it: a walk that reads a table there takes a synchronous external abort on the
 * walk, and an access to it a synchronous external abort (Arm ARM DDI 0487, D8.15 "Memory fault handling"; QEMU
 * answers a transaction to unassigned memory with a decode error, which its CPU turns into these aborts with EA = 0).
 *
 * <p>{@link #UNDESCRIBED} is no map at all: the machine is not described, a walk outside the tables gets
 * {@link MmuConfig#outsideTables()}'s answer and every access completes. It is the default, and what pvmfw's
 * configuration uses.
 *
 * @param regions the regions that exist, sorted by start, not overlapping
 * @param described false only for {@link #UNDESCRIBED}
 */
public record PhysicalMap(List<Region> regions, boolean described) {

    /** What a table walk reads in a region where the tables' memory holds no table. */
    public enum Contents {
        /** Zeros: RAM nothing else uses, flash without an image. Every descriptor read there is invalid. */
        ZERO,
        /**
         * Something the model does not know: device registers, or RAM another party uses. A walk that reads a table
         * here cannot be modelled ({@link UnmodelledMemoryException}); an access completes.
         */
        UNKNOWN,
    }

    /**
     * One region.
     *
     * @param start its first PA
     * @param end the PA after its last (exclusive; 0 for a region that ends at 2<sup>64</sup>)
     * @param contents what a walk reads there outside the tables
     * @param name what it is (for messages)
     */
    public record Region(long start, long end, Contents contents, String name) {
        /**
         * A region.
         *
         * @throws IllegalArgumentException if it is empty (end at or below start, unsigned)
         */
        public Region {
            Objects.requireNonNull(contents);
            Objects.requireNonNull(name);
            if (end != 0 && Long.compareUnsigned(end, start) <= 0) {
                throw new IllegalArgumentException("empty region " + name + ": [0x" + Long.toHexString(start)
                        + ", 0x" + Long.toHexString(end) + ")");
            }
        }

        /** Whether {@code pa} lies in it. */
        public boolean contains(long pa) {
            return Long.compareUnsigned(pa, start) >= 0 && (end == 0 || Long.compareUnsigned(pa, end) < 0);
        }

        @Override
        public String toString() {
            return name + " [0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + ") "
                    + contents.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** No map: the machine is not described (see the class comment). */
    public static final PhysicalMap UNDESCRIBED = new PhysicalMap(List.of(), false);

    /** A described machine with nothing but the tables: every other PA has nothing behind it. */
    public static final PhysicalMap ONLY_THE_TABLES = new PhysicalMap(List.of(), true);

    /**
     * A map; {@code regions} is copied and sorted.
     *
     * @throws IllegalArgumentException if regions overlap, or an undescribed map has regions
     */
    public PhysicalMap {
        List<Region> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparing(Region::start, Long::compareUnsigned));
        for (int i = 1; i < sorted.size(); i++) {
            Region a = sorted.get(i - 1);
            if (a.end() == 0 || Long.compareUnsigned(a.end(), sorted.get(i).start()) > 0) {
                throw new IllegalArgumentException("regions overlap: " + a + " and " + sorted.get(i));
            }
        }
        if (!described && !sorted.isEmpty()) {
            throw new IllegalArgumentException("an undescribed map has no regions");
        }
        regions = List.copyOf(sorted);
    }

    /**
     * A described machine with these regions.
     *
     * @throws IllegalArgumentException if regions overlap
     */
    public static PhysicalMap of(Region... regions) {
        return new PhysicalMap(List.of(regions), true);
    }

    /** RAM of QEMU's virt board starts here. */
    public static final long QEMU_VIRT_RAM_BASE = 0x4000_0000L;

    /**
     * QEMU's {@code virt} board (QEMU 7.2, {@code hw/arm/virt.c}, {@code base_memmap} with highmem), with
     * {@code ramBytes} of RAM: the flash banks at 0 (128 MiB; without a firmware image they read as zero), the
     * device space from 128 MiB to 1 GiB (GIC, UART, RTC, fw_cfg, GPIO, virtio-mmio, platform bus, PCIe MMIO, PIO
     * and ECAM: registers, {@link Contents#UNKNOWN}; its holes are counted as devices too, which only hides walks
     * there from a comparison), RAM from 1 GiB (zero where the tables are not, as the QEMU oracle keeps it), and
     * the high PCIe ECAM and MMIO windows from 256 GiB to 1 TiB. Nothing else: the rest of the 48-bit space aborts.
     *
     * @throws IllegalArgumentException if ramBytes is not a positive multiple of 4 KiB below 255 GiB
     */
    public static PhysicalMap qemuVirt(long ramBytes) {
        if (ramBytes <= 0 || (ramBytes & 0xfff) != 0 || ramBytes > 255L << 30) {
            throw new IllegalArgumentException("RAM size 0x" + Long.toHexString(ramBytes));
        }
        return of(new Region(0, 0x0800_0000L, Contents.ZERO, "flash"),
                new Region(0x0800_0000L, QEMU_VIRT_RAM_BASE, Contents.UNKNOWN, "devices"),
                new Region(QEMU_VIRT_RAM_BASE, QEMU_VIRT_RAM_BASE + ramBytes, Contents.ZERO, "RAM"),
                new Region(256L << 30, 1L << 40, Contents.UNKNOWN, "high PCIe windows"));
    }

    /** The region holding {@code pa}, if any (always empty for an undescribed map). */
    public Optional<Region> regionAt(long pa) {
        for (Region r : regions) {
            if (r.contains(pa)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * This map with {@code region} laid over it: where it overlaps existing regions they are cut back, so it wins.
     *
     * @throws IllegalStateException on {@link #UNDESCRIBED}
     */
    public PhysicalMap with(Region region) {
        if (!described) {
            throw new IllegalStateException("an undescribed map has no regions to change");
        }
        List<Region> out = new ArrayList<>();
        for (Region r : regions) {
            boolean before = region.start() != 0 && Long.compareUnsigned(r.start(), region.start()) < 0;
            boolean after = region.end() != 0 && (r.end() == 0 || Long.compareUnsigned(r.end(), region.end()) > 0);
            boolean overlaps = !(r.end() != 0 && Long.compareUnsigned(r.end(), region.start()) <= 0)
                    && !(region.end() != 0 && Long.compareUnsigned(r.start(), region.end()) >= 0);
            if (!overlaps) {
                out.add(r);
                continue;
            }
            if (before) {
                out.add(new Region(r.start(), region.start(), r.contents(), r.name()));
            }
            if (after) {
                out.add(new Region(region.end(), r.end(), r.contents(), r.name()));
            }
        }
        out.add(region);
        return new PhysicalMap(out, true);
    }

    @Override
    public String toString() {
        return described ? "PhysicalMap" + regions : "PhysicalMap[undescribed]";
    }
}
