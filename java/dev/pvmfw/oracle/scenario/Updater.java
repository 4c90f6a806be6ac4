package dev.pvmfw.oracle.scenario;

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
     * What an updater can do to an entry through the crate's public API; the variants are those of the oracle ABI's
     * {@code PVP_ACTION_*}, named after them ({@code docs/scenarios.md}, "Updaters"). In an {@link Edit} it is what the
     * edit does to the entries it edits; in a {@link Decision}, what is done to one entry.
     */
    sealed interface Action {
        /** Leave the entry as it is ({@code PVP_ACTION_NONE}). */
        record None() implements Action {}

        /**
         * {@code modify_flags(set, clear)} ({@code PVP_ACTION_MODIFY_FLAGS}), with the bits as they are
         * ({@code from_bits_retain}).
         *
         * @param set flags to set
         * @param clear flags to clear
         */
        record ModifyFlags(FlagSet set, FlagSet clear) implements Action {
            /** The action; neither set nor clear may be null. */
            public ModifyFlags {
                java.util.Objects.requireNonNull(set, "set");
                java.util.Objects.requireNonNull(clear, "clear");
            }
        }

        /**
         * aarch64-paging 0.12's {@code UpdatableDescriptor::set(PhysicalAddress(pa), flags)} ({@code PVP_ACTION_SET}),
         * the flags as they are. With {@code keepPa} the PA is the entry's own output-address field (bits 12..47 of
         * the descriptor the updater is given), resolved by {@link Edit#decide}; a decision's {@code Set} never keeps.
         *
         * @param pa the physical address (ignored when {@code keepPa})
         * @param keepPa whether the PA is the entry's own
         * @param flags the attributes
         */
        record Set(long pa, boolean keepPa, FlagSet flags) implements Action {
            /** The action; flags may not be null. */
            public Set {
                java.util.Objects.requireNonNull(flags, "flags");
            }
        }
    }

    /** The output-address field of a descriptor (bits 12..47), what {@code pa=keep} keeps. */
    long OUTPUT_ADDRESS = 0x0000_ffff_ffff_f000L;

    /**
     * Where an edit answers Err ({@code docs/scenarios.md}, "Updaters"); everywhere else it answers Ok. The crate stops
     * at the first Err with {@code PteUpdateFault}.
     */
    sealed interface Failure {
        /** {@code never}. */
        record Never() implements Failure {}

        /**
         * {@code call:N}: the {@code n}-th call of this step (1-based).
         *
         * @param n the call
         */
        record AtCall(int n) implements Failure {
            /** The failure. @throws IllegalArgumentException if {@code n} is below 1 */
            public AtCall {
                if (n < 1) {
                    throw new IllegalArgumentException("fail=call:N counts from 1");
                }
            }
        }

        /**
         * {@code when:P}: every call whose entry satisfies {@code predicate} (after the edit, on the bits it was called
         * with).
         *
         * @param predicate the condition
         */
        record When(Predicate predicate) implements Failure {}

        /**
         * {@code at:L@START}: the entry at {@code level} whose range starts at {@code start}.
         *
         * @param level the level
         * @param start the start of the entry's range
         */
        record At(int level, long start) implements Failure {
            /** The failure. @throws IllegalArgumentException if {@code level} is not 0..3 */
            public At {
                if (level < 0 || level > 3) {
                    throw new IllegalArgumentException("fail=at:L@START needs a level 0..3");
                }
            }
        }

        /**
         * Whether the {@code call}-th call (from 1) on the entry at {@code level} holding {@code bits}, whose range
         * starts at {@code start}, answers Err.
         */
        default boolean fails(int call, long start, int level, long bits) {
            return switch (this) {
                case Never n -> false;
                case AtCall c -> call == c.n();
                case When w -> w.predicate().test(bits, level);
                case At a -> level == a.level() && start == a.start();
            };
        }

        /** The text form. */
        default String text() {
            return switch (this) {
                case Never n -> "never";
                case AtCall c -> "call:" + c.n();
                case When w -> "when:" + w.predicate().text();
                case At a -> "at:" + a.level() + "@0x" + Long.toHexString(a.start());
            };
        }
    }

    /**
     * On every entry whose level is in {@code levels} (a bit mask, bit L for level L) and that satisfies {@code when}:
     * {@code action} (no checks, as the crate). Answers Err where {@code fail} says, Ok everywhere else.
     * {@link #decide} says it for one call.
     *
     * @param when which entries are edited
     * @param levels bit mask of the levels edited
     * @param action what is done to them
     * @param fail where it answers Err
     */
    record Edit(Predicate when, int levels, Action action, Failure fail) implements Updater {
        /** The edit. @throws IllegalArgumentException if {@code levels} has bits above 3 */
        public Edit {
            java.util.Objects.requireNonNull(when, "when");
            java.util.Objects.requireNonNull(action, "action");
            java.util.Objects.requireNonNull(fail, "fail");
            if ((levels & ~0xF) != 0) {
                throw new IllegalArgumentException("levels is a mask of bits 0..3");
            }
        }

        /** The edit that does {@code modify_flags(set, clear)}. */
        public Edit(Predicate when, int levels, FlagSet set, FlagSet clear, Failure fail) {
            this(when, levels, new Action.ModifyFlags(set, clear), fail);
        }

        /** The same edit with another action. */
        public Edit withAction(Action other) {
            return new Edit(when, levels, other, fail);
        }

        /** The same edit with another failure. */
        public Edit withFail(Failure other) {
            return new Edit(when, levels, action, other);
        }

        /** The same edit on other entries. */
        public Edit withWhen(Predicate other) {
            return new Edit(other, levels, action, fail);
        }

        /**
         * What this edit does on its {@code call}-th call (1-based, in the order the crate calls it) for the entry at
         * {@code level} holding {@code bits}, whose whole range starts at {@code start}: the one definition of the
         * edit, run by both engines. Never throws.
         *
         * @param call which call of the step this is, from 1
         * @param start the start of the entry's range, as the crate passes it to the updater
         * @param level the entry's level
         * @param bits the entry's descriptor as the updater is given it
         */
        public Decision decide(int call, long start, int level, long bits) {
            boolean edits = level >= 0 && level <= 3 && (levels & 1 << level) != 0 && when.test(bits, level);
            Action done = !edits ? new Action.None() : action instanceof Action.Set s && s.keepPa()
                    ? new Action.Set(bits & OUTPUT_ADDRESS, false, s.flags()) : action;
            return new Decision(done, !fail.fails(call, start, level, bits));
        }

        @Override
        public String text() {
            StringBuilder b = new StringBuilder("edit:");
            if (when != Predicate.ANY) {
                b.append("when=").append(when.text()).append(',');
            }
            switch (action) {
                case Action.None n -> { }
                case Action.ModifyFlags m -> b.append("set=").append(m.set().text()).append(",clear=")
                        .append(m.clear().text()).append(',');
                case Action.Set s -> b.append("pa=").append(s.keepPa() ? "keep" : "0x" + Long.toHexString(s.pa()))
                        .append(",flags=").append(s.flags().text()).append(',');
            }
            b.append("levels=");
            for (int level = 0; level <= 3; level++) {
                if ((levels & 1 << level) != 0) {
                    b.append(level);
                }
            }
            if (!(fail instanceof Failure.Never)) {
                b.append(",fail=").append(fail.text());
            }
            return b.toString();
        }
    }
}
