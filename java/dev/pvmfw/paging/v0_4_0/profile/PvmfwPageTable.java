package dev.pvmfw.paging.v0_4_0.profile;

import dev.pvmfw.era.MemoryRange;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.MapException;
import dev.pvmfw.paging.MemoryRegion;
import dev.pvmfw.paging.v0_4_0.PteUpdater;
import dev.pvmfw.paging.v0_4_0.RootTable;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.v0_4_0.idmap.IdMap;
import java.util.OptionalLong;

/**
 * pvmfw's {@code mmu::PageTable} at {@code b99905d3}: one identity map ({@link IdMap}) with ASID 1, root level 1,
 * lower VA range (TTBR0_EL1), so it covers VA 0 .. 2<sup>39</sup>.
 *
 * <p>Every mapping call takes a range {@code start..end} (Rust {@code Range<usize>}) and turns it into
 * {@link MemoryRegion#of}, which rounds the start down and the end up to 4 KiB, then calls {@code map_range} with one
 * of the attribute sets below; it fails like the Rust {@code Result<(), MapError>} (RegionBackwards, AddressRange). In
 * aarch64-paging 0.4.0 {@code map_range} ORs in ACCESSED (and TABLE_OR_PAGE at level 3) and never adds VALID.
 *
 * <table>
 *   <caption>Attribute sets and the descriptors 0.4.0 writes (OR the output address)</caption>
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
 * <p>DATA_DBM is defined for completeness; it arrived the day after this change ({@code 44b1ce35}) and no mapping
 * function of this era uses it. Not thread-safe (pvmfw holds it inside the tracker, under the {@link MemoryMutex}).
 */
public final class PvmfwPageTable implements AutoCloseable {
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
    /** RODATA | DBM ({@code 0x0068_0000_0000_0b85}); from {@code 44b1ce35}, unused in this era. */
    public static final Attributes DATA_DBM = RODATA.union(Attributes.DBM);

    /** {@code PvmfwPageTable::ASID}. */
    public static final long ASID = 1;
    /** {@code PvmfwPageTable::ROOT_LEVEL}. */
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

    /** DEVICE_LAZY: invalid, SWFLAG_0-tagged Device-nGnRE descriptors. @throws MapException as map_range */
    public void mapDeviceLazy(long start, long end) throws MapException {
        mapRange(start, end, DEVICE_LAZY);
    }

    /** DEVICE: valid Device-nGnRE (splits any block in the way). @throws MapException as map_range */
    public void mapDevice(long start, long end) throws MapException {
        mapRange(start, end, DEVICE);
    }

    /** DATA. @throws MapException as map_range */
    public void mapData(long start, long end) throws MapException {
        mapRange(start, end, DATA);
    }

    /** CODE. @throws MapException as map_range */
    public void mapCode(long start, long end) throws MapException {
        mapRange(start, end, CODE);
    }

    /** RODATA. @throws MapException as map_range */
    public void mapRodata(long start, long end) throws MapException {
        mapRange(start, end, RODATA);
    }

    /** {@link #mapDeviceLazy(long, long)} of a range. */
    public void mapDeviceLazy(MemoryRange range) throws MapException {
        mapDeviceLazy(range.start(), range.end());
    }

    /** {@link #mapDevice(long, long)} of a range. */
    public void mapDevice(MemoryRange range) throws MapException {
        mapDevice(range.start(), range.end());
    }

    /** {@link #mapData(long, long)} of a range. */
    public void mapData(MemoryRange range) throws MapException {
        mapData(range.start(), range.end());
    }

    /** {@link #mapCode(long, long)} of a range. */
    public void mapCode(MemoryRange range) throws MapException {
        mapCode(range.start(), range.end());
    }

    /** {@link #mapRodata(long, long)} of a range. */
    public void mapRodata(MemoryRange range) throws MapException {
        mapRodata(range.start(), range.end());
    }

    /** {@code map_range}: {@code idmap.map_range(&MemoryRegion::new(start, end), attr)}. */
    private void mapRange(long start, long end, Attributes attributes) throws MapException {
        idmap.mapRange(MemoryRegion.of(start, end), attributes);
    }

    /**
     * {@code modify_range} (added by this change): {@code idmap.modify_range(&MemoryRegion::new(start, end), f)},
     * with 0.4.0 semantics (every entry visited, tables included, parent first, each with its whole range).
     *
     * @throws MapException RegionBackwards, AddressRange, or PteUpdateFault when {@code f} returns false; an
     *     exception {@code f} throws (e.g. {@link InvariantViolation}) propagates unchanged
     */
    public void modifyRange(long start, long end, PteUpdater f) throws MapException {
        idmap.modifyRange(MemoryRegion.of(start, end), f);
    }

    /** {@link #modifyRange(long, long, PteUpdater)} of a range. */
    public void modifyRange(MemoryRange range, PteUpdater f) throws MapException {
        modifyRange(range.start(), range.end(), f);
    }

    /**
     * {@code activate}: records (does not perform) the TTBR0_EL1 write, {@code root_pa | ASID << 48}; the previous
     * value saved is 0 (the static boot tables are not modelled).
     *
     * @return the value written to TTBR0_EL1
     * @throws dev.pvmfw.paging.CratePanic "assertion failed: self.previous_ttbr.is_none()" if already active
     */
    public long activate() {
        long value = idmap.mapping().activate(0);
        writtenTtbr0 = OptionalLong.of(value);
        return value;
    }

    /** The value {@link #activate} writes (or wrote) to TTBR0_EL1: {@code root_pa | 1 << 48}. */
    public long ttbr0Value() {
        return idmap.mapping().ttbrValue();
    }

    /** What {@link #activate} wrote to TTBR0_EL1, if it ran. */
    public OptionalLong writtenTtbr0() {
        return writtenTtbr0;
    }

    public boolean isActive() {
        return idmap.mapping().isActive();
    }

    /** The root table (for walks, dumps and byte checks). */
    public RootTable rootTable() {
        return idmap.mapping().root();
    }

    public IdMap idMap() {
        return idmap;
    }

    /** The crate's {@code RootTable} Debug dump. */
    public String debug() {
        return rootTable().debug();
    }

    @Override
    public String toString() {
        return "PvmfwPageTable { idmap: " + idmap + " }";
    }

    /** Drop: deactivates (if active) and frees every table. */
    @Override
    public void close() {
        idmap.close();
    }
}
