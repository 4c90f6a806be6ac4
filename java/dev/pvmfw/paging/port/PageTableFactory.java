package dev.pvmfw.paging.port;

import dev.pvmfw.paging.Translation;

/**
 * How an era gets pvmfw's page table without seeing the crate version that makes it: the one thing of a
 * {@link CrateProfile} an era may use ({@code docs/architecture.md}, "The port"). The crate's opinion of a descriptor
 * ({@code flags()}, {@code is_table_or_page}, its Debug text) stays with the profile; an era sees descriptors only as
 * {@link Pte}s in its callbacks.
 */
@FunctionalInterface
public interface PageTableFactory {
    /**
     * pvmfw's page table on this crate version: an identity map at root level 1 with ASID 1, whose tables come from
     * {@code translation}, or from the crate's own {@code IdTranslation} when it is null.
     *
     * @throws dev.pvmfw.paging.TranslationPanic if the root table cannot be allocated
     */
    MmuOps newPvmfwPageTable(Translation translation);
}
