package dev.pvmfw.image;

import dev.pvmfw.mmu.DescriptorKind;
import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.DescriptorBits;
import dev.pvmfw.paging.Geometry;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.port.CrateProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The invariants of a page-table image ({@code pvmfw-paging check}): the walk's structural findings
 * ({@code pointer-outside-image}, {@code pointer-beyond-output-size}, {@code root-beyond-output-size},
 * {@code cycle}, {@code shared-table}) plus, per entry:
 *
 * <ul>
 *   <li>{@code level0-block}: a level-0 block, which the 4 KiB granule does not have (the MMU faults; 0.4.0 writes
 *       them);</li>
 *   <li>{@code reserved-descriptor}: 0b01 at level 3;</li>
 *   <li>{@code misaligned-block}: a block whose output address is not aligned to its size;</li>
 *   <li>{@code crate-disagrees}: a table descriptor the crate version the image is read with does not treat as a
 *       subtable ({@link CrateProfile#isSubtable}), so that crate does not see a table where the MMU does (up to
 *       0.8.1, because its {@code flags()} cannot parse the bits: the message then says why);</li>
 *   <li>{@code unknown-flags}: a leaf whose flags that crate version cannot parse (pvmfw's MMIO callbacks would
 *       panic);</li>
 *   <li>{@code lazy-not-device}: a leaf tagged SWFLAG_0 (lazy MMIO) that is not Device memory: its AttrIndx selects
 *       a Normal attribute in the MAIR of the walk's {@link MmuConfig} (under pvmfw's, index 1; every other index is
 *       Device), or on a stage-2 table its MemAttr is Normal;</li>
 *   <li>{@code lazy-not-a-page}: a level-3 lazy entry without TABLE_OR_PAGE, which setting VALID would turn into a
 *       reserved descriptor;</li>
 *   <li>{@code wx}: a valid leaf both writable and executable at the regime's own level (EL1, EL2, EL3 or stage 2:
 *       {@link RegimeAttributes#writable}, {@link RegimeAttributes#executable});</li>
 *   <li>{@code not-identity}, only with {@link DeviceRules#identity()}: a valid device leaf whose output address is
 *       not its VA (pvmfw's table is an identity map; aarch64-paging 0.12.1 turns a flags-only lazy page into
 *       {@code 0x00c0_0000_0000_0401}, output address 0, under {@code modify_flags(VALID)}). "Device" is decided by
 *       {@link DeviceRules#deviceBy()}: the SWFLAG_0 tag, or the MAIR.</li>
 * </ul>
 */
public final class ImageCheck {
    private ImageCheck() {}

    /** The structural findings and every entry rule, with the structure's crate profile for the crate's view. */
    public static List<Violation> check(ImageWalk.Structure structure) {
        return check(structure, DeviceRules.NONE);
    }

    /** {@link #check(ImageWalk.Structure)} plus the optional device rules {@code rules} asks for. */
    public static List<Violation> check(ImageWalk.Structure structure, DeviceRules rules) {
        List<Violation> out = new ArrayList<>();
        forEach(structure, rules, out::add);
        return out;
    }

    /**
     * {@link #check}'s violations to {@code action} as they are found, in its order (the structural findings in walk
     * order, then the entry rules in walk order), without collecting them: two replays of the walk.
     *
     * @return how many there were
     */
    public static long forEach(ImageWalk.Structure structure, Consumer<Violation> action) {
        return forEach(structure, DeviceRules.NONE, action);
    }

    /**
     * {@link #check(ImageWalk.Structure, DeviceRules)}'s violations to {@code action} as they are found, without
     * collecting them (see {@link #forEach(ImageWalk.Structure, Consumer)}).
     *
     * @return how many there were
     */
    public static long forEach(ImageWalk.Structure structure, DeviceRules rules, Consumer<Violation> action) {
        long[] count = new long[1];
        Consumer<Violation> counted = v -> {
            count[0]++;
            action.accept(v);
        };
        structure.forEach(new ImageWalk.Visitor() {
            @Override
            public void violation(Violation v) {
                counted.accept(v);
            }
        });
        CrateProfile profile = structure.profile();
        MmuConfig mmu = structure.config();
        TranslationRegime regime = profile.tableRegime();
        structure.forEachEntry(e -> entryRules(e, profile, regime, mmu, rules, counted));
        return count[0];
    }

    /** How many violations {@link #check} finds, without keeping them. */
    public static long count(ImageWalk.Structure structure) {
        return count(structure, DeviceRules.NONE);
    }

    /** How many violations {@link #check(ImageWalk.Structure, DeviceRules)} finds, without keeping them. */
    public static long count(ImageWalk.Structure structure, DeviceRules rules) {
        return forEach(structure, rules, v -> { });
    }

    /** The entry rules' violations at {@code e}, to {@code action}. */
    private static void entryRules(ImageWalk.Entry e, CrateProfile profile, TranslationRegime regime, MmuConfig mmu,
            DeviceRules rules, Consumer<Violation> action) {
        long d = e.descriptor();
        switch (e.kind()) {
            case LEVEL0_BLOCK -> action.accept(e.violation("level0-block", "a level-0 block: the 4 KiB granule "
                    + "has none without FEAT_LPA2, so the MMU faults", profile));
            case RESERVED -> action.accept(e.violation("reserved-descriptor", "0b01 at level 3 is reserved",
                    profile));
            case TABLE -> {
                if (!profile.isSubtable(d, e.level())) {
                    action.accept(e.violation("crate-disagrees", "the MMU follows this table, but "
                            + (profile.flagsKnown(d) ? "" : "the crate's flags() is None ("
                                    + String.join("; ", profile.flagsProblems(d)) + "), so ")
                            + "the crate does not treat it as a table", profile));
                }
            }
            default -> { }
        }
        if (e.kind() == DescriptorKind.BLOCK || e.kind() == DescriptorKind.LEVEL0_BLOCK) {
            if (!Geometry.isAligned(e.outputAddress(), e.size())) {
                action.accept(e.violation("misaligned-block", "output address " + Violation.hex(e.outputAddress())
                        + " is not aligned to the block size " + Violation.hex(e.size()), profile));
            }
        }
        boolean leaf = e.kind() != DescriptorKind.TABLE;
        if (leaf && !profile.flagsKnown(d)) {
            action.accept(e.violation("unknown-flags", "flags() is None ("
                    + String.join("; ", profile.flagsProblems(d))
                    + "): pvmfw's MMIO callbacks would panic (Unsupported PTE flags set)", profile));
        }
        boolean lazyTagged = (d & DescriptorKind.SOFTWARE_BIT_55) != 0 && leaf;
        if (lazyTagged && !RegimeAttributes.isDevice(d, regime, mmu)) {
            action.accept(e.violation("lazy-not-device", "tagged SWFLAG_0 (lazy MMIO) but "
                    + RegimeAttributes.memoryType(d, regime, mmu) + ", not Device memory", profile));
        }
        if (e.kind() == DescriptorKind.LAZY && e.level() == Geometry.LEAF_LEVEL
                && (d & DescriptorBits.TABLE_OR_PAGE) == 0) {
            action.accept(e.violation("lazy-not-a-page", "a level-3 lazy entry without TABLE_OR_PAGE: setting "
                    + "VALID gives 0b01, a reserved descriptor", profile));
        }
        if (e.kind().isValidLeaf() && RegimeAttributes.writable(d, regime)
                && RegimeAttributes.executable(d, regime)) {
            action.accept(e.violation("wx", "writable and executable at "
                    + RegimeAttributes.privilegedLevel(regime), profile));
        }
        boolean validLeafBit = leaf && (d & DescriptorBits.VALID) != 0;
        if (rules.identity() && validLeafBit && isDevice(d, rules, mmu) && e.outputAddress() != e.va()) {
            action.accept(e.violation("not-identity", "a valid device leaf whose output address "
                    + Violation.hex(e.outputAddress()) + " is not its identity address " + Violation.hex(e.va())
                    + " (device by " + (rules.deviceBy() == DeviceRules.DeviceBy.MAIR ? "MAIR: "
                    + AttributeText.memoryType(d, mmu) : "the SWFLAG_0 tag") + ")", profile));
        }
    }

    private static boolean isDevice(long d, DeviceRules rules, MmuConfig mmu) {
        return switch (rules.deviceBy()) {
            case SWFLAG_0 -> (d & DescriptorKind.SOFTWARE_BIT_55) != 0;
            case MAIR -> mmu.isDevice(AttributeText.attrIndx(d));
        };
    }
}
