package dev.pvmfw.exceptions;

import dev.pvmfw.mmu.Syndrome;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pvmfw.testing.Property;
import org.junit.jupiter.api.Test;

/** pvmfw's masked-equality ESR decoding ({@code b99905d3:pvmfw/src/exceptions.rs}) and the syndrome builders. */
class EsrTest {

    /** The unit variant, or {@code Esr.Unknown.class}. */
    static Object kind(long esr) {
        return Esr.decode(esr) instanceof Esr.Unit u ? u : Esr.Unknown.class;
    }

    @Test
    void upstreamTranslationFaultExamples() {
        for (long base : new long[] {0x96000004L, 0x96000044L, 0x96000144L, 0x96000104L}) {
            for (int level = 0; level < 4; level++) {
                assertEquals(Esr.Unit.DataAbortTranslationFault, kind(base + level), Long.toHexString(base + level));
            }
        }
    }

    @Test
    void upstreamPermissionFaultExamples() {
        for (long esr = 0x9600004CL; esr <= 0x9600004FL; esr++) {
            assertEquals(Esr.Unit.DataAbortPermissionFault, kind(esr));
            assertEquals(Esr.Unit.DataAbortPermissionFault, kind(esr + 0x100)); // CM
        }
        assertEquals(Esr.Unknown.class, kind(0x9600000CL)); // a read permission fault
        assertEquals(Esr.Unknown.class, kind(0x9600000FL));
    }

    @Test
    void rejectedTranslationFaultsDecodeAsUnknown() {
        assertEquals(Esr.Unknown.class, kind(0x96000084L)); // S1PTW
        assertEquals(Esr.Unknown.class, kind(0x97000004L)); // ISV
        assertEquals(Esr.Unknown.class, kind(0x96000204L)); // EA
        assertEquals(Esr.Unknown.class, kind(0x96000404L)); // FnV
        assertEquals(Esr.Unknown.class, kind(0x1_96000004L)); // ISS2: the value is a whole usize
        assertEquals(Esr.Unknown.class, kind(0x94000004L)); // IL = 0
        assertEquals(Esr.Unknown.class, kind(0x92000004L)); // EC 0x24 (from a lower EL)
        assertEquals(Esr.Unknown.class, kind(0x86000004L)); // instruction abort, EC 0x21
        assertEquals(Esr.Unknown.class, kind(0x96000008L)); // access flag fault
        assertEquals(Esr.Unknown.class, kind(0));
        assertEquals(Esr.Unknown.class, kind(-1));
    }

    @Test
    void externalAbortIsAnExactMatchOnly() {
        assertEquals(Esr.Unit.DataAbortSyncExternalAbort, Esr.decode(0x96000010L));
        assertEquals(Esr.Unknown.class, kind(0x96000050L)); // with WnR
        assertEquals(Esr.Unknown.class, kind(0x96000011L));
        assertEquals(Esr.Unknown.class, kind(0x96000014L)); // on a table walk
    }

    @Test
    void displayAndDebugStrings() {
        assertEquals("Translation fault", Esr.decode(0x96000045L).display());
        assertEquals("Permission fault", Esr.decode(0x9600004FL).display());
        assertEquals("Synchronous external abort", Esr.decode(0x96000010L).display());
        assertEquals("Unknown exception esr=0x96000084", Esr.decode(0x96000084L).display());
        assertEquals("Unknown exception esr=0x000005", Esr.decode(5).display()); // {:#08x} pads to width 8
        assertEquals("Unknown exception esr=0xffffffffffffffff", Esr.decode(-1).display());
        assertEquals("Unknown(2516582532)", Esr.decode(0x96000084L).toString());
        assertEquals("DataAbortTranslationFault", Esr.decode(0x96000004L).toString());
    }

    @Test
    void buildersProduceWhatPvmfwDecodes() {
        for (int level = 0; level < 4; level++) {
            for (boolean write : new boolean[] {false, true}) {
                for (boolean cm : new boolean[] {false, true}) {
                    assertEquals(Esr.Unit.DataAbortTranslationFault, kind(Syndrome.translationFault(level, write, cm)));
                    assertEquals(write ? Esr.Unit.DataAbortPermissionFault : Esr.Unknown.class,
                            kind(Syndrome.permissionFault(level, write, cm)));
                }
                assertEquals(Esr.Unknown.class, kind(Syndrome.accessFlagFault(level, write)));
                assertEquals(Esr.Unknown.class, kind(Syndrome.externalAbortOnWalk(level, write)));
            }
        }
        assertEquals(0x96000046L, Syndrome.translationFault(2, true));
        assertEquals(0x96000147L, Syndrome.translationFault(3, true, true));
        assertEquals(0x9600004FL, Syndrome.permissionFault(3, true));
        assertEquals(0x96000010L, Syndrome.INJECTED_EXTERNAL_ABORT);
    }

    /** Masked equality agrees with an independent field-by-field statement of the same rule, on any value. */
    @Test
    void decodeEqualsTheFieldStatementOfTheMasks() {
        Property.forAll("EsrTest#decodeEqualsTheFieldStatementOfTheMasks", 20_000, r -> new long[] {
            switch (r.nextInt(4)) {
                case 0 -> r.nextLong();
                case 1 -> 0x9600_0000L | r.nextInt(1 << 25);
                case 2 -> 0x9600_0000L | (r.nextInt(0x200) & 0x1ff);
                default -> 0x9600_0000L | (1L << r.nextInt(64)) ^ r.nextInt(0x200);
            }
        }, in -> {
            long esr = in[0];
            boolean upperClear = (esr >>> 32) == 0;
            boolean ecIl = ((esr >>> 25) & 0x7f) == 0x4b; // EC 0x25, IL 1
            boolean iss24to9Clear = ((esr >>> 9) & 0xffff) == 0;
            boolean s1ptwClear = (esr & 0x80) == 0;
            boolean translation = upperClear && ecIl && iss24to9Clear && s1ptwClear && ((esr >>> 2) & 0xf) == 0b0001;
            boolean permission = upperClear && ecIl && iss24to9Clear && s1ptwClear && ((esr >>> 2) & 0xf) == 0b0011
                    && (esr & 0x40) != 0;
            Object expected = esr == 0x96000010L ? Esr.Unit.DataAbortSyncExternalAbort
                    : translation ? Esr.Unit.DataAbortTranslationFault
                    : permission ? Esr.Unit.DataAbortPermissionFault : Esr.Unknown.class;
            assertEquals(expected, kind(esr), Long.toHexString(esr));
        });
    }
}
