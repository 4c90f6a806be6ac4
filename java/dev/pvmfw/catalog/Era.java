package dev.pvmfw.catalog;

/**
 * A pvmfw era this project reproduces: the id people type ({@code --era 2023-05}), the AOSP change it is, and the
 * package that holds it.
 *
 * @param id the era's id, the month of its change: {@code 2023-05}
 * @param change the AOSP change, commit and title
 * @param javaPackage the package of the era ({@code dev.pvmfw.era2023_05})
 */
public record Era(String id, String change, String javaPackage) {}
