package dev.pvmfw.paging;

import java.util.Optional;

/**
 * The translation regime a table is for, under the names aarch64-paging 0.12's {@code TranslationRegime} unit structs
 * use ({@code paging.rs} at tag 0.12.1; see {@code docs/architecture.md}, "Regimes"). aarch64-paging 0.4.0 has no
 * regime: its tables are EL1&amp;0 stage-1 tables.
 */
public enum TranslationRegime {
    /** {@code El1And0}: EL1 and EL0, two VA ranges, an ASID. */
    EL1_AND_0("El1And0", "el1and0", true),
    /** {@code El2And0}: EL2 with HCR_EL2.E2H set, and EL0; two VA ranges, an ASID. */
    EL2_AND_0("El2And0", "el2and0", true),
    /** {@code El2}: EL2 alone, one VA range. */
    EL2("El2", "el2", false),
    /** {@code El3}: EL3, one VA range. */
    EL3("El3", "el3", false),
    /** {@code Stage2}: the stage-2 translation of EL1&amp;0, one (input) range. */
    STAGE2("Stage2", "stage2", false);

    private final String rustName;
    private final String id;
    private final boolean twoRanges;

    TranslationRegime(String rustName, String id, boolean twoRanges) {
        this.rustName = rustName;
        this.id = id;
        this.twoRanges = twoRanges;
    }

    /** The Rust unit struct's name, as its {@code Debug} prints it. */
    public String rustName() {
        return rustName;
    }

    /** The id on the command line and in scenarios ({@code el1and0}). */
    public String id() {
        return id;
    }

    /** Whether the regime has an upper VA range (TTBR1) as well as the lower one. */
    public boolean hasUpperRange() {
        return twoRanges;
    }

    /** The regime with this id, if any. */
    public static Optional<TranslationRegime> byId(String id) {
        for (TranslationRegime r : values()) {
            if (r.id.equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
