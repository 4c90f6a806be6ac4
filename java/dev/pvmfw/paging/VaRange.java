package dev.pvmfw.paging;

/** Which TTBR a table is for ({@code paging::VaRange}). */
public enum VaRange {
    /** The bottom of the address space, from 0: {@code TTBR0}. */
    LOWER("Lower"),
    /** The top of the address space, ending at 2<sup>64</sup> − 1: {@code TTBR1}. */
    UPPER("Upper");

    private final String rustName;

    VaRange(String rustName) {
        this.rustName = rustName;
    }

    /** The Rust variant name ({@code Lower} / {@code Upper}), as its {@code Debug} prints it. */
    public String rustName() {
        return rustName;
    }
}
