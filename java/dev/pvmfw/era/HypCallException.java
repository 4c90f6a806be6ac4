package dev.pvmfw.era;

import java.util.Objects;

/**
 * A later era's {@code hyp::Error} from pvmfw's own hypervisor calls outside the tracker — its entry's
 * {@code try_console_init} and {@code main_wrapper}'s console unmap ({@link TrackerFactory#entry},
 * {@link TrackerFactory#consoleUnmap}) — as the era-independent form the scenario language reports ({@code hyp-err}):
 * the error's Rust {@code Debug} and {@code Display} texts. The message is the Display text.
 */
public final class HypCallException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The error's Rust {@code Debug} text. */
    private final String debug;

    /**
     * The exception for an error with these texts.
     *
     * @param debug the error's Rust {@code Debug} text, e.g. {@code UnsupportedMmioGuardGranule(8192)}
     * @param display its Rust {@code Display} text
     */
    public HypCallException(String debug, String display) {
        super(Objects.requireNonNull(display, "display"), null, false, false);
        this.debug = Objects.requireNonNull(debug, "debug");
    }

    /** The error's Rust {@code Debug} text. */
    public String debug() {
        return debug;
    }

    /** The error's Rust {@code Display} text. */
    public String display() {
        return getMessage();
    }
}
