package dev.pvmfw.oracle;

import dev.pvmfw.paging.Attributes;
import dev.pvmfw.paging.PteUpdater;

/** The Java side of every {@link Updater}: what the Java engine runs, and what the Rust upcall runs for an edit. */
final class JavaUpdaters {
    private JavaUpdaters() {}

    static PteUpdater of(Updater updater) {
        return switch (updater) {
            case Updater.Edit e -> edit(e);
            case Updater.Builtin b -> switch (b.kind()) {
                case VERIFY_LAZY -> JavaUpdaters::verifyLazyMappedBlock;
                case SET_SWFLAG_0_ON_LEAVES -> (range, entry, level) -> {
                    if (level == 3 || !entry.isTableOrPage()) {
                        entry.modifyFlags(Attributes.SWFLAG_0, Attributes.empty());
                    }
                    return true;
                };
                case FAIL_AT_LEVEL_3 -> (range, entry, level) -> level != 3;
            };
        };
    }

    /**
     * The seed's {@code verify_lazy_mapped_block}: tables pass (0.4.0 shows them to the updater); a leaf passes only if
     * it has SWFLAG_0 and not VALID. Unknown flags panic as the seed's {@code expect} does.
     */
    static boolean verifyLazyMappedBlock(dev.pvmfw.paging.MemoryRegion range, dev.pvmfw.paging.Descriptor entry,
            int level) {
        Attributes flags = entry.flags().orElseThrow(() -> new dev.pvmfw.paging.CratePanic("Unsupported PTE flags set"));
        boolean leaf = flags.contains(Attributes.TABLE_OR_PAGE) ? level == 3 : level < 3;
        if (!leaf) {
            return true;
        }
        return flags.contains(Attributes.SWFLAG_0) && !flags.contains(Attributes.VALID);
    }

    static PteUpdater edit(Updater.Edit e) {
        return (range, entry, level) -> {
            if ((e.levels() & 1 << level) != 0) {
                entry.modifyFlags(e.set(), e.clear());
            }
            return !(level == e.failLevel() && range.startValue() == e.failStart());
        };
    }
}
