package dev.pvmfw.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.pvmfw.paging.SlotMemory;
import dev.pvmfw.paging.VaRange;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stage-2 access verdicts ({@link Stage2Access}). The expected values are the Arm ARM's stage-2 rules (DDI 0487, D8.4:
 * S2AP[0] grants reads, S2AP[1] writes; XN forbids fetches, which need no read permission; AF clear faults unless the
 * hardware manages it) applied to the encodings the 0.12 reference gives ({@code ../shared/reference/
 * aarch64-paging-0.12.md}, "Descriptor layout and attribute bits": S2AP_ACCESS_NONE/RO/WO/RW = 0..3 &lt;&lt; 6,
 * ACCESS_FLAG bit 10, XN bit 54), on leaves written by hand, never on our own output.
 */
class Stage2AccessTest {
    static final long BASE = 0x4000_0000L;
    static final long AF = 1L << 10;
    static final long XN = 1L << 54;
    static final long DBM = 1L << 51;
    static final long NORMAL_WB = 3L << 2 | 3L << 4;
    static final long NONE = 0;
    static final long RO = 1L << 6;
    static final long WO = 2L << 6;
    static final long RW = 3L << 6;

    final Arena arena = Arena.ofConfined();
    final MemorySegment tables = arena.allocate(3 * 4096L, 4096);
    final SlotMemory memory = new SlotMemory(tables, BASE);
    final MmuConfig config = MmuConfig.of(1, VaRange.LOWER);

    @AfterEach
    void close() {
        arena.close();
    }

    /** A level-1 root, one level-2 and one level-3 table; the page at IPA {@code 0x1000·i} has bits {@code attrs}. */
    long ipa(int i, long attrs) {
        tables.set(ValueLayout.JAVA_LONG, 0, BASE + 0x1000 | 0b11);
        tables.set(ValueLayout.JAVA_LONG, 4096, BASE + 0x2000 | 0b11);
        tables.set(ValueLayout.JAVA_LONG, 8192 + 8L * i, 0x8000_0000L + 0x1000L * i | attrs | NORMAL_WB | 0b11);
        return 0x1000L * i + 0x123;
    }

    WalkResult access(long ipa, AccessKind kind) {
        return access(ipa, kind, config);
    }

    WalkResult access(long ipa, AccessKind kind, MmuConfig c) {
        return Stage2Access.access(memory, c, BASE, ipa, kind);
    }

    static void ok(WalkResult r) {
        WalkResult.Translated t = assertInstanceOf(WalkResult.Translated.class, r);
        assertEquals(3, t.leaf().level());
    }

    static void fault(WalkResult.FaultKind kind, WalkResult r) {
        WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, r);
        assertEquals(kind, f.kind());
        assertEquals(3, f.level(), "reported at the leaf's level");
    }

    @Test
    void s2apNoneAllowsNeitherReadsNorWrites() {
        long ipa = ipa(0, NONE | AF);
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.READ));
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.WRITE));
        ok(access(ipa, AccessKind.EXECUTE)); // XN clear: a fetch needs no S2AP read permission
    }

    @Test
    void s2apReadOnlyAllowsReadsOnly() {
        long ipa = ipa(1, RO | AF);
        ok(access(ipa, AccessKind.READ));
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.WRITE));
    }

    @Test
    void s2apWriteOnlyAllowsWritesOnly() {
        long ipa = ipa(2, WO | AF);
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.READ));
        ok(access(ipa, AccessKind.WRITE));
    }

    @Test
    void s2apReadWriteAllowsBoth() {
        long ipa = ipa(3, RW | AF);
        ok(access(ipa, AccessKind.READ));
        ok(access(ipa, AccessKind.WRITE));
        ok(access(ipa, AccessKind.EXECUTE));
    }

    @Test
    void accessFlagClearFaultsBeforePermissionsUnlessTheHardwareManagesIt() {
        long ipa = ipa(4, NONE);
        fault(WalkResult.FaultKind.ACCESS_FLAG, access(ipa, AccessKind.READ));
        fault(WalkResult.FaultKind.ACCESS_FLAG, access(ipa, AccessKind.WRITE));
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.READ,
                config.withHardwareManagement(true, false)));
    }

    @Test
    void xnForbidsFetchesAtEveryLevelOnly() {
        long ipa = ipa(5, RW | AF | XN);
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.EXECUTE));
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.UNPRIVILEGED_EXECUTE));
        ok(access(ipa, AccessKind.READ));
        ok(access(ipa, AccessKind.WRITE));
    }

    @Test
    void stage2HasNoPrivilegeDistinctionForData() {
        long ipa = ipa(6, RO | AF);
        ok(access(ipa, AccessKind.UNPRIVILEGED_READ));
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.UNPRIVILEGED_WRITE));
    }

    @Test
    void dbmMakesAReadOnlyLeafWritableOnlyWithHardwareDirtyState() {
        long ipa = ipa(7, RO | AF | DBM);
        fault(WalkResult.FaultKind.PERMISSION, access(ipa, AccessKind.WRITE));
        ok(access(ipa, AccessKind.WRITE, config.withHardwareManagement(true, true)));
    }

    @Test
    void walkFaultsComeFirst() {
        ipa(0, RW | AF);
        WalkResult.Faulted f = assertInstanceOf(WalkResult.Faulted.class, access(0x20_0000L, AccessKind.READ));
        assertEquals(WalkResult.FaultKind.TRANSLATION, f.kind());
        assertEquals(2, f.level());
    }
}
