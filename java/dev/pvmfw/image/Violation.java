package dev.pvmfw.image;


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
 * @param debug the descriptor's Debug text in the crate version the image is read with
 */
public record Violation(String rule, int slot, int index, int level, long va, long descriptor, String message,
        String debug) {

    /** One line: {@code rule: slot S index I (level L, VA 0x…): message [descriptor]}. */
    @Override
    public String toString() {
        return rule + ": slot " + slot + " index " + index + " (level " + level + ", VA " + hex(va) + "): " + message
                + " [" + debug + "]";
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
