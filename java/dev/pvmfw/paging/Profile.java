package dev.pvmfw.paging;

/**
 * Every rule that depends on the version of the reference: <b>aarch64-paging 0.4.0 linked with bitflags 2.0.2</b>.
 *
 * <p>This class is the one place to read (and, for a later profile, to change) what differs between crate versions.
 * The engine ({@code PageTableWithLevel}), {@link Attributes} and {@link Descriptor} call these functions rather than
 * encoding the rules themselves. Each rule names the section of {@code aarch64-paging-0.4.md} it comes from.
 *
 * <table>
 *   <caption>Rules of this profile and where later versions differ</caption>
 *   <tr><th>Rule</th><th>0.4.0 + bitflags 2.0.2 (this profile)</th><th>later</th></tr>
 *   <tr><td>{@code flags()} validity (§5)</td><td>exact union of <em>complete</em> named flags</td>
 *       <td>bitflags ≥ 2.4: no bit outside {@code all()}; crate ≥ 0.9: always Some</td></tr>
 *   <tr><td>Attributes Debug (§7.3)</td><td>zero-valued DEVICE_NGNRE printed while bits remain</td>
 *       <td>bitflags ≥ 2.4: never printed</td></tr>
 *   <tr><td>leaf write (§3.5)</td><td>ACCESSED always ORed; TABLE_OR_PAGE at level 3 even without VALID; PA kept</td>
 *       <td>0.6: no ACCESSED; 0.11: invalid leaves are flags only</td></tr>
 *   <tr><td>split (§6.4)</td><td>recreate the old entry one level down whenever {@code flags()} is Some and lacks
 *       TABLE_OR_PAGE, <em>including an all-zero entry</em> (the garbage-fill quirk)</td>
 *       <td>0.6: zero entries give an all-zero table</td></tr>
 *   <tr><td>blocks (§6.4)</td><td>at every level below 3, level 0 and the root included</td>
 *       <td>0.12: no level-0 blocks</td></tr>
 *   <tr><td>map_range flags (§6.4)</td><td>TABLE_OR_PAGE accepted unchecked</td><td>0.5: InvalidFlags</td></tr>
 *   <tr><td>modify_range (§6.5)</td><td>visits every entry, tables included, parent first, with the entry's whole
 *       range; never splits or allocates; error carries the descriptor <em>after</em> the callback</td>
 *       <td>0.5: splits, leaves only</td></tr>
 *   <tr><td>{@code modify_flags} (§2.7)</td><td>no checks at all</td><td>0.5: TABLE_OR_PAGE flips panic</td></tr>
 *   <tr><td>break-before-make (§12.5)</td><td>none</td><td>0.5: checks while active</td></tr>
 * </table>
 */
public final class Profile {
    /** The Rust crate this profile reproduces. */
    public static final String CRATE = "aarch64-paging";
    /** Its exact version. */
    public static final String CRATE_VERSION = "0.4.0";
    /** The bitflags release linked with it; it decides {@code flags()} and the Debug text (§5). */
    public static final String BITFLAGS_VERSION = "2.0.2";

    private Profile() {}

    /** A short identity string, e.g. for golden-vector headers: {@code aarch64-paging 0.4.0 + bitflags 2.0.2}. */
    public static String describe() {
        return CRATE + " " + CRATE_VERSION + " + bitflags " + BITFLAGS_VERSION;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // bitflags 2.0.2
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * bitflags 2.0.2 {@code from_bits_truncate}: the union of every declared flag whose bits are <em>all</em> set in
     * {@code bits}. A zero-valued flag (DEVICE_NGNRE) is always "contained" and adds nothing.
     */
    static long truncateToCompleteFlags(long bits, long[] declaredFlags) {
        if (bits == 0) {
            return 0;
        }
        long truncated = 0;
        for (long flag : declaredFlags) {
            if ((bits & flag) == flag) {
                truncated |= flag;
            }
        }
        return truncated;
    }

    /**
     * bitflags 2.0.2 {@code from_bits}: valid iff truncating to complete flags changes nothing. So bit 2 alone (part
     * of NORMAL = 2|8|9) or bit 53 alone (part of EXECUTE_NEVER = 53|54) is invalid, as is any bit no flag names.
     */
    static boolean isUnionOfCompleteFlags(long bits, long[] declaredFlags) {
        return truncateToCompleteFlags(bits, declaredFlags) == bits;
    }

    /**
     * {@link #isUnionOfCompleteFlags} for flags that do not overlap and have at most two multi-bit members (true of
     * 0.4.0's; {@link Attributes} checks it): no bit outside {@code all}, and each multi-bit flag wholly present or
     * wholly absent. Three masks instead of a loop over every flag; this is what the table walks use.
     */
    static boolean isUnionOfCompleteFlags(long bits, long all, long multiBit0, long multiBit1) {
        long a = bits & multiBit0;
        long b = bits & multiBit1;
        return (bits & ~all) == 0 && (a == 0 || a == multiBit0) && (b == 0 || b == multiBit1);
    }

    /**
     * bitflags 2.0.2 {@code Debug}: {@code Type(NAME | NAME | 0xextra)}, or {@code Type(0x0)} when empty.
     *
     * <p>Names come from {@code iter_names}, which checks "is anything left?" only when asked for the next name and
     * then takes the next declared flag <em>contained in the original value</em>. A zero-valued flag is contained in
     * everything, so it is printed exactly when some bits are still left after the flags declared before it: {@code
     * Attributes(VALID | DEVICE_NGNRE | NORMAL)} but {@code Attributes(VALID | TABLE_OR_PAGE)}. Bits no contained flag
     * removes are appended in hex.
     */
    static String debugFlags(String typeName, long bits, long[] declaredFlags, String[] names) {
        StringBuilder out = new StringBuilder(typeName).append('(');
        if (bits == 0) {
            return out.append("0x0)").toString();
        }
        long state = bits;
        boolean first = true;
        int idx = 0;
        while (state != 0 && idx < declaredFlags.length) {
            // One call of IterNames::next: scan from idx to the first flag contained in the original bits.
            String found = null;
            while (idx < declaredFlags.length) {
                long flag = declaredFlags[idx];
                String name = names[idx];
                idx++;
                if ((bits & flag) == flag) {
                    state &= ~flag;
                    found = name;
                    break;
                }
            }
            if (found == null) {
                break;
            }
            if (!first) {
                out.append(" | ");
            }
            first = false;
            out.append(found);
        }
        if (state != 0) {
            if (!first) {
                out.append(" | ");
            }
            out.append("0x").append(Long.toHexString(state));
        }
        return out.append(')').toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // aarch64-paging 0.4.0: descriptor encodings written by map_range (§3.5)
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * A level-3 entry as {@code map_range} writes it: {@code (pa & MASK) | flags | ACCESSED | TABLE_OR_PAGE}, whether
     * or not flags hold VALID. The flags are not masked.
     */
    static long pageEntry(long pa, long flags) {
        return (pa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags | Attributes.ACCESSED_BIT | Attributes.TABLE_OR_PAGE_BIT;
    }

    /** A block entry (level 0, 1 or 2) as {@code map_range} writes it: {@code (pa & MASK) | flags | ACCESSED}. */
    static long blockEntry(long pa, long flags) {
        return (pa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | flags | Attributes.ACCESSED_BIT;
    }

    /** A table descriptor: {@code (table_pa & MASK) | TABLE_OR_PAGE | VALID}; no table attribute bits. */
    static long tableEntry(long tablePa) {
        return (tablePa & Descriptor.PHYSICAL_ADDRESS_BITMASK) | Attributes.TABLE_OR_PAGE_BIT | Attributes.VALID_BIT;
    }

    /** Blocks may be written at any level below 3, the root and level 0 included (0.12 forbids level-0 blocks). */
    static boolean blockAllowedAtLevel(int level) {
        return level < Paging.LEAF_LEVEL;
    }

    /**
     * Whether splitting the non-table entry {@code old} re-creates it one level down: {@code flags()} is Some and
     * lacks TABLE_OR_PAGE. In 0.4.0 this holds for an <b>all-zero entry</b> ({@code flags()} = Some(empty)), so a
     * never-mapped entry is "split" into 512 invalid but non-zero children (the garbage-fill quirk, §8 S1).
     */
    static boolean recreatesOnSplit(long old) {
        return Descriptor.hasKnownFlags(old) && (old & Attributes.TABLE_OR_PAGE_BIT) == 0;
    }
}
