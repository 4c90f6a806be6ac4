package dev.pvmfw.oracle.scenario;

import dev.pvmfw.era2023_05.PteCallbacks;
import dev.pvmfw.paging.DescriptorBits;

/**
 * A condition on one entry an updater is called with, by its bits and level ({@code docs/scenarios.md},
 * "Updaters"): which entries an edit changes ({@code when=}) and where it fails ({@code fail=when:}).
 */
public enum Predicate {
    /** Every entry. */
    ANY("any"),
    /** pvmfw's {@code is_leaf_pte} at the seed change ({@link PteCallbacks#isLeafPte}, the one definition). */
    LEAF("leaf"),
    /** A leaf by pvmfw's rule with VALID set. */
    VALID_LEAF("valid-leaf"),
    /** VALID set. */
    VALID("valid"),
    /** VALID clear. */
    INVALID("invalid"),
    /** VALID clear and SWFLAG_0 (bit 55) set: pvmfw's lazy MMIO. */
    LAZY("lazy"),
    /** Below level 3 with VALID and TABLE_OR_PAGE: a table descriptor. */
    TABLE("table"),
    /** Anything but a table descriptor. */
    NOT_TABLE("not-table");

    private final String text;

    Predicate(String text) {
        this.text = text;
    }

    /** The text form. */
    public String text() {
        return text;
    }

    /** Whether the entry with {@code bits} at {@code level} satisfies it. */
    public boolean test(long bits, int level) {
        boolean valid = (bits & DescriptorBits.VALID) != 0;
        boolean table = level < 3 && valid && (bits & DescriptorBits.TABLE_OR_PAGE) != 0;
        return switch (this) {
            case ANY -> true;
            case LEAF -> PteCallbacks.isLeafPte(bits, level);
            case VALID_LEAF -> valid && PteCallbacks.isLeafPte(bits, level);
            case VALID -> valid;
            case INVALID -> !valid;
            case LAZY -> !valid && (bits & DescriptorBits.SOFTWARE_BIT_55) != 0;
            case TABLE -> table;
            case NOT_TABLE -> !table;
        };
    }

    /** The predicate with this text, or null. */
    public static Predicate parse(String text) {
        for (Predicate p : values()) {
            if (p.text.equals(text)) {
                return p;
            }
        }
        return null;
    }
}
