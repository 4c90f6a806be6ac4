package dev.pvmfw.paging.v0_12_1.profile;

import dev.pvmfw.paging.MemoryLifetimeException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.PhysicalMemory;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.port.MmuOpsException;
import dev.pvmfw.paging.port.Pte;
import dev.pvmfw.paging.port.PteVisitor;
import dev.pvmfw.paging.v0_12_1.Constraints;
import dev.pvmfw.paging.v0_12_1.Descriptor;
import dev.pvmfw.paging.v0_12_1.El1And0;
import dev.pvmfw.paging.v0_12_1.El1Attributes;
import dev.pvmfw.paging.v0_12_1.MapException;
import dev.pvmfw.paging.v0_12_1.Mapping;
import dev.pvmfw.paging.v0_12_1.RootTable;
import dev.pvmfw.paging.v0_12_1.UpdatableDescriptor;
import dev.pvmfw.paging.v0_12_1.Updater;
import dev.pvmfw.paging.v0_12_1.idmap.IdMap;
import java.util.OptionalLong;

/**
 * pvmfw's page table on aarch64-paging 0.12.1: one {@link IdMap} for {@link El1And0} with ASID 1, root level 1, lower
 * VA range (TTBR0_EL1), so VA 0 .. 2<sup>39</sup>; the {@link MmuOps} of this crate version
 * ({@code docs/aarch64-paging-0.12.1.md}, "pvmfw's page table on 0.12.1").
 *
 * <p>No pvmfw release runs on 0.12; the attribute sets are libvmbase's for aarch64-paging from 0.6 on
 * ({@code page_table.rs}: attribute indexes instead of {@code NORMAL}/{@code DEVICE_NGNRE}, UXN instead of
 * {@code EXECUTE_NEVER}, ACCESSED given explicitly), which 0.12.1 writes as they are (only TABLE_OR_PAGE is added, on
 * valid pages; an invalid leaf is its flags alone, without PA):
 *
 * <table>
 *   <caption>The attribute sets and the descriptors 0.12.1 writes (valid ones OR the output address)</caption>
 *   <tr><th>set</th><th>attributes</th><th>L1/L2 block</th><th>L3 page</th></tr>
 *   <tr><td>MEMORY</td><td>0xf05</td><td>0xf05</td><td>0xf07</td></tr>
 *   <tr><td>DEVICE_LAZY</td><td>0x00c0_0000_0000_0400</td><td>0x00c0_0000_0000_0400 (no PA)</td>
 *       <td>0x00c0_0000_0000_0400 (no PA, no TABLE_OR_PAGE)</td></tr>
 *   <tr><td>DEVICE</td><td>0x00c0_0000_0000_0401</td><td>…0401</td><td>…0403</td></tr>
 *   <tr><td>CODE</td><td>0xf85</td><td>0xf85</td><td>0xf87</td></tr>
 *   <tr><td>DATA</td><td>0x0040_0000_0000_0f05</td><td>…0f05</td><td>…0f07</td></tr>
 *   <tr><td>RODATA</td><td>0x0040_0000_0000_0f85</td><td>…0f85</td><td>…0f87</td></tr>
 *   <tr><td>DATA_DBM</td><td>0x0048_0000_0000_0f85</td><td>(pages only)</td><td>…0f87</td></tr>
 * </table>
 *
 * <p>{@link #mapDataDbm} maps with {@code NO_BLOCK_MAPPINGS | NO_CONTIGUOUS_HINT}, as pvmfw has since {@code b4310bc9}
 * (2023-11) so that clearing READ_ONLY on a live page is break-before-make safe. {@link #modifyRange} has 0.12.1's
 * semantics: leaves only, entries split first, and on an active table the visitor runs twice (dry run, then real).
 * Not thread-safe.
 */
public final class PvmfwPageTable implements MmuOps {
    /** {@code MMIO_LAZY_MAP_FLAG}: SWFLAG_0, descriptor bit 55. */
    public static final El1Attributes MMIO_LAZY_MAP_FLAG = El1Attributes.SWFLAG_0;
    /** Device-nGnRE: attribute index 0 (MAIR_EL1.Attr0 = 0x04 assumed). */
    public static final El1Attributes DEVICE_NGNRE = El1Attributes.ATTRIBUTE_INDEX_0;
    /** Normal write-back memory: attribute index 1 (MAIR_EL1.Attr1 = 0xff assumed), inner shareable. */
    public static final El1Attributes NORMAL =
            El1Attributes.of(El1Attributes.ATTRIBUTE_INDEX_1, El1Attributes.INNER_SHAREABLE);
    /** VALID | NORMAL | NON_GLOBAL | ACCESSED ({@code 0xf05}). */
    public static final El1Attributes MEMORY =
            El1Attributes.of(El1Attributes.VALID, NORMAL, El1Attributes.NON_GLOBAL, El1Attributes.ACCESSED);
    /** MMIO_LAZY_MAP_FLAG | DEVICE_NGNRE | UXN | ACCESSED, no VALID ({@code 0x00c0_0000_0000_0400}). */
    public static final El1Attributes DEVICE_LAZY =
            El1Attributes.of(MMIO_LAZY_MAP_FLAG, DEVICE_NGNRE, El1Attributes.UXN, El1Attributes.ACCESSED);
    /** DEVICE_LAZY | VALID ({@code 0x00c0_0000_0000_0401}). */
    public static final El1Attributes DEVICE = DEVICE_LAZY.union(El1Attributes.VALID);
    /** MEMORY | READ_ONLY ({@code 0xf85}). */
    public static final El1Attributes CODE = MEMORY.union(El1Attributes.READ_ONLY);
    /** MEMORY | UXN ({@code 0x0040_0000_0000_0f05}). */
    public static final El1Attributes DATA = MEMORY.union(El1Attributes.UXN);
    /** DATA | READ_ONLY ({@code 0x0040_0000_0000_0f85}). */
    public static final El1Attributes RODATA = DATA.union(El1Attributes.READ_ONLY);
    /** RODATA | DBM ({@code 0x0048_0000_0000_0f85}). */
    public static final El1Attributes DATA_DBM = RODATA.union(El1Attributes.DBM);

    /** {@code PageTable::ASID}. */
    public static final long ASID = 1;
    /** {@code PageTable::ROOT_LEVEL}. */
    public static final int ROOT_LEVEL = 1;

    private final IdMap<El1Attributes> idmap;
    private OptionalLong writtenTtbr0 = OptionalLong.empty();
    private long previousTtbr = Mapping.NO_PREVIOUS_TTBR;
    private long activations;

    /**
     * {@code IdMap::with_asid(1, 1, El1And0)}, with the map's own {@link dev.pvmfw.paging.v0_12_1.idmap.IdTranslation}.
     */
    public PvmfwPageTable() {
        this.idmap = IdMap.withAsid(ASID, ROOT_LEVEL, El1And0.INSTANCE);
    }

    /**
     * The same identity map over {@code translation} (e.g. a {@link dev.pvmfw.paging.TableArena}), which the caller
     * keeps owning.
     */
    public PvmfwPageTable(Translation translation) {
        this.idmap = IdMap.withAsid(translation, ASID, ROOT_LEVEL, El1And0.INSTANCE);
    }

    @Override
    public void mapDeviceLazy(long start, long end) throws MmuOpsException {
        mapRange(start, end, DEVICE_LAZY, Constraints.empty());
    }

    @Override
    public void mapDevice(long start, long end) throws MmuOpsException {
        mapRange(start, end, DEVICE, Constraints.empty());
    }

    @Override
    public void mapData(long start, long end) throws MmuOpsException {
        mapRange(start, end, DATA, Constraints.empty());
    }

    /** {@code map_range_with_constraints(DATA_DBM, NO_BLOCK_MAPPINGS | NO_CONTIGUOUS_HINT)}: pages only. */
    @Override
    public void mapDataDbm(long start, long end) throws MmuOpsException {
        mapRange(start, end, DATA_DBM, Constraints.NO_BLOCK_MAPPINGS.union(Constraints.NO_CONTIGUOUS_HINT));
    }

    @Override
    public void mapCode(long start, long end) throws MmuOpsException {
        mapRange(start, end, CODE, Constraints.empty());
    }

    @Override
    public void mapRodata(long start, long end) throws MmuOpsException {
        mapRange(start, end, RODATA, Constraints.empty());
    }

    private void mapRange(long start, long end, El1Attributes attributes, Constraints constraints)
            throws MmuOpsException {
        try {
            idmap.mapRangeWithConstraints(MemoryRegion.of(start, end), attributes, constraints);
        } catch (MapException e) {
            throw wrap(e);
        }
    }

    /**
     * {@code modify_range(&MemoryRegion::new(start, end), f)} with 0.12.1's semantics. An exception {@code visitor}
     * throws (a pvmfw panic) propagates unchanged.
     */
    @Override
    public void modifyRange(long start, long end, PteVisitor visitor) throws MmuOpsException {
        try {
            idmap.modifyRange(MemoryRegion.of(start, end), updater(visitor));
        } catch (MapException e) {
            throw wrap(e);
        }
    }

    /** {@code visitor} as a 0.12.1 {@link Updater}: each {@link UpdatableDescriptor} seen as a {@link Pte}. */
    public static Updater<El1Attributes> updater(PteVisitor visitor) {
        return (range, descriptor) -> {
            View view = new View(descriptor);
            try {
                return visitor.visit(range, view);
            } finally {
                view.descriptor = null;
            }
        };
    }

    /** An {@link UpdatableDescriptor} seen as a {@link Pte}, for the duration of one call. */
    private static final class View implements Pte {
        UpdatableDescriptor<El1Attributes> descriptor;

        View(UpdatableDescriptor<El1Attributes> descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        public int level() {
            return live().level();
        }

        @Override
        public long bits() {
            return live().bits();
        }

        /** Always present from 0.9: the flag bits verbatim, unknown ones included. */
        @Override
        public OptionalLong flags() {
            return OptionalLong.of(live().flags().bits());
        }

        /** {@code Descriptor::is_table_or_page}'s rule on the bits: VALID and TABLE_OR_PAGE. */
        @Override
        public boolean isTableOrPage() {
            return Descriptor.isTableOrPage(live().bits());
        }

        /**
         * {@code UpdatableDescriptor::modify_flags} with raw bits: unknown bits are dropped, a flip of TABLE_OR_PAGE
         * and (on a live table) a change that is not break-before-make safe are refused.
         */
        @Override
        public boolean modifyFlags(long set, long clear) {
            return live().modifyFlags(El1Attributes.fromBitsRetain(set), El1Attributes.fromBitsRetain(clear));
        }

        private UpdatableDescriptor<El1Attributes> live() {
            if (descriptor == null) {
                throw new IllegalStateException("a Pte is valid only during its visitor's call");
            }
            return descriptor;
        }
    }

    private static MmuOpsException wrap(MapException e) {
        return new MmuOpsException(e.error().display(), e.error().toString(), e);
    }

    /**
     * {@code activate}: {@code IdMap::activate} (the table becomes live), and records the TTBR0_EL1 value aarch64
     * would write, {@code root_pa | ASID << 48}. 0.12.1 does not refuse a second activation; it counts it.
     */
    @Override
    public long activate() {
        previousTtbr = idmap.activate();
        activations++;
        long value = idmap.mapping().ttbrValue();
        writtenTtbr0 = OptionalLong.of(value);
        return value;
    }

    /**
     * What the last {@link #activate} got back from {@code Mapping::activate}: the previous TTBR value
     * ({@code usize::MAX} on a host, where no register is read), or {@link Mapping#NO_PREVIOUS_TTBR} before any.
     */
    public long previousTtbr() {
        return previousTtbr;
    }

    @Override
    public OptionalLong writtenTtbr0() {
        return writtenTtbr0;
    }

    @Override
    public boolean isActive() {
        return idmap.mapping().active();
    }

    @Override
    public long rootPa() {
        return idmap.rootAddress().value();
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
     * The translation's tables, read-only, for as long as this table lives; afterwards every read throws
     * {@link MemoryLifetimeException} CLOSED.
     */
    @Override
    public PhysicalMemory memory() {
        RootTable<El1Attributes> root = idmap.mapping().root();
        PhysicalMemory tables = root.translation();
        return pa -> {
            if (root.isClosed()) {
                throw new MemoryLifetimeException(MemoryLifetimeException.Kind.CLOSED,
                        "the page table has been dropped");
            }
            return tables.table(pa);
        };
    }

    /** The 0.12.1 identity map underneath (for byte checks and the crate's own API). */
    public IdMap<El1Attributes> idMap() {
        return idmap;
    }

    /** The 0.12.1 root table underneath. */
    public RootTable<El1Attributes> rootTable() {
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

    /**
     * Drop, as pvmfw's table must do it on 0.12.1: undo each {@link #activate} ({@code Mapping}'s {@code Drop}
     * panics on an active mapping), then drop the map, which frees every table. Idempotent.
     *
     * @throws dev.pvmfw.paging.CratePanic "Dropping active page table mapping!" if the mapping was made active other
     *     than through {@link #activate} (through {@link #idMap()}), after the tables are freed
     */
    @Override
    public void close() {
        if (!idmap.mapping().isClosed()) {
            for (; activations > 0 && idmap.mapping().active(); activations--) {
                idmap.deactivate(previousTtbr);
            }
        }
        idmap.close();
    }
}
