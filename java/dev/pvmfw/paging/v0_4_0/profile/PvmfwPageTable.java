package dev.pvmfw.paging.v0_4_0.profile;

import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.Pte;
import dev.pvmfw.paging.port.PteVisitor;
import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.Descriptor;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.v0_4_0.PteUpdater;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.v0_4_0.idmap.IdMap;
import java.util.OptionalLong;

/**
 * pvmfw's {@code mmu::PageTable} on aarch64-paging 0.4.0 ({@code b99905d3:pvmfw/src/mmu.rs}): one {@link IdMap} with
 * ASID 1, root level 1, lower VA range (TTBR0_EL1), so it covers VA 0 .. 2<sup>39</sup>; the {@link MmuOps} of this
 * crate version.
 *
 * <p>Every mapping call turns {@code start..end} into {@code MemoryRegion::new}, which rounds out to 4 KiB, then
 * calls {@code map_range} with one of the attribute sets below. 0.4.0's {@code map_range} ORs in ACCESSED (and
 * TABLE_OR_PAGE at level 3) and never adds VALID.
 *
 * <table>
 *   <caption>pvmfw's attribute sets on 0.4.0 and the descriptors it writes (OR the output address)</caption>
 *   <tr><th>set</th><th>attributes</th><th>L1/L2 block</th><th>L3 page</th></tr>
 *   <tr><td>MEMORY</td><td>0xb05</td><td>0xf05</td><td>0xf07</td></tr>
 *   <tr><td>DEVICE_LAZY</td><td>0x00e0_0000_0000_0000</td><td>0x00e0_0000_0000_0400</td>
 *       <td>0x00e0_0000_0000_0402</td></tr>
 *   <tr><td>DEVICE</td><td>0x00e0_0000_0000_0001</td><td>…0401</td><td>…0403</td></tr>
 *   <tr><td>CODE</td><td>0xb85</td><td>0xf85</td><td>0xf87</td></tr>
 *   <tr><td>DATA</td><td>0x0060_0000_0000_0b05</td><td>…0f05</td><td>…0f07</td></tr>
 *   <tr><td>RODATA</td><td>0x0060_0000_0000_0b85</td><td>…0f85</td><td>…0f87</td></tr>
 *   <tr><td>DATA_DBM</td><td>0x0068_0000_0000_0b85</td><td>…0f85</td><td>…0f87</td></tr>
 * </table>
 *
 * <p>{@link #modifyRange} has 0.4.0's semantics: every entry the range touches, table descriptors included, parent
 * first, each with its whole range; nothing is split. Not thread-safe.
 */
public final class PvmfwPageTable implements MmuOps {
    /** The software bit marking a device to be mapped lazily: SWFLAG_0, descriptor bit 55. */
    public static final Attributes MMIO_LAZY_MAP_FLAG = Attributes.SWFLAG_0;
    /** VALID | NORMAL | NON_GLOBAL ({@code 0xb05}); pvmfw-internal. MAIR Attr1 = 0xff assumed. */
    public static final Attributes MEMORY = Attributes.of(Attributes.VALID, Attributes.NORMAL, Attributes.NON_GLOBAL);
    /** MMIO_LAZY_MAP_FLAG | DEVICE_NGNRE | EXECUTE_NEVER, no VALID ({@code 0x00e0_0000_0000_0000}). */
    public static final Attributes DEVICE_LAZY =
            Attributes.of(MMIO_LAZY_MAP_FLAG, Attributes.DEVICE_NGNRE, Attributes.EXECUTE_NEVER);
    /** DEVICE_LAZY | VALID ({@code 0x00e0_0000_0000_0001}); it carries SWFLAG_0 too, the UART included. */
    public static final Attributes DEVICE = DEVICE_LAZY.union(Attributes.VALID);
    /** MEMORY | READ_ONLY ({@code 0xb85}). */
    public static final Attributes CODE = MEMORY.union(Attributes.READ_ONLY);
    /** MEMORY | EXECUTE_NEVER ({@code 0x0060_0000_0000_0b05}). */
    public static final Attributes DATA = MEMORY.union(Attributes.EXECUTE_NEVER);
    /** DATA | READ_ONLY ({@code 0x0060_0000_0000_0b85}). */
    public static final Attributes RODATA = DATA.union(Attributes.READ_ONLY);
    /** RODATA | DBM ({@code 0x0068_0000_0000_0b85}); pvmfw's from {@code 44b1ce35}, the day after the seed. */
    public static final Attributes DATA_DBM = RODATA.union(Attributes.DBM);

    /** {@code PageTable::ASID}. */
    public static final long ASID = 1;
    /** {@code PageTable::ROOT_LEVEL}. */
    public static final int ROOT_LEVEL = 1;

    private final IdMap idmap;
    private OptionalLong writtenTtbr0 = OptionalLong.empty();

    /** {@code IdMap::new(1, 1)}, with the IdMap's own {@link dev.pvmfw.paging.v0_4_0.idmap.IdTranslation}. */
    public PvmfwPageTable() {
        this.idmap = new IdMap(ASID, ROOT_LEVEL);
    }

    /**
     * An identity map over {@code translation} (e.g. a {@link dev.pvmfw.paging.TableArena}, to compare the bytes with
     * the Rust oracle). The caller keeps owning the translation.
     */
    public PvmfwPageTable(Translation translation) {
        this.idmap = new IdMap(translation, ASID, ROOT_LEVEL);
    }

    @Override
    public void mapDeviceLazy(long start, long end) throws MmuOpsException {
        mapRange(start, end, DEVICE_LAZY);
    }

    @Override
    public void mapDevice(long start, long end) throws MmuOpsException {
        mapRange(start, end, DEVICE);
    }

    @Override
    public void mapData(long start, long end) throws MmuOpsException {
        mapRange(start, end, DATA);
    }

    @Override
    public void mapDataDbm(long start, long end) throws MmuOpsException {
        mapRange(start, end, DATA_DBM);
    }

    @Override
    public void mapCode(long start, long end) throws MmuOpsException {
        mapRange(start, end, CODE);
    }

    @Override
    public void mapRodata(long start, long end) throws MmuOpsException {
        mapRange(start, end, RODATA);
    }

    /** {@code map_range}: {@code idmap.map_range(&MemoryRegion::new(start, end), attr)}. */
    private void mapRange(long start, long end, Attributes attributes) throws MmuOpsException {
        try {
            idmap.mapRange(MemoryRegion.of(start, end), attributes);
        } catch (MapException e) {
            throw wrap(e);
        }
    }

    /**
     * {@code modify_range}: {@code idmap.modify_range(&MemoryRegion::new(start, end), f)}, with 0.4.0 semantics. An
     * exception {@code visitor} throws (a pvmfw panic) propagates unchanged.
     */
    @Override
    public void modifyRange(long start, long end, PteVisitor visitor) throws MmuOpsException {
        try {
            idmap.modifyRange(MemoryRegion.of(start, end), updater(visitor));
        } catch (MapException e) {
            throw wrap(e);
        }
    }

    /**
     * {@code visitor} as a 0.4.0 {@link PteUpdater}: each entry seen as a {@link Pte} (one view object per updater,
     * pointed at each entry in turn). An exception the visitor throws propagates unchanged.
     */
    public static PteUpdater updater(PteVisitor visitor) {
        View view = new View();
        return (range, entry, level) -> {
            view.entry = entry;
            view.level = level;
            try {
                return visitor.visit(range, view);
            } finally {
                view.entry = null;
            }
        };
    }

    /** A 0.4.0 descriptor seen as a {@link Pte}: one object per modify call, pointed at each entry in turn. */
    private static final class View implements Pte {
        Descriptor entry;
        int level;

        @Override
        public int level() {
            return level;
        }

        @Override
        public long bits() {
            return live().bits();
        }

        @Override
        public OptionalLong flags() {
            // Descriptor.flags() without its Optional<Attributes>: the same bitflags 2.0.2 test on the same bits.
            long bits = live().bits();
            return Descriptor.hasKnownFlags(bits) ? OptionalLong.of(bits & ~Descriptor.PHYSICAL_ADDRESS_BITMASK)
                    : OptionalLong.empty();
        }

        @Override
        public boolean isTableOrPage() {
            return live().isTableOrPage();
        }

        /** 0.4.0's {@code modify_flags}: no checks, always applied; the bits need not be named flags. */
        @Override
        public boolean modifyFlags(long set, long clear) {
            live().modifyFlags(Attributes.fromBitsRetain(set), Attributes.fromBitsRetain(clear));
            return true;
        }

        private Descriptor live() {
            if (entry == null) {
                throw new IllegalStateException("a Pte is valid only during its visitor's call");
            }
            return entry;
        }
    }

    private static MmuOpsException wrap(MapException e) {
        return new MmuOpsException(e.error().display(), e.error().toString(), e);
    }

    /**
     * {@code activate}: records (does not perform) the TTBR0_EL1 write, {@code root_pa | ASID << 48}; the previous
     * value saved is 0 (the static boot tables are not modelled).
     *
     * @throws dev.pvmfw.paging.CratePanic "assertion failed: self.previous_ttbr.is_none()" if already active
     */
    @Override
    public long activate() {
        long value = idmap.mapping().activate(0);
        writtenTtbr0 = OptionalLong.of(value);
        return value;
    }

    @Override
    public OptionalLong writtenTtbr0() {
        return writtenTtbr0;
    }

    @Override
    public boolean isActive() {
        return idmap.mapping().isActive();
    }

    @Override
    public long rootPa() {
        return idmap.mapping().root().toPhysical().value();
    }

    @Override
    public int rootLevel() {
        return ROOT_LEVEL;
    }

    @Override
    public VaRange vaRange() {
        return VaRange.LOWER;
    }

    /**
     * The translation's tables, read-only, for as long as this page table lives: only the {@link PhysicalMemory} face
     * of the translation, never the translation itself, so an era holding this {@code MmuOps} cannot write a
     * descriptor ({@code docs/architecture.md}, "Public surface"). Once it is closed (dropped), every read throws {@link MemoryLifetimeException} CLOSED, also where the translation (a caller's arena) is still open
     * and would only answer that no table is there any more.
     */
    @Override
    public PhysicalMemory memory() {
        RootTable root = idmap.mapping().root();
        PhysicalMemory tables = root.translation();
        return pa -> {
            if (root.isClosed()) {
                throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                        "the page table has been dropped");
            }
            return tables.table(pa);
        };
    }

    /** The 0.4.0 root table underneath (for byte checks and the crate's own API). */
    public RootTable rootTable() {
        return idmap.mapping().root();
    }

    @Override
    public String debug() {
        return rootTable().debug();
    }

    @Override
    public String toString() {
        return "PageTable { idmap: " + idmap + " }";
    }

    @Override
    public void close() {
        idmap.close();
    }
}
