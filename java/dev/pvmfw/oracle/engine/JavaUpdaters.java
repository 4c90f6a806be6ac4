package dev.pvmfw.oracle.engine;

import dev.pvmfw.era2023_05.PteCallbacks;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.oracle.scenario.Updater;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.PteUpdater;

/** The Java side of every {@link Updater}: what the Java engine runs, and what the Rust upcall runs for an edit. */
final class JavaUpdaters {
    private JavaUpdaters() {}

    static PteUpdater of(Updater updater) {
        return switch (updater) {
            case Updater.Edit e -> edit(e);
            case Updater.Builtin b -> switch (b.kind()) {
                case VERIFY_LAZY_MAPPED_BLOCK -> PvmfwPageTable.updater(PteCallbacks.VERIFY_LAZY_MAPPED_BLOCK);
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

    static PteUpdater edit(Updater.Edit e) {
        return (range, entry, level) -> {
            if ((e.levels() & 1 << level) != 0) {
                entry.modifyFlags(e.set(), e.clear());
            }
            return !(level == e.failLevel() && range.startValue() == e.failStart());
        };
    }
}
