package dev.pvmfw.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.mmu.MmuConfig;
import dev.pvmfw.paging.Translation;
import dev.pvmfw.paging.TranslationRegime;
import dev.pvmfw.paging.VaRange;
import dev.pvmfw.paging.internal.TableLayout;
import dev.pvmfw.paging.port.CrateProfile;
import dev.pvmfw.paging.port.LinkedCrate;
import dev.pvmfw.paging.port.MmuOps;
import dev.pvmfw.paging.v0_4_0.profile.Profile040;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;

/** The entry rules of {@code check}, each decided by the rule it names. */
class ImageCheckTest {
    static final long BASE = 0x4000_0000L;
    /** Bit 63 of a table descriptor: NSTable, which the MMU ignores at EL1 non-secure and 0.4.0 does not name. */
    static final long NS_TABLE = 1L << 63;

    /** Root (slot 0) root[0] -> slot 1 with NSTable set; slot 1 maps one read-only block. */
    static TableImage nsTableImage() throws ImageFormatException {
        MemorySegment b = MemorySegment.ofArray(new byte[2 * 4096]);
        TableLayout.write(b, 0, (BASE + 0x1000) | 0b11 | NS_TABLE);
        TableLayout.write(b.asSlice(4096), 0, 0x40_0000L | 0x481); // a read-only 2 MiB block
        return TableImage.of(b, BASE, 1, VaRange.LOWER, 0);
    }

    static List<Violation> check(TableImage image, CrateProfile profile) {
        return ImageCheck.check(ImageWalk.walk(image, profile));
    }

    static List<String> rules(List<Violation> violations) {
        return violations.stream().map(Violation::rule).toList();
    }

    @Test
    void crateDisagreesOn040WhereFlagsAreNoneWithTheSameText() throws Exception {
        List<Violation> v = check(nsTableImage(), Profile040.INSTANCE);
        assertEquals(List.of("crate-disagrees"), rules(v));
        // bitflags 2.0.2's from_bits: bit 63 is no flag of 0.4.0's Attributes, so flags() is None and the crate's
        // PageTableWithLevel::subtable sees no table.
        assertEquals("the MMU follows this table, but the crate's flags() is None (unknown bit 63), so the crate does "
                + "not treat it as a table", v.getFirst().message());
    }

    @Test
    void crateDisagreesFollowsTheCratesSubtableRuleNotItsFlagsVerdict() throws Exception {
        // As from 0.9: flags() always parses; suppose the crate refused NSTable tables.
        CrateProfile refusesNsTable = new Fake(d -> true, (d, level) -> level < 3 && (d & 3) == 3
                && (d & NS_TABLE) == 0);
        List<Violation> v = check(nsTableImage(), refusesNsTable);
        assertEquals(List.of("crate-disagrees"), rules(v));
        assertEquals("the MMU follows this table, but the crate does not treat it as a table",
                v.getFirst().message());
        // And a crate that parses no flags but still walks every 0b11 sees the table: no disagreement.
        CrateProfile walksAll = new Fake(d -> false, (d, level) -> level < 3 && (d & 3) == 3);
        assertEquals(List.of("unknown-flags"), rules(check(nsTableImage(), walksAll))); // the leaf, only
    }

    /** A root whose entries 0..2 are lazy 1 GiB blocks (SWFLAG_0, not VALID) with AttrIndx 0, 1, 2. */
    static TableImage lazyBlocks() throws ImageFormatException {
        MemorySegment b = MemorySegment.ofArray(new byte[4096]);
        for (int n = 0; n < 3; n++) {
            TableLayout.write(b, n, (1L << 55) | (n + 1L) << 30 | 0x400 | (long) n << 2);
        }
        return TableImage.of(b, BASE, 1, VaRange.LOWER, 0);
    }

    static List<Violation> lazyNotDevice(List<Violation> all) {
        return all.stream().filter(x -> x.rule().equals("lazy-not-device")).toList();
    }

    @Test
    void lazyNotDeviceIsDecidedByTheMairNotByIndexZero() throws Exception {
        // pvmfw's MAIR 0xff04: index 1 is Normal; index 2 is 0x00, Device-nGnRnE. (0.4.0 cannot parse AttrIndx 1
        // or 2, bits 2 and 3, alone: unknown-flags, beside the point here.)
        List<Violation> v = lazyNotDevice(check(lazyBlocks(), Profile040.INSTANCE));
        assertEquals(List.of(1), v.stream().map(Violation::index).toList());
        assertEquals("tagged SWFLAG_0 (lazy MMIO) but MEM/NORMAL, not Device memory", v.getFirst().message());
        // Linux's MAIR (AttributeTextTest.LINUX_MAIR): 0 Normal, 1 Normal tagged, 2 Normal non-cacheable.
        MmuConfig linux = MmuConfig.of(1, VaRange.LOWER).withMair(AttributeTextTest.LINUX_MAIR);
        List<Violation> l = lazyNotDevice(ImageCheck.check(ImageWalk.walk(lazyBlocks(), linux, Profile040.INSTANCE)));
        assertEquals(List.of(0, 1, 2), l.stream().map(Violation::index).toList());
        assertEquals("tagged SWFLAG_0 (lazy MMIO) but MEM/NORMAL-NC, not Device memory", l.get(2).message());
    }

    /** 0.4.0's texts, with another flags() verdict and subtable rule. */
    record Fake(LongPredicate flagsKnown, BiPredicate<Long, Integer> isSubtable) implements CrateProfile {
        static final CrateProfile BASE = Profile040.INSTANCE;

        @Override
        public String id() {
            return "fake";
        }

        @Override
        public List<LinkedCrate> crates() {
            return BASE.crates();
        }

        @Override
        public Set<TranslationRegime> regimes() {
            return BASE.regimes();
        }

        @Override
        public boolean flagsKnown(long descriptor) {
            return flagsKnown.test(descriptor);
        }

        @Override
        public boolean isSubtable(long descriptor, int level) {
            return isSubtable.test(descriptor, level);
        }

        @Override
        public boolean isTableOrPage(long descriptor) {
            return BASE.isTableOrPage(descriptor);
        }

        @Override
        public String descriptorDebug(long descriptor) {
            return BASE.descriptorDebug(descriptor);
        }

        @Override
        public String attributesDebug(long flagBits) {
            return BASE.attributesDebug(flagBits);
        }

        @Override
        public List<String> flagsProblems(long descriptor) {
            return flagsKnown(descriptor) ? List.of() : List.of("fake");
        }

        @Override
        public List<NamedFlag> flags() {
            return BASE.flags();
        }

        @Override
        public MmuOps newPvmfwPageTable(Translation translation) {
            throw new UnsupportedOperationException();
        }
    }
}
