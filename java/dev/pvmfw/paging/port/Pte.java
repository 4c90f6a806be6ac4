package dev.pvmfw.paging.port;

import java.util.OptionalLong;

/**
 * The entry a {@link PteVisitor} is given: the crate's {@code Descriptor} (0.4.0) or {@code UpdatableDescriptor}
 * (later), seen through what every version has. Valid only during the call.
 */
public interface Pte {

    /** The entry's level, 0..3. */
    int level();

    /** The raw descriptor. */
    long bits();

    /**
     * {@code Descriptor::flags()}: the flag bits (everything outside bits 47:12) if the crate parses them as its
     * attribute type, else empty (0.4.0 with bitflags 2.0.2: unknown bits or a partial multi-bit flag; from 0.9 the
     * bits are always returned).
     */
    OptionalLong flags();

    /** {@code is_table_or_page()} with this crate version's rule. */
    boolean isTableOrPage();

    /**
     * {@code modify_flags(set, clear)} with this crate version's rules: bits = (bits | set) &amp; !clear (0.4.0: no
     * checks; later releases refuse to flip TABLE_OR_PAGE and, on a live table, unsafe changes).
     *
     * @return whether the crate applied it
     */
    boolean modifyFlags(long set, long clear);
}
