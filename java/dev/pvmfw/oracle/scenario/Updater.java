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
     * {@code PVP_ACTION_*}, named after them.
     */
    sealed interface Action {
        /** Leave the entry as it is. */
        record None() implements Action {}

        /**
         * {@code Descriptor::modify_flags(set, clear)}, with the bits as they are ({@code from_bits_retain}).
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
    }

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
     * {@code modify_flags(set, clear)} (no checks, as the crate). Answers Err where {@code fail} says, Ok everywhere
     * else. {@link #decide} says it for one call.
     *
     * @param when which entries are edited
     * @param levels bit mask of the levels edited
     * @param set flags to set
     * @param clear flags to clear
     * @param fail where it answers Err
     */
    record Edit(Predicate when, int levels, FlagSet set, FlagSet clear, Failure fail) implements Updater {
        /** The edit. @throws IllegalArgumentException if {@code levels} has bits above 3 */
        public Edit {
            java.util.Objects.requireNonNull(when, "when");
            java.util.Objects.requireNonNull(set, "set");
            java.util.Objects.requireNonNull(clear, "clear");
            java.util.Objects.requireNonNull(fail, "fail");
            if ((levels & ~0xF) != 0) {
                throw new IllegalArgumentException("levels is a mask of bits 0..3");
            }
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
            Action action = edits ? new Action.ModifyFlags(set, clear) : new Action.None();
            boolean fails = switch (fail) {
                case Failure.Never n -> false;
                case Failure.AtCall c -> call == c.n();
                case Failure.When w -> w.predicate().test(bits, level);
                case Failure.At a -> level == a.level() && start == a.start();
            };
            return new Decision(action, !fails);
        }

        @Override
        public String text() {
            StringBuilder b = new StringBuilder("edit:");
            if (when != Predicate.ANY) {
                b.append("when=").append(when.text()).append(',');
            }
            b.append("set=").append(set.text()).append(",clear=").append(clear.text()).append(",levels=");
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
