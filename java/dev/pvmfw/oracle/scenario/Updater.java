package dev.pvmfw.oracle.scenario;

import dev.pvmfw.paging.v0_4_0.Attributes;

/**
 * A {@code modify_range} updater that both engines can run: a built-in (implemented in Rust inside the oracle and in
 * Java here) or an {@link Edit}, whose {@link Edit#decide decision} for each entry is the one definition both engines
 * use: the Java engine applies it itself, and for the real crate a Java upcall hands it to the oracle library, which
 * applies it with the crate's own API (Java decides, the crate applies).
 */
public sealed interface Updater {

    /** The text form, e.g. {@code builtin:verify-lazy} or {@code edit:set=SWFLAG_1,levels=3}. */
    String text();

    /** Updaters built into the oracle library (and written again in Java for the Java engine). */
    enum BuiltinKind {
        /** The seed's {@code verify_lazy_mapped_block}. */
        VERIFY_LAZY_MAPPED_BLOCK("verify-lazy"),
        /** The crate test {@code update_range}'s updater: SWFLAG_0 on level-3 entries and non-tables. */
        SET_SWFLAG_0_ON_LEAVES("set-swflag0-on-leaves"),
        /** Err on the first level-3 entry, Ok before it. */
        FAIL_AT_LEVEL_3("fail-at-level-3");

        final String text;

        BuiltinKind(String text) {
            this.text = text;
        }

        static BuiltinKind parse(String text) {
            for (BuiltinKind k : values()) {
                if (k.text.equals(text)) {
                    return k;
                }
            }
            return null;
        }
    }

    /**
     * A built-in updater: implemented in the oracle library for the crate, and again in Java for the Java engine.
     *
     * @param kind which built-in
     */
    record Builtin(BuiltinKind kind) implements Updater {
        @Override
        public String text() {
            return "builtin:" + kind.text;
        }
    }

    /**
     * What an updater does to one entry, before it returns: an {@link Action}, which the engine applies to the entry,
     * and then Ok or Err.
     *
     * @param action what to do to the entry
     * @param ok whether the updater then returns Ok (otherwise Err: the crate stops with {@code PteUpdateFault})
     */
    record Decision(Action action, boolean ok) {
        /** A decision; action must not be null. */
        public Decision {
            java.util.Objects.requireNonNull(action, "action");
        }
    }

    /**
     * What an updater can do to an entry through 0.4.0's public API; the variants are those of the oracle ABI's
     * {@code PVP_ACTION_*}, named after them.
     */
    sealed interface Action {
        /** Leave the entry as it is. */
        record None() implements Action {}

        /**
         * {@code Descriptor::modify_flags(set, clear)}.
         *
         * @param set flags to set
         * @param clear flags to clear
         */
        record ModifyFlags(Attributes set, Attributes clear) implements Action {
            /** The action; neither set nor clear may be null. */
            public ModifyFlags {
                java.util.Objects.requireNonNull(set, "set");
                java.util.Objects.requireNonNull(clear, "clear");
            }
        }
    }

    /**
     * On every entry whose level is in {@code levels} (a bit mask, bit L for level L): {@code modifyFlags(set, clear)}
     * (no checks, as 0.4.0). Returns Err on the entry at {@code failLevel} whose range starts at {@code failStart}
     * (after editing it), Ok everywhere else; {@code failLevel} -1 never fails. {@link #decide} says it for one entry.
     *
     * @param set flags to set
     * @param clear flags to clear
     * @param levels bit mask of the levels edited
     * @param failLevel level of the failing entry, or -1
     * @param failStart start of the failing entry's range
     */
    record Edit(Attributes set, Attributes clear, int levels, int failLevel, long failStart) implements Updater {
        /**
         * An edit.
         *
         * @throws IllegalArgumentException if levels has a bit above 3, or failLevel is not -1..3
         */
        public Edit {
            java.util.Objects.requireNonNull(set, "set");
            java.util.Objects.requireNonNull(clear, "clear");
            if ((levels & ~0xF) != 0 || failLevel < -1 || failLevel > 3) {
                throw new IllegalArgumentException("levels is a mask of bits 0..3 and failLevel -1..3");
            }
        }

        /**
         * What this edit does to the entry at {@code level} whose whole range starts at {@code start}: the one
         * definition of the edit, run by both engines. Never throws.
         *
         * @param start the start of the entry's range, as the crate passes it to the updater
         * @param level the entry's level
         */
        public Decision decide(long start, int level) {
            Action action = level >= 0 && level <= 3 && (levels & 1 << level) != 0
                    ? new Action.ModifyFlags(set, clear) : new Action.None();
            return new Decision(action, !(level == failLevel && start == failStart));
        }

        @Override
        public String text() {
            StringBuilder b = new StringBuilder("edit:set=").append(Flags.format(set)).append(",clear=")
                    .append(Flags.format(clear)).append(",levels=");
            for (int level = 0; level <= 3; level++) {
                if ((levels & 1 << level) != 0) {
                    b.append(level);
                }
            }
            if (failLevel >= 0) {
                b.append(",fail-level=").append(failLevel).append(",fail-start=0x")
                        .append(Long.toHexString(failStart));
            }
            return b.toString();
        }
    }
}
