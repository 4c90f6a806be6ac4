package dev.pvmfw.oracle.engine;

import dev.pvmfw.era.TrackerException;
import dev.pvmfw.paging.CratePanic;
import dev.pvmfw.paging.TranslationPanic;
import dev.pvmfw.paging.v0_4_0.MapError;
import dev.pvmfw.paging.v0_4_0.MapException;

/**
 * What one step returned, in a form both engines produce: the crate's {@code Ok}, an {@code Err(MapError)}, or a
 * panic (with the table-memory kind when the arena panicked). {@link #text()} is the golden-vector form.
 */
public sealed interface Outcome {

    /** The outcome in the golden vectors' text form, e.g. {@code ok} or {@code panic exhausted msg="…"}. */
    String text();

    /** {@code Ok(())}. */
    record Ok() implements Outcome {
        @Override
        public String text() {
            return "ok";
        }
    }

    /**
     * {@code Err(error)}: the variant and payload, with the engine's own {@code Debug} and {@code Display} texts of it.
     * The Java engine computes its texts from the error ({@link #Failed(MapError)}); the Rust engine carries the
     * crate's, as the library formatted them, so comparing two outcomes compares the crate's texts with Java's.
     *
     * @param error the variant and payload
     * @param debug the engine's {@code Debug} text of it, e.g. {@code AddressRange(0x1000)}
     * @param message the engine's {@code Display} text of it
     */
    record Failed(MapError error, String debug, String message) implements Outcome {
        /** An error outcome; none of the three may be null. */
        public Failed {
            java.util.Objects.requireNonNull(error, "error");
            java.util.Objects.requireNonNull(debug, "debug");
            java.util.Objects.requireNonNull(message, "message");
        }

        /**
         * Java's outcome: Java's {@code Debug} ({@code error.toString()}) and {@code Display}
         * ({@link MapError#display()}) texts of it.
         */
        public Failed(MapError error) {
            this(error, error.toString(), error.display());
        }

        /**
         * {@code err DEBUG msg="DISPLAY"}, and {@code payload=…} (Java's Debug text of the payload) when that is not
         * the engine's Debug text (only the Rust engine's can differ: a crate text Java would not produce).
         */
        @Override
        public String text() {
            String payload = error.toString();
            return "err " + debug + " msg=" + quote(message) + (payload.equals(debug) ? "" : " payload=" + payload);
        }
    }

    /**
     * {@code Err(error)} of a crate version whose {@code MapError} this package does not name (aarch64-paging 0.12.1's
     * six variants): as {@link Failed}, with the variant and payload as Java's Debug text of it ({@code payload}; for
     * the Rust engine, of the error rebuilt from the library's code and payload), and the engine's own Debug and
     * Display texts. The text form is {@link Failed}'s.
     *
     * @param payload Java's Debug text of the variant and payload, e.g. {@code InvalidFlags(3)}
     * @param debug the engine's {@code Debug} text
     * @param message the engine's {@code Display} text
     */
    record Err(String payload, String debug, String message) implements Outcome {
        /** An error outcome; none of the three may be null. */
        public Err {
            java.util.Objects.requireNonNull(payload, "payload");
            java.util.Objects.requireNonNull(debug, "debug");
            java.util.Objects.requireNonNull(message, "message");
        }

        @Override
        public String text() {
            return "err " + debug + " msg=" + quote(message) + (payload.equals(debug) ? "" : " payload=" + payload);
        }
    }

    /**
     * A panic.
     *
     * @param kind what panicked
     * @param message the panic message
     */
    record Panicked(PanicKind kind, String message) implements Outcome {
        @Override
        public String text() {
            return "panic " + kind.name().toLowerCase(java.util.Locale.ROOT) + " msg=" + quote(message);
        }
    }

    /**
     * A {@code MemoryTrackerError}.
     *
     * @param debug its Rust {@code Debug} text, e.g. {@code Hypervisor(KvmError(NotSupported, 3321888775))}
     * @param message its {@code Display} text
     */
    record TrackerFailed(String debug, String message) implements Outcome {
        @Override
        public String text() {
            return "tracker-err " + debug + " msg=" + quote(message);
        }
    }

    /**
     * A libhyp {@code hyp::Error} from a direct hypervisor call ({@code hyp-init}, {@code hyp-map}, {@code hyp-unmap}).
     *
     * @param debug its Rust {@code Debug} text, e.g. {@code KvmError(InvalidParameter, 3321888775)}
     * @param message its {@code Display} text
     */
    record HypFailed(String debug, String message) implements Outcome {
        @Override
        public String text() {
            return "hyp-err " + debug + " msg=" + quote(message);
        }
    }

    /**
     * {@code Ok(value)} of a call that returns a value the scenario compares: {@code alloc_shared}'s address.
     *
     * @param value the value
     */
    record Value(long value) implements Outcome {
        @Override
        public String text() {
            return "ok 0x" + Long.toHexString(value);
        }
    }

    /**
     * The oracle refused the call's arguments (never expected in a well-formed scenario).
     *
     * @param message why
     */
    record Invalid(String message) implements Outcome {
        @Override
        public String text() {
            return "invalid msg=" + quote(message);
        }
    }

    /** What panicked (the oracle reports the same kinds, as its {@code PVP_KIND_*} constants). */
    enum PanicKind {
        /** The crate's own panics (and pvmfw's {@code expect}/{@code assert!}). */
        NONE,
        /** The arena translation: every slot in use. */
        EXHAUSTED,
        /** The arena translation: a PA that is no live table. */
        BAD_ADDRESS,
        /** The arena translation: a free of something that is not a used slot. */
        BAD_FREE,
        /** An updater failed with an exception (Rust: the upcall asked to abort). */
        CALLBACK;

        static PanicKind of(TranslationPanic.Kind kind) {
            return switch (kind) {
                case EXHAUSTED -> EXHAUSTED;
                case BAD_ADDRESS -> BAD_ADDRESS;
                case BAD_FREE -> BAD_FREE;
            };
        }
    }

    /** The message every engine reports when an updater itself fails (the oracle's {@code updater aborted}). */
    String UPDATER_ABORTED = "updater aborted";

    /** The outcome of a Java engine failure. */
    static Outcome ofJava(Throwable t) {
        return switch (t) {
            case MapException e -> new Failed(e.error());
            case TrackerException e -> new TrackerFailed(e.error().toString(), e.error().display());
            case dev.pvmfw.era2023_05.HypException e -> new HypFailed(e.error().toString(), e.error().display());
            case dev.pvmfw.era.HypCallException e -> new HypFailed(e.debug(), e.display());
            case TranslationPanic e -> new Panicked(PanicKind.of(e.kind()), e.getMessage());
            case CratePanic e -> new Panicked(PanicKind.NONE, e.getMessage());
            default -> throw new IllegalArgumentException("not an engine outcome", t);
        };
    }

    /** Quotes a message for the text form (backslash, quote and newline escaped). */
    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
