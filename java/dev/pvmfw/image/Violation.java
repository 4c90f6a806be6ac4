package dev.pvmfw.image;

import dev.pvmfw.paging.v0_4_0.Descriptor;

/**
 * A broken invariant of an image.
 *
 * @param rule short name, e.g. {@code cycle}, {@code wx}, {@code lazy-not-device}
 * @param slot table slot
 * @param index entry index
 * @param level table level
 * @param va first VA of the entry
 * @param descriptor the entry's value
 * @param message what is wrong
 */
public record Violation(String rule, int slot, int index, int level, long va, long descriptor, String message) {

    static Violation at(ImageWalk.Entry e, String rule, String message) {
        return new Violation(rule, e.slot(), e.index(), e.level(), e.va(), e.descriptor(), message);
    }

    /** One line: {@code rule: slot S index I (level L, VA 0x…): message [descriptor]}. */
    @Override
    public String toString() {
        return rule + ": slot " + slot + " index " + index + " (level " + level + ", VA " + hex(va) + "): " + message
                + " [" + Descriptor.debugString(descriptor) + "]";
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
