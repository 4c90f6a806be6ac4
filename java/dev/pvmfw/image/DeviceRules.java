package dev.pvmfw.image;

import java.util.Objects;

/**
 * The optional descriptor-level rules of {@code check} about device leaves ({@code docs/pvmfw-2024-05.md}, "check's
 * device rules"): whether a valid device leaf must map its identity address ({@code not-identity}; pvmfw's table is an
 * identity map, a LinearMap's is not), and how "device" is decided. They are options because images of other shapes
 * and other MAIRs exist. The rule that 0b01 at level 3 is reserved ({@code reserved-descriptor}) needs no option and
 * always runs.
 *
 * @param identity check {@code not-identity}: a valid device leaf whose output address is not its VA
 * @param deviceBy how a leaf is known to be device memory
 */
public record DeviceRules(boolean identity, DeviceBy deviceBy) {
    /** No optional rule: what {@code check} does without options. */
    public static final DeviceRules NONE = new DeviceRules(false, DeviceBy.SWFLAG_0);

    /** How a leaf is known to be device memory. */
    public enum DeviceBy {
        /** Tagged SWFLAG_0 (bit 55), pvmfw's MMIO_LAZY_MAP_FLAG, which every pvmfw device set carries. */
        SWFLAG_0,
        /** Its AttrIndx selects a Device attribute in the walk's MAIR ({@code --mair}; pvmfw's 0xff04 by default). */
        MAIR,
    }

    /** Rules; deviceBy may not be null. */
    public DeviceRules {
        Objects.requireNonNull(deviceBy);
    }
}
