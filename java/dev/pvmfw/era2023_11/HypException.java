package dev.pvmfw.era2023_11;

import java.util.Objects;

/** A hypervisor call failed: the Java form of {@code Err(hyp::Error)}. The message is the error's Display text. */
public final class HypException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient HypError error;

    /** The exception for {@code error}, with its Display text as the message. */
    public HypException(HypError error) {
        super(error.display(), null, false, false);
        this.error = Objects.requireNonNull(error);
    }

    /** The variant and its payload. */
    public HypError error() {
        return error;
    }
}
