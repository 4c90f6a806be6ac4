package dev.pvmfw.oracle.engine;

import dev.pvmfw.era2023_05.PteCallbacks;
import dev.pvmfw.paging.v0_4_0.profile.PvmfwPageTable;
import dev.pvmfw.oracle.scenario.Updater;

import dev.pvmfw.paging.v0_4_0.Attributes;
import dev.pvmfw.paging.v0_4_0.PteUpdater;

/**
 * What the Java engine runs for each {@link Updater}: the built-ins written again in Java, and for an edit its
 * {@link Updater.Edit#decide decision} applied here (the Rust engine's upcall hands the same decision to the crate).
 */
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

    /** The edit as a 0.4.0 updater; it counts its calls, so make one per step. */
    static PteUpdater edit(Updater.Edit e) {
        int[] calls = {0};
        return (range, entry, level) -> {
            Updater.Decision d = e.decide(++calls[0], range.startValue(), level, entry.bits());
            switch (d.action()) {
                case Updater.Action.None none -> { }
                case Updater.Action.ModifyFlags m -> entry.modifyFlags(Attributes.fromBitsRetain(m.set().bits()),
                        Attributes.fromBitsRetain(m.clear().bits()));
                // A 0.4.0 scenario refuses set actions (Dialect); an edit made without one fails like the Rust side.
                case Updater.Action.Set s -> throw new IllegalStateException("0.4.0 has no set action");
            }
            return d.ok();
        };
    }
}
